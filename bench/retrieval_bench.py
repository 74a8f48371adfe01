"""Retrieval quality against the libraries archbot wraps, in one run on the dev question sets.

The dev corpus is indexed once (real all-MiniLM-L6-v2) and every answerable question (non-empty
`relevant`) is scored at document level with recall@10, nDCG@10 and MRR for:
- plain bm25s: PyStemmer's English stemmer and bm25s's own tokenizer and stopwords over the chunks
  (title + text), a document ranked by its best chunk;
- plain MiniLM: the Chroma query, a document ranked by its best chunk;
- plain RRF of those two document rankings (k = 60);
- archbot's `Retriever.search` in each of its modes (bm25, dense, hybrid);
- the fusion archbot did not choose: a convex combination of its two legs' document scores, each
  divided by the leg's best (Bruch et al. 2023's alternative to RRF), at a few weights of the dense leg.
archbot's retriever should never score below its own baselines; this is how the project notices.
Run: PYTHONPATH=src .venv/bin/python -m bench.retrieval_bench
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

from archbot.advisor.core import Advisor
from archbot.advisor.retrieval import CANDIDATES, KIND_WEIGHT, MODES, Retriever
from archbot.eval.metrics import mean_defined, ndcg_at_k, recall_at_k, reciprocal_rank
from archbot.ingest.formats import Limits
from archbot.ingest.pipeline import Ingestor, IngestReport, collect
from archbot.kernel.config import Config
from archbot.kernel.embedder import make_embedder
from archbot.kernel.settings import Settings
from archbot.kernel.types import Filters
from bench.common import DEV_CORPUS, DEV_QUESTIONS, report, require_dev_corpus

DEV_QUESTIONS_2 = DEV_QUESTIONS.with_name("dev_questions_2.jsonl")
K = 10
DEPTH = 100  # chunks each plain leg returns before they are folded into documents
RRF_K = 60  # the constant of Cormack et al. 2009, as every plain RRF uses
CONVEX_DENSE_WEIGHTS = (0.3, 0.5, 0.7)  # the dense leg's share in the convex combinations scored
Ranker = Callable[[str], list[str]]


def answerable(path: Path) -> list[dict]:
    items = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [item for item in items if item.get("relevant")]


def best_per_document(chunk_ranking: Iterable[str], source_of: dict[str, str]) -> list[str]:
    """Documents in the order of their best chunk."""
    return list(dict.fromkeys(source_of[cid] for cid in chunk_ranking if cid in source_of))


def rrf(rankings: Iterable[list[str]], k: int = RRF_K) -> list[str]:
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, source in enumerate(ranking, start=1):
            scores[source] = scores.get(source, 0.0) + 1.0 / (k + rank)
    return sorted(scores, key=lambda s: (-scores[s], s))


class PlainBaselines:
    """The libraries as their documentation uses them, over the same chunks archbot indexed."""

    def __init__(self, retriever: Retriever) -> None:
        self.retriever = retriever
        chunks = retriever._store.chunks()
        self.ids = [c.id for c in chunks]
        self.source_of = {c.id: c.source for c in chunks}
        self.stemmer = Stemmer.Stemmer("english")
        texts = [f"{retriever.documents[c.source].title}\n{c.text}" for c in chunks]
        self.bm25 = bm25s.BM25()
        self.bm25.index(
            bm25s.tokenize(texts, stopwords="en", stemmer=self.stemmer, show_progress=False),
            show_progress=False,
        )

    def bm25s(self, query: str) -> list[str]:
        tokens = bm25s.tokenize(
            [query], stopwords="en", stemmer=self.stemmer, return_ids=False, show_progress=False
        )[0]
        scores = self.bm25.get_scores(tokens)
        top = [i for i in np.argsort(-scores)[:DEPTH] if scores[i] > 0]
        return best_per_document((self.ids[i] for i in top), self.source_of)

    def minilm(self, query: str, vector: np.ndarray | None = None) -> list[str]:
        if vector is None:
            vector = self.retriever._embedder.embed([query])[0]
        hits = self.retriever._index.query(vector, DEPTH)
        return best_per_document((h.id for h in hits), self.source_of)

    def rrf(self, query: str) -> list[str]:
        return rrf([self.bm25s(query), self.minilm(query)])


def convex(legs: Iterable[tuple[float, dict[str, float]]]) -> list[str]:
    """Documents by the weighted sum of their scores in each leg, each leg's divided by its best
    (a document a leg missed scores 0 there)."""
    scores: dict[str, float] = {}
    for weight, by_doc in legs:
        best = max(by_doc.values(), default=0.0)
        for source, value in by_doc.items():
            scores[source] = scores.get(source, 0.0) + (weight * value / best if best > 0 else 0.0)
    return sorted(scores, key=lambda s: (-scores[s], s))


class ConvexFusion:
    """archbot's two legs, as `Retriever.search` runs them (kind weights included), fused by a convex
    combination of their best-chunk scores instead of by rank."""

    def __init__(self, retriever: Retriever) -> None:
        self.retriever = retriever
        self._legs: dict[str, tuple[dict[str, float], dict[str, float]]] = {}

    def legs(self, query: str) -> tuple[dict[str, float], dict[str, float]]:
        if query not in self._legs:
            r = self.retriever
            mask = r._mask(Filters())
            dense = r.dense(r._embedder.embed([query])[0], mask)
            lexical = r.lexical.search(query, CANDIDATES, mask)
            chunks = r._fetched([cid for cid, _ in (*dense, *lexical)])
            per_leg = []
            for ranking in (dense, lexical):
                best: dict[str, float] = {}
                for cid, value in ranking:
                    source = chunks[cid].source if cid in chunks else None
                    if source in r.documents and source not in best:
                        best[source] = value * KIND_WEIGHT.get(r.documents[source].kind, 1.0)
                per_leg.append(best)
            self._legs[query] = (per_leg[0], per_leg[1])
        return self._legs[query]

    def ranker(self, dense_weight: float) -> Ranker:
        def rank(query: str) -> list[str]:
            dense, lexical = self.legs(query)
            return convex([(dense_weight, dense), (1 - dense_weight, lexical)])

        return rank


def score(ranker: Ranker, items: list[dict]) -> dict[str, float]:
    per_item = []
    for item in items:
        ranked = ranker(item["question"])
        relevant = item["relevant"]
        per_item.append(
            {
                "recall@10": recall_at_k(ranked, relevant, K),
                "ndcg@10": ndcg_at_k(ranked, dict.fromkeys(relevant, 1.0), K),
                "mrr": reciprocal_rank(ranked, relevant),
            }
        )
    return {name: round(mean_defined(p[name] for p in per_item) or 0.0, 4) for name in per_item[0]}


def rankers(retriever: Retriever) -> dict[str, Ranker]:
    plain = PlainBaselines(retriever)
    out: dict[str, Ranker] = {
        "plain bm25s": plain.bm25s,
        "plain minilm": plain.minilm,
        "plain rrf": plain.rrf,
    }
    for mode in MODES:
        out[f"archbot {mode}"] = lambda q, mode=mode: [h.source for h in retriever.search(q, k=K, mode=mode)]
    fusion = ConvexFusion(retriever)
    for weight in CONVEX_DENSE_WEIGHTS:
        out[f"archbot legs, convex {weight}"] = fusion.ranker(weight)
    return out


def run(retriever: Retriever, sets: dict[str, list[dict]]) -> dict[str, dict[str, dict[str, float]]]:
    """{question set: {system: metrics}}."""
    systems = rankers(retriever)
    return {name: {system: score(r, items) for system, r in systems.items()} for name, items in sets.items()}


def build(home: Path) -> Advisor:
    settings = Settings.from_env({"ARCHBOT_HOME": str(home)})
    report_ = IngestReport()
    files = collect([DEV_CORPUS], Config(), Limits.from_settings(settings), report_)
    Ingestor(settings, embedder=make_embedder("minilm", settings.model_cache_dir)).sync(files, report_)
    return Advisor.open(settings)


def main() -> None:
    require_dev_corpus()
    sets = {"dev": answerable(DEV_QUESTIONS), "dev_2": answerable(DEV_QUESTIONS_2)}
    with tempfile.TemporaryDirectory(prefix="archbot-bench-") as work:
        results = run(build(Path(work)).retriever, sets)
    rows = [
        (f"{name} ({len(sets[name])} q) {system}", "  ".join(f"{m} {v:.3f}" for m, v in metrics.items()))
        for name, by_system in results.items()
        for system, metrics in by_system.items()
    ]
    report("retrieval vs plain baselines (document level)", rows, "retrieval", results)


if __name__ == "__main__":
    main()
