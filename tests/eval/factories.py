"""Hand-made run results, for the parts of eval that do not need an index."""

from __future__ import annotations

from archbot.eval.results import EvalRun, ItemResult, aggregate


def make_item(item_id: str, kind: str = "status", score: float = 1.0, **changes: object) -> ItemResult:
    item = ItemResult(
        id=item_id,
        kind=kind,
        question=f"question {item_id}?",
        gold="Kafka replaced RabbitMQ.",
        relevant=["adr/0012-adopt-kafka.md"],
        answer="We moved from RabbitMQ to Kafka [1].",
        abstained=False,
        cited=["adr/0012-adopt-kafka.md"],
        retrieved=["adr/0012-adopt-kafka.md", "adr/0007-use-rabbitmq-for-events.md"],
        citations=[
            {
                "n": 1,
                "source": "adr/0012-adopt-kafka.md",
                "title": "Adopt Kafka for event streaming",
                "kind": "adr",
                "status": "accepted",
                "section": "Decision",
                "url": None,
                "score": 0.9,
                "date": "2024-03-05",
                "excerpt": "We will publish all domain events to Apache Kafka topics.",
            }
        ],
        metrics={"recall@10": score, "citation_recall": score, "groundedness": None, "latency_ms": 12.0},
    )
    for name, value in changes.items():
        setattr(item, name, value)
    return item


def make_run(run_id: str, items: list[ItemResult], created_at: str = "2025-01-01T00:00:00+00:00") -> EvalRun:
    return EvalRun(
        id=run_id,
        created_at=created_at,
        dataset="example.jsonl",
        dataset_hash="ab" * 32,
        git_commit="0123456789abcdef",
        config={"embedder": "hash", "top_k": 6, "chunk_chars": 1000, "llm": None},
        metrics=aggregate(items),
        items=items,
    )
