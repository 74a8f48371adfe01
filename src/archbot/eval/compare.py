"""Two runs side by side: per-metric change with a paired bootstrap interval, and the items that got worse.

A difference in a mean over 40 questions is mostly noise unless it is consistent item by item; the
interval says which changes are real (it excludes 0) and which are not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

from archbot.eval.metrics import LOWER_IS_BETTER, TIMING, paired_bootstrap
from archbot.eval.results import EvalRun, ItemResult

EPSILON = 1e-9
Statistic = Callable[[np.ndarray], float]
# Aggregates computed from a per-item metric by something other than the mean.
_DERIVED: dict[str, tuple[str, Statistic]] = {
    "latency_p50_ms": ("latency_ms", lambda x: float(np.percentile(x, 50))),
    "latency_p95_ms": ("latency_ms", lambda x: float(np.percentile(x, 95))),
}


@dataclass(frozen=True)
class MetricChange:
    name: str
    a: float | None
    b: float | None
    delta: float | None
    ci_low: float | None
    ci_high: float | None
    paired: int
    verdict: str  # "better" | "worse" | "unchanged" (interval includes 0) | "n/a"


@dataclass(frozen=True)
class WorseItem:
    id: str
    question: str
    drops: dict[str, tuple[float, float]]

    @property
    def total_drop(self) -> float:
        return sum(a - b for a, b in self.drops.values())


@dataclass
class Comparison:
    run_a: str
    run_b: str
    metrics: list[MetricChange]
    worse: list[WorseItem]
    warnings: list[str] = field(default_factory=list)

    def regressions(self) -> list[MetricChange]:
        """Quality metrics that got worse beyond their interval. Timing is shown, never gated: two runs of
        the same code on one machine differ in latency by more than the interval of a small dataset."""
        return [c for c in self.metrics if c.verdict == "worse" and c.name not in TIMING]

    def to_json(self) -> dict:
        return {
            "run_a": self.run_a,
            "run_b": self.run_b,
            "metrics": {c.name: {k: v for k, v in asdict(c).items() if k != "name"} for c in self.metrics},
            "worse_items": [
                {"id": w.id, "question": w.question, "drops": {k: list(v) for k, v in w.drops.items()}}
                for w in self.worse
            ],
            "warnings": self.warnings,
        }


def _verdict(name: str, low: float, high: float) -> str:
    if low > EPSILON:
        return "worse" if name in LOWER_IS_BETTER else "better"
    if high < -EPSILON:
        return "better" if name in LOWER_IS_BETTER else "worse"
    return "unchanged"


def _pairs(
    a: dict[str, ItemResult], b: dict[str, ItemResult], metric: str
) -> tuple[list[float], list[float]]:
    xs, ys = [], []
    for item_id, item in a.items():
        other = b.get(item_id)
        if other is None:
            continue
        x, y = item.metrics.get(metric), other.metrics.get(metric)
        if x is not None and y is not None:
            xs.append(x)
            ys.append(y)
    return xs, ys


def metric_change(name: str, run_a: EvalRun, run_b: EvalRun, seed: int = 0) -> MetricChange:
    per_item, statistic = _DERIVED.get(name, (name, np.mean))
    items_a = {i.id: i for i in run_a.items}
    items_b = {i.id: i for i in run_b.items}
    xs, ys = _pairs(items_a, items_b, per_item)
    a, b = run_a.metrics.get(name), run_b.metrics.get(name)
    delta = round(b - a, 4) if a is not None and b is not None else None
    if not xs or delta is None:
        return MetricChange(name, a, b, delta, None, None, len(xs), "n/a")
    _, low, high = paired_bootstrap(xs, ys, statistic=statistic, seed=seed)
    return MetricChange(name, a, b, delta, round(low, 4), round(high, 4), len(xs), _verdict(name, low, high))


def worse_items(run_a: EvalRun, run_b: EvalRun) -> list[WorseItem]:
    """Items where any quality metric dropped, the biggest total drop first. Latency is left out:
    per-item timing noise would bury the answers that actually changed."""
    items_b = {i.id: i for i in run_b.items}
    found = []
    for item in run_a.items:
        other = items_b.get(item.id)
        if other is None:
            continue
        drops = {
            name: (x, y)
            for name, x in item.metrics.items()
            if name not in LOWER_IS_BETTER
            and x is not None
            and (y := other.metrics.get(name)) is not None
            and y < x - EPSILON
        }
        if drops:
            found.append(WorseItem(item.id, item.question, drops))
    return sorted(found, key=lambda w: (-w.total_drop, w.id))


def compare_runs(run_a: EvalRun, run_b: EvalRun) -> Comparison:
    names = list(dict.fromkeys([*run_a.metrics, *run_b.metrics]))
    warnings = []
    if run_a.dataset_hash != run_b.dataset_hash:
        warnings.append(
            f"The runs used different datasets ({run_a.dataset} {run_a.dataset_hash[:8]} vs "
            f"{run_b.dataset} {run_b.dataset_hash[:8]}); only items with the same id are paired."
        )
    only_a = {i.id for i in run_a.items} - {i.id for i in run_b.items}
    only_b = {i.id for i in run_b.items} - {i.id for i in run_a.items}
    if only_a or only_b:
        warnings.append(f"{len(only_a)} items only in {run_a.id}, {len(only_b)} only in {run_b.id}.")
    return Comparison(
        run_a=run_a.id,
        run_b=run_b.id,
        metrics=[metric_change(name, run_a, run_b) for name in names],
        worse=worse_items(run_a, run_b),
        warnings=warnings,
    )
