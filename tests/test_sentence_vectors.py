"""Sentence vectors made at ingest: the same as the embedder's at answer time, replaced with their
chunks, and not needed for an answer (an index built before them still answers, and the next ingest
fills them in)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from archbot.advisor.core import Advisor
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.embedder import Embedder, make_embedder
from archbot.kernel.index import VectorIndex
from archbot.kernel.sentence_vectors import digest, stored_block
from archbot.kernel.settings import Settings
from archbot.kernel.store import Store
from archbot.kernel.text import embedded, quotable
from tests.minicorpus import write_minicorpus

QUESTIONS = (
    "how do we store web sessions?",
    "how long are application logs kept?",
    "are we still on rabbitmq for events?",
    "what did we decide about sticky sessions?",
)


def stored(settings: Settings) -> dict[str, tuple[str, bytes]]:
    """Every stored row: chunk id → (digests, vectors)."""
    rows = Store(settings.db_path).db.execute("select chunk, digests, vectors from sentence_vectors")
    return {chunk: (digests, blob) for chunk, digests, blob in rows}


class Recording:
    """An embedder that remembers every text it was asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name, self.dim = inner.name, inner.dim
        self.evidence_floor, self.min_similarity = inner.evidence_floor, inner.min_similarity
        self.texts: list[str] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.texts.extend(texts)
        return self.inner.embed(texts)


def recording_advisor(settings: Settings) -> tuple[Advisor, Recording]:
    embedder = Recording(make_embedder(settings.embedder, settings.model_cache_dir))
    index = VectorIndex(settings, embedder.name, embedder.dim)
    return Advisor(settings, Store(settings.db_path), embedder, index), embedder


def test_vectors_stored_at_ingest_equal_the_embedders_at_answer_time(
    minilm_settings: Settings, tmp_path: Path
) -> None:
    ingest_paths(minilm_settings, [write_minicorpus(tmp_path / "kb")])
    store = Store(minilm_settings.db_path)
    embedder = make_embedder(minilm_settings.embedder, minilm_settings.model_cache_dir)
    rows = store.sentence_rows(store.chunk_ids(), embedder.name)
    assert {r.chunk for r in rows} == store.chunk_ids()
    chunks = {c.id: c for c in store.chunks()}
    compared = 0
    for row in rows:
        texts = list(dict.fromkeys(embedded(s) for s in quotable(chunks[row.chunk].text)))
        assert row.digests == tuple(digest(t) for t in texts)
        assert len(row.vectors) == len(texts) * embedder.dim * 2  # half precision
        vectors = stored_block(row.vectors, len(texts), embedder.dim)
        for text, vector in zip(texts, vectors, strict=True):
            assert float(vector @ embedder.embed([text])[0]) >= 0.9999
            compared += 1
    assert compared >= 20

    advisor, recording = recording_advisor(minilm_settings)
    answer = advisor.ask(QUESTIONS[0])
    assert not answer.abstained
    assert recording.texts == [QUESTIONS[0]]  # the question alone: every sentence was looked up


def test_an_index_without_stored_vectors_answers_the_same(settings: Settings, tmp_path: Path) -> None:
    kb = write_minicorpus(tmp_path / "kb")
    ingest_paths(settings, [kb])
    with_vectors = [Advisor.open(settings).ask(q).text for q in QUESTIONS]
    rows = stored(settings)

    Store(settings.db_path).db.execute("delete from sentence_vectors").connection.commit()
    advisor, recording = recording_advisor(settings)
    assert [advisor.ask(q).text for q in QUESTIONS] == with_vectors
    assert len(recording.texts) > len(QUESTIONS)  # the candidate sentences were embedded instead

    report = ingest_paths(settings, [kb])
    assert report.chunks_embedded == 0 and stored(settings) == rows


def test_reingesting_a_changed_file_replaces_its_sentence_vectors(settings: Settings, tmp_path: Path) -> None:
    kb = write_minicorpus(tmp_path / "kb")
    ingest_paths(settings, [kb])
    store = Store(settings.db_path)
    changed = "standards/data-retention.md"
    old_ids = {c.id for c in store.chunks() if c.source == changed}
    before = stored(settings)

    text = "# Data retention\n\nApplication logs are kept 90 days. Audit logs are kept seven years.\n"
    (kb / changed).write_text(text)
    ingest_paths(settings, [kb])
    after = stored(settings)
    new_chunks = [c for c in store.chunks() if c.source == changed]
    assert set(after) == store.chunk_ids()
    assert not old_ids & set(after)
    for chunk in new_chunks:
        texts = dict.fromkeys(embedded(s) for s in quotable(chunk.text))
        assert after[chunk.id][0] == " ".join(digest(t) for t in texts)
    assert "Audit logs are kept seven years." in quotable(new_chunks[0].text)
    new_ids = {c.id for c in new_chunks}
    assert {c: r for c, r in after.items() if c not in new_ids} == {
        c: r for c, r in before.items() if c not in old_ids
    }
    assert "90 days" in Advisor.open(settings).ask("how long are application logs kept?").text


def test_float32_blocks_stored_by_an_older_ingest_stay_readable() -> None:
    vectors = np.random.default_rng(3).normal(size=(3, 8)).astype(np.float32)
    assert np.array_equal(stored_block(vectors.tobytes(), 3, 8), vectors)
    half = stored_block(vectors.astype(np.float16).tobytes(), 3, 8)
    assert half.dtype == np.float32 and np.allclose(half, vectors, rtol=1e-3, atol=1e-3)
