"""Shared vocabulary (`prompts/vocabulary.yaml`) and the text facts every layer reads the same way.

One definition each: the function words and claimless words, where a sentence ends, and which
headings hold a decision.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def _vocabulary() -> dict:
    return yaml.safe_load(
        (resources.files("archbot.prompts") / "vocabulary.yaml").read_text(encoding="utf-8")
    )


FUNCTION_WORDS: frozenset[str] = frozenset(_vocabulary()["function_words"].split())
# Function words and the other words that state nothing on their own (groundedness ignores both).
CLAIMLESS_WORDS: frozenset[str] = FUNCTION_WORDS | frozenset(_vocabulary()["claimless_words"].split())

# A sentence ends at . ! or ? before a capital, a digit, a quote, a bracket or markup, but not after a
# heading number ("# 2. Title").
SENTENCE_END = re.compile(r"(?<=[.!?])(?<!#\s\d\.)(?<!#\s\d\d\.)\s+(?=[A-Z0-9\"'(`*\[])")

# Where a page of a converted PDF begins: a Markdown comment (a link reference definition, which renders
# as nothing) on a line of its own, so page numbers travel with the text through every reader.
PAGE_MARK = re.compile(r"^\[//\]: # \(page (\d+)\)$")

_DECISION_HEADING = re.compile("|".join(_vocabulary()["decision_headings"]), re.I)
_NOT_DECISION_HEADING = re.compile("|".join(_vocabulary()["not_decision_headings"]), re.I)


def page_mark(number: int) -> str:
    """The line `PAGE_MARK` matches: converters write it at the top of each page."""
    return f"[//]: # (page {number})"


def split_sentences(text: str) -> list[str]:
    """Sentences of one paragraph of plain text, stripped; empty pieces dropped."""
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def is_decision_heading(heading: str) -> bool:
    """Whether a section with this heading states what was decided (not its drivers or context)."""
    return bool(_DECISION_HEADING.search(heading)) and not _NOT_DECISION_HEADING.search(heading)
