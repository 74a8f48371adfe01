"""`--fail-under METRIC=VALUE` quality gates: what lets CI fail a build that made answers worse."""

from __future__ import annotations

from dataclasses import dataclass

from archbot.eval.metrics import LOWER_IS_BETTER
from archbot.eval.results import EvalRun

JUDGE_PREFIX = "judge."


@dataclass(frozen=True)
class Gate:
    metric: str
    threshold: float


@dataclass(frozen=True)
class GateResult:
    metric: str
    threshold: float
    value: float
    passed: bool

    def to_json(self) -> dict:
        return {
            "metric": self.metric,
            "threshold": self.threshold,
            "value": self.value,
            "passed": self.passed,
        }


class UnknownMetricError(ValueError):
    """A gate names a metric the run did not produce: a typo, or a dataset without such items."""


def parse_gate(text: str) -> Gate:
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise ValueError(f"{text!r} is not METRIC=VALUE (e.g. recall@10=0.8)")
    if name.strip() in LOWER_IS_BETTER:
        raise ValueError(f"{name.strip()} is lower-is-better; a minimum for it would gate the wrong way")
    try:
        return Gate(name.strip(), float(raw))
    except ValueError:
        raise ValueError(f"{raw!r} in {text!r} is not a number") from None


def available(run: EvalRun) -> dict[str, float]:
    """Every gateable value: the deterministic metrics, and the judge's as `judge.NAME` when it ran."""
    values = dict(run.metrics)
    for name, value in (run.judge or {}).items():
        if isinstance(value, float):
            values[JUDGE_PREFIX + name] = value
    return values


def check(run: EvalRun, gates: list[Gate]) -> list[GateResult]:
    """A gate passes when the value is at least the threshold. Unknown names are an error, not a pass:
    a gate that silently checks nothing is worse than none."""
    values = available(run)
    missing = [g.metric for g in gates if g.metric not in values]
    if missing:
        raise UnknownMetricError(
            f"No metric {', '.join(map(repr, missing))} in this run; it has: {', '.join(values)}."
        )
    return [
        GateResult(g.metric, g.threshold, values[g.metric], values[g.metric] >= g.threshold) for g in gates
    ]
