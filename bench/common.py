"""Shared helpers for the benchmarks: where the dev corpus is, timing, and printing a results table."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parent.parent
DEV_CORPUS = REPO.parent / "shared" / "corpora" / "dev"
DEV_QUESTIONS = REPO.parent / "shared" / "corpora" / "dev_questions.jsonl"
RESULTS = REPO / "bench" / "results"


def timed(func: Callable[[], object]) -> tuple[object, float]:
    started = time.perf_counter()
    value = func()
    return value, time.perf_counter() - started


def warm_latencies(advisor, questions: list[str]) -> tuple[list[float], list[float]]:
    """Milliseconds per answer once the advisor is loaded, and per bare dense Chroma query (the
    baseline) for the same questions, in the same process."""
    advisor.ask(questions[0])  # load the retriever once
    answers, dense = [], []
    for q in questions:
        _, seconds = timed(lambda q=q: advisor.ask(q))
        answers.append(seconds * 1000)
        vector = advisor.embedder.embed([q])[0]
        _, seconds = timed(lambda v=vector: advisor.index.query(v, 10))
        dense.append(seconds * 1000)
    return answers, dense


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def report(title: str, rows: list[tuple[str, str]], name: str, data: dict) -> None:
    table = Table(title=title, show_header=False)
    for key, value in rows:
        table.add_row(key, value)
    Console().print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2))


def require_dev_corpus() -> None:
    if not DEV_CORPUS.is_dir():
        raise SystemExit(f"The dev corpus is not at {DEV_CORPUS}; the benchmarks need ../shared/corpora.")
