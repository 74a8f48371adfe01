"""Reviews against a small real index (hash embedder): conflicts, their absence, citations, output."""

from __future__ import annotations

from pathlib import Path

import pytest

from archbot.advisor.core import Advisor
from archbot.bot.review_render import render_review_markdown
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.errors import InputError
from archbot.kernel.settings import Settings
from archbot.kernel.types import Review
from tests.review.corpus import write_corpus

GOOD = """# Receipts

## Proposal

We will publish ReceiptIssued events to Kafka instead of RabbitMQ. Receipts will be stored in
PostgreSQL and rendered pages cached in Redis. Payment records are kept for 10 years.

## Alternatives considered

- MongoDB for receipts: rejected, ADR 4 does not allow it.
"""

BAD = """# Receipts

## Proposal

1. We will publish ReceiptIssued events to the existing RabbitMQ exchange (see ADR 3).
2. Receipt data will be stored in MongoDB.
3. The receipt service will call the ledger with a shared API key for internal calls.
4. Receipts are served at `GET /receipts/{id}`.
5. Application logs will be retained for 1 year.
"""


@pytest.fixture
def advisor(settings: Settings, tmp_path: Path) -> Advisor:
    ingest_paths(settings, [write_corpus(tmp_path / "kb")])
    return Advisor.open(settings)


def conflicts(review: Review) -> dict[str, set[str]]:
    """Evidence line -> cited sources, for every conflict."""
    return {
        f.evidence.split(":")[0]: {c.source for c in f.citations}
        for f in review.findings
        if f.kind == "conflict"
    }


def test_each_seeded_conflict_is_found_with_its_citation_and_quote(advisor: Advisor) -> None:
    found = conflicts(advisor.review(BAD, name="bad.md"))
    assert found == {
        "line 5": {"adr/0009-adopt-kafka-for-events.md", "adr/0003-use-rabbitmq-for-events.md"},
        "line 6": {"adr/0004-use-postgresql.md"},
        "line 7": {"standards/api.md"},
        "line 8": {"standards/api.md"},
        "line 9": {"standards/retention.md"},
    }


def test_conflicts_are_high_for_rules_and_quote_the_doc_line(advisor: Advisor) -> None:
    review = advisor.review(BAD, name="bad.md")
    rabbit = next(f for f in review.findings if f.kind == "conflict" and f.evidence.startswith("line 5"))
    assert rabbit.severity == "high"
    assert "existing RabbitMQ exchange" in rabbit.evidence
    assert "ADR 9" in rabbit.message and "ADR 3" in rabbit.message
    assert rabbit.message.count("ADR 3 (") == 1, "that ADR 9 supersedes ADR 3 is said once"


def test_a_doc_that_follows_the_decisions_has_no_conflict(advisor: Advisor) -> None:
    """Kafka instead of RabbitMQ, PostgreSQL, an allowed Redis cache, MongoDB only as an alternative."""
    assert conflicts(advisor.review(GOOD, name="good.md")) == {}


def test_relying_on_a_superseded_adr_cites_it_and_its_replacement(advisor: Advisor) -> None:
    doc = "# X\n\n## Related decisions\n\n- ADR 3: the events this service consumes.\n"
    [finding] = [f for f in advisor.review(doc, name="x.md").findings if f.kind == "conflict"]
    assert finding.severity == "medium"
    assert [c.source for c in finding.citations] == [
        "adr/0003-use-rabbitmq-for-events.md",
        "adr/0009-adopt-kafka-for-events.md",
    ]


def test_citation_numbers_are_one_numbering_across_the_review(advisor: Advisor) -> None:
    review = advisor.review(BAD, name="bad.md")
    by_source: dict[str, int] = {}
    for finding in review.findings:
        for c in finding.citations:
            assert by_source.setdefault(c.source, c.n) == c.n
            assert f"[{c.n}]" in finding.message or finding.kind == "related"
    assert sorted(by_source.values()) == list(range(1, len(by_source) + 1))


def test_every_gap_and_conflict_gets_a_mentor_question(advisor: Advisor) -> None:
    review = advisor.review(BAD, name="bad.md")
    asked = [f for f in review.findings if f.kind in ("gap", "conflict")]
    questions = [f for f in review.findings if f.kind == "question"]
    assert len(questions) == len(asked)
    assert all(q.message.endswith("?") for q in questions)
    assert "offline templates" in review.summary


def test_findings_come_most_severe_first_and_render_grouped(advisor: Advisor) -> None:
    review = advisor.review(BAD, name="bad.md")
    order = {"high": 0, "medium": 1, "low": 2, "info": 3}
    ranks = [order[f.severity] for f in review.findings]
    assert ranks == sorted(ranks)
    markdown = render_review_markdown(review)
    assert markdown.index("## High") < markdown.index("## Medium") < markdown.index("## Sources")
    assert "[1] " in markdown and "`adr/" in markdown


def test_empty_doc_is_an_input_error(advisor: Advisor) -> None:
    with pytest.raises(InputError):
        advisor.review("  \n", name="empty.md")


# What three organisations' records remove, each written its own way: a removal title, a removal
# heading in a standard, a removal in a decision statement.
REMOVALS = {
    "web/adr/011-amp.md": "# AMP\n\n## Status\n\nAccepted\n\n## Decision\n\nWe will serve AMP pages.\n",
    "web/adr/030-amp-removal.md": "# AMP Removal\n\n## Status\n\nApproved\n\n## Decision\n\n"
    "AMP pages are switched off and the AMP code can be deleted.\n",
    "way/standards/logging.md": "# How to store and query logs\n\nUse Splunk for new logging "
    "requirements.\n\n## Logit deprecation notice\n\nThe shared Logit account can still be used for "
    "existing environments.\n",
    "repairs/adr/0011-use-auth0-for-authentication.md": "# 11. Use Auth0 for authentication\n\n"
    "## Status\n\nAccepted\n\n## Decision\n\nUse Auth0 as the single sign-on provider, and remove basic "
    "auth from production.\n",
}


@pytest.mark.parametrize(
    ("line", "cited"),
    [
        ("We will also build an AMP variant of the match page.", "web/adr/030-amp-removal.md"),
        ("Logs will be shipped to the shared Logit stack.", "way/standards/logging.md"),
        (
            "The portal sits behind HTTP basic authentication.",
            "repairs/adr/0011-use-auth0-for-authentication.md",
        ),
    ],
)
def test_using_what_a_decision_in_force_removed_is_a_conflict(
    settings: Settings, tmp_path: Path, line: str, cited: str
) -> None:
    from tests.minicorpus import write_files

    ingest_paths(settings, [write_files(tmp_path / "kb", REMOVALS)])
    advisor = Advisor.open(settings)
    review = advisor.review(f"# Design\n\n## Proposal\n\n{line}\n")
    found = [f for f in review.findings if f.kind == "conflict"]
    assert [c.source for f in found for c in f.citations] == [cited]
    assert found[0].evidence and line[:20] in found[0].evidence
    doing_it = advisor.review(
        f"# Design\n\n## Proposal\n\nWe will remove the last AMP pages and {line[0].lower()}{line[1:]}\n"
    )
    assert not any(
        cited in {c.source for c in f.citations} for f in doing_it.findings if f.kind == "conflict"
    )


RULE_HEADINGS = {  # standards written one rule per heading, in AsciiDoc and in Markdown
    "api/guidelines/errors.adoc": "= Errors\n\n[#177]\n== {MUST} not expose stack traces\n\n"
    "Stack traces contain implementation details that are not part of an API.\n",
    "platform/standards/ci.md": "# Continuous integration\n\n## MUST NOT use long-lived access keys\n\n"
    "Deploy jobs get short-lived credentials from the identity provider.\n",
}


@pytest.mark.parametrize(
    ("line", "cited"),
    [
        ("For 5xx errors the problem includes a `stack_trace` member.", "api/guidelines/errors.adoc"),
        ("The deploy job uses long-lived access keys stored as secrets.", "platform/standards/ci.md"),
    ],
)
def test_a_rule_written_as_a_heading_is_held_against_the_doc(
    settings: Settings, tmp_path: Path, line: str, cited: str
) -> None:
    from tests.minicorpus import write_files

    ingest_paths(settings, [write_files(tmp_path / "kb", RULE_HEADINGS)])
    review = Advisor.open(settings).review(f"# Design\n\n## Proposal\n\n{line}\n")
    found = [f for f in review.findings if f.kind == "conflict"]
    assert [c.source for f in found for c in f.citations] == [cited]


def _index(settings: Settings, tmp_path: Path, files: dict[str, str]) -> Advisor:
    for relative, text in files.items():
        path = tmp_path / "kb" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    ingest_paths(settings, [tmp_path / "kb"])
    return Advisor.open(settings)


# Two organisations outside payments: a platform team's ADR and a public archive's standard.
OUTSIDE_PAYMENTS = {
    "platform/decisions/0004-use-opa-gatekeeper.md": """# 4. Use OPA Gatekeeper for admission policies

## Status

Accepted

## Decision

We will enforce cluster admission policies with OPA Gatekeeper. Kyverno was considered.
""",
    "archive/standards/logging.md": """---
kind: standard
---
# Logging

## Rules

Application logs MUST be shipped to the central log service. Logs MUST NOT contain personal data.
""",
}

SCHOOL_PROCUREMENT = """# School furniture ordering

## Context

Schools order desks and chairs through a framework agreement; head teachers approve orders.

## Proposal

We will run the ordering service on the shared Kubernetes clusters, with Kyverno policies for its
namespace. Application logs will be kept in the service's own Elasticsearch.

## Security

Only signed-in school staff can see their school's orders.
"""


def test_a_review_of_a_doc_outside_payments_never_talks_about_payments(
    settings: Settings, tmp_path: Path
) -> None:
    review = _index(settings, tmp_path, OUTSIDE_PAYMENTS).review(SCHOOL_PROCUREMENT, name="furniture.md")
    assert review.findings, "the review says something"
    rendered = render_review_markdown(review).lower()
    for word in ("payment", "merchant", "cardholder", "pci"):
        assert word not in rendered, word


WEAK_EVIDENCE_CORPUS = {
    "platform/decisions/0023-use-opa-gatekeeper.md": """# 23. Use OPA Gatekeeper

## Status

Accepted

## Context

We need admission policies on the clusters. We chose to test two tools:

- Kyverno
- OPA Gatekeeper

## Decision

We will use OPA Gatekeeper for cluster admission policies.
""",
    **{
        f"reports/standards/report-templates-{n}.md": f"""---
kind: standard
---
# Report templates {n}

## Rules

Report templates are reviewed by the reporting team before release {n}.
"""
        for n in range(1, 5)
    },
}


def test_an_option_set_aside_named_without_a_tie_is_a_question_not_a_conflict(
    settings: Settings, tmp_path: Path
) -> None:
    # Four report standards rank above the ADR for this sentence, and none of its words are the ADR's.
    doc = (
        "# Monthly reports\n\n## Proposal\n\n"
        "We will write the report templates in Kyverno YAML for release.\n"
    )
    review = _index(settings, tmp_path, WEAK_EVIDENCE_CORPUS).review(doc, name="reports.md")
    assert not [f for f in review.findings if f.kind == "conflict"], "weaker evidence is never a conflict"
    [doubt] = [f for f in review.findings if f.kind == "question" and "Kyverno" in f.message]
    assert doubt.severity == "low"
    assert [c.source for c in doubt.citations] == ["platform/decisions/0023-use-opa-gatekeeper.md"]
    assert "OPA Gatekeeper" in doubt.message and doubt.evidence and "Kyverno YAML" in doubt.evidence
