"""The retrieval benchmark's plain baselines and fusion, on the test mini corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from archbot.advisor.core import Advisor
from archbot.advisor.retrieval import Retriever
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.settings import Settings
from bench import retrieval_bench
from tests.minicorpus import write_minicorpus


@pytest.fixture
def retriever(settings: Settings, tmp_path: Path) -> Retriever:
    ingest_paths(settings, [write_minicorpus(tmp_path / "kb")])
    return Advisor.open(settings).retriever


def test_bench_scores_plain_baselines_and_archbot(retriever: Retriever) -> None:
    items = [
        {"question": "sticky sessions on the load balancer", "relevant": ["adr/0001-use-sticky-sessions.md"]},
        {"question": "RabbitMQ for domain events", "relevant": ["adr/0007-use-rabbitmq-for-events.md"]},
    ]
    results = retrieval_bench.run(retriever, {"mini": items})["mini"]
    assert set(results) == {
        "plain bm25s",
        "plain minilm",
        "plain rrf",
        "archbot bm25",
        "archbot dense",
        "archbot hybrid",
        *(f"archbot legs, convex {w}" for w in retrieval_bench.CONVEX_DENSE_WEIGHTS),
    }
    assert results["plain bm25s"]["recall@10"] == 1.0
    assert results["plain bm25s"]["mrr"] == 1.0
    assert all(0.0 <= m["ndcg@10"] <= 1.0 for m in results.values())


def test_plain_rrf_rewards_agreement() -> None:
    fused = retrieval_bench.rrf([["a", "b", "c"], ["b", "d", "a"]])
    assert fused[:2] == ["b", "a"]


def test_convex_fusion_weighs_each_leg_by_its_share_of_the_best() -> None:
    # "a" is far ahead in the lexical leg, "b" barely ahead in the dense one: by rank they tie,
    # by score "a" wins unless the dense leg weighs much more.
    dense = {"b": 0.50, "a": 0.45}
    lexical = {"a": 12.0, "b": 3.0}
    assert retrieval_bench.convex([(0.5, dense), (0.5, lexical)])[0] == "a"
    assert retrieval_bench.convex([(0.9, dense), (0.1, lexical)])[0] == "b"
    assert retrieval_bench.convex([(0.5, {}), (0.5, lexical)]) == ["a", "b"]
