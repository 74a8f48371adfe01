"""What a design doc commits to: the sentences a conflict can be pinned on.

Precision starts here. A sentence only counts when it states what the design will do, outside the
parts of a doc that talk about other options (alternatives, rejected, non-goals) or about the past
(background, context). Negated, hedged and question sentences are dropped, and names that follow
"instead of" or "replace" are cut out of the sentence before anything is matched against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archbot.advisor.review.doc import DesignDoc, Sentence
from archbot.advisor.text import adr_numbers

ELSEWHERE_SECTIONS = re.compile(
    r"alternative|option|rejected|non-goal|non goal|out of scope|background|context|history|"
    r"current state|today|prior art|problem|motivation|appendix|glossary|open question",
    re.I,
)
_COMMITMENT = re.compile(
    r"\b(we will|we'll|we are going to|we plan to|we propose|will|shall|going forward|is going to|"
    r"are going to)\b|"
    r"\b(use|uses|adopt|adopts|publish|publishes|store|stores|call|calls|consume|consumes|write|writes|"
    r"keep|keeps|retain|retains|expose|exposes|deploy|deploys|run|runs|send|sends|authenticate|"
    r"authenticates|cache|caches|emit|emits|serve|serves|build on|rely on|relies on|follow|follows)\b",
    re.I,
)
_NEGATED = re.compile(r"\b(not|never|no longer|without|none|neither|nor)\b|n't\b", re.I)
_HEDGED = re.compile(
    r"\b(could|might|would|maybe|perhaps|consider|considered|evaluate|if|unless|whether)\b", re.I
)
# Markers of the past; a bare "was" is not one ("... so Support can show when a notice was sent").
_PAST = re.compile(r"\b(today|currently|used to|previously|formerly|originally|historically)\b", re.I)
_CUT_START = re.compile(
    r"\b(instead of|rather than|in place of|away from|replac(?:e|es|ing)\b(?!\s+by)|"
    r"migrat\w*\s+(?:off|from)|mov\w*\s+(?:off|from)|retir\w*|decommission\w*|deprecat\w*|"
    r"(?:chose|choose|prefer\w*|picked|selected)\b.{0,40}?\bover)\b",
    re.I,
)
_CUT_END = re.compile(r"[,;:.()]|\b(with|by|to|onto|for|and)\b", re.I)


@dataclass(frozen=True)
class Proposal:
    line: int
    text: str  # the sentence as written, quoted in findings
    proposed: str  # the sentence with replaced or rejected names cut out
    section: str
    adr_numbers: tuple[int, ...]


def _cut_rejected(text: str) -> str:
    """Remove "instead of RabbitMQ" style spans so only what the doc adopts is left to match."""
    out, rest = [], text
    while match := _CUT_START.search(rest):
        out.append(rest[: match.start()])
        tail = rest[match.end() :]
        end = _CUT_END.search(tail)
        rest = tail[end.start() :] if end else ""
    out.append(rest)
    return " ".join("".join(out).split())


# Clauses of one sentence: "Traffic historically came via search, so we will build X" states X.
_CLAUSES = re.compile(r";\s+|,\s+(?=(?:so|but|and|which)\b)", re.I)


def _stated(clause: str) -> bool:
    return not (_NEGATED.search(clause) or _HEDGED.search(clause) or _PAST.search(clause))


def _statement_clauses(sentence: Sentence) -> str:
    """The clauses of a sentence that state something (not negated, hedged or about the past); empty
    for a question or when none does."""
    if sentence.text.rstrip().endswith("?"):
        return ""
    return " ".join(c for c in _CLAUSES.split(sentence.text) if c and _stated(c))


def extract_proposals(doc: DesignDoc, committed: bool = True) -> list[Proposal]:
    """Committed sentences outside alternatives/background sections, with rejected names cut out.

    With `committed=False`, every plain statement there ("Credentials are passed as environment
    variables"), for checks whose evidence is specific enough not to need a verb of commitment."""
    proposals = []
    for sentence in doc.sentences:
        path = " > ".join(doc.path(sentence.section))
        stated = _statement_clauses(sentence)
        if ELSEWHERE_SECTIONS.search(path) or not stated:
            continue
        if committed and not _COMMITMENT.search(stated):
            continue
        proposals.append(
            Proposal(sentence.line, sentence.text, _cut_rejected(stated), path, adr_numbers(stated))
        )
    return proposals


# Negations that deny the whole clause; "without" and a bare "no" only say what it goes without.
_DENIED = re.compile(r"\b(not|never|no longer|none|neither|nor)\b|n't\b", re.I)


def absence_statements(doc: DesignDoc) -> list[Proposal]:
    """Plain statements outside alternatives/background sections whose only negation says what the
    design goes without ("the reporting jobs call the API without a certificate")."""
    out = []
    for sentence in doc.sentences:
        path = " > ".join(doc.path(sentence.section))
        if ELSEWHERE_SECTIONS.search(path) or sentence.text.rstrip().endswith("?"):
            continue
        clauses = [
            c
            for c in _CLAUSES.split(sentence.text)
            if c and not (_DENIED.search(c) or _HEDGED.search(c) or _PAST.search(c))
        ]
        if any(_NEGATED.search(c) for c in clauses):
            stated = " ".join(clauses)
            out.append(Proposal(sentence.line, sentence.text, stated, path, adr_numbers(stated)))
    return out


def reference_sentences(doc: DesignDoc) -> list[Proposal]:
    """Sentences that cite ADRs as something the design builds on (a "Related decisions" list item).

    Only sections about links count, and only sentences that are not negated or about the past:
    "ADR 7 was superseded by ADR 12" is the author showing they know, not relying on ADR 7.
    """
    out = []
    for sentence in doc.sentences:
        path = " > ".join(doc.path(sentence.section))
        if not re.search(r"\b(adrs?|decisions|references|related|depends|dependencies|links)\b", path, re.I):
            continue
        numbers = adr_numbers(sentence.text)
        lowered = sentence.text.lower()
        if (
            not numbers
            or _NEGATED.search(lowered)
            or re.search(r"supersed|replac|deprecat|reject|histor", lowered)
        ):
            continue
        out.append(Proposal(sentence.line, sentence.text, sentence.text, path, numbers))
    return out
