"""Hybrid retrieval: dense (Chroma) and lexical (BM25) candidates fused by reciprocal rank, per document.

Only chunk ids listed in the SQLite manifest count: the manifest is the committed state of the index,
so vectors left behind by an interrupted ingest can never surface.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from archbot.advisor.scope import Folders
from archbot.kernel.embedder import Embedder
from archbot.kernel.index import VectorIndex
from archbot.kernel.lexical import open_lexical
from archbot.kernel.store import Store
from archbot.kernel.types import Chunk, Document, Filters

log = logging.getLogger(__name__)
MODES = ("hybrid", "dense", "bm25")
RRF_K = 60  # the constant of Cormack et al. (2009), as plain reciprocal-rank fusion uses
DENSE_WEIGHT = 1.0  # relative to BM25's 1.0 in the fusion
CANDIDATES = 80  # chunks each leg returns before they are folded into documents
# Decision records, standards and design docs are what people ask about; READMEs, indexes and notes
# ("other") mention everything and answer little, so within each leg they rank a few places lower at
# equal evidence. Chosen on dev_questions (nDCG@10 0.89 -> 0.91), checked on dev_questions_2 (0.78 -> 0.79).
KIND_WEIGHT = {"adr": 1.0, "standard": 1.0, "design": 1.0, "other": 0.9}
MASKS_KEPT = 8  # filter masks a retriever keeps (one float32 per chunk each); frontends use a few


@dataclass(frozen=True)
class Hit:
    """A retrieved document with its best chunks (best first)."""

    source: str
    document: Document
    chunks: tuple[Chunk, ...]
    score: float
    similarity: float = 0.0
    # Its rank (0 first) in each retrieval leg that ran, dense then BM25; None where a leg missed it.
    leg_ranks: tuple[int | None, ...] = ()


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


class StoredChunks(Mapping[str, list[Chunk]]):
    """Each document's chunks in reading order, read from the manifest when asked for: held for every
    document they were most of an answering process's memory at scale (ADR 17), and an answer reads
    the chunks of a few documents."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def __getitem__(self, source: str) -> list[Chunk]:
        chunks = self._store.chunks_of(source)
        if not chunks:
            raise KeyError(source)
        return chunks

    def __iter__(self) -> Iterator[str]:
        return iter(self._store.chunk_sources())

    def __len__(self) -> int:
        return len(self._store.chunk_sources())


class Retriever:
    """Built once per manifest generation: the documents' metadata and decision frames live in memory,
    the BM25 index is loaded from where the ingest saved it (memory-mapped) unless the manifest changed
    since, and chunks are read from the manifest by id as a question needs them. Chunk ids hash their
    document, section and text, so a chunk read later is the one the index was built from, or gone."""

    def __init__(self, store: Store, index: VectorIndex, embedder: Embedder, lexical_folder: Path) -> None:
        self.generation = store.generation
        self.documents = store.documents()
        self.frames = store.frames()
        self.chunks_by_source = StoredChunks(store)
        self._store = store
        self._index = index
        self._embedder = embedder
        self.lexical = open_lexical(store, lexical_folder)
        self._masks: dict[Filters, np.ndarray] = {}

    @cached_property
    def folders(self) -> Folders:
        """The corpus's folders and the names questions call them by."""
        return Folders(self.documents)

    @property
    def chunk_count(self) -> int:
        return len(self.lexical.ids)

    def _mask(self, filters: Filters) -> np.ndarray:
        """1 for each lexical row whose document the filters allow (0: another, or one committed after
        this snapshot was read); one array lookup per row, kept per filters, as a pass over every
        document per question grows with the corpus."""
        mask = self._masks.get(filters)
        if mask is None:
            ok = np.fromiter(
                (s in self.documents and allowed(self.documents[s], filters) for s in self.lexical.sources),
                dtype=np.float32,
                count=len(self.lexical.sources),
            )
            mask = ok[self.lexical.row_sources]
            if len(self._masks) >= MASKS_KEPT:
                self._masks.pop(next(iter(self._masks)), None)
            self._masks[filters] = mask
        return mask

    def dense(self, vector: np.ndarray, mask: np.ndarray, n: int = CANDIDATES) -> list[tuple[str, float]]:
        """Nearest chunks, unfiltered: `search` filters them against the manifest rather than with a
        Chroma `where`: after an interrupted write Chroma's filtered queries can fail ("Error finding
        id") while unfiltered ones still work, and the manifest is the truth about metadata anyway.
        If Chroma fails outright, retrieval degrades to BM25 instead of failing the question."""
        share = float(mask.mean()) if len(mask) else 1.0
        try:
            hits = self._index.query(vector, int(n / max(share, 0.05)))
        except Exception:
            log.exception("dense retrieval failed; answering from the lexical index alone")
            return []
        return [(h.id, h.similarity) for h in hits]

    def _fetched(self, ids: list[str]) -> dict[str, Chunk]:
        """The manifest's chunks of these ids (those still in it), by id."""
        return {c.id: c for c in self._store.chunks(dict.fromkeys(ids))}

    def search(
        self,
        query: str,
        filters: Filters = Filters(),
        k: int = 10,
        mode: str = "hybrid",
        vector: np.ndarray | None = None,
    ) -> list[Hit]:
        """Ranked documents. Each leg ranks documents by their best chunk; the legs' document rankings
        are fused by reciprocal rank, as plain RRF does (measured in bench/retrieval_bench.py)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        mask = self._mask(filters)
        dense: list[tuple[str, float]] = []
        if mode in ("hybrid", "dense"):
            if vector is None:
                vector = self._embedder.embed([query])[0]
            dense = self.dense(vector, mask)
        lexical = self.lexical.search(query, CANDIDATES, mask) if mode in ("hybrid", "bm25") else []
        chunks = self._fetched([cid for cid, _ in (*dense, *lexical)])
        legs: list[tuple[float, list[str]]] = []
        similarity: dict[str, float] = {}
        if mode in ("hybrid", "dense"):
            kept = [
                (cid, sim)
                for cid, sim in dense
                if cid in chunks
                and chunks[cid].source in self.documents
                and allowed(self.documents[chunks[cid].source], filters)
            ]
            similarity = dict(kept)
            legs.append((DENSE_WEIGHT, [cid for cid, _ in kept]))
        if mode in ("hybrid", "bm25"):
            legs.append((1.0, [cid for cid, _ in lexical if cid in chunks]))
        return self._fused(legs, similarity, k, chunks)

    def _documents_of(self, chunk_ranking: list[str], chunks: Mapping[str, Chunk]) -> list[str]:
        """One leg's documents, each ranked by its best chunk, kind-weighted."""
        best: dict[str, float] = {}
        for rank, cid in enumerate(chunk_ranking):
            source = chunks[cid].source
            if source not in best:
                best[source] = KIND_WEIGHT.get(self.documents[source].kind, 1.0) / (RRF_K + rank)
        return sorted(best, key=lambda s: (-best[s], s))

    def _fused(
        self,
        legs: list[tuple[float, list[str]]],
        similarity: dict[str, float],
        k: int,
        chunks: Mapping[str, Chunk],
    ) -> list[Hit]:
        scores: dict[str, float] = {}
        chunk_scores: dict[str, float] = {}
        leg_ranks: list[dict[str, int]] = []
        for weight, chunk_ranking in legs:
            leg_ranks.append({})
            for rank, source in enumerate(self._documents_of(chunk_ranking, chunks)):
                scores[source] = scores.get(source, 0.0) + weight / (RRF_K + rank)
                leg_ranks[-1][source] = rank
            for rank, cid in enumerate(chunk_ranking):
                chunk_scores[cid] = chunk_scores.get(cid, 0.0) + weight / (RRF_K + rank)
        by_doc: dict[str, list[str]] = {}
        for cid in sorted(chunk_scores, key=lambda c: (-chunk_scores[c], c)):
            by_doc.setdefault(chunks[cid].source, []).append(cid)
        hits = [
            Hit(
                source,
                self.documents[source],
                tuple(chunks[cid] for cid in by_doc[source]),
                scores[source],
                max((similarity.get(cid, 0.0) for cid in by_doc[source]), default=0.0),
                tuple(ranks.get(source) for ranks in leg_ranks),
            )
            for source in sorted(scores, key=lambda s: (-scores[s], s))
        ]
        unique: list[Hit] = []
        seen: set[str] = set()
        for hit in hits:
            fingerprint = _fingerprint(hit.document.title + " " + hit.chunks[0].text)
            if fingerprint in seen:
                continue
            seen.add(fingerprint)
            unique.append(hit)
            if len(unique) == k:
                break
        return unique
