"""Follow-ups in a thread go to the part of the decision they ask about: who decided it, when, what
else was considered, why. Two organisations' records: a MADR record with front matter and a
superseding Nygard record (real all-MiniLM-L6-v2, as answers in production)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archbot.advisor.core import Advisor
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.settings import Settings
from archbot.kernel.types import Answer, Turn
from archbot.kernel.vocabulary import is_rationale_heading

GATEKEEPER = "platform/docs/decisions/0004-use-opa-gatekeeper.md"
POSTGRES = "orders/doc/adr/0003-use-postgresql-for-orders.md"
MONGO = "orders/doc/adr/0001-use-mongodb-for-orders.md"
LOGS = "ops/adr/0002-keep-application-logs-for-90-days.md"
CORPUS = {
    LOGS: """# 2. Keep application logs for 90 days

Date: 2023-03-14

## Status

Accepted

## Context

Log storage grew by 40% a year while most searches looked at the last two weeks, and legal asked
that logs holding personal data be deleted within three months.

## Decision

We will keep application logs for 90 days in hot storage and delete them afterwards. Audit logs are
exempt: they are archived to cold storage for seven years.
""",
    GATEKEEPER: """---
status: accepted
date: 2025-05-12
deciders: Amara Osei, Jonas Lind
---
# Use OPA Gatekeeper for cluster admission policies

## Context and Problem Statement

Auditors found workloads running as root and pulling images from unknown registries, and nothing
stopped them.

## Considered Options

* OPA Gatekeeper
* Kyverno
* A custom validating webhook

## Decision Outcome

Chosen option: "OPA Gatekeeper" enforces admission policies on all our Kubernetes clusters, because the
security team already writes Rego.
""",
    MONGO: """# 1. Use MongoDB for orders

Date: 2019-02-01

## Status

Superseded by [3. Use PostgreSQL for orders](0003-use-postgresql-for-orders.md)

## Context

Orders are documents with nested line items.

## Decision

We will store orders in MongoDB.
""",
    POSTGRES: """# 3. Use PostgreSQL for orders

Date: 2021-09-20

## Status

Accepted

Supersedes [1. Use MongoDB for orders](0001-use-mongodb-for-orders.md)

## Context

Finance needs refunds and payments reconciled in one transaction, and the document store gave us no
multi-document transactions on our version. Reporting queries joined orders to customers by hand,
in application code, and were slow for the month-end close. Two outages came from inconsistent
refunds that a transaction would have prevented. The team already runs PostgreSQL for billing and
knows how to operate it, back it up and restore it.

## Decision

We will store orders in PostgreSQL instead of MongoDB, one schema per bounded context. Orders are
no longer stored in MongoDB once the migration completes.
""",
}


@pytest.fixture(scope="module")
def advisor(tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> Advisor:
    root = tmp_path_factory.mktemp("follow-ups")
    for relative, text in CORPUS.items():
        path = root / "kb" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    # Chunks small enough that each section of these short records is a chunk of its own, as the
    # sections of full-length records are.
    settings = Settings.from_env(
        {
            "ARCHBOT_HOME": str(root / "home"),
            "ARCHBOT_MODEL_CACHE": str(model_cache),
            "ARCHBOT_CHUNK_CHARS": "400",
        }
    )
    ingest_paths(settings, [root / "kb"])
    return Advisor.open(settings)


def _thread(advisor: Advisor, opening: str) -> list[Turn]:
    answer = advisor.ask(opening)
    return [Turn("user", opening), Turn("assistant", answer.text, tuple(c.source for c in answer.citations))]


def _quoted(answer: Answer) -> list[tuple[str, int]]:
    """The sentences the answer quotes (lines ending in one citation; a lifecycle lead line does not),
    each with the source number it cites."""
    out = []
    for line in answer.text.splitlines():
        found = re.search(r"^(?:- )?(?:.*?: )?(?P<text>.+?) \[(?P<n>\d+)\]$", line)
        if found:
            out.append((found["text"], int(found["n"])))
    return out


@pytest.mark.parametrize(
    ("follow_up", "says"),
    [
        ("who decided that?", "Amara Osei"),  # its deciders
        ("when was that?", "2025-05-12"),  # its date
        ("what else did they consider?", "Kyverno"),  # the options it did not choose
    ],
)
def test_each_follow_up_kind_reads_its_part_of_the_decision(
    advisor: Advisor, follow_up: str, says: str
) -> None:
    thread = _thread(advisor, "what enforces admission policies on our kubernetes clusters?")
    answer = advisor.ask(follow_up, history=thread)
    assert not answer.abstained
    assert answer.citations[0].source == GATEKEEPER
    assert says in answer.text


@pytest.mark.parametrize(
    ("opening", "follow_up", "decision"),
    [
        ("what enforces admission policies on our kubernetes clusters?", "and why?", GATEKEEPER),
        ("are orders still stored in mongodb?", "so what changed their mind?", POSTGRES),
    ],
)
def test_why_follow_ups_quote_the_context_of_the_decision_in_force(
    advisor: Advisor, opening: str, follow_up: str, decision: str
) -> None:
    answer = advisor.ask(follow_up, history=_thread(advisor, opening))
    numbers = {c.source: c.n for c in answer.citations}
    assert decision in numbers
    context = " ".join(c.text for c in advisor.chunks_of(decision) if is_rationale_heading(c.section))
    own = [q for q, n in _quoted(answer) if n == numbers[decision]]
    assert own and own[0][:50] in context, answer.text


def test_without_a_why_the_decision_is_quoted_not_its_context(advisor: Advisor) -> None:
    answer = advisor.ask("where are orders stored now?")
    numbers = {c.source: c.n for c in answer.citations}
    context = " ".join(c.text for c in advisor.chunks_of(POSTGRES) if is_rationale_heading(c.section))
    own = [q for q, n in _quoted(answer) if n == numbers[POSTGRES]]
    assert own and own[0][:50] not in context, answer.text


@pytest.mark.parametrize(
    ("follow_up", "says"), [("when was that?", "2021-09-20"), ("who ok'd that?", "names no")]
)
def test_a_follow_up_with_no_words_of_its_own_is_about_the_answer_it_follows(
    advisor: Advisor, follow_up: str, says: str
) -> None:
    """ "that" is what the last answer led with, even when the question before it has more words in
    common with another document the answer cited; the answer is about that record alone."""
    thread = [
        Turn(
            "user", "are orders in postgres, and what enforces admission policies on our kubernetes clusters?"
        ),
        Turn(
            "assistant",
            "ADR 3 (Use PostgreSQL for orders) … [1]\n\nOPA Gatekeeper … [2]",
            (POSTGRES, GATEKEEPER),
        ),
    ]
    answer = advisor.ask(follow_up, history=thread)
    assert answer.citations[0].source == POSTGRES
    assert says in answer.text.split("\n")[0]
    assert GATEKEEPER not in {c.source for c in answer.citations}, answer.text


@pytest.mark.parametrize(
    ("opening", "follow_up", "decision", "says"),
    [
        (
            "what enforces admission policies on our kubernetes clusters?",
            "what did the auditors find?",
            GATEKEEPER,
            "root",
        ),
        ("how long do we keep application logs?", "and the ones with personal data?", LOGS, "personal"),
    ],
)
def test_a_follow_up_is_answered_by_what_it_asks_not_by_the_words_before_it(
    advisor: Advisor, opening: str, follow_up: str, decision: str, says: str
) -> None:
    """The conversation says where to look; the sentence quoted first answers the follow-up itself,
    not the opening question whose words the retrieval carried."""
    answer = advisor.ask(follow_up, history=_thread(advisor, opening))
    numbers = {c.source: c.n for c in answer.citations}
    assert decision in numbers, answer.text
    first = next(text for text, n in _quoted(answer) if n == numbers[decision])
    assert says in first, answer.text


def test_beside_a_follow_ups_record_a_sentence_off_the_conversation_is_not_quoted(advisor: Advisor) -> None:
    """Scored against a short follow-up alone, every sentence is about as close; one sharing no word
    with the conversation (another team's decision in force, with its bonuses) stays out."""
    answer = advisor.ask(
        "and the ones with personal data?", history=_thread(advisor, "how long do we keep application logs?")
    )
    assert [c.source for c in answer.citations] == [LOGS], answer.text
