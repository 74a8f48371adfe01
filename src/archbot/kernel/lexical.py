"""BM25 over the same chunks as Chroma, built from the manifest so the two never drift apart."""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import bm25s
import numpy as np
import yaml

from archbot.kernel.store import Store
from archbot.kernel.types import Chunk
from archbot.kernel.vocabulary import FUNCTION_WORDS, stem_word, stem_words

logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on its own logger at import

IDS_FILE = "chunk_ids.npy"
_TOKEN = re.compile(r"[a-z0-9][a-z0-9_.$-]*[a-z0-9]|[a-z0-9]")


# The saved index's layout: part of its folder name, so an index saved by an older archbot (other
# tokens) is rebuilt rather than loaded.
FORMAT = "snowball-1"


@lru_cache(maxsize=1)
def _shorthand() -> dict[str, tuple[str, ...]]:
    data = yaml.safe_load((resources.files("archbot.prompts") / "shorthand.yaml").read_text(encoding="utf-8"))
    return {str(key): tuple(words) for key, words in data.items()}


def expand_query(tokens: list[str]) -> list[str]:
    shorthand = _shorthand()
    return tokens + [extra for t in tokens for extra in shorthand.get(t, ())]


def tokenize(text: str) -> list[str]:
    """Lower-case words, keeping tech tokens like `10.13.0.0/16` parts, `oauth2`, `$service`; single
    letters (the "t" of "doesn't") are dropped."""
    return [
        t for t in _TOKEN.findall(text.lower()) if t not in FUNCTION_WORDS and (len(t) > 1 or t.isdigit())
    ]


def terms(text: str) -> list[str]:
    """What BM25 matches: the words of `tokenize`, stemmed (Snowball), so "dies" meets "dying"."""
    return stem_words(tokenize(text))


def lexical_text(title: str, chunk: Chunk) -> str:
    """What BM25 indexes for a chunk: its document's title, its section path and its text."""
    return f"{title} {chunk.section} {chunk.text}"


class LexicalIndex:
    """BM25 over the manifest's chunks. Built once per manifest (`open_lexical`) and saved with bm25s;
    every process after that memory-maps the saved arrays instead of re-tokenising every chunk."""

    def __init__(self, ids: Sequence[str], retriever: bm25s.BM25 | None, folder: Path | None = None) -> None:
        self.ids = ids
        # Where it was loaded from: other caches of the same manifest may be kept beside it.
        self.folder = folder
        self._retriever = retriever
        if retriever is None:
            self._vocab: dict[str, int] = {}
            self._indptr = np.zeros(1, dtype=np.int64)
        else:
            self._vocab = retriever.vocab_dict
            # The scores are a token-major sparse matrix: a token's entries are the chunks holding it.
            self._indptr = retriever.scores["indptr"]

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> LexicalIndex:
        if not ids:  # bm25s cannot index nothing; an empty index simply finds nothing
            return cls(ids, None)
        retriever = bm25s.BM25()
        retriever.index([terms(t) or ["_empty_"] for t in texts], show_progress=False)
        return cls(ids, retriever)

    def save(self, folder: Path) -> None:
        """bm25s's arrays plus the chunk ids in index order; nothing when the index is empty."""
        if self._retriever is None:
            return
        self._retriever.save(str(folder), show_progress=False)
        np.save(folder / IDS_FILE, np.asarray(self.ids, dtype=str))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        retriever = bm25s.BM25.load(str(folder), mmap=True, show_progress=False)
        return cls(np.load(folder / IDS_FILE, mmap_mode="r"), retriever, folder)

    def _df(self, token: str) -> int:
        column = self._vocab.get(token)
        if column is None or column + 1 >= len(self._indptr):
            return 0
        return int(self._indptr[column + 1] - self._indptr[column])

    def idf(self, word: str) -> float:
        """Inverse document frequency over chunks: rare words say more about what a question is about."""
        return self._idf(stem_word(word))

    def _idf(self, term: str) -> float:
        return float(np.log(1 + (len(self.ids) + 1) / (self._df(term) + 0.5)))

    def weighted_overlap(self, query: str, text: str) -> float:
        """The IDF-weighted share of the query's words that `text` contains as written (0..1): the
        evidence test wants the words themselves, not only their stems ("carry" is not "carried")."""
        words = set(tokenize(query))
        if not words:
            return 0.0
        present = set(tokenize(text))
        total = sum(self.idf(w) for w in words)
        return sum(self.idf(w) for w in words & present) / total

    def search(self, query: str, n: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Top `n` chunk ids with BM25 scores; `mask` (1 = allowed) applies metadata filters."""
        tokens = stem_words(expand_query(tokenize(query)))
        if not tokens or self._retriever is None:
            return []
        scores = self._retriever.get_scores(tokens)
        if mask is not None:
            scores = scores * mask
        top = np.argsort(-scores)[: min(n, len(self.ids))]
        return [(str(self.ids[i]), float(scores[i])) for i in top if scores[i] > 0]


def open_lexical(store: Store, folder: Path) -> LexicalIndex:
    """The lexical index of the manifest as it is now: loaded from `folder/<manifest digest>` when an
    earlier process (usually the ingest) saved it, otherwise built from SQLite and saved there.
    Written aside and renamed, so a reader never loads half an index; older digests are removed
    (a process still reading one keeps its mapped files until it moves on)."""
    digest = f"{store.manifest_digest()}-{FORMAT}"
    target = folder / digest
    if (target / IDS_FILE).is_file():
        return LexicalIndex.load(target)
    documents = store.documents()
    chunks = store.chunks()
    index = LexicalIndex.build(
        [c.id for c in chunks], [lexical_text(documents[c.source].title, c) for c in chunks]
    )
    if not chunks:
        return index
    folder.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{digest}.", dir=folder))
    index.save(partial)
    try:
        partial.rename(target)
    except OSError:  # another process saved the same digest first; theirs is the same index
        shutil.rmtree(partial, ignore_errors=True)
    for old in folder.iterdir():
        if old.name != digest and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
    return LexicalIndex.load(target)
