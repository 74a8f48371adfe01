"""BM25 over the same chunks as Chroma, built from the manifest so the two never drift apart."""

from __future__ import annotations

import logging
import re

import bm25s
import numpy as np

from archbot.kernel.vocabulary import FUNCTION_WORDS

logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on its own logger at import

_TOKEN = re.compile(r"[a-z0-9][a-z0-9_.$-]*[a-z0-9]|[a-z0-9]")


# Shorthand engineers type in Slack, expanded in queries (never in the index) so BM25 meets the words
# that documents spell out.
SHORTHAND = {
    "k8s": ("kubernetes",),
    "tls": ("ssl",),
    "ssl": ("tls",),
    "cert": ("certificate",),
    "certs": ("certificates",),
    "repo": ("repository",),
    "repos": ("repositories",),
    "db": ("database",),
    "dbs": ("databases",),
    "infra": ("infrastructure",),
    "prod": ("production",),
    "env": ("environment",),
    "envs": ("environments",),
    "config": ("configuration",),
    "auth": ("authentication", "authorisation", "authorization"),
    "ci": ("continuous", "integration"),
    "js": ("javascript",),
    "ts": ("typescript",),
    "pr": ("pull", "request"),
    "prs": ("pull", "requests"),
    "perf": ("performance",),
    "deps": ("dependencies",),
    "msg": ("message",),
    "async": ("asynchronous",),
}


def expand_query(tokens: list[str]) -> list[str]:
    return tokens + [extra for t in tokens for extra in SHORTHAND.get(t, ())]


def tokenize(text: str) -> list[str]:
    """Lower-case words, keeping tech tokens like `10.13.0.0/16` parts, `oauth2`, `$service`; single
    letters (the "t" of "doesn't") are dropped."""
    return [
        t for t in _TOKEN.findall(text.lower()) if t not in FUNCTION_WORDS and (len(t) > 1 or t.isdigit())
    ]


class LexicalIndex:
    """An in-memory BM25 index; rebuilt when the manifest generation changes (it takes milliseconds)."""

    def __init__(self, ids: list[str], texts: list[str]) -> None:
        self.ids = ids
        self._retriever = bm25s.BM25()
        corpus = [tokenize(t) or ["_empty_"] for t in texts]
        if corpus:  # bm25s cannot index nothing; an empty index simply finds nothing
            self._retriever.index(corpus, show_progress=False)
        self._df: dict[str, int] = {}
        for tokens in corpus:
            for token in set(tokens):
                self._df[token] = self._df.get(token, 0) + 1

    def idf(self, token: str) -> float:
        """Inverse document frequency over chunks: rare words say more about what a question is about."""
        return float(np.log(1 + (len(self.ids) + 1) / (self._df.get(token, 0) + 0.5)))

    def weighted_overlap(self, query: str, text: str) -> float:
        """The IDF-weighted share of the query's words that `text` contains (0..1)."""
        words = set(tokenize(query))
        if not words:
            return 0.0
        present = set(tokenize(text))
        total = sum(self.idf(w) for w in words)
        return sum(self.idf(w) for w in words & present) / total

    def search(self, query: str, n: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Top `n` chunk ids with BM25 scores; `mask` (1 = allowed) applies metadata filters."""
        tokens = expand_query(tokenize(query))
        if not tokens or not self.ids:
            return []
        scores = self._retriever.get_scores(tokens)
        if mask is not None:
            scores = scores * mask
        top = np.argsort(-scores)[: min(n, len(self.ids))]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]
