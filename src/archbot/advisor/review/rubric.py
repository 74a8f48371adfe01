"""The review rubric (prompts/review_rubric.yaml) and the deterministic check of a doc against it.

The check is deliberately simple and explainable: a heading that names the concern, how much is
written under it, and whether the concern's words appear at all. An author can see from the evidence
line why an item was judged thin or missing, and fix it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, cast

import yaml

from archbot.advisor.review.doc import DesignDoc
from archbot.kernel.errors import ConfigError
from archbot.kernel.prompts import load_prompt
from archbot.kernel.settings import Settings
from archbot.kernel.text import shorten
from archbot.kernel.types import SEVERITIES, Severity

RUBRIC_FILE = "review_rubric.yaml"
# A missing rubric area is at least a low-severity gap, never merely for reference.
RUBRIC_SEVERITIES = tuple(s for s in SEVERITIES if s != "info")
State = Literal["addressed", "thin", "missing"]


@dataclass(frozen=True)
class RubricItem:
    id: str
    title: str
    why: str
    headings: tuple[str, ...]
    cues: re.Pattern[str] | None
    severity: Severity
    min_words: int
    cue_sentences: int
    addressed_cue_sentences: int | None
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    item: RubricItem
    state: State
    evidence: str | None


def _phrases(words: list[str], pattern: str | None = None) -> re.Pattern[str] | None:
    parts = [r"\b" + re.escape(w.strip().lower()) + r"\b" for w in words if w.strip()]
    if pattern:
        parts.append(pattern)
    return re.compile("|".join(parts), re.I) if parts else None


def _item(raw: dict, defaults: dict) -> RubricItem:
    severity = str(raw.get("severity", "medium"))
    if severity not in RUBRIC_SEVERITIES:
        raise ConfigError(
            f"Rubric item {raw.get('id')!r} has severity {severity!r}.",
            f"Use one of: {', '.join(RUBRIC_SEVERITIES)}.",
        )
    addressed = raw.get("addressed_cue_sentences")
    return RubricItem(
        id=str(raw["id"]),
        title=str(raw["title"]),
        why=str(raw.get("why", "")),
        headings=tuple(str(h).lower() for h in raw.get("headings") or ()),
        cues=_phrases([str(c) for c in raw.get("cues") or ()], raw.get("cue_pattern")),
        severity=cast(Severity, severity),
        min_words=int(raw.get("min_words", defaults.get("min_words", 25))),
        cue_sentences=int(raw.get("cue_sentences", defaults.get("cue_sentences", 2))),
        addressed_cue_sentences=int(addressed) if addressed is not None else None,
        questions=tuple(str(q) for q in raw.get("questions") or ()),
    )


def load_rubric(settings: Settings) -> tuple[RubricItem, ...]:
    """The rubric teams edit; a broken file is a ConfigError naming the problem, not a traceback."""
    try:
        data = yaml.safe_load(load_prompt(settings, RUBRIC_FILE)) or {}
        defaults = data.get("defaults") or {}
        items = tuple(_item(raw, defaults) for raw in data["items"])
    except (yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError, re.error) as exc:
        raise ConfigError(
            f"The review rubric {RUBRIC_FILE} is invalid ({type(exc).__name__}: {exc}).",
            "Each item needs at least `id` and `title`; see the comments at the top of the shipped file.",
        ) from exc
    if not items:
        raise ConfigError(f"The review rubric {RUBRIC_FILE} has no items.", "Add at least one item.")
    return items


def _heading_matches(heading: str, item: RubricItem) -> bool:
    lowered = heading.lower()
    return any(re.search(r"\b" + re.escape(h) + r"\b", lowered) for h in item.headings)


def _section_evidence(doc: DesignDoc, index: int) -> str:
    section = doc.sections[index]
    first = next((s.text for s in doc.sentences if s.section in doc.subtree(index)), "")
    text = f"{section.heading} — {shorten(first, 160)}" if first else section.heading
    return f"{doc.where(section.line)}: {text}"


def assess_item(doc: DesignDoc, item: RubricItem) -> Assessment:
    matched = [
        i
        for i, s in enumerate(doc.sections)
        if s.heading and i != doc.title_index and _heading_matches(s.heading, item)
    ]
    if matched:
        best = max(matched, key=doc.words_under)
        state: State = "addressed" if doc.words_under(best) >= item.min_words else "thin"
        return Assessment(item, state, _section_evidence(doc, best))
    cue_hits = [s for s in doc.sentences if item.cues and item.cues.search(s.text)]
    if item.addressed_cue_sentences is not None and len(cue_hits) >= item.addressed_cue_sentences:
        return Assessment(
            item, "addressed", f"{doc.where(cue_hits[0].line)}: {shorten(cue_hits[0].text, 200)}"
        )
    if len(cue_hits) >= item.cue_sentences:
        return Assessment(item, "thin", f"{doc.where(cue_hits[0].line)}: {shorten(cue_hits[0].text, 200)}")
    return Assessment(item, "missing", None)


def assess(doc: DesignDoc, rubric: tuple[RubricItem, ...]) -> list[Assessment]:
    return [assess_item(doc, item) for item in rubric]
