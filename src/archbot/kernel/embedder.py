"""Embedding models behind one small interface, chosen by name with `make_embedder`."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from archbot.kernel.errors import ConfigError
from archbot.kernel.minilm import OnnxMiniLM, TorchMiniLM


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


# Each takes the model cache folder. `minilm` runs on ONNX Runtime; `minilm-torch` is the same model
# on sentence-transformers (the reference the ONNX export is tested against; it imports torch).
EMBEDDERS: dict[str, Callable[[Path], Embedder]] = {
    "minilm": OnnxMiniLM,
    "minilm-torch": lambda _cache: TorchMiniLM(),
    "hash": lambda _cache: HashEmbedder(),
}


_BUILDING = threading.Lock()


def make_embedder(name: str, cache_dir: Path) -> Embedder:
    """The embedder called `name`; loading a model is slow, so each is built once per process, even
    when several threads ask for it at the same moment. `cache_dir` holds exported models."""
    with _BUILDING:
        return _make_embedder(name, cache_dir)


@lru_cache(maxsize=4)
def _make_embedder(name: str, cache_dir: Path) -> Embedder:
    try:
        factory = EMBEDDERS[name]
    except KeyError:
        raise ConfigError(
            f"Unknown embedder {name!r}.", f"Set ARCHBOT_EMBEDDER to one of: {', '.join(EMBEDDERS)}."
        ) from None
    return factory(cache_dir)
