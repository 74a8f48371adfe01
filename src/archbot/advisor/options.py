"""Answers to "what else did they consider?": the options a decision set aside, from its frame.

The decision is the one whose choice the question names ("when they first picked gatekeeper"), else
the first source whose frame lists options. The cues are data (`prompts/question_kinds.yaml`).
"""

from __future__ import annotations

from archbot.advisor.context import Source
from archbot.advisor.lifecycle import label_with_status
from archbot.advisor.question_kinds import asks
from archbot.kernel.vocabulary import subject_stems

MAX_OPTIONS = 5


def asks_about_options(question: str) -> bool:
    return asks("options", question)


def about(question: str, sources: list[Source]) -> Source | None:
    """The source whose decision the question is about and which lists options it did not choose."""
    listing = [s for s in sources if s.frame is not None and s.frame.considered]
    asked = subject_stems(question)
    named = [s for s in listing if s.frame and subject_stems(s.frame.choice or s.frame.title) & asked]
    return next(iter(named or listing), None)


def options_lead(question: str, sources: list[Source]) -> str | None:
    """ "ADR 23 (Use OPA Gatekeeper; accepted, 2026-07-07) [1] chose OPA Gatekeeper; it also considered
    Kyverno." None when the question is not about options or no source lists any."""
    if not asks_about_options(question):
        return None
    source = about(question, sources)
    if source is None or source.frame is None:
        return None
    frame = source.frame
    shown = list(frame.considered[:MAX_OPTIONS])
    others = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
    chose = frame.choice or frame.chosen or frame.title
    return f"{label_with_status(source.document)} [{source.n}] chose {chose}; it also considered {others}."
