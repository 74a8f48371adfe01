"""The advisor core over a real (small) index: lifecycle, abstention, filters, follow-ups."""

from __future__ import annotations

from pathlib import Path

import pytest

from archbot.advisor.citations import cited_numbers, renumber, validate_citations
from archbot.advisor.conversation import context_of
from archbot.advisor.core import Advisor
from archbot.advisor.lifecycle import standing_for
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.errors import NotIndexedError
from archbot.kernel.settings import Settings
from archbot.kernel.types import PUBLIC, Document, Filters, Turn
from tests.minicorpus import write_files, write_minicorpus


@pytest.fixture
def advisor(settings: Settings, tmp_path: Path) -> Advisor:
    ingest_paths(settings, [write_minicorpus(tmp_path / "kb")])
    return Advisor.open(settings)


def test_three_step_chain_leads_with_the_decision_in_force(advisor: Advisor) -> None:
    answer = advisor.ask("where do we keep web session state?")
    assert not answer.abstained
    assert answer.citations[0].source == "adr/0003-signed-cookie-sessions.md"
    assert answer.citations[0].status == "accepted"
    assert "superseded by" in answer.text
    assert "signed" in answer.text.lower()
    assert (
        advisor.current_for("adr/0001-use-sticky-sessions.md")[0].source
        == "adr/0003-signed-cookie-sessions.md"
    )


def test_supersession_stated_only_on_the_newer_side_is_followed(advisor: Advisor) -> None:
    answer = advisor.ask("are we still on rabbitmq for domain events?")
    sources = [c.source for c in answer.citations]
    assert sources[0] == "adr/0012-adopt-kafka.md"
    assert "adr/0007-use-rabbitmq-for-events.md" in sources
    first_line = answer.text.splitlines()[0]
    assert "ADR 7" in first_line and "superseded by" in first_line and "2024-03-05" in first_line


def test_history_questions_keep_the_old_decision_first(advisor: Advisor) -> None:
    answer = advisor.ask("why did we originally use rabbitmq for domain events?")
    assert answer.citations[0].source == "adr/0007-use-rabbitmq-for-events.md"


def test_asking_what_replaced_a_decision_leads_with_its_replacement(advisor: Advisor) -> None:
    answer = advisor.ask("what replaced rabbitmq for domain events?")
    assert answer.citations[0].source == "adr/0012-adopt-kafka.md"
    assert "superseded by" in answer.text.splitlines()[0]


MONOREPO = {
    "adr/0004-one-repository-per-service.md": """# 4. One repository per service

## Status

Accepted

## Decision

We will keep every deployable service in its own Git repository.
""",
    "adr/0018-monorepo-with-bazel.md": """---
status: rejected
date: 2024-12-02
---
# Adopt a monorepo with Bazel

## Context

Shared library upgrades take weeks across repositories (ADR 4 keeps one repository per service), and
Kafka schemas (ADR 12) change in many places.

## Decision Outcome

Rejected: the Bazel migration costs nine engineer-months. ADR 4 remains in force.
""",
}


def test_a_rejected_proposal_leads_with_the_decision_it_left_standing(
    settings: Settings, tmp_path: Path
) -> None:
    kb = write_files(write_minicorpus(tmp_path / "kb"), MONOREPO)
    ingest_paths(settings, [kb])
    answer = Advisor.open(settings).ask("is the bazel monorepo migration happening?")

    sources = [c.source for c in answer.citations]
    assert sources[:2] == ["adr/0018-monorepo-with-bazel.md", "adr/0004-one-repository-per-service.md"]
    assert "adr/0012-adopt-kafka.md" not in sources, answer.text
    first_line = answer.text.splitlines()[0]
    assert (
        "was rejected (2024-12-02)" in first_line and "ADR 4" in first_line and "stays in force" in first_line
    )
    assert "own Git repository. [2]" in answer.text


def test_only_decisions_named_as_standing_in_the_same_folder_count() -> None:
    rejected = Document(source="a/0018-x.md", title="X", text="", kind="adr", number=18, status="rejected")
    documents = {
        d.source: d
        for d in [
            rejected,
            Document(source="a/0004-y.md", title="Y", text="", kind="adr", number=4, status="accepted"),
            Document(source="a/0005-z.md", title="Z", text="", kind="adr", number=5, status="superseded"),
            Document(source="b/0006-w.md", title="W", text="", kind="adr", number=6, status="accepted"),
        ]
    }
    said = [
        "We keep ADR-0004 as it is.",  # named as standing: counts
        "ADR 5 remains in force.",  # superseded itself: cannot stand
        "ADR 6 stays.",  # another folder's ADR 6
        "See ADR 4 for the background.",  # named, not as standing
    ]
    assert [d.source for d in standing_for(rejected, said, documents)] == ["a/0004-y.md"]
    assert standing_for(rejected, said[3:], documents) == []


def test_citations_match_markers(advisor: Advisor) -> None:
    answer = advisor.ask("how long do we keep application logs?")
    assert sorted(cited_numbers(answer.text)) == [c.n for c in answer.citations]
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    assert "30 days" in answer.text


def test_off_topic_question_abstains(advisor: Advisor) -> None:
    answer = advisor.ask("what is on the cafeteria lunch menu on fridays?")
    assert answer.abstained
    assert answer.text.startswith("The indexed documents don't cover this.")


def test_restricted_documents_need_their_visibility(advisor: Advisor) -> None:
    question = "who do we page on a suspected breach of cardholder data?"
    public = advisor.ask(question, filters=Filters(visibilities=(PUBLIC,)))
    assert all(c.source != "standards/security-incident-playbook.md" for c in public.citations)
    allowed = advisor.ask(question, filters=Filters(visibilities=(PUBLIC, "restricted")))
    assert allowed.citations[0].source == "standards/security-incident-playbook.md"


def test_kind_and_prefix_filters(advisor: Advisor) -> None:
    hits = advisor.retrieve("session state", filters=Filters(kinds=("standard",)))
    assert hits and all(h.document.kind == "standard" for h in hits)
    hits = advisor.retrieve("events", filters=Filters(source_prefixes=("design/",)))
    assert all(h.source.startswith("design/") for h in hits)


def test_follow_up_is_resolved_against_the_conversation(advisor: Advisor) -> None:
    history = [Turn("user", "are we still on rabbitmq for domain events?"), Turn("assistant", "No, Kafka.")]
    answer = advisor.ask("and why?", history=history)
    assert "adr/0012-adopt-kafka.md" in [c.source for c in answer.citations]
    standalone = advisor.ask("how long do we keep application logs?", history=history)
    assert standalone.citations[0].source == "standards/data-retention.md"


def test_a_chain_of_follow_ups_keeps_the_topic_the_first_question_set(advisor: Advisor) -> None:
    """ "what did it replace?" after "and why?" still carries "rabbitmq domain events": the topic is set by
    the latest question at least as specific as the one before it, not by the last one alone."""
    retriever = advisor.retriever
    vocabulary = advisor.vocabulary(retriever)

    def known(word: str) -> bool:
        return vocabulary.contains(word, lambda _: True)

    opening = "are we still on rabbitmq for domain events?"
    history = [Turn("user", opening), Turn("assistant", "No, Kafka."), Turn("user", "and why?")]
    chained = context_of("who agreed to that?", history, retriever.documents, retriever.lexical, known)
    assert {"rabbitmq", "domain", "events"} <= set(chained.terms)
    fresh_topic = [*history, Turn("assistant", "…"), Turn("user", "how long do we keep application logs?")]
    moved_on = context_of("and audit logs?", fresh_topic, retriever.documents, retriever.lexical, known)
    assert "application" in moved_on.terms and "rabbitmq" not in moved_on.terms


def test_empty_index_says_how_to_fix_it(settings: Settings) -> None:
    with pytest.raises(NotIndexedError, match="archbot ingest"):
        Advisor.open(settings).ask("anything?")


def test_citation_validation_and_renumbering() -> None:
    assert validate_citations("Kafka [1] and [9].", {1}) == "Kafka [1] and."
    assert cited_numbers("a [2] b [1] c [2]") == [2, 1]
    assert renumber("a [2] b [1] c [2]", [2, 1]) == "a [1] b [2] c [1]"


def test_the_first_sentence_states_what_the_decision_in_force_decided(advisor: Advisor) -> None:
    answer = advisor.ask("are we still on rabbitmq for domain events?")
    first_line = answer.text.splitlines()[0]
    assert "which decided:" in first_line and "kafka" in first_line.split("which decided:")[1].lower()


# Two organisations' ways of leaving a decision without a named successor: a deprecated ADR next to a
# guide that covers its subject, and a superseded record whose replacement was never added.
NO_NAMED_SUCCESSOR = {
    "frontend/adr/historic/use-percy-for-visual-regression-testing.md": """\
# Use Percy for visual regression testing

Status: Deprecated

## Decision

We will use Percy to add visual regression tests to the site.
""",
    "frontend/docs/testing.md": """# Testing

## Visual tests

We use Storybook and Chromatic to create visual regression tests on every pull request.
""",
    "platform/decisions/historic/multiple-sites.md": """# Multiple sites

## Status

Superseded by 007-multiple-sites-revisited.md

## Decision

We will allow teams to build their own websites under the sites directory.
""",
    "platform/decisions/006-single-site-only.md": """# 6. Single site only

## Status

Accepted

## Decision

We will remove the multiple sites functionality: the repository serves one site.
""",
}


@pytest.mark.parametrize(
    ("question", "inactive", "in_force"),
    [
        (
            "do we do visual regression testing with percy?",
            "frontend/adr/historic/use-percy-for-visual-regression-testing.md",
            "frontend/docs/testing.md",
        ),
        (
            "can my team build our own site under the sites directory?",
            "platform/decisions/historic/multiple-sites.md",
            "platform/decisions/006-single-site-only.md",
        ),
    ],
)
def test_an_inactive_decision_without_indexed_successor_points_at_what_is_in_force_on_its_subject(
    settings: Settings, tmp_path: Path, question: str, inactive: str, in_force: str
) -> None:
    ingest_paths(settings, [write_files(tmp_path / "kb", NO_NAMED_SUCCESSOR)])
    answer = Advisor.open(settings).ask(question)
    by_source = {c.source: c for c in answer.citations}
    assert by_source[inactive].status in ("deprecated", "superseded")
    assert in_force in by_source
    first_line = answer.text.splitlines()[0]
    assert "no decision replacing it is indexed" in first_line and "in force on" in first_line
    assert f"[{by_source[in_force].n}]" in first_line


def test_a_document_sharing_a_word_of_the_subject_is_not_in_force_on_it(
    settings: Settings, tmp_path: Path
) -> None:
    """ "integrations" is not "continuous integration", nor does a page mentioning a build server set
    the rules for base images of build servers."""
    files = {
        "payments/adr/0004-use-jenkins-for-ci.md": """# 4. Use Jenkins for continuous integration

## Status

Deprecated

## Decision

We will build and test every repository on the shared Jenkins controller.
""",
        "payments/adr/0024-sign-webhooks.md": """# 24. Sign merchant webhooks

## Status

Accepted

## Decision

We will sign every webhook with HMAC-SHA256. Merchants must update their integrations by June.
""",
        "handbook/standards/base-images.md": """---
status: withdrawn
---
# Base images for build servers

Build every image from the hardened Debian base image.
""",
        "handbook/manuals/onboarding.md": """# Onboarding new engineers

Ask for a build server account and a laptop on your first day.
""",
    }
    ingest_paths(settings, [write_files(tmp_path / "kb", files)])
    advisor = Advisor.open(settings)
    for question, unrelated in (
        ("what replaced jenkins for continuous integration?", "payments/adr/0024-sign-webhooks.md"),
        ("which base image for our build servers?", "handbook/manuals/onboarding.md"),
    ):
        answer = advisor.ask(question)
        assert "in force on" not in answer.text.splitlines()[0], answer.text
        assert unrelated not in {c.source for c in answer.citations}, answer.text


def test_a_sentence_saying_where_a_document_moved_is_quoted(settings: Settings, tmp_path: Path) -> None:
    files = {
        "text/0100-style-guide.md": "# Style guide\n\n## Guide\n\nThis RFC defines the code style. The "
        "formatting rules are specified below.\n\nThe style guide has now been moved to the compiler "
        "repository; amendments go through the review process there.\n",
        "ops/runbooks.md": "# Runbooks\n\nRunbooks describe how we operate services. They formerly lived in "
        "the wiki and now live in the ops repository.\n",
    }
    ingest_paths(settings, [write_files(tmp_path / "kb", files)])
    advisor = Advisor.open(settings)
    assert "moved to the compiler repository" in advisor.ask("do I change the style guide in this repo?").text
    assert "formerly lived in the wiki" in advisor.ask("where do we keep runbooks, the wiki?").text
