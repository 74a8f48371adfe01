"""Quantities with units, and the bounds rules put on them: "critical JavaScript bundles below 120KB".

A bound is a sentence (or heading) of a standard or decision in force where a rule word ("will",
"must") and then an upper- or lower-bound word come before a quantity; it bounds what the words before
it name. A design doc's
sentence breaks it when it states a quantity of the same dimension beyond the bound and names what the
rule bounds (`bound_subject_words` content words in common). Units, number words and bound words are
data (`prompts/review_vocabulary.yaml`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from archbot.kernel.text import plain
from archbot.kernel.types import Chunk
from archbot.kernel.vocabulary import split_sentences, subject_stems


@dataclass(frozen=True)
class _Vocabulary:
    quantity: re.Pattern[str]
    units: tuple[tuple[re.Pattern[str], str, float], ...]
    number_words: dict[str, float]
    upper: re.Pattern[str]
    lower: re.Pattern[str]
    subject_words: int
    rule: re.Pattern[str]


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    data = yaml.safe_load(
        (resources.files("archbot.prompts") / "review_vocabulary.yaml").read_text(encoding="utf-8")
    )
    words = {str(k): float(v) for k, v in data["number_words"].items()}
    units = "|".join(data["units"])
    number = rf"\d+(?:[.,]\d+)?|{'|'.join(words)}"
    return _Vocabulary(
        quantity=re.compile(rf"(?<![\w.])(?P<number>{number})\s*-?\s*(?P<unit>{units})(?![\w])", re.I),
        units=tuple(
            (re.compile(rf"^(?:{pattern})$", re.I), str(dim), float(factor))
            for pattern, (dim, factor) in data["units"].items()
        ),
        number_words=words,
        upper=re.compile(rf"\b(?:{'|'.join(data['upper_bounds'])})\s*$", re.I),
        lower=re.compile(rf"\b(?:{'|'.join(data['lower_bounds'])})\s*$", re.I),
        subject_words=int(data["bound_subject_words"]),
        rule=re.compile(rf"\b(?:{'|'.join(data['rule_words'])})\b", re.I),
    )


@dataclass(frozen=True)
class Quantity:
    value: float  # in the dimension's base unit
    dimension: str
    start: int
    text: str


def quantities(text: str) -> Iterator[Quantity]:
    vocabulary = _vocabulary()
    for match in vocabulary.quantity.finditer(text):
        number = match.group("number").lower()
        value = vocabulary.number_words.get(number) or float(number.replace(",", "."))
        unit = match.group("unit")
        for pattern, dimension, factor in vocabulary.units:
            if pattern.match(unit):
                yield Quantity(value * factor, dimension, match.start(), match.group(0))
                break


_HEADING_OR_ITEM = re.compile(r"^\s*(?:#{1,6}|={1,6}|[-*+]|\d+[.)])\s+")


@dataclass(frozen=True)
class Bound:
    upper: bool
    quantity: Quantity
    subject: frozenset[str]
    sentence: str


def bounds_in(chunks: Iterable[Chunk]) -> list[Bound]:
    """Every bound a document's sentences and headings state."""
    vocabulary = _vocabulary()
    found = []
    for chunk in chunks:
        for line in chunk.text.split("\n"):
            for sentence in split_sentences(plain(_HEADING_OR_ITEM.sub("", line).strip())):
                for quantity in quantities(sentence):
                    before = sentence[: quantity.start]
                    word = vocabulary.upper.search(before) or vocabulary.lower.search(before)
                    if word is None or not vocabulary.rule.search(before[: word.start()]):
                        continue
                    upper = vocabulary.upper.search(before) is not None
                    subject = subject_stems(before[: word.start()])
                    if len(subject) >= vocabulary.subject_words:
                        found.append(Bound(upper, quantity, subject, sentence))
    return found


def breach(sentence: str, bounds: Iterable[Bound]) -> tuple[Bound, Quantity] | None:
    """The first bound the sentence's quantities break, for what the bound is about."""
    stated = list(quantities(sentence))
    if not stated:
        return None
    said = subject_stems(sentence)
    for bound in bounds:
        if len(bound.subject & said) < _vocabulary().subject_words:
            continue
        for quantity in stated:
            if quantity.dimension != bound.quantity.dimension:
                continue
            over = (
                quantity.value > bound.quantity.value
                if bound.upper
                else quantity.value < bound.quantity.value
            )
            if over:
                return bound, quantity
    return None
