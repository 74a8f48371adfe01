"""A real tiny index (the lead's minicorpus, hash embedder) and a dataset over it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.settings import Settings
from tests.minicorpus import write_minicorpus

ITEMS = [
    {
        "id": "events",
        "question": "are we still on rabbitmq for domain events?",
        "answer": "No. ADR 7 (RabbitMQ) was superseded by ADR 12: domain events go to Apache Kafka topics.",
        "relevant": ["adr/0012-adopt-kafka.md", "adr/0007-use-rabbitmq-for-events.md"],
        "kind": "status",
        "current": "adr/0012-adopt-kafka.md",
        "must_say": "kafka",
        "an_unknown_field": "is ignored",
    },
    {
        "id": "sessions",
        "question": "where do we keep web session state?",
        "answer": "In signed, encrypted JWT cookies, so servers hold no session state (ADR 3).",
        "relevant": ["adr/0003-signed-cookie-sessions.md"],
        "kind": "decision-lookup",
    },
    {
        "id": "logs",
        "question": "how long do we keep application logs?",
        "answer": "Application logs are kept for 30 days and then deleted.",
        "relevant": ["standards/data-retention.md"],
        "kind": "standard",
    },
    {"id": "menu", "question": "what is on the cafeteria lunch menu on fridays?", "relevant": []},
]


def write_dataset(path: Path, items: list[dict] = ITEMS) -> Path:
    path.write_text("\n".join(json.dumps(item) for item in items) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def indexed(settings: Settings, tmp_path: Path) -> Settings:
    ingest_paths(settings, [write_minicorpus(tmp_path / "kb")])
    return settings


@pytest.fixture
def dataset_path(tmp_path: Path) -> Path:
    return write_dataset(tmp_path / "questions.jsonl")
