"""Rules with a checkable value: retention periods from a schedule table, and versioned API paths.

Both compare like with like. A retention period only counts against the schedule row whose data
class the doc's sentence names in full ("application logs", not just "logs"), and only when the doc
keeps the data longer than the longest period the row allows. A path only counts when a rule says
versions go in the path and the doc writes an HTTP method and a path without one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archbot.advisor.review.doc import parse_design_doc
from archbot.advisor.review.quantities import quantities
from archbot.advisor.review.terms import concern_stems
from archbot.kernel.types import Chunk

_KEEPS = re.compile(
    r"\b(retain\w*|retention|kept|keep|keeps|stored for|held for|archived for|deleted after)\b", re.I
)
SECONDS_PER_DAY = 86400
_VERSION_RULE = re.compile(r"\bversion", re.I)
_VERSION_WHERE = re.compile(r"\b(path|prefix|url)\b|/v1\b", re.I)
_REQUIRED = re.compile(r"\bMUST\b|\bnot allowed\b|\brequired\b", re.I)
# "we do not use URL versioning", "(see MUST not use URL versioning)": a rule against the version
# in the path, not for it.
_VERSION_FORBIDDEN = re.compile(r"\b(?:not|never)\W+(?:\w+\W+){0,2}(?:url|path)\W+version", re.I)
_ENDPOINT = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE)\s+`?(/[^\s`'\"),]*)")
_VERSIONED = re.compile(r"/v\d+(?:/|$)")
_PROBES = ("/health", "/ready", "/live", "/metrics")


@dataclass(frozen=True)
class RetentionLimit:
    data_class: str
    stems: frozenset[str]
    max_days: float
    row: str


def durations_in_days(text: str) -> list[float]:
    """Every duration the text states ("six months", "90 days"), in days."""
    return [q.value / SECONDS_PER_DAY for q in quantities(text) if q.dimension == "seconds"]


def retention_limits(chunks: list[Chunk]) -> list[RetentionLimit]:
    """Rows of a table with a "Retention" column: data class in the first cell, period in that column."""
    limits: list[RetentionLimit] = []
    for chunk in chunks:
        column = None
        for line in chunk.text.splitlines():
            if not line.lstrip().startswith("|"):
                column = None
                continue
            cells = [c.strip().strip("*") for c in line.strip().strip("|").split("|")]
            lowered = [c.lower() for c in cells]
            if "retention" in lowered:
                column = lowered.index("retention")
                continue
            if column is None or column >= len(cells) or set(cells[0]) <= set("-: "):
                continue
            days = durations_in_days(cells[column])
            if days:
                stems = frozenset(concern_stems(cells[0]))
                limits.append(RetentionLimit(cells[0], stems, max(days), " | ".join(cells)))
    return limits


def retention_breach(sentence: str, limits: list[RetentionLimit]) -> RetentionLimit | None:
    """The schedule row this sentence keeps data longer than, if it names that row's data class."""
    if not _KEEPS.search(sentence):
        return None
    days = durations_in_days(sentence)
    if not days:
        return None
    stems = concern_stems(sentence)
    for limit in limits:
        if limit.stems and limit.stems <= stems and max(days) > limit.max_days:
            return limit
    return None


def version_rules(chunks: list[Chunk]) -> list[str]:
    """Sentences requiring the API version in the path ("MUST be served under a /v1/ prefix")."""
    rules = []
    for chunk in chunks:
        for sentence in parse_design_doc(chunk.text).sentences:
            text = sentence.text
            required = _REQUIRED.search(text) and not _VERSION_FORBIDDEN.search(text)
            if _VERSION_RULE.search(text) and _VERSION_WHERE.search(text) and required:
                rules.append(text)
    return rules


def unversioned_paths(sentence: str) -> list[str]:
    return [
        path
        for _, path in _ENDPOINT.findall(sentence)
        if not _VERSIONED.search(path) and not path.startswith(_PROBES)
    ]
