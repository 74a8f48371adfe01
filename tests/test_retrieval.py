"""Retrieval: BM25 terms, fusion of the two legs per document, and the benchmark's plain baselines."""

from __future__ import annotations

from pathlib import Path

import pytest

from archbot.advisor.core import Advisor
from archbot.advisor.retrieval import KIND_WEIGHT, RRF_K, Retriever
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.lexical import LexicalIndex, analyze, analyze_query, tokenize
from archbot.kernel.settings import Settings
from bench import retrieval_bench
from tests.minicorpus import write_minicorpus


def test_stemming_brings_word_forms_together() -> None:
    assert analyze("authentication")[0] == analyze("authenticate")[0] == analyze("Authenticating")[0]
    assert analyze("services") == analyze("service")


def test_tech_tokens_survive_and_stopwords_go() -> None:
    terms = analyze("The OAuth2 flow for the k8s cluster")
    assert "oauth2" in terms and "k8s" in terms
    assert "the" not in terms and "for" not in terms


def test_query_shorthand_is_expanded_and_stemmed_like_the_index() -> None:
    terms = analyze_query("k8s auth in prod")
    assert analyze("kubernetes")[0] in terms
    assert analyze("authentication")[0] in terms
    assert analyze("production")[0] in terms


def test_bm25_finds_another_form_of_the_word() -> None:
    index = LexicalIndex(["a", "b"], ["How services authenticate to each other", "Kafka topic naming"])
    assert [cid for cid, _ in index.search("service authentication", 5)] == ["a"]


def test_word_overlap_still_uses_surface_words() -> None:
    index = LexicalIndex(["a"], ["Kafka topics"])
    assert tokenize("Kafka topics, oauth2 and 10.13.0.0/16") == [
        "kafka",
        "topics",
        "oauth2",
        "10.13.0.0",
        "16",
    ]
    assert index.weighted_overlap("kafka topics", "we use kafka topics") == pytest.approx(1.0)
    assert index.weighted_overlap("kafka topics", "nothing relevant") == 0.0


@pytest.fixture
def retriever(settings: Settings, tmp_path: Path) -> Retriever:
    small = settings.with_(chunk_chars=120)  # several chunks per document
    ingest_paths(small, [write_minicorpus(tmp_path / "kb")])
    return Advisor.open(small).retriever


def _two_documents(retriever: Retriever) -> tuple[str, list[str], str]:
    """A document with at least three chunks and another document of the same kind weight."""
    long_doc = next(s for s, cs in retriever.chunks_by_source.items() if len(cs) >= 3)
    kind = retriever.documents[long_doc].kind
    other = next(
        s
        for s in retriever.chunks_by_source
        if s != long_doc and KIND_WEIGHT[retriever.documents[s].kind] == KIND_WEIGHT[kind]
    )
    return long_doc, [c.id for c in retriever.chunks_by_source[long_doc]], other


def test_many_middling_chunks_do_not_outrank_the_best_chunk(retriever: Retriever) -> None:
    long_doc, long_chunks, other = _two_documents(retriever)
    best = retriever.chunks_by_source[other][0].id
    ranked = [(best, 9.0), *((cid, 8.0 - i) for i, cid in enumerate(long_chunks))]
    hits = retriever._fuse([(1.0, ranked)], {}, k=10)
    assert [h.source for h in hits] == [other, long_doc]
    assert [c.id for c in hits[1].chunks] == long_chunks  # a document's chunks stay best first


def test_agreement_of_both_legs_beats_one_leg_alone(retriever: Retriever) -> None:
    long_doc, long_chunks, other = _two_documents(retriever)
    top_other = retriever.chunks_by_source[other][0].id
    third = next(s for s in retriever.chunks_by_source if s not in (long_doc, other))
    top_third = retriever.chunks_by_source[third][0].id
    dense = [(top_third, 0.9), (long_chunks[0], 0.8)]  # rank 2 in the dense leg
    lexical = [(top_other, 7.0), (long_chunks[1], 6.0)]  # rank 2 in the lexical leg
    hits = retriever._fuse([(1.0, dense), (1.0, lexical)], {}, k=10)
    assert hits[0].source == long_doc
    weight = KIND_WEIGHT[retriever.documents[long_doc].kind]
    assert hits[0].score == pytest.approx(weight * 2 / (RRF_K + 2))


def test_every_mode_ranks_the_document_that_says_it(retriever: Retriever) -> None:
    for mode in ("bm25", "dense", "hybrid"):
        hits = retriever.search("redis session cluster", k=3, mode=mode)
        assert hits and "redis" in hits[0].source, mode


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
    }
    assert results["plain bm25s"]["recall@10"] == 1.0
    assert results["plain bm25s"]["mrr"] == 1.0
    assert all(0.0 <= m["ndcg@10"] <= 1.0 for m in results.values())


def test_plain_rrf_rewards_agreement() -> None:
    fused = retrieval_bench.rrf([["a", "b", "c"], ["b", "d", "a"]])
    assert fused[:2] == ["b", "a"]
