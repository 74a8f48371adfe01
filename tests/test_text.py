"""What the offline answerer may say: quotable sentences, list introductions joined to their lists,
and abstentions that point only at documents that come close."""

from __future__ import annotations

from dataclasses import replace

from archbot.advisor.context import Source
from archbot.advisor.offline import MAX_SCORED_SOURCES, Candidate, _pick, abstention, says_something
from archbot.advisor.retrieval import Hit
from archbot.kernel.text import sentences
from archbot.kernel.types import Document

DECISION = """Following the decision to switch to Graviton, GOV.UK will:

- use the same CPU architecture across environments. Nothing else changes.
- save on compute costs across all clusters
- stay flexible
- keep x86 for legacy workloads

We measured a 20% saving in the first quarter.

Add the ADR number in front of the title (e.g., "# 2. Use X") so it is easy to refer to.
This decision supersedes ADR 7. All domain events MUST be published to Kafka.
"""


def test_an_introduction_is_joined_with_the_first_sentence_of_its_first_items() -> None:
    joined = sentences(DECISION, join_lists=True)
    assert joined[0] == (
        "Following the decision to switch to Graviton, GOV.UK will: use the same CPU architecture "
        "across environments; save on compute costs across all clusters; stay flexible."
    )
    assert "save on compute costs across all clusters" in joined, "the items are still sentences of their own"
    assert "We measured a 20% saving in the first quarter." in joined


def test_without_joining_the_introduction_stands_alone() -> None:
    assert sentences(DECISION)[0] == "Following the decision to switch to Graviton, GOV.UK will:"


def test_a_heading_number_does_not_end_a_sentence_but_an_adr_number_does() -> None:
    found = sentences(DECISION)
    assert 'Add the ADR number in front of the title (e.g., "# 2. Use X") so it is easy to refer to.' in found
    assert "This decision supersedes ADR 7." in found
    assert "All domain events MUST be published to Kafka." in found


def test_code_is_never_a_sentence_even_with_blank_lines_or_unclosed() -> None:
    text = (
        "Adding a method can break callers.\n\n```rust\n// Crate A\n    pub struct Foo;\n\n"
        "// Crate B, the one that breaks\n    trait Trait { fn foo(&self); }\n```\n\n"
        "Implementing any existing trait is a breaking change.\n\n~~~python\ndef unfinished_example():\n"
    )
    assert sentences(text) == [
        "Adding a method can break callers.",
        "Implementing any existing trait is a breaking change.",
    ]


def test_sentences_that_say_nothing_are_not_quoted() -> None:
    title = "Use kafka for events"
    assert says_something("We will publish every domain event to Kafka.", title)
    for empty in (
        "Use Kafka for events.",
        "9. use-kafka-for-events",
        "ADR-0009: Use Kafka for events",
        "Should we adopt Kafka for domain events?",
        "Following the decision, GOV.UK will:",
        'Chosen option: "Kafka", because',
        "Technical Story: <https://github.com/adr/madr/issues/9>",
        "Tags: platform, delivery, feature-flags",
        "🔗 <https://example.org/handbook/decisions/>",
        "https://example.org/adr/0009-use-kafka-for-events.html",
    ):
        assert not says_something(empty, title), empty


def test_a_sentence_with_a_link_still_says_what_it_says() -> None:
    assert says_something("Events are published as described in <https://example.org/events>.", "Events")


def _source(n: int, similarity: float, kind: str = "adr") -> Source:
    doc = Document(source=f"adr/{n:04d}-x.md", title=f"Decision {n}", text="", kind=kind, number=n)
    return Source(n, Hit(doc.source, doc, (), score=0.0, similarity=similarity), "supporting")


def test_an_abstention_lists_only_documents_that_come_close() -> None:
    text = abstention([_source(1, 0.30), _source(2, 0.10), _source(3, 0.26)], min_similarity=0.25)
    assert text.splitlines() == [
        "The indexed documents don't cover this.",
        "The closest documents I found:",
        "- ADR 1 (Decision 1) [1]",
        "- ADR 3 (Decision 3) [3]",
    ]
    far = abstention([_source(1, 0.12)], min_similarity=0.25)
    assert far.startswith("The indexed documents don't cover this.") and "[1]" not in far


def test_an_answer_keeps_only_the_best_retrieved_sources_its_sentences_scored_for() -> None:
    """Three sources whose sentences all score near the best: the worst retrieved one is dropped,
    whichever sentence scored highest; a decision in force instead of an inactive lead is kept."""
    one, two, three = _source(1, 0.5), _source(2, 0.5), _source(3, 0.5)
    candidates = [
        Candidate(three, "Third decision states the strongest sentence.", 0.95, True),
        Candidate(one, "The lead decision says this.", 0.9, True),
        Candidate(two, "The second decision says that.", 0.89, True),
    ]
    picked = {c.source.n for c in _pick(candidates, in_force=set())}
    assert len(picked) == MAX_SCORED_SOURCES and picked == {1, 2}
    assert {c.source.n for c in _pick(candidates, in_force={3})} == {1, 2, 3}


def _ranked(n: int, *ranks: int | None) -> Source:
    source = _source(n, 0.5)
    return replace(source, hit=replace(source.hit, leg_ranks=ranks))


def _picked(lead: Source, other: Source, in_force: frozenset[int] = frozenset()) -> set[int]:
    candidates = [
        Candidate(lead, "The lead decision says this.", 0.9, True),
        Candidate(other, "The second decision says that.", 0.89, True),
    ]
    return {c.source.n for c in _pick(candidates, in_force=set(in_force))}


def test_beside_a_lead_both_legs_rank_first_only_sources_both_rank_high_are_kept() -> None:
    """Dense and BM25 agreeing on the lead make it the answer; a second source one leg ranks low
    adds a citation, rarely a relevant one."""
    assert _picked(_ranked(1, 0, 0), _ranked(2, 1, 5)) == {1}
    assert _picked(_ranked(1, 0, 0), _ranked(2, 1, None)) == {1}  # BM25 did not find it
    assert _picked(_ranked(1, 0, 0), _ranked(2, 2, 1)) == {1, 2}  # both legs rank it high too
    assert _picked(_ranked(1, 0, 3), _ranked(2, 1, 5)) == {1, 2}  # the legs disagree on the lead
    assert _picked(_ranked(1, 0), _ranked(2, 1)) == {1, 2}  # one leg alone is no agreement
    assert _picked(_ranked(1, 0, 0), _ranked(2, 4, 9), in_force=frozenset({2})) == {1, 2}


def test_a_readme_that_cannot_be_cited_beside_the_lead_does_not_raise_the_floor() -> None:
    """A README's sentence scoring best is never quoted beside the lead (READMEs restate decisions);
    it must not set the bar that a decision record's sentence has to clear either."""
    lead, readme, record = _source(1, 0.5, "other"), _source(2, 0.5, "other"), _source(3, 0.5)
    candidates = [
        Candidate(readme, "The README restates every decision.", 0.95, False),
        Candidate(record, "The search is built on a full-text index.", 0.80, True),
        Candidate(lead, "Browse the records with the search bar.", 0.79, False),
    ]
    assert {c.source.n for c in _pick(candidates, in_force=set())} == {1, 3}
