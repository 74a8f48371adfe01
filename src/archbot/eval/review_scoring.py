"""Scoring a review against a fixture's expected findings (`*.expected.yaml`).

Shared by the integration test and `bench/review_quality.py` so the figures reported are the ones
the test enforces. A conflict finding is right when it quotes the expected doc line and cites the
expected decision (or one of its `alt_cites`); a gap is right when its rubric item was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from archbot.advisor.review.rubric import RubricItem
from archbot.kernel.types import Finding, Review


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[`*“”\"']", "", text).lower().split())


@dataclass(frozen=True)
class Expected:
    doc: Path
    conflicts: tuple[dict, ...]
    gaps: frozenset[str]
    no_conflict_with: frozenset[str]

    @classmethod
    def load(cls, path: Path, repo: Path) -> Expected:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(
            doc=repo / data["doc"],
            conflicts=tuple(data.get("conflicts") or ()),
            gaps=frozenset(data.get("gaps") or ()),
            no_conflict_with=frozenset(data.get("no_conflict_with") or ()),
        )


@dataclass
class Score:
    conflicts_found: int = 0  # conflict findings reported
    conflicts_right: int = 0  # of those, matching an expected conflict
    conflicts_expected: int = 0
    conflicts_recalled: int = 0
    gaps_found: int = 0
    gaps_right: int = 0
    gaps_expected: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("conflicts_found", "conflicts_right", "conflicts_expected", "conflicts_recalled"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("gaps_found", "gaps_right", "gaps_expected"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.problems += other.problems

    @staticmethod
    def _ratio(num: int, den: int) -> float:
        return num / den if den else 1.0

    @property
    def conflict_precision(self) -> float:
        return self._ratio(self.conflicts_right, self.conflicts_found)

    @property
    def conflict_recall(self) -> float:
        return self._ratio(self.conflicts_recalled, self.conflicts_expected)

    @property
    def gap_precision(self) -> float:
        return self._ratio(self.gaps_right, self.gaps_found)

    @property
    def gap_recall(self) -> float:
        return self._ratio(self.gaps_right, self.gaps_expected)


def _matches(finding: Finding, expected: dict) -> bool:
    wanted = {expected["cites"], *(expected.get("alt_cites") or ())}
    cited = {c.source for c in finding.citations}
    return _norm(expected["quote"]) in _norm(finding.evidence or "") and bool(wanted & cited)


def gap_ids(review: Review, rubric: tuple[RubricItem, ...]) -> set[str]:
    """Rubric ids of the gap findings: a gap's message starts with its item's title."""
    return {
        item.id
        for f in review.findings
        if f.kind == "gap"
        for item in rubric
        if f.message.startswith(f"{item.title}:")
    }


def score(review: Review, expected: Expected, rubric: tuple[RubricItem, ...]) -> Score:
    name = expected.doc.name
    result = Score(conflicts_expected=len(expected.conflicts))
    conflicts = [f for f in review.findings if f.kind == "conflict"]
    result.conflicts_found = len(conflicts)
    for finding in conflicts:
        if any(_matches(finding, e) for e in expected.conflicts):
            result.conflicts_right += 1
        else:
            result.problems.append(f"{name}: unexpected conflict {finding.evidence!r}")
        for citation in finding.citations:
            if citation.source in expected.no_conflict_with:
                result.problems.append(
                    f"{name}: conflict cites {citation.source}, listed in no_conflict_with"
                )
    for e in expected.conflicts:
        if any(_matches(f, e) for f in conflicts):
            result.conflicts_recalled += 1
        else:
            result.problems.append(f"{name}: missed conflict {e['quote']!r} ({e['cites']})")
    found = gap_ids(review, rubric)
    result.gaps_found, result.gaps_expected = len(found), len(expected.gaps)
    result.gaps_right = len(found & expected.gaps)
    result.problems += [f"{name}: unexpected gap {g}" for g in sorted(found - expected.gaps)]
    result.problems += [f"{name}: missed gap {g}" for g in sorted(expected.gaps - found)]
    return result
