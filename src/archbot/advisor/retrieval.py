"""Hybrid retrieval: dense (Chroma) and lexical (BM25) legs, each ranking documents by their best chunk,
fused by reciprocal rank of those document rankings (docs/adr/0002, figures from bench/retrieval_bench.py).

Only chunk ids listed in the SQLite manifest count: the manifest is the committed state of the index,
so vectors left behind by an interrupted ingest can never surface.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import numpy as np

from archbot.kernel.embedder import Embedder
from archbot.kernel.index import VectorIndex
from archbot.kernel.lexical import LexicalIndex
from archbot.kernel.store import Store
from archbot.kernel.types import Chunk, Document, Filters

log = logging.getLogger(__name__)
MODES = ("hybrid", "dense", "bm25")
# Reciprocal-rank fusion of the legs' document rankings: score = sum of weight / (RRF_K + rank).
# Measured with bench/retrieval_bench.py, chosen on dev_questions and checked on dev_questions_2:
# RRF_K 10/30/60 and DENSE_WEIGHT 0.7/1.0/1.5 move nDCG@10 by under 0.02, so the usual k = 60 and
# equal weights; fusing documents (best chunk per leg) beat fusing chunks, and a min-max normalised
# convex combination (alpha 0.3-0.7) scored below both.
RRF_K = 60
DENSE_WEIGHT = 1.0  # relative to BM25's 1.0 in the fusion
CANDIDATES = 80  # chunks each leg returns before they are folded into documents
# Decision records and standards are what people ask about; READMEs, indexes and notes ("other")
# mention everything and answer little, so they rank a few places lower at equal evidence. Measured:
# dropping the prior costs the hybrid 0.03-0.04 nDCG@10 on dev and 0.01 on dev_questions_2. (A bonus
# for further matching chunks of a document, once 0.1, lowered nDCG@10 in every mode on both sets.)
KIND_WEIGHT = {"adr": 1.0, "standard": 1.0, "design": 0.97, "other": 0.9}


@dataclass(frozen=True)
class Hit:
    """A retrieved document with its best chunks (best first)."""

    source: str
    document: Document
    chunks: tuple[Chunk, ...]
    score: float
    similarity: float = 0.0


def allowed(doc: Document, filters: Filters) -> bool:
    if filters.kinds and doc.kind not in filters.kinds:
        return False
    if filters.statuses and (doc.status or "") not in filters.statuses:
        return False
    if filters.source_prefixes and not doc.source.startswith(filters.source_prefixes):
        return False
    return not filters.visibilities or doc.visibility in filters.visibilities


def _fingerprint(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()[:400]


class Retriever:
    """Built once per manifest generation: documents, chunks and the BM25 index live in memory."""

    def __init__(self, store: Store, index: VectorIndex, embedder: Embedder) -> None:
        self.generation = store.generation
        self.documents = store.documents()
        chunks = store.chunks()
        self.chunks = {c.id: c for c in chunks}
        self.chunks_by_source: dict[str, list[Chunk]] = {}
        for chunk in chunks:
            self.chunks_by_source.setdefault(chunk.source, []).append(chunk)
        self._ids = [c.id for c in chunks]
        self._chunk_sources = [c.source for c in chunks]
        self._index = index
        self._embedder = embedder
        self.lexical = LexicalIndex(
            self._ids,
            # title + text, as BEIR indexes; adding the section path scored lower on both dev sets
            [f"{self.documents[c.source].title}\n{c.text}" for c in chunks],
        )

    def _mask(self, filters: Filters) -> np.ndarray:
        ok = {s for s, d in self.documents.items() if allowed(d, filters)}
        return np.fromiter((s in ok for s in self._chunk_sources), dtype=np.float32, count=len(self._ids))

    def dense(
        self, vector: np.ndarray, filters: Filters, mask: np.ndarray, n: int = CANDIDATES
    ) -> list[tuple[str, float]]:
        """Nearest chunks, filtered here against the manifest rather than with a Chroma `where`:
        after an interrupted write Chroma's filtered queries can fail ("Error finding id") while
        unfiltered ones still work, and the manifest is the truth about metadata anyway.
        If Chroma fails outright, retrieval degrades to BM25 instead of failing the question."""
        share = float(mask.mean()) if self._ids else 1.0
        try:
            hits = self._index.query(vector, int(n / max(share, 0.05)))
        except Exception:
            log.exception("dense retrieval failed; answering from the lexical index alone")
            return []
        return [
            (h.id, h.similarity)
            for h in hits
            if h.id in self.chunks and allowed(self.documents[self.chunks[h.id].source], filters)
        ]

    def search(
        self,
        query: str,
        filters: Filters = Filters(),
        k: int = 10,
        mode: str = "hybrid",
        vector: np.ndarray | None = None,
    ) -> list[Hit]:
        """Ranked documents: each leg ranks documents by their best chunk, and the rankings are fused
        by reciprocal rank, so a long document with many middling chunks cannot crowd out the others."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        legs: list[tuple[float, list[tuple[str, float]]]] = []
        similarity: dict[str, float] = {}
        mask = self._mask(filters)
        if mode in ("hybrid", "dense"):
            if vector is None:
                vector = self._embedder.embed([query])[0]
            dense = self.dense(vector, filters, mask)
            similarity = dict(dense)
            legs.append((DENSE_WEIGHT, dense))
        if mode in ("hybrid", "bm25"):
            legs.append((1.0, self.lexical.search(query, CANDIDATES, mask)))
        return self._fuse(legs, similarity, k)

    def _fuse(
        self, legs: list[tuple[float, list[tuple[str, float]]]], similarity: dict[str, float], k: int
    ) -> list[Hit]:
        doc_score: dict[str, float] = {}
        chunk_score: dict[str, float] = {}  # orders a document's chunks: the best evidence first
        for weight, ranked in legs:
            for rank, (cid, _) in enumerate(ranked, start=1):
                chunk_score[cid] = chunk_score.get(cid, 0.0) + weight / (RRF_K + rank)
            documents = dict.fromkeys(self.chunks[cid].source for cid, _ in ranked)
            for rank, source in enumerate(documents, start=1):
                doc_score[source] = doc_score.get(source, 0.0) + weight / (RRF_K + rank)
        by_doc: dict[str, list[str]] = {}
        for cid in sorted(chunk_score, key=lambda c: (-chunk_score[c], c)):
            by_doc.setdefault(self.chunks[cid].source, []).append(cid)
        hits: list[Hit] = []
        for source, score in doc_score.items():
            chunks = tuple(self.chunks[cid] for cid in by_doc[source])
            best_sim = max((similarity.get(c.id, 0.0) for c in chunks), default=0.0)
            weight = KIND_WEIGHT.get(self.documents[source].kind, 1.0)
            hits.append(Hit(source, self.documents[source], chunks, weight * score, best_sim))
        hits.sort(key=lambda h: (-h.score, h.source))
        seen: set[str] = set()
        unique: list[Hit] = []
        for hit in hits:
            fingerprint = _fingerprint(hit.document.title + " " + hit.chunks[0].text)
            if fingerprint in seen:
                continue
            seen.add(fingerprint)
            unique.append(hit)
        return unique[:k]
