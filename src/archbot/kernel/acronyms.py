"""Abbreviations a corpus defines for itself: "an Auto Scaling Group (ASG)", "Open Policy Agent (OPA)".

Schwartz and Hearst's algorithm (2003, "A simple algorithm for identifying abbreviation definitions in
biomedical text"): a short form in parentheses, and the shortest run of the words just before it whose
letters spell it, right to left, its first letter starting a word. Documents define their own jargon
this way once and use the short form after; a question uses either. Learned at index time, a question's
short form also finds the documents that spell it out (`lexical.query_groups`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator

# "(ASG)", "(SLOs)", "(CI/CD)", "(PCI-DSS)": a letter first, two letters at least, ten characters at most.
_SHORT = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9&/-]{1,9}?)s?\s*\)")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_POSSESSIVE = re.compile(r"['’]s?$")
_LINE_BREAK = re.compile(r"[\n.;:!?]")


def definitions(text: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(short form, its long form's words), lower-case, for each definition in `text`."""
    for match in _SHORT.finditer(text):
        short = match.group(1)
        letters = [c.lower() for c in short if c.isalnum()]
        if not any(c.isupper() for c in short) or sum(c.isalpha() for c in letters) < 2:
            continue
        clause = _LINE_BREAK.split(text[max(0, match.start() - 300) : match.start()])[-1]
        words = [_POSSESSIVE.sub("", w).lower() for w in _WORD.findall(clause)]
        # Schwartz and Hearst's window: at most min(|A| + 5, 2|A|) words before the parenthesis.
        long_form = _spelled(letters, words[-min(len(letters) + 5, 2 * len(letters)) :])
        if long_form is not None and short.lower() not in long_form:
            yield short.lower(), long_form


def _spelled(letters: list[str], words: list[str]) -> tuple[str, ...] | None:
    """The shortest run of `words` ending at the last that spells `letters` right to left, the first
    letter starting a word and the last word holding one of them; None when no run does."""
    text = " ".join(words)
    at = len(text) - 1
    last_word_used = False
    for n in range(len(letters) - 1, -1, -1):
        while at >= 0 and (text[at] != letters[n] or (n == 0 and at > 0 and text[at - 1] != " ")):
            at -= 1
        if at < 0:
            return None
        last_word_used = last_word_used or " " not in text[at:]
        at -= 1
    long_form = tuple(text[at + 1 :].split())
    return long_form if len(long_form) >= 2 and last_word_used else None


def learn(texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each short form the texts define -> the long form they define it with most often."""
    seen: dict[str, Counter[tuple[str, ...]]] = {}
    for text in texts:
        if "(" not in text:
            continue
        for short, long_form in definitions(text):
            seen.setdefault(short, Counter())[long_form] += 1
    return {short: forms.most_common(1)[0][0] for short, forms in seen.items()}
