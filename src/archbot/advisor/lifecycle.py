"""Decision lifecycle: which decision is in force, and how to say what replaced what."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath

from archbot.advisor.text import adr_numbers
from archbot.kernel.types import INACTIVE_STATUSES, Document

_HISTORY = re.compile(
    r"\b(history|historic|originally|original|initially|used to|previous(ly)?|before|old|earlier|"
    r"why did we|evolv\w*|changed?)\b",
    re.I,
)


def asks_about_history(question: str) -> bool:
    """History questions keep superseded decisions in front; others want what is in force now.
    "What replaced X?" and "was X superseded?" ask about the decision in force, not X."""
    return bool(_HISTORY.search(question))


def is_inactive(doc: Document) -> bool:
    return (doc.status or "") in INACTIVE_STATUSES


def current_for(source: str, documents: Mapping[str, Document]) -> list[Document]:
    """The decisions in force at the end of every supersession chain starting at `source`.

    A -> B -> C yields [C]; a document nobody supersedes yields itself; cycles are cut.
    """
    result: list[Document] = []
    seen: set[str] = set()
    frontier = [source]
    while frontier:
        current = frontier.pop(0)
        if current in seen or current not in documents:
            continue
        seen.add(current)
        successors = [s for s in documents[current].superseded_by if s in documents and s not in seen]
        if successors:
            frontier.extend(successors)
        elif current != source:
            result.append(documents[current])
    return result


# "We keep one repository per service as decided in ADR 5", "ADR 5 remains in force".
_CLAUSE = re.compile(r"[;()]|,\s+(?:and|but)\s+")
_STANDS = re.compile(
    r"\b(keep|keeps|kept|remain|remains|stay|stays|continue|continues|in force|status quo)\b", re.I
)


def standing_for(
    doc: Document, sentences: Iterable[str], documents: Mapping[str, Document]
) -> list[Document]:
    """The decisions an inactive ADR that nothing replaced says stay in force, e.g. the status quo a
    rejected proposal leaves standing. Only ADRs of the same folder named in a clause that says they
    stand count ("... (ADR 4 keeps one repository per service), and Kafka schemas (ADR 12) change" names
    only ADR 4), and only when the number is unambiguous there. The clauses are read first: the pass
    over every document, which grows with the corpus, is only made for numbers they name."""
    clauses = (clause for sentence in sentences for clause in _CLAUSE.split(sentence))
    named = [number for clause in clauses if _STANDS.search(clause) for number in adr_numbers(clause)]
    if not named:
        return []
    wanted = set(named)
    folder = PurePosixPath(doc.source).parent
    siblings: dict[int, list[Document]] = {}
    for other in documents.values():
        if other.kind == "adr" and other.number in wanted and PurePosixPath(other.source).parent == folder:
            siblings.setdefault(other.number, []).append(other)
    found: dict[str, Document] = {}
    for number in named:
        candidates = siblings.get(number, [])
        if len(candidates) == 1 and candidates[0].source != doc.source and not is_inactive(candidates[0]):
            found.setdefault(candidates[0].source, candidates[0])
    return list(found.values())


def label(doc: Document) -> str:
    """How a person names a document: "ADR 12 (Adopt Kafka for event streaming)"."""
    if doc.kind == "adr" and doc.number is not None:
        return f"ADR {doc.number} ({doc.title})"
    return doc.title


def label_with_status(doc: Document) -> str:
    """ "ADR 12 (Adopt Kafka for event streaming; accepted, 2024-03-05)"."""
    phrase = status_phrase(doc)
    if not phrase:
        return label(doc)
    if doc.kind == "adr" and doc.number is not None:
        return f"ADR {doc.number} ({doc.title}; {phrase})"
    return f"{doc.title} ({phrase})"


# A written status shown beside the normalised one when it says more ("on hold", "pending",
# "withdrawn"); longer texts are sentences with links, which the normalised word sums up.
RAW_STATUS_WORDS = 3


def status_word(doc: Document) -> str | None:
    """The status as archbot reads it, with the author's own word when that differs:
    "on hold (proposed)", "withdrawn (rejected)", "accepted"."""
    if not doc.status:
        return None
    raw = " ".join((doc.status_raw or "").split()).strip(" .:").lower()
    says_more = raw and doc.status not in raw and len(raw.split()) <= RAW_STATUS_WORDS
    if says_more and raw.replace(" ", "").isalpha():
        return f"{raw} ({doc.status})"
    return doc.status


def status_phrase(doc: Document) -> str:
    """ "accepted, 2024-03-05" — status and date as far as they are known."""
    parts = [p for p in (status_word(doc), doc.date) if p]
    return ", ".join(parts)
