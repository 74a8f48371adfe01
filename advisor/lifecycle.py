"""Decision lifecycle: which decision is in force, and how to say what replaced what."""

from __future__ import annotations

import re
from collections.abc import Mapping

from kernel.types import INACTIVE_STATUSES, Document

_HISTORY = re.compile(
    r"\b(history|historic|originally|original|initially|used to|previous(ly)?|before|old|earlier|"
    r"why did we|superseded|replaced|what replaced|evolv\w*|changed?)\b",
    re.I,
)


def asks_about_history(question: str) -> bool:
    """History questions keep superseded decisions in front; others want what is in force now."""
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


def label(doc: Document) -> str:
    """How a person names a document: "ADR 12 (Adopt Kafka for event streaming)"."""
    if doc.kind == "adr" and doc.number is not None:
        return f"ADR {doc.number} ({doc.title})"
    return doc.title


def status_phrase(doc: Document) -> str:
    """ "accepted, 2024-03-05" — status and date as far as they are known."""
    parts = [p for p in (doc.status, doc.date) if p]
    return ", ".join(parts)
