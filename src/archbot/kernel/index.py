"""Access to the Chroma vector store, embedded under ARCHBOT_HOME or a server at ARCHBOT_CHROMA_URL.

Chroma never embeds anything itself here: its default embedding function downloads a model, which
archbot must not do. Vectors come from our `Embedder`, and the collection records which model made
them so that querying with another one is a clear error instead of silent nonsense.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlparse

import numpy as np

from archbot.kernel.errors import ConfigError, IndexUnavailableError, ModelMismatchError
from archbot.kernel.settings import Settings
from archbot.kernel.types import Document


@dataclass(frozen=True)
class VectorHit:
    id: str
    source: str
    similarity: float


def chunk_metadata(doc: Document) -> dict[str, str | int | bool]:
    """What each chunk carries into Chroma (None is not allowed there), so the vectors can be inspected
    and filtered with Chroma's own tools; archbot's retrieval filters against the manifest instead
    (docs/adr/0006)."""
    return {
        "source": doc.source,
        "kind": doc.kind,
        "status": doc.status or "",
        "visibility": doc.visibility,
        "number": doc.number if doc.number is not None else -1,
        "date": doc.date or "",
    }


# Chroma clients opened at the same moment by several threads fail inside Chroma ("Could not connect
# to tenant default_tenant"); opening them one at a time is cheap and removes the race.
_OPENING = threading.Lock()


def import_client_aside() -> threading.Thread:
    """Start importing chromadb on a thread of its own (about a third of a cold `archbot ask`), so a
    process can load the embedding model meanwhile; join it before opening a `VectorIndex`."""
    thread = threading.Thread(target=importlib.import_module, args=("chromadb",), daemon=True)
    thread.start()
    return thread


def _client(settings: Settings):
    with _OPENING:
        return _open_client(settings)


def _open_client(settings: Settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ConfigError(
                f"ARCHBOT_CHROMA_URL={settings.chroma_url!r} is not an http(s) URL.",
                "Set it like http://127.0.0.1:8000, or unset it for the embedded store.",
            )
        try:
            return chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 80),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as exc:
            raise IndexUnavailableError(
                f"Cannot reach the Chroma server at {settings.chroma_url}.",
                "Start it (`chroma run --host 127.0.0.1 --port 8000 --path DIR`) or unset "
                "ARCHBOT_CHROMA_URL to use the embedded store.",
            ) from exc
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


# One build thread makes the graph, and so every ranking, the same on every run (HNSW built by several
# threads inserts in a racy order); a wide search keeps the 80 candidates retrieval asks for close to exact.
HNSW = {"space": "cosine", "num_threads": 1, "ef_construction": 200, "ef_search": 200}


class VectorIndex:
    """One Chroma collection of chunk vectors, tied to the embedding model that built it."""

    def __init__(self, settings: Settings, model_name: str, dim: int, collection: str | None = None) -> None:
        self._client = _client(settings)
        name = collection or settings.collection
        self._collection = self._client.get_or_create_collection(
            name,
            embedding_function=None,
            metadata={"embedding_model": model_name, "dim": dim},
            configuration={"hnsw": HNSW},
        )
        built_with = (self._collection.metadata or {}).get("embedding_model")
        if built_with and built_with != model_name:
            raise ModelMismatchError(built_with, model_name)

    def count(self) -> int:
        return self._collection.count()

    def ids(self) -> set[str]:
        return set(self._collection.get(include=[])["ids"])

    def upsert(self, ids: Sequence[str], vectors: np.ndarray, metadatas: Sequence[dict]) -> None:
        """Vectors and the metadata a hit is read by; no text: chunks are read from the manifest
        (ADR 5), and text stored in Chroma was only indexed for a full-text search archbot never
        runs (measured in bench/chroma_text_bench.py)."""
        batch = 1000
        for start in range(0, len(ids), batch):
            end = start + batch
            self._collection.upsert(
                ids=list(ids[start:end]), embeddings=vectors[start:end], metadatas=list(metadatas[start:end])
            )

    def update_metadata(self, ids: Sequence[str], metadatas: Sequence[dict]) -> None:
        if ids:
            self._collection.update(ids=list(ids), metadatas=list(metadatas))

    def delete(self, ids: Sequence[str]) -> None:
        batch = 1000
        ids = list(ids)
        for start in range(0, len(ids), batch):
            self._collection.delete(ids=ids[start : start + batch])

    def query(self, vector: np.ndarray, n: int, where: dict | None = None) -> list[VectorHit]:
        """The `n` nearest chunks, fewer when the collection holds fewer (Chroma caps `n_results`
        itself: counting first cost a server round trip of 70 ms per query at a million chunks)."""
        result = self._collection.query(
            query_embeddings=[vector],
            n_results=n,
            where=where or None,
            include=["metadatas", "distances"],
        )
        return [
            VectorHit(id=i, source=str(m.get("source", "")), similarity=1.0 - float(d))
            for i, m, d in zip(result["ids"][0], result["metadatas"][0], result["distances"][0], strict=True)
        ]
