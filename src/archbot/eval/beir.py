"""BEIR-format benchmarks: how archbot's retrieval is checked against published numbers.

A BEIR dataset folder holds `corpus.jsonl` (`_id`, `title`, `text`), `queries.jsonl` (`_id`, `text`)
and `qrels/<split>.tsv` (`query-id`, `corpus-id`, `score`, with a header row). The corpus is indexed
by the ordinary ingest pipeline into its own home and collection, so a benchmark never touches the
architecture index, and re-running on an unchanged corpus embeds nothing.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from archbot.eval.metrics import mean_defined, ndcg_at_k, recall_at_k, reciprocal_rank
from archbot.kernel.errors import InputError
from archbot.kernel.settings import Settings
from archbot.kernel.types import Document

if TYPE_CHECKING:
    from archbot.advisor.core import Advisor

MODES = ("dense", "bm25", "hybrid")
DEPTH = 100
Progress = Callable[[str], None]


@dataclass(frozen=True)
class BeirDataset:
    name: str
    documents: list[Document]
    queries: dict[str, str]
    qrels: dict[str, dict[str, float]]


def _jsonl(path: Path) -> Iterator[dict]:
    if not path.is_file():
        raise InputError(f"{path} is missing.", "A BEIR folder holds corpus.jsonl, queries.jsonl and qrels/.")
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path.name} line {number} is not valid JSON ({exc.msg}).") from exc


def _qrels(path: Path) -> dict[str, dict[str, float]]:
    if not path.is_file():
        raise InputError(f"{path} is missing.", "Pass --split to pick another qrels file.")
    qrels: dict[str, dict[str, float]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if len(row) < 3 or row[0] == "query-id":
                continue
            try:
                qrels.setdefault(row[0], {})[row[1]] = float(row[2])
            except ValueError as exc:
                raise InputError(f"{path.name}: bad relevance score in {row!r}.") from exc
    return qrels


def load_beir(folder: Path, split: str = "test") -> BeirDataset:
    documents = [
        Document(
            source=str(d["_id"]),
            title=d.get("title") or str(d["_id"]),
            kind="other",
            text=d.get("text") or "",
        )
        for d in _jsonl(folder / "corpus.jsonl")
    ]
    queries = {str(q["_id"]): q["text"] for q in _jsonl(folder / "queries.jsonl")}
    qrels = _qrels(folder / "qrels" / f"{split}.tsv")
    return BeirDataset(folder.resolve().name, documents, queries, qrels)


def beir_settings(settings: Settings, name: str) -> Settings:
    """A home and Chroma collection of the benchmark's own (collection names allow [a-z0-9._-] only)."""
    slug = re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-._") or "dataset"
    return settings.with_(
        home=settings.home / "beir" / slug,
        collection=f"beir-{slug}"[:63],
        model_cache=settings.model_cache_dir,  # the one export of the model, not one per dataset
    )


def index_corpus(settings: Settings, dataset: BeirDataset) -> dict:
    from archbot.ingest.pipeline import sync_documents

    items = [
        (doc, "text", hashlib.sha256(f"{doc.title}\0{doc.text}".encode()).hexdigest())
        for doc in dataset.documents
    ]
    return sync_documents(settings, items).to_json()


def score_ranking(ranked: list[str], gains: dict[str, float]) -> dict[str, float | None]:
    relevant = [doc for doc, gain in gains.items() if gain > 0]
    return {
        "ndcg@10": ndcg_at_k(ranked, gains, 10),
        "recall@10": recall_at_k(ranked, relevant, 10),
        "recall@100": recall_at_k(ranked, relevant, 100),
        "mrr@10": reciprocal_rank(ranked, relevant, 10),
    }


def evaluate_mode(advisor: Advisor, dataset: BeirDataset, mode: str) -> dict:
    """Mean metrics over the queries that have at least one relevant document in the qrels."""
    started = time.perf_counter()
    per_query: list[dict[str, float | None]] = []
    for query_id, gains in dataset.qrels.items():
        if query_id not in dataset.queries or not any(g > 0 for g in gains.values()):
            continue
        hits = advisor.retrieve(dataset.queries[query_id], k=DEPTH, mode=mode)
        per_query.append(score_ranking([h.source for h in hits], gains))
    if not per_query:
        raise InputError(
            "No query in the qrels has a relevant document in queries.jsonl.", "Check the split."
        )
    metrics = {name: round(mean_defined(q[name] for q in per_query) or 0.0, 4) for name in per_query[0]}
    return {"metrics": metrics, "queries": len(per_query), "seconds": round(time.perf_counter() - started, 2)}


def run_beir(
    settings: Settings,
    folder: Path,
    modes: tuple[str, ...] = MODES,
    split: str = "test",
    progress: Progress | None = None,
) -> dict:
    """Index the corpus (idempotently), then score each retrieval mode on every judged query."""
    from archbot.advisor.core import Advisor

    dataset = load_beir(folder, split)
    local = beir_settings(settings, dataset.name)
    if progress:
        progress(f"indexing {len(dataset.documents)} documents into {local.home}")
    ingest = index_corpus(local, dataset)
    advisor = Advisor.open(local)
    by_mode = {}
    for mode in modes:
        if progress:
            progress(f"scoring {mode} retrieval")
        by_mode[mode] = evaluate_mode(advisor, dataset, mode)
    headline = "hybrid" if "hybrid" in by_mode else modes[0]
    return {
        "dataset": dataset.name,
        "split": split,
        "documents": len(dataset.documents),
        "metrics": by_mode[headline]["metrics"],
        "mode": headline,
        "modes": by_mode,
        "ingest": {
            k: ingest[k] for k in ("added", "updated", "unchanged", "removed", "chunks_embedded", "seconds")
        },
    }
