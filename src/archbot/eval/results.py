"""What an evaluation run produces: per-item results and their aggregates, as stored and printed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from archbot.eval.metrics import mean_defined, percentile

EXCERPT_CHARS = 600


@dataclass
class ItemResult:
    """One question's outcome. `metrics` values are None where a metric is undefined for the item."""

    id: str
    kind: str
    question: str
    gold: str | None
    relevant: list[str]
    answer: str
    abstained: bool
    cited: list[str]
    retrieved: list[str]
    citations: list[dict]
    metrics: dict[str, float | None]
    judge: dict | None = None
    turn: int | None = None  # a conversation's turn (1 = its first question); None for single items

    def to_json(self) -> dict:
        data = asdict(self)
        for optional in ("judge", "turn"):
            if data[optional] is None:
                data.pop(optional)
        return data

    @classmethod
    def from_json(cls, data: dict) -> ItemResult:
        return cls(**{name: data.get(name) for name in cls.__dataclass_fields__})


@dataclass
class EvalRun:
    id: str
    created_at: str
    dataset: str
    dataset_hash: str
    git_commit: str | None
    config: dict
    metrics: dict[str, float]
    items: list[ItemResult]
    judge: dict | None = field(default=None)

    def by_kind(self) -> dict[str, dict[str, float]]:
        groups: dict[str, list[ItemResult]] = {}
        for item in self.items:
            groups.setdefault(item.kind, []).append(item)
        return {kind: aggregate(items) for kind, items in sorted(groups.items())}

    def to_json(self) -> dict:
        data = {
            "run_id": self.id,
            "created_at": self.created_at,
            "dataset": self.dataset,
            "dataset_hash": self.dataset_hash,
            "git_commit": self.git_commit,
            "metrics": self.metrics,
            "by_kind": self.by_kind(),
            "items": [item.to_json() for item in self.items],
        }
        if self.judge is not None:
            data["judge"] = self.judge
        return data


def metric_names(items: Iterable[ItemResult]) -> list[str]:
    """Every per-item metric name, in the order items first report them."""
    names: dict[str, None] = {}
    for item in items:
        names.update(dict.fromkeys(item.metrics))
    return list(names)


def aggregate(items: list[ItemResult]) -> dict[str, float]:
    """Means over the items where each metric is defined; latency as p50/p95 rather than a mean,
    because one slow answer should show up as a tail, not as a slightly worse average. Citation
    precision is also pooled over all citations of answerable items (`citation_precision_all`)."""
    out: dict[str, float] = {}
    for name in metric_names(items):
        if name in ("latency_ms", "cited_count", "cited_relevant_count"):
            continue
        value = mean_defined(item.metrics.get(name) for item in items)
        if value is not None:
            out[name] = round(value, 4)
    cited = sum(item.metrics.get("cited_count") or 0.0 for item in items)
    if cited:
        relevant = sum(item.metrics.get("cited_relevant_count") or 0.0 for item in items)
        out["citation_precision_all"] = round(relevant / cited, 4)
    latencies = [m for item in items if (m := item.metrics.get("latency_ms")) is not None]
    if latencies:
        out["latency_p50_ms"] = round(percentile(latencies, 50) or 0.0, 1)
        out["latency_p95_ms"] = round(percentile(latencies, 95) or 0.0, 1)
    return out
