"""Vectors of the sentences an answer may quote: made by the ingest, looked up by the answerer.

Scoring a question's candidate sentences was most of a warm answer (ADR 17): each answer embedded up
to 32 of them. The ingest now embeds every quotable sentence of each new chunk (`kernel.text`, the
splitter the answerer uses) and stores the vectors in SQLite with the chunks. Each is stored with
a digest of the text embedded, so a sentence is only ever given its own text's vector, whatever a
later splitter makes of the chunk; what is not stored (an index built before, a newer splitter) is
embedded when it is asked for, as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import numpy as np

from archbot.kernel.embedder import Embedder
from archbot.kernel.store import SentenceRow, Store
from archbot.kernel.text import embedded, quotable
from archbot.kernel.types import Chunk

# Stored half precision: a million chunks' sentences were 16 GB of float32 (ADR 17). A stored block
# is read by its length, so float32 blocks written before stay readable.
STORED_DTYPE = np.float16


def stored_block(blob: bytes, sentences: int, dim: int) -> np.ndarray:
    """A stored block of sentence vectors, as float32."""
    dtype = np.float16 if len(blob) == sentences * dim * 2 else np.float32
    return np.frombuffer(blob, dtype=dtype).reshape(sentences, dim).astype(np.float32)


def digest(text: str) -> str:
    """A short content hash of an embedded text: what a stored vector is looked up by."""
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def embed_sentences(chunks: Sequence[Chunk], embedder: Embedder) -> list[SentenceRow]:
    """One row per chunk (a chunk without sentences too, so it is not embedded again), all of the
    chunks' sentences embedded in one call so the embedder batches them by length."""
    texts = [list(dict.fromkeys(embedded(s) for s in quotable(c.text))) for c in chunks]
    vectors = embedder.embed([t for per_chunk in texts for t in per_chunk])
    rows, start = [], 0
    for chunk, per_chunk in zip(chunks, texts, strict=True):
        block = np.ascontiguousarray(vectors[start : start + len(per_chunk)], dtype=STORED_DTYPE)
        rows.append(SentenceRow(chunk.id, embedder.name, tuple(map(digest, per_chunk)), block.tobytes()))
        start += len(per_chunk)
    return rows


class SentenceVectors:
    """The vectors the answerer scores candidate sentences with."""

    def __init__(self, store: Store, embedder: Embedder) -> None:
        self._store = store
        self._embedder = embedder

    def vectors(self, sentences: Sequence[str], chunk_ids: Iterable[str]) -> np.ndarray:
        """A vector for each of `sentences` (quotable sentences of the chunks `chunk_ids`): the one
        stored for its embedded text when the ingest stored it, else embedded now."""
        if not sentences:
            return np.zeros((0, self._embedder.dim), dtype=np.float32)
        texts = [embedded(s) for s in sentences]
        stored: dict[str, np.ndarray] = {}
        for row in self._store.sentence_rows(set(chunk_ids), self._embedder.name):
            block = stored_block(row.vectors, len(row.digests), self._embedder.dim)
            stored.update(zip(row.digests, block, strict=True))
        keys = [digest(t) for t in texts]
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in stored))
        if missing:
            stored.update(zip(map(digest, missing), self._embedder.embed(missing), strict=True))
        return np.stack([stored[k] for k in keys])
