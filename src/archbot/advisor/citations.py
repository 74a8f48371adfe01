"""Citation markers: finding them, checking them against the sources given, renumbering them."""

from __future__ import annotations

import re

MARKER = re.compile(r"\[(\d{1,3})\]")


def cited_numbers(text: str) -> list[int]:
    """Distinct `[n]` markers in order of first appearance."""
    seen: list[int] = []
    for match in MARKER.finditer(text):
        n = int(match.group(1))
        if n not in seen:
            seen.append(n)
    return seen


def validate_citations(text: str, valid: set[int]) -> str:
    """Remove every `[n]` that points to no source the model was given."""
    cleaned = MARKER.sub(lambda m: m.group(0) if int(m.group(1)) in valid else "", text)
    return re.sub(r"[ \t]+([.,;:])", r"\1", re.sub(r"[ \t]{2,}", " ", cleaned))


def renumber(text: str, order: list[int]) -> str:
    """Rewrite markers so the sources cited come out numbered 1..m in order of first appearance."""
    mapping = {old: new for new, old in enumerate(order, start=1)}
    return MARKER.sub(lambda m: f"[{mapping[int(m.group(1))]}]" if int(m.group(1)) in mapping else "", text)
