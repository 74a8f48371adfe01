"""What the design-doc review needs from an index, as a protocol the advisor core implements.

The review reads decisions and searches them; it does not answer questions. Depending on this small
surface instead of `Advisor` keeps `advisor.review` below `advisor.core` (core calls the review), and
lets a test review against any object that offers these five things.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from archbot.advisor.retrieval import Hit
from archbot.kernel.settings import Settings
from archbot.kernel.types import Chunk, DecisionFrame, Document, Filters


class Library(Protocol):
    settings: Settings

    @property
    def chat_model(self) -> Any:
        """A LangChain chat model, or None when archbot runs offline."""

    @property
    def documents(self) -> dict[str, Document]:
        """Every indexed document by source."""

    @property
    def frames(self) -> dict[str, list[DecisionFrame]]:
        """Decision frames by source (what each decision decided, read at ingest)."""

    def chunks_of(self, source: str) -> list[Chunk]:
        """A document's chunks in reading order."""

    def current_for(self, source: str) -> list[Document]:
        """The decisions in force that replaced `source` (empty when it is in force or nothing did)."""

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embeddings of `texts`, as the index was built with."""

    def search(self, query: str, filters: Filters, k: int, *, vector: np.ndarray | None = None) -> list[Hit]:
        """The best `k` documents for `query` by hybrid retrieval (`vector` saves embedding it again)."""
