"""Naming conventions: a rule that requires one style for property names ("property names MUST be
snake_case"), and the JSON examples of a design doc whose keys are written in another style.

Styles, the words that say what a rule names, and the words that make it a rule are data
(`prompts/review_vocabulary.yaml`). A key counts only when it is recognisably in another style
(`returnId` is camelCase); a one-word lower-case key fits every style and breaks none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from archbot.kernel.text import plain
from archbot.kernel.types import Chunk

_JSON_KEY = re.compile(r'"(?P<key>[A-Za-z_][\w-]*)"\s*:')
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class _Vocabulary:
    styles: dict[str, re.Pattern[str]]
    style_word: re.Pattern[str]
    target: re.Pattern[str]
    rule: re.Pattern[str]


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    data = yaml.safe_load(
        (resources.files("archbot.prompts") / "review_vocabulary.yaml").read_text(encoding="utf-8")
    )
    styles = {name: re.compile(pattern) for name, pattern in data["naming_styles"].items()}
    return _Vocabulary(
        styles=styles,
        style_word=re.compile(rf"(?<![\w-])({'|'.join(re.escape(s) for s in styles)})(?![\w-])", re.I),
        target=re.compile(rf"\b(?:{'|'.join(data['naming_targets'])})\b", re.I),
        rule=re.compile(rf"(?<!\w)(?:{'|'.join(data['naming_rule_words'])})(?!\w)"),
    )


@dataclass(frozen=True)
class NamingRule:
    style: str
    sentence: str


@dataclass(frozen=True)
class Breach:
    line: int  # 1-based, in the design doc
    text: str
    key: str
    style: str  # the style the key is written in


def naming_rules(chunks: Iterable[Chunk]) -> list[NamingRule]:
    """Sentences (or headings) requiring a style for property names."""
    vocabulary = _vocabulary()
    found = []
    for chunk in chunks:
        for line in chunk.text.splitlines():
            text = plain(line.lstrip("#=*- ").strip())
            style = vocabulary.style_word.search(text)
            if style and vocabulary.rule.search(text) and vocabulary.target.search(text[: style.start()]):
                name = next(s for s in vocabulary.styles if s.lower() == style.group(1).lower())
                found.append(NamingRule(name, text))
    return found


def json_keys(doc_text: str) -> list[tuple[int, str, str]]:
    """(line, line text, key) for every key of a JSON object inside the doc's code blocks."""
    out: list[tuple[int, str, str]] = []
    fenced = False
    for number, line in enumerate(doc_text.splitlines(), start=1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            out.extend((number, line.strip(), m.group("key")) for m in _JSON_KEY.finditer(line))
    return out


def breach(rule: NamingRule, keys: Iterable[tuple[int, str, str]]) -> Breach | None:
    """The first key written in another style than the rule requires."""
    styles = _vocabulary().styles
    for line, text, key in keys:
        if styles[rule.style].match(key):
            continue
        other = next((name for name, pattern in styles.items() if pattern.match(key)), None)
        if other is not None:
            return Breach(line, text, key, other)
    return None
