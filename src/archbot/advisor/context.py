"""The numbered sources an answer is built from, with the decision lifecycle made explicit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from archbot.advisor.lifecycle import current_for, is_inactive, standing_for
from archbot.advisor.retrieval import Hit
from archbot.advisor.text import sentences
from archbot.kernel.lexical import tokenize
from archbot.kernel.types import Chunk, Document
from archbot.kernel.vocabulary import is_decision_heading


@dataclass(frozen=True)
class Source:
    """One numbered source: a retrieved (or lifecycle-added) document and its role in the answer."""

    n: int
    hit: Hit
    role: str  # "current" (in force, added or confirmed), "inactive" (superseded etc.), "supporting"
    replaced_by: tuple[str, ...] = ()
    # For an inactive decision nothing replaced: the decisions it says stay in force (a rejected
    # proposal's status quo).
    standing: tuple[str, ...] = ()

    @property
    def document(self) -> Document:
        return self.hit.document


def _hit_for(doc: Document, chunks: list[Chunk], query: str) -> Hit:
    """A document the lifecycle brought in: its decision-like chunks and those sharing query words first."""
    words = set(tokenize(query))

    def rank(chunk: Chunk) -> tuple[int, int]:
        overlap = len(words & set(tokenize(chunk.text)))
        return (-(overlap + 2 * is_decision_heading(chunk.section)), chunk.ord)

    return Hit(doc.source, doc, tuple(sorted(chunks, key=rank)[:4]), score=0.0)


def _with_decision(hit: Hit, chunks: list[Chunk]) -> Hit:
    """An ADR's answer is in its Decision section: make sure the best two chunks come with it."""
    if hit.document.kind != "adr":
        return hit
    have = {c.id for c in hit.chunks[:2]}
    decision = [c for c in chunks if is_decision_heading(c.section) and c.id not in have][:1]
    rest = [c for c in hit.chunks[2:] if c not in decision]
    return replace(hit, chunks=(*hit.chunks[:2], *decision, *rest))


def build_sources(
    query: str,
    hits: list[Hit],
    documents: Mapping[str, Document],
    chunks_of: Mapping[str, list[Chunk]],
    history: bool,
    limit: int,
) -> list[Source]:
    """Top hits, with each inactive decision paired with the decision now in force.

    Unless the question is about history, the current decision comes first and inactive ones are
    demoted behind it; they stay in the context so the answer can say what changed. An inactive
    decision nothing replaced (a rejected proposal) keeps its rank; when it leads, the decisions it
    says stay in force follow it.
    """
    ordered: list[Source] = []
    placed: set[str] = set()
    by_source = {h.source: h for h in hits}
    for hit in hits[:limit]:
        if hit.source in placed:
            continue
        placed.add(hit.source)
        if not is_inactive(hit.document):
            ordered.append(Source(0, hit, "supporting"))
            continue
        successors = current_for(hit.source, documents)
        leads = not ordered
        standing = _standing(hit, documents, chunks_of) if leads and not successors else []
        current = [
            Source(0, by_source.get(d.source) or _hit_for(d, chunks_of.get(d.source, []), query), "current")
            for d in [*successors, *standing]
            if d.source not in placed
        ]
        placed.update(d.source for d in [*successors, *standing])
        inactive = Source(
            0, hit, "inactive", tuple(d.source for d in successors), tuple(d.source for d in standing)
        )
        ordered.extend([inactive, *current] if history or standing else [*current, inactive])
    in_force = {r for s in ordered for r in s.replaced_by}
    ordered = [replace(s, role="current") if s.hit.source in in_force else s for s in ordered]
    if not history:
        ordered = _demote_inactive(ordered)
    return [
        replace(s, n=n, hit=_with_decision(s.hit, chunks_of.get(s.hit.source, [])))
        for n, s in enumerate(ordered, start=1)
    ]


def _standing(
    hit: Hit, documents: Mapping[str, Document], chunks_of: Mapping[str, list[Chunk]]
) -> list[Document]:
    text = (sentence for chunk in chunks_of.get(hit.source, []) for sentence in sentences(chunk.text))
    return standing_for(hit.document, text, documents)


def _demote_inactive(ordered: list[Source]) -> list[Source]:
    """The first decision in force leads, followed by what it replaced; other replaced ones go last.
    Rejected or deprecated decisions that nothing replaced keep their rank: they are the answer."""
    active = [s for s in ordered if s.role != "inactive" or not s.replaced_by]
    inactive = [s for s in ordered if s.role == "inactive" and s.replaced_by]
    if not active:
        return inactive
    lead = active[0]
    explained = [s for s in inactive if lead.hit.source in s.replaced_by]
    return [lead, *explained, *active[1:], *(s for s in inactive if s not in explained)]
