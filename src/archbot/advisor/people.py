"""Answers to "who decided X?" and "who should I ask about X?": the people behind the decision the
question is about, cited. The cues are data (`prompts/people.yaml`); the people are the document's
deciders, else its Git authors (`Document.owners`)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

from archbot.advisor.context import Source
from archbot.advisor.lifecycle import label_with_status

MAX_NAMES = 4


@lru_cache(maxsize=1)
def _cues() -> dict[str, re.Pattern[str]]:
    data = yaml.safe_load((resources.files("archbot.prompts") / "people.yaml").read_text(encoding="utf-8"))
    return {kind: re.compile(rf"\b(?:{'|'.join(patterns)})\b", re.I) for kind, patterns in data.items()}


def asks_about_people(question: str) -> str | None:
    """ "decided" (who made the decision), "ask" (whom to ask), or None."""
    return next((kind for kind, cue in _cues().items() if cue.search(question)), None)


def _names(people: tuple[str, ...]) -> str:
    """ "A, B and C"; a deciders line's own full stop ("Deciders: A, B.") is not part of a name."""
    shown = [name.rstrip(".") for name in people[:MAX_NAMES]]
    if len(people) > MAX_NAMES:
        shown.append(f"{len(people) - MAX_NAMES} others")
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def people_lead(question: str, sources: list[Source], in_force: set[int]) -> str | None:
    """The sentence naming the people, for the decision in force when the lead one is not (or saying
    that the record names nobody); None when the question is not about people."""
    kind = asks_about_people(question)
    if kind is None or not sources:
        return None
    candidates = [s for s in sources if s.n in in_force] or sources[:1]
    source = next((s for s in candidates if s.document.owners), None)
    if source is None:
        unnamed = f"{label_with_status(candidates[0].document)} [{candidates[0].n}]"
        return f"{unnamed} names no deciders, and no Git history was ingested with it."
    doc = source.document
    names = _names(doc.owners)
    cited = f"{label_with_status(doc)} [{source.n}]"
    history = f" (Git history, last change {doc.updated})" if doc.updated else " (Git history)"
    if kind == "ask":
        did = f"they decided {cited}" if doc.deciders else f"they wrote {cited}{history}"
        return f"Ask {names}: {did}."
    if doc.deciders:
        return f"{cited} was decided by {names}."
    return f"{cited} names no deciders; it was written by {names}{history}."
