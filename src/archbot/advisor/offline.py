"""The offline answerer: a short, cited answer assembled from the best sentences of the sources.

Deterministic and model-free (beyond the sentence vectors the ingest stored, and the embedder already
loaded for retrieval for any it did not). It leads with the decision in force and its status, then
the sentences that best answer the question, each with [n].
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from archbot.advisor.citations import cited_numbers
from archbot.advisor.context import Source, effective_date
from archbot.advisor.lifecycle import label, label_with_status, status_phrase, status_word
from archbot.advisor.options import options_lead
from archbot.advisor.people import people_lead
from archbot.advisor.question_kinds import asks
from archbot.kernel.lexical import LexicalIndex, tokenize
from archbot.kernel.lifecycle import says_where_it_stands
from archbot.kernel.sentence_vectors import SentenceVectors
from archbot.kernel.text import by_heading, quotable, shorten
from archbot.kernel.vocabulary import FIELD_SENTENCE, is_decision_heading, is_rationale_heading

MAX_SENTENCES = 4
PER_SOURCE = 2
SECONDARY_SHARE = 0.9  # a further source is cited only if its best sentence scores this close to the best
MAX_SOURCES = 3
# Sources an answer keeps for their sentences' scores, the lead included, the best retrieved first; a
# decision in force instead of an inactive lead is kept beside them. Chosen on dev_questions, where
# the worst retrieved of three such sources was relevant 0 times in 5, and checked on
# dev_questions_2 (0 in 5) and the conversations (0 in 7).
MAX_SCORED_SOURCES = 2
# When both retrieval legs rank the lead first, another scored source is kept only if both legs rank
# it above this too: beside such a lead, other sources were relevant 1 time in 10 (first turns of
# the three dev sets, 2026-12-04). Chosen on dev_questions (citation precision 0.767 -> 0.836; 2
# lost a relevant source, 5 kept more irrelevant ones), checked on dev_questions_2 (0.707 -> 0.744)
# and dev_conversations (0.532 -> 0.579), no relevant source lost on either. A follow-up's legs rank
# the question as asked, not the conversation's words (`Advisor._retrieve`).
CORROBORATED_RANK = 3
# An ADR's decision statement follows a lead sentence that is not one, if it scores this close to it.
DECISION_SHARE = 0.7
# Sentences that state a decision rather than describe an option or the context.
_DECIDED = re.compile(
    r"\b(we will|we'll|we decided|we have decided|chosen option|we (?:adopt|use|choose|chose)|"
    r"(?:is|are|was) (?:adopted|chosen|approved)|must(?! not)|should(?! not)|decision is)\b",
    re.I,
)
_URL = re.compile(r"<?\b(?:https?|ftp)://[^\s>]+>?")
_METADATA = re.compile(
    r"(tags|technical story|deciders|date|status|authors?|consulted|informed|keywords)\s*:", re.I
)
# A decision in force that replaced another must be quoted by what it decided, not by its options.
DECIDED_BONUS = {"current": 0.25}
# A sentence saying where the thing stands ("has now been moved to …", "is deprecated") answers
# "is this still how we do it?" whatever else the question asks.
LIFECYCLE_BONUS = 0.15
# "Why?" and "what changed?" are answered from a decision's context, problem statement or drivers:
# their sentences get the bonus a decision statement gets otherwise.
RATIONALE_BONUS = 0.15
MAX_CANDIDATES = 32  # sentences scored per question; 60 scored the same
CHUNKS_PER_SOURCE = 3


@dataclass(frozen=True)
class Candidate:
    source: Source
    text: str
    score: float
    decided: bool  # the sentence states a decision ("we will", "MUST", "chosen option")
    why: bool = False  # the question asks why, and the sentence is from a context or drivers section


def _candidates(
    question: str,
    qvec: np.ndarray,
    sources: list[Source],
    in_force: set[int],
    vectors: SentenceVectors,
    lexical: LexicalIndex,
    conversation: str | None = None,
    scope: frozenset[str] | None = None,
) -> list[Candidate]:
    pool: list[tuple[Source, str, str, float, bool]] = []
    quoted: set[str] = set()
    lead_inactive = sources[0].role == "inactive"
    rationale = asks("rationale", question)
    for source in sources:
        if source.role == "inactive" and not lead_inactive:
            continue  # the lifecycle sentence names it; quoting what it decided would mislead
        title = source.document.title
        for chunk in _quotable_chunks(source, rationale):
            quoted.add(chunk.id)
            # The bonuses read the chunk's sections (a "Context, Decision" chunk counts as a decision:
            # measured better than the heading a sentence sits under); "why?" reads the heading.
            if rationale:
                parts = [
                    (sentence, is_rationale_heading(heading))
                    for heading, part in by_heading(chunk.text, chunk.section)
                    for sentence in quotable(part)
                ]
            else:
                parts = [(sentence, False) for sentence in quotable(chunk.text)]
            for sentence, why in parts:
                if says_something(sentence, title):
                    overlap = lexical.weighted_overlap(question, sentence)
                    pool.append((source, sentence, chunk.section, overlap, why))
    if not pool:
        return []
    pool.sort(key=lambda p: (-p[3], p[0].n))
    # Whatever words they use, the decision in force instead of an inactive lead and the lead's own
    # decision statements are candidates.
    reserved = [p for n in sorted(in_force) for p in [q for q in pool if q[0].n == n][:PER_SOURCE]]
    reserved += [q for q in pool if q[0].n == sources[0].n and _DECIDED.search(q[1])][:PER_SOURCE]
    pool = [*pool[:MAX_CANDIDATES], *(p for p in reserved if p not in pool[:MAX_CANDIDATES])]
    out = []
    scored = vectors.vectors([text for _, text, _, _, _ in pool], quoted)
    for (source, text, section, overlap, why), vector in zip(pool, scored, strict=True):
        decided = bool(_DECIDED.search(text))
        if rationale:
            bonus = RATIONALE_BONUS if is_rationale_heading(section) else 0.0
        else:
            bonus = _bonus(source, section) + (DECIDED_BONUS.get(source.role, 0.0) if decided else 0.0)
        if says_where_it_stands(text):
            bonus += LIFECYCLE_BONUS
        if _beside_the_lead(source, sources, in_force) and (
            (conversation is not None and not lexical.weighted_overlap(conversation, text))
            or (scope is not None and sources[0].hit.source in scope and source.hit.source not in scope)
        ):
            # A follow-up's sentences are scored against the follow-up alone, and a short one ("and
            # the ones with personal data?") is about as close to every sentence: one sharing no word
            # with the conversation is from another subject. A question naming a repository is
            # answered from it: beside a lead from it, another repository's documents are not quoted.
            continue
        out.append(Candidate(source, text, float(vector @ qvec) + 0.3 * overlap + bonus, decided, why))
    return out


def _beside_the_lead(source: Source, sources: list[Source], in_force: set[int]) -> bool:
    """Neither the lead nor a decision in force instead of it."""
    return source.n != sources[0].n and source.n not in in_force


def says_something(sentence: str, title: str) -> bool:
    """Not the title restated (as the heading "9. use-sidekiq-and-redis" too), a question the document
    asks itself, a metadata line ("Tags: …") or an introduction whose list is missing ("GOV.UK
    will:") or a bare link: none of them answers anything."""
    return not (
        _bare(sentence) == _bare(title)
        or not _bare(_URL.sub(" ", sentence))
        or sentence.endswith(("?", ":"))
        or _METADATA.match(sentence)
        or FIELD_SENTENCE.match(sentence)
        or sentence.endswith(" because")
    )


def _bare(text: str) -> str:
    """Words only, without an ADR number in front: how a heading and a title are compared."""
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    while words and (words[0].isdigit() or words[0] == "adr"):
        words.pop(0)
    return " ".join(words)


def _quotable_chunks(source: Source, rationale: bool) -> tuple:
    """A decision now in force is quoted from its Decision section when it has one: its Context
    usually retells the decision it replaced, which is the opposite of the answer, unless the question
    asks why, where the context is the answer."""
    chunks = source.hit.chunks[:CHUNKS_PER_SOURCE]
    if source.role == "current" and not rationale:
        decided = [c for c in chunks if _is_decision(c.section)]
        return tuple(decided) or chunks
    return chunks


def _is_decision(section: str) -> bool:
    return is_decision_heading(section)


def _bonus(source: Source, section: str) -> float:
    """Prefer what was decided over its context, decisions in force over replaced ones, and records
    of decisions over proposals."""
    decision = _is_decision(section)
    bonus = {"current": 0.05, "inactive": -0.05}.get(source.role, 0.0)
    if decision:
        bonus += 0.15 if source.role == "current" else 0.05
    if source.document.kind == "design" and source.document.status == "proposed":
        bonus -= 0.1
    return bonus


def _pick(
    candidates: list[Candidate], in_force: set[int], scored_sources: int = MAX_SCORED_SOURCES
) -> list[Candidate]:
    """The lead source's best sentence first, then the best sentences overall: at most PER_SOURCE per
    source (the lead's second one whenever it states a decision, and an ADR's best decision statement
    when the first is not one), others only from sources whose
    sentences score near the best, and no further READMEs or notes
    ("other") beside the lead: they restate decisions rather than make them.

    When the lead is a decision no longer in force, the decision in force instead is always quoted
    with its best sentence. A question asking why gets the lead's best context sentence first. Of the
    other sources, only the best retrieved are kept (`scored_sources` with the lead), and beside a
    lead both retrieval legs ranked first, only those both ranked near the top (CORROBORATED_RANK)."""
    ranked = sorted(candidates, key=lambda c: (-c.score, c.source.n))
    if not ranked:
        return []
    lead = min(c.source.n for c in ranked)
    # "Why?" is answered first from the lead's context or drivers, when it has them.
    first = next((c for c in ranked if c.source.n == lead and c.why), None) or next(
        c for c in ranked if c.source.n == lead
    )
    # The floor is set by sentences that could be cited: a README's beside the lead cannot.
    citable = next(c for c in ranked if c.source.n in (lead, *in_force) or c.source.document.kind != "other")
    floor = max(citable.score, first.score) * SECONDARY_SHARE
    chosen: list[Candidate] = [first]
    if first.source.document.kind == "adr" and first.source.role != "inactive" and not first.decided:
        decided = [
            c
            for c in ranked
            if c.source.n == lead
            and not _overlaps(c.text, first.text)
            and c.decided
            and c.score >= first.score * DECISION_SHARE
        ]
        chosen.extend(decided[:1])
    per_source: dict[int, int] = {lead: len(chosen)}
    for cand in ranked:
        if len(chosen) == MAX_SENTENCES:
            break
        states_decision = cand.source.n == lead and cand.decided
        stands = cand.source.n in in_force and cand.source.n not in per_source
        if per_source.get(cand.source.n, 0) >= PER_SOURCE or (
            cand.score < floor and not states_decision and not stands
        ):
            continue
        if cand.source.n not in per_source and (
            len(per_source) >= MAX_SOURCES or (cand.source.document.kind == "other" and not stands)
        ):
            continue
        if any(_overlaps(cand.text, c.text) for c in chosen):
            continue  # a list item already quoted with its introduction, or the other way round
        per_source[cand.source.n] = per_source.get(cand.source.n, 0) + 1
        chosen.append(cand)
    sources = {c.source.n: c.source for c in chosen}
    kept = sorted(n for n in per_source if n not in in_force)[:scored_sources]
    if _first_in_every_leg(sources[lead]):
        kept = [n for n in kept if n == lead or _near_the_top_of_every_leg(sources[n])]
    return [c for c in chosen if c.source.n in kept or c.source.n in in_force]


def _first_in_every_leg(source: Source) -> bool:
    """Dense and BM25 retrieval both ranked it first: the lead is then relevant 18 times in 19."""
    ranks = source.hit.leg_ranks
    return len(ranks) >= 2 and all(rank == 0 for rank in ranks)


def _near_the_top_of_every_leg(source: Source) -> bool:
    ranks = source.hit.leg_ranks
    return bool(ranks) and all(rank is not None and rank < CORROBORATED_RANK for rank in ranks)


def _overlaps(a: str, b: str) -> bool:
    """One sentence contains the other, give or take its final punctuation."""
    a, b = a.rstrip(".;!"), b.rstrip(".;!")
    return a in b or b in a


def _in_force_instead(sources: list[Source]) -> set[int]:
    """The sources in force in place of an inactive lead: its successors, what it left standing, or
    what is in force on its subject."""
    lead = sources[0]
    if lead.role != "inactive":
        return {s.n for s in sources if s.hit.source in lead.newer}
    named = {*lead.replaced_by, *lead.standing, *lead.on_subject}
    return {s.n for s in sources if s.hit.source in named}


def decided(source: Source) -> str | None:
    """What a decision in force decided, from its frame: the statement an answer leads with."""
    frame = source.frame
    if frame is None or not frame.chosen or source.document.kind not in ("adr", "design"):
        return None
    return shorten(frame.chosen.rstrip(" .:;"), 300)


def _with_decision(source: Source) -> str:
    """ "ADR 19 (Use bash and Go; accepted, 2022-06-14) [1], which decided: we will use bash and Go"."""
    statement = decided(source)
    return f"{_with_status(source)}, which decided: {statement}" if statement else _with_status(source)


def _on_topic(
    question: str,
    candidates: list[Candidate],
    sources: list[Source],
    in_force: set[int],
    lexical: LexicalIndex,
) -> list[Candidate]:
    """When the lead is a decision no longer in force (a rejected proposal, or history asked for),
    the answer is about that decision: beside it and what stands instead, quote only sentences that
    name what the question is about (its two rarest words the lead contains). A sentence sharing
    only words like "migration" and "service" belongs to another decision."""
    if not in_force:
        return candidates
    lead = sources[0]
    lead_words = {w for chunk in lead.hit.chunks for w in tokenize(chunk.text)}
    asked = [w for w in dict.fromkeys(tokenize(question)) if w in lead_words]
    topic = set(sorted(asked, key=lexical.idf, reverse=True)[:2])
    return [
        c
        for c in candidates
        if c.source.n == lead.n or c.source.n in in_force or topic & set(tokenize(c.text))
    ]


def _with_status(source: Source) -> str:
    return f"{label_with_status(source.document)} [{source.n}]"


def _lifecycle_lead(sources: list[Source]) -> str | None:
    """ "ADR 7 (RabbitMQ) [2] was superseded by ADR 12 (Kafka; accepted, 2024-03-05) [1]." when it applies."""
    lead = sources[0]
    if lead.role == "inactive":
        by_source = {s.hit.source: s for s in sources}
        successors = [by_source[r] for r in lead.replaced_by if r in by_source]
        doc = lead.document
        if not successors and lead.successor_entries:
            return f"{label(doc)} [{lead.n}] was superseded by {_entries(lead)}."
        if not successors:
            when = f" ({doc.date})" if doc.date else ""
            standing = [by_source[r] for r in lead.standing if r in by_source]
            stays = (
                f"; {' and '.join(_with_status(s) for s in standing)} "
                f"{'stays' if len(standing) == 1 else 'stay'} in force"
                if standing
                else ""
            )
            status = status_word(doc)
            if doc.status == "rejected":
                return f"{label(doc)} [{lead.n}] was {status}{when}: it is not in force{stays}."
            if standing:
                return f"{label(doc)} [{lead.n}] is {status}{when}{stays}."
            unindexed = f"{label(doc)} [{lead.n}] is {status}{when}, and no decision replacing it is indexed"
            on_subject = [by_source[r] for r in lead.on_subject if r in by_source]
            if on_subject:
                subject = lead.frame.subject if lead.frame and lead.frame.subject else doc.title
                return f"{unindexed}; in force on {subject}: {_with_decision(on_subject[0])}."
            return f"{unindexed}."
        verb = (
            "was superseded by"
            if doc.status == "superseded"
            else f"is {status_word(doc)}; the decision in force is"
        )
        return f"{label(doc)} [{lead.n}] {verb} {' and '.join(_with_decision(s) for s in successors)}."
    replaced = [s for s in sources if s.role == "inactive" and lead.hit.source in s.replaced_by]
    newer = [s for s in sources if s.hit.source in lead.newer]
    if not replaced and newer:
        return _timeline(lead, newer[0])
    if not replaced:
        return None
    olds = " and ".join(f"{label(s.document)} [{s.n}]" for s in replaced)
    return f"{olds} {'was' if len(replaced) == 1 else 'were'} superseded by {_with_decision(lead)}."


def _timeline(lead: Source, newer: Source) -> str:
    """ "Newer on this: Operations README (2024-01-09) [2]; before it, ADR 24 (… ; 2023-11-02) [1]." """
    when = effective_date(newer.document)
    return (
        f"The newest document on this is {label(newer.document)} ({when}) [{newer.n}]; before it, "
        f"{_with_status(lead)}. Where they differ, the newer one is the later word; neither says it "
        "replaces the other."
    )


def _entries(source: Source) -> str:
    """ "446. Use GitHub Actions (accepted, 2021-06-15) in the same log [1], which decided: …"."""
    named = []
    for entry in source.successor_entries:
        phrase = ", ".join(p for p in (entry.status, entry.date) if p)
        said = f", which decided: {shorten(entry.chosen.rstrip(' .:;'), 300)}" if entry.chosen else ""
        named.append(f"{entry.title} ({phrase}) in the same log [{source.n}]{said}")
    return " and ".join(named)


def _intro(source: Source) -> str:
    doc = source.document
    if doc.kind == "adr":
        phrase = status_phrase(doc)
        return f"{label(doc)}{' — ' + phrase if phrase else ''}: "
    return f"{doc.title}: "


def compose(
    question: str,
    qvec: np.ndarray,
    sources: list[Source],
    vectors: SentenceVectors,
    lexical: LexicalIndex,
    *,
    scored_sources: int = MAX_SCORED_SOURCES,
    conversation: str | None = None,
    scope: frozenset[str] | None = None,
) -> tuple[str, list[int]]:
    """The answer text and the source numbers it cites, in order of first citation; at most
    `scored_sources` sources are kept for their sentences' scores (the decision in force beside an
    inactive lead is kept whatever they are). A follow-up passes the conversation's query (the
    sources were retrieved with it; `question` is the follow-up as asked), and a question naming
    repositories of the corpus their documents (`scope`)."""
    lead = _lifecycle_lead(sources)
    in_force = _in_force_instead(sources)
    candidates = _candidates(question, qvec, sources, in_force, vectors, lexical, conversation, scope)
    if lead:
        # What the lead sentence already quotes is not quoted again.
        candidates = [c for c in candidates if not _overlaps(c.text, lead) or len(c.text) < 12]
    chosen = _pick(_on_topic(question, candidates, sources, in_force, lexical), in_force, scored_sources)
    lines: list[str] = []
    if lead:
        lines.append(lead)
    if chosen:
        first, rest = chosen[0], chosen[1:]
        intro = "" if lead else _intro(first.source)
        lines.append(f"{intro}{shorten(first.text)} [{first.source.n}]")
        lines.extend(f"- {shorten(c.text)} [{c.source.n}]" for c in rest)
    text = "\n\n".join(lines[:2]) + ("\n" + "\n".join(lines[2:]) if len(lines) > 2 else "")
    for extra in (options_lead(question, sources), people_lead(question, sources, in_force)):
        if extra:
            text = f"{extra}\n\n{text}"
    if later := _later_note(sources):
        text = f"{text}\n\n{later}"
    return text, cited_numbers(text)


def _later_note(sources: list[Source]) -> str | None:
    """ "Note: ADR 30 (AMP Removal; accepted) [3] also decides AMP, later, and may replace ADR 11 …".
    The records do not say so, so it is mentioned, never asserted."""
    lead = sources[0] if sources else None
    if lead is None or lead.frame is None or not lead.frame.may_be_replaced_by:
        return None
    later = [s for s in sources if s.hit.source in lead.frame.may_be_replaced_by]
    if not later:
        return None
    subject = lead.frame.subject or lead.document.title
    named = " and ".join(_with_status(s) for s in later)
    verb = "decides" if len(later) == 1 else "decide"
    replaced = label(lead.document)
    return f"Note: {named} also {verb} {subject}, later, and may replace {replaced}; neither says so."


def abstention(sources: list[Source], min_similarity: float) -> str:
    """What to say when the documents do not answer: say so, and point at the closest ones, if any
    comes close at all (a lunch-menu question has no "closest ADR" worth reading)."""
    close = [s for s in sources if s.hit.similarity >= min_similarity][:3]
    if not close:
        return "The indexed documents don't cover this. None of them comes close to the question."
    lines = ["The indexed documents don't cover this.", "The closest documents I found:"]
    lines.extend(f"- {label(s.document)} [{s.n}]" for s in close)
    return "\n".join(lines)


def not_mentioned(names: list[str], body: str, weak: bool) -> str:
    """A question relying on names no document mentions: say so first, then what the documents do
    say about the rest of the question (`body`, cited), or that nothing comes close."""
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    lead = f"The documents don't mention {joined}."
    if weak:
        rest = body.replace("The indexed documents don't cover this.", "").strip()
        rest = rest.replace("None of them comes close to the question.", "Nothing else in them comes close.")
        return f"{lead}\n{rest}" if rest else lead
    return f"{lead} What they say about the rest of the question:\n\n{body}"
