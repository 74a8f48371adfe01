"""The numbered sources an answer is built from, with the decision lifecycle made explicit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from archbot.advisor.lifecycle import current_for, is_inactive, standing_for
from archbot.advisor.retrieval import Hit
from archbot.kernel.lexical import tokenize
from archbot.kernel.text import sentences
from archbot.kernel.types import Chunk, DecisionFrame, Document
from archbot.kernel.vocabulary import is_decision_heading, names_subject, subject_stems


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
    # What the decision decided (its frame), when the index has one.
    frame: DecisionFrame | None = None
    # For an inactive decision nothing names a replacement for: documents in force on its subject.
    on_subject: tuple[str, ...] = ()
    # For a decision in force: newer documents of the same collection on the question's subject (a
    # later record, a how-to, an operations page), which may describe something else.
    newer: tuple[str, ...] = ()
    # For an entry of a decision log: the entries of the same log that replaced it.
    successor_entries: tuple[DecisionFrame, ...] = ()

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


def frame_for(hit: Hit, frames: Mapping[str, list[DecisionFrame]]) -> DecisionFrame | None:
    """The frame of the decision a hit is about: the log entry its best chunk belongs to, else the
    document's own frame."""
    found = frames.get(hit.source, [])
    section = set(hit.chunks[0].section.split(" > ")) if hit.chunks else set()
    entry = next((f for f in found if f.unit and f.unit in section), None)
    return entry or next((f for f in found if not f.unit), None)


def as_entry(hit: Hit, frame: DecisionFrame | None) -> Hit:
    """A hit on one entry of a decision log reads as that decision: its title, number, status, date."""
    if frame is None or not frame.unit:
        return hit
    doc = replace(
        hit.document,
        title=frame.title,
        number=frame.number,
        status=frame.status,
        status_raw=frame.status_raw,
        date=frame.date,
        supersedes=(),
        superseded_by=(),
    )
    return replace(hit, document=doc)


def build_sources(
    query: str,
    hits: list[Hit],
    documents: Mapping[str, Document],
    chunks_of: Mapping[str, list[Chunk]],
    history: bool,
    limit: int,
    frames: Mapping[str, list[DecisionFrame]] | None = None,
) -> list[Source]:
    """Top hits, with each inactive decision paired with the decision now in force.

    Unless the question is about history, the current decision comes first and inactive ones are
    demoted behind it; they stay in the context so the answer can say what changed. An inactive
    decision nothing replaced (a rejected proposal) keeps its rank; when it leads, the decisions it
    says stay in force follow it.
    """
    frames = frames or {}
    hits = [as_entry(h, frame_for(h, frames)) for h in hits]
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
        replace(
            s,
            n=n,
            hit=_with_decision(s.hit, chunks_of.get(s.hit.source, [])),
            frame=frame_for(s.hit, frames),
            successor_entries=_successor_entries(frame_for(s.hit, frames), frames),
        )
        for n, s in enumerate(ordered, start=1)
    ]


def _successor_entries(
    frame: DecisionFrame | None, frames: Mapping[str, list[DecisionFrame]]
) -> tuple[DecisionFrame, ...]:
    if frame is None or not frame.unit:
        return ()
    return tuple(f for f in frames.get(frame.source, []) if f.unit and f.unit in frame.superseded_by)


def with_later_decisions(
    sources: list[Source],
    documents: Mapping[str, Document],
    chunks_of: Mapping[str, list[Chunk]],
    frames: Mapping[str, list[DecisionFrame]],
    query: str,
) -> list[Source]:
    """A leading decision that a later one may replace without saying so (same subject, another
    choice; see ingest.frames) brings that later decision in, so the answer can mention it."""
    if not sources or sources[0].frame is None or not sources[0].frame.may_be_replaced_by:
        return sources
    placed = {s.hit.source for s in sources}
    later = [
        Source(0, _hit_for(documents[r], chunks_of.get(r, []), query), "supporting")
        for r in sources[0].frame.may_be_replaced_by
        if r in documents and r not in placed
    ]
    added = [*sources, *later]
    return _numbered(added, frames)


def _collection(source: str) -> str:
    """The top folder a document sits in: one repository or space of an organisation's documents.
    What replaced a decision is looked for there; another team's guide on a similar subject is not it."""
    return source.split("/", 1)[0] if "/" in source else ""


def with_in_force_on_subject(
    sources: list[Source], search: Callable[[str], list[Hit]], frames: Mapping[str, list[DecisionFrame]]
) -> list[Source]:
    """An inactive decision leads and nothing says what replaced it: look for what is in force on its
    subject ("feature flags", "end-to-end testing") and put the best such document next to
    it. It must sit in the same collection (top folder) and name the subject in its title or its best
    passages (`names_subject`: most of its words in a row); it is offered as the document in force
    on the subject, never as the decision's successor."""
    if not sources or sources[0].role != "inactive" or sources[0].replaced_by or sources[0].standing:
        return sources
    lead = sources[0]
    subject = lead.frame.subject if lead.frame and lead.frame.subject else lead.document.title
    if not subject_stems(subject):
        return sources
    placed = {s.hit.source: s for s in sources}
    collection = _collection(lead.hit.source)
    for hit in search(subject):
        hit = as_entry(hit, frame_for(hit, frames))
        if (
            hit.source == lead.hit.source
            or is_inactive(hit.document)
            or _collection(hit.source) != collection
        ):
            continue
        seen = [hit.document.title, *(t for c in hit.chunks[:2] for t in (c.section, c.text))]
        if not any(names_subject(subject, text) for text in seen):
            continue
        current = replace(placed.get(hit.source) or Source(0, hit, "current"), role="current")
        rest = [s for s in sources[1:] if s.hit.source != hit.source]
        return _numbered([replace(lead, on_subject=(hit.source,)), current, *rest], frames)
    return sources


# How far down the retrieved documents a newer one on the subject is looked for, and how much newer
# than the lead it must be. Chosen on the 2026-12-08 fresh batch's misses (the current document was
# in the top three in 8 of 9), not tuned on it; see bench/first_runs.md.
NEWER_RANK = 3
NEWER_DAYS = 30


def effective_date(doc: Document) -> str | None:
    """When a document last said what it says: its own date, else its last commit, else its first."""
    return doc.date or doc.updated or doc.created


def with_newer_on_subject(
    sources: list[Source], hits: list[Hit], frames: Mapping[str, list[DecisionFrame]]
) -> list[Source]:
    """A question about where something stands, led by a document in force: a newer document of
    the same collection among the best retrieved is put beside it, so the answer gives the timeline
    (the older says X, the newer, dated later, says Y) and never asserts a supersession the
    documents do not state."""
    if not sources or sources[0].role == "inactive":
        return sources
    lead = sources[0]
    since = effective_date(lead.document)
    if since is None:
        return sources
    placed = {s.hit.source: s for s in sources}
    for hit in hits[:NEWER_RANK]:
        doc = hit.document
        date = effective_date(doc)
        if (
            hit.source == lead.hit.source
            or is_inactive(doc)
            or _collection(hit.source) != _collection(lead.hit.source)
            or date is None
            or _days_between(since, date) < NEWER_DAYS
        ):
            continue
        newer = placed.get(hit.source) or Source(0, as_entry(hit, frame_for(hit, frames)), "current")
        rest = [s for s in sources[1:] if s.hit.source != hit.source]
        return _numbered([replace(lead, newer=(hit.source,)), replace(newer, role="current"), *rest], frames)
    return sources


def _days_between(earlier: str, later: str) -> int:
    """Days from one ISO date (or month, `2021-03`) to another; 0 when either is not a date."""

    def day(text: str) -> dt.date:
        parts = [int(p) for p in text[:10].split("-")] + [1, 1]
        return dt.date(parts[0], parts[1], parts[2])

    try:
        return (day(later) - day(earlier)).days
    except ValueError:
        return 0


def _numbered(sources: list[Source], frames: Mapping[str, list[DecisionFrame]]) -> list[Source]:
    """Sources numbered 1..n in order, each with its frame."""
    return [replace(s, n=n, frame=s.frame or frame_for(s.hit, frames)) for n, s in enumerate(sources, 1)]


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
