"""BM25 over the same chunks as Chroma, built from the manifest so the two never drift apart.

bm25s builds and saves the index; questions score it from the saved arrays with numpy alone, the
way bm25s does, so answering never imports bm25s and the scipy it brings (about 0.1 s of a cold
`archbot ask`).
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import yaml

from archbot.kernel.acronyms import learn
from archbot.kernel.store import Store
from archbot.kernel.types import Chunk
from archbot.kernel.vocabulary import FUNCTION_WORDS, stem_word, stem_words

if TYPE_CHECKING:
    import bm25s

IDS_FILE = "chunk_ids.npy"
# Each row's document, so an answering process maps rows to documents without holding the chunks:
# the documents once, in row order, and each row's position among them.
SOURCES_FILE, ROW_SOURCES_FILE = "sources.json", "row_sources.npy"
# The files bm25s saves: the token-major score matrix's arrays and the token → column map.
DATA_FILE, INDICES_FILE, INDPTR_FILE = "data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy"
VOCAB_FILE = "vocab.index.json"
ACRONYMS_FILE = "acronyms.json"  # the short forms the corpus defines (`acronyms.learn`)
_TOKEN = re.compile(r"[a-z0-9][a-z0-9_.$-]*[a-z0-9]|[a-z0-9]")


# The saved index's layout: part of its folder name, so an index saved by an older archbot (other
# tokens, no row sources) is rebuilt rather than loaded.
FORMAT = "snowball-3"


@lru_cache(maxsize=1)
def _shorthand() -> dict[str, tuple[str, ...]]:
    data = yaml.safe_load((resources.files("archbot.prompts") / "shorthand.yaml").read_text(encoding="utf-8"))
    return {str(key): tuple(words) for key, words in data.items()}


def expand_query(tokens: list[str]) -> list[str]:
    """The tokens and every word their shorthand stands for."""
    return [word for group in query_groups(tokens) for word in group]


def query_groups(
    tokens: list[str], acronyms: Mapping[str, tuple[str, ...]] | None = None
) -> list[tuple[str, ...]]:
    """The query's concepts, each the ways it may be written: a token with the one-word spellings of
    what it stands for ("k8s", "kubernetes") is one concept, and each word of a phrase its shorthand
    stands for ("continuous integration" for "ci") is a concept of its own, as if typed. A token the
    corpus defines instead ("asg", singular or plural, of "an Auto Scaling Group (ASG)") is one concept
    written either as itself or as its long form: a phrase, whose words must all be there."""
    shorthand = _shorthand()
    groups: list[tuple[str, ...]] = []
    for token in tokens:
        meanings = shorthand.get(token, ())
        groups.append((token, *(m for m in meanings if " " not in m), *_defined(token, meanings, acronyms)))
        groups += [(word,) for m in meanings if " " in m for word in m.split()]
    return groups


def _defined(
    token: str, shorthand: tuple[str, ...], acronyms: Mapping[str, tuple[str, ...]] | None
) -> tuple[str, ...]:
    """The long form the corpus defines a token without shorthand as, or nothing."""
    if shorthand or not acronyms:
        return ()
    long_form = acronyms.get(token) or acronyms.get(token.removesuffix("s"), ())
    words = [w for w in long_form if w not in FUNCTION_WORDS]
    return (" ".join(words),) if len(words) > 1 else ()


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


@dataclass(frozen=True)
class Postings:
    """BM25 scores precomputed by bm25s as a token-major sparse matrix: token t's entries
    `indptr[t]:indptr[t + 1]` are the rows (`indices`) of the chunks holding it and its score in each."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    vocab: dict[str, int]

    def scores(self, tokens: list[str], rows: int) -> np.ndarray:
        """Each chunk's BM25 score for the query tokens, summed token by token as bm25s sums them
        (its numpy backend), so the floats and the ranking are the same."""
        scores = np.zeros(rows, dtype=self.data.dtype)
        for token in (t for t in tokens if t in self.vocab):
            start, end = self.indptr[self.vocab[token]], self.indptr[self.vocab[token] + 1]
            np.add.at(scores, self.indices[start:end], self.data[start:end])
        return scores

    def concept_scores(self, group: tuple[str, ...], rows: int) -> np.ndarray:
        """Each chunk's BM25 score for one concept written several ways, scored as one term (as
        Lucene's SynonymQuery does): with the IDF of the chunks holding any spelling, each chunk by
        its best spelling. Summing the spellings instead gave a rare spelling ("k8s" in a handful of
        chunks) its own high IDF, so its few chunks outranked every chunk spelling the word out. A
        spelling may be a phrase ("auto scaling group"), held by a chunk holding all its words, as
        often as the least frequent of them."""
        words = [t for t in dict.fromkeys(stem_words([w for w in group if " " not in w])) if t in self.vocab]
        phrase_tfs = (self._phrase_tf(stem_words(p.split()), rows) for p in group if " " in p)
        phrases = [tf for tf in phrase_tfs if tf is not None]
        if len(words) <= 1 and not phrases:
            return self.scores(words, rows)
        spans = [(int(self.indptr[self.vocab[t]]), int(self.indptr[self.vocab[t] + 1])) for t in words]
        held = [self.indices[a:b] for a, b in spans] + [np.flatnonzero(tf) for tf in phrases]
        concept_idf = _lucene_idf(len(np.unique(np.concatenate(held))), rows)
        scores = np.zeros(rows, dtype=self.data.dtype)
        for start, end in spans:
            scale = concept_idf / _lucene_idf(end - start, rows)
            np.maximum.at(scores, self.indices[start:end], self.data[start:end] * scale)
        for tf in phrases:
            np.maximum(scores, tf * concept_idf, out=scores)
        return scores

    def _phrase_tf(self, stems: list[str], rows: int) -> np.ndarray | None:
        """Each chunk's saturated term frequency (BM25's score without the IDF) of a phrase, as if it
        were a word: its least frequent word's, 0 where one is missing; None where no chunk holds all."""
        if any(t not in self.vocab for t in stems):
            return None
        phrase_tf: np.ndarray | None = None
        for t in stems:
            start, end = int(self.indptr[self.vocab[t]]), int(self.indptr[self.vocab[t] + 1])
            tf = np.zeros(rows, dtype=self.data.dtype)
            tf[self.indices[start:end]] = self.data[start:end] / _lucene_idf(end - start, rows)
            phrase_tf = tf if phrase_tf is None else np.minimum(phrase_tf, tf)
        return phrase_tf if phrase_tf is not None and phrase_tf.any() else None


def _lucene_idf(df: int, n: int) -> float:
    """bm25s's (and Lucene's) BM25 IDF, the factor its stored scores carry."""
    return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))


class LexicalIndex:
    """BM25 over the manifest's chunks. Built once per manifest (`open_lexical`) and saved with bm25s;
    every process after that memory-maps the saved arrays instead of re-tokenising every chunk."""

    def __init__(
        self,
        ids: Sequence[str],
        sources: Sequence[str],
        row_sources: np.ndarray,
        postings: Postings | None,
        folder: Path | None = None,
        built: bm25s.BM25 | None = None,
        acronyms: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.ids = ids
        self.sources = sources  # the rows' documents, each once
        self.row_sources = row_sources  # row r's document is sources[row_sources[r]]
        # Where it was loaded from: other caches of the same manifest may be kept beside it.
        self.folder = folder
        self.postings = postings  # None for an index of nothing
        self._built = built  # what `save` writes, for an index built in this process
        self.acronyms: Mapping[str, tuple[str, ...]] = acronyms or {}  # short form -> long form's words

    @classmethod
    def build(cls, ids: list[str], texts: list[str], sources: Sequence[str]) -> LexicalIndex:
        """The index of chunks `ids` with their lexical texts and their documents' sources."""
        names = list(dict.fromkeys(sources))
        number = {source: n for n, source in enumerate(names)}
        row_sources = np.fromiter((number[s] for s in sources), dtype=np.int32, count=len(sources))
        if not ids:  # bm25s cannot index nothing; an empty index simply finds nothing
            return cls(ids, names, row_sources, None)
        import bm25s  # only the ingest (or a process finding no saved index) builds one

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on its logger at import
        built = bm25s.BM25()
        built.index([terms(t) or ["_empty_"] for t in texts], show_progress=False)
        scores = built.scores
        postings = Postings(scores["data"], scores["indices"], scores["indptr"], built.vocab_dict)
        return cls(ids, names, row_sources, postings, None, built, learn(texts))

    def save(self, folder: Path) -> None:
        """bm25s's arrays plus the chunk ids and their documents in index order; nothing when the
        index is empty."""
        if self._built is None:
            return
        self._built.save(str(folder), show_progress=False)
        (folder / SOURCES_FILE).write_text(json.dumps(list(self.sources)), encoding="utf-8")
        np.save(folder / ROW_SOURCES_FILE, self.row_sources)
        np.save(folder / IDS_FILE, np.asarray(self.ids, dtype=str))
        (folder / ACRONYMS_FILE).write_text(json.dumps(self.acronyms), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        def mapped(name: str) -> np.ndarray:
            return np.load(folder / name, mmap_mode="r")

        vocab = json.loads((folder / VOCAB_FILE).read_text(encoding="utf-8"))
        postings = Postings(mapped(DATA_FILE), mapped(INDICES_FILE), mapped(INDPTR_FILE), vocab)
        sources = json.loads((folder / SOURCES_FILE).read_text(encoding="utf-8"))
        ids = np.load(folder / IDS_FILE, mmap_mode="r")
        acronyms = json.loads((folder / ACRONYMS_FILE).read_text(encoding="utf-8"))
        return cls(
            ids,
            sources,
            mapped(ROW_SOURCES_FILE),
            postings,
            folder,
            acronyms={short: tuple(words) for short, words in acronyms.items()},
        )

    def _df(self, term: str) -> int:
        """How many chunks hold the (stemmed) term: its column's length in the token-major matrix."""
        if self.postings is None or (column := self.postings.vocab.get(term)) is None:
            return 0
        indptr = self.postings.indptr
        return int(indptr[column + 1] - indptr[column]) if column + 1 < len(indptr) else 0

    def idf(self, word: str) -> float:
        """Inverse document frequency over chunks: rare words say more about what a question is about."""
        return float(np.log(1 + (len(self.ids) + 1) / (self._df(stem_word(word)) + 0.5)))

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
        groups = query_groups(tokenize(query), self.acronyms)
        if not groups or self.postings is None:
            return []
        scores = np.zeros(len(self.ids), dtype=self.postings.data.dtype)
        for group in groups:
            scores += self.postings.concept_scores(group, len(self.ids))
        if mask is not None:
            scores = scores * mask
        return [(str(self.ids[i]), float(scores[i])) for i in top_rows(scores, n)]


def top_rows(scores: np.ndarray, n: int) -> np.ndarray:
    """The rows of the `n` best positive scores, best first, ties in row order. Only the nonzero
    scores are ranked, and only the best of them sorted: a query's words occur in a few rows of a
    large corpus, and sorting a million scores cost 11-83 ms a search (ADR 17)."""
    rows = np.flatnonzero(scores > 0)
    if len(rows) > n:
        kept = scores[rows]
        nth = -np.partition(-kept, n - 1)[n - 1]
        tied = rows[kept == nth]
        rows = np.concatenate([rows[kept > nth], tied[: n - int((kept > nth).sum())]])
    return rows[np.lexsort((rows, -scores[rows]))]


def saved_name(store: Store) -> str:
    """The folder the manifest's lexical index is saved in: its digest and the index's format."""
    return f"{store.manifest_digest()}-{FORMAT}"


def open_lexical(store: Store, folder: Path) -> LexicalIndex:
    """The lexical index of the manifest as it is now: loaded from `folder/<manifest digest>` when an
    earlier process (usually the ingest) saved it, otherwise built from SQLite and saved there.
    Written aside and renamed, so a reader never loads half an index; older digests are removed
    (a process still reading one keeps its mapped files until it moves on)."""
    digest = saved_name(store)
    target = folder / digest
    if (target / IDS_FILE).is_file():
        return LexicalIndex.load(target)
    documents = store.documents()
    chunks = store.chunks()
    index = LexicalIndex.build(
        [c.id for c in chunks],
        [lexical_text(documents[c.source].title, c) for c in chunks],
        [c.source for c in chunks],
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
