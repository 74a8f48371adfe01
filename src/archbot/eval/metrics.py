"""Deterministic answer-quality metrics: pure functions of an answer, its citations and the gold item.

Every per-item metric returns `None` when it is undefined for that item (recall of an item that has no
relevant documents, precision of an answer that cites nothing). Aggregates average over the items
where a metric is defined, so an abstain item never drags retrieval recall down and an answer that
cites nothing is judged by citation recall rather than by a made-up precision.
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

import numpy as np

from archbot.kernel.vocabulary import CLAIMLESS_WORDS, SENTENCE_END

# Wall-clock figures depend on the machine and its load: runs report them, but they never fail a build
# (speed is measured in bench/, against a baseline run in the same process).
TIMING: frozenset[str] = frozenset({"latency_ms", "latency_p50_ms", "latency_p95_ms"})
# Metrics where a smaller value is the better one; compare and report flip their sense of "worse".
LOWER_IS_BETTER: frozenset[str] = TIMING

_MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_WORD = re.compile(r"[a-z0-9]+(?:[.'/-][a-z0-9]+)*")
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = str.maketrans("", "", string.punctuation)
# "…between services. [1]": a marker after the full stop still belongs to that sentence.
_TRAILING_MARKERS = re.compile(r"([.!?])((?:\s*\[\d+(?:\s*,\s*\d+)*\])+)")
_BULLET = re.compile(r"^\s*(?:[-*+>]|\d+[.)]|#+)\s+")


# A claim is supported when at least this share of its content words appear in an excerpt it cites.
SUPPORT_THRESHOLD = 0.5
# Sentences shorter than this (in words) are connective tissue ("In short:"), not claims.
MIN_CLAIM_WORDS = 4


# -- retrieval ------------------------------------------------------------------------------------------


def recall_at_k(ranked: Sequence[str], relevant: Collection[str], k: int) -> float | None:
    """Share of the relevant sources found in the top k; undefined when nothing is relevant."""
    if not relevant:
        return None
    found = set(ranked[:k]) & set(relevant)
    return len(found) / len(set(relevant))


def reciprocal_rank(ranked: Sequence[str], relevant: Collection[str], k: int | None = None) -> float | None:
    """1/rank of the first relevant source (0 when none is ranked, within k when k is given)."""
    if not relevant:
        return None
    wanted = set(relevant)
    for rank, source in enumerate(ranked[:k] if k else ranked, start=1):
        if source in wanted:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(ranked: Sequence[str], gains: Mapping[str, float], k: int = 10) -> float | None:
    """Normalised discounted cumulative gain with graded gains (BEIR's qrels); binary gains work too.

    Uses the linear-gain form (gain / log2(rank + 1)) that pytrec_eval and the BEIR leaderboards use,
    so numbers are comparable with published ones.
    """
    positive = sorted((g for g in gains.values() if g > 0), reverse=True)
    if not positive:
        return None
    seen: set[str] = set()
    dcg = 0.0
    for rank, source in enumerate(ranked[:k], start=1):
        if source in seen:
            continue
        seen.add(source)
        dcg += gains.get(source, 0.0) / math.log2(rank + 1)
    ideal = sum(g / math.log2(rank + 1) for rank, g in enumerate(positive[:k], start=1))
    return dcg / ideal


# -- citations ------------------------------------------------------------------------------------------


def citation_markers(text: str) -> list[int]:
    """Every `[n]` (and `[n, m]`) marker in the text, in order of appearance."""
    return [int(n) for group in _MARKER.findall(text) for n in group.split(",")]


def citation_validity(text: str, citation_numbers: Collection[int]) -> float | None:
    """Share of `[n]` markers that point at a citation actually given; undefined without markers."""
    markers = citation_markers(text)
    if not markers:
        return None
    given = set(citation_numbers)
    return sum(1 for n in markers if n in given) / len(markers)


def citation_precision(cited: Collection[str], relevant: Collection[str]) -> float | None:
    """Share of distinct cited sources that are relevant; undefined when nothing is cited."""
    cited_set = set(cited)
    if not cited_set:
        return None
    return len(cited_set & set(relevant)) / len(cited_set)


def relevant_cited(cited: Collection[str], relevant: Collection[str]) -> float | None:
    """1 when the answer cites at least one relevant source; undefined when nothing is relevant."""
    if not relevant:
        return None
    return 1.0 if set(cited) & set(relevant) else 0.0


def citation_recall(cited: Collection[str], relevant: Collection[str]) -> float | None:
    """Share of relevant sources the answer cites; undefined when nothing is relevant."""
    if not relevant:
        return None
    return len(set(cited) & set(relevant)) / len(set(relevant))


# -- answers --------------------------------------------------------------------------------------------


def abstention_correct(abstained: bool, should_abstain: bool) -> float:
    """1 when the answerer abstained exactly when the dataset says it should (`relevant: []`)."""
    return 1.0 if abstained == should_abstain else 0.0


def strip_markers(text: str) -> str:
    """The answer without `[n]` markers: they are references, not content to score."""
    return _MARKER.sub(" ", text)


def normalize_tokens(text: str) -> list[str]:
    """SQuAD's answer normalisation: lower case, no punctuation, no articles, split on whitespace."""
    text = strip_markers(text).lower().translate(_PUNCT)
    return _ARTICLES.sub(" ", text).split()


def token_f1(prediction: str, gold: str) -> float:
    """Harmonic mean of token precision and recall (SQuAD F1); both empty counts as a match."""
    pred, ref = normalize_tokens(prediction), normalize_tokens(gold)
    if not pred or not ref:
        return float(pred == ref)
    common = sum((Counter(pred) & Counter(ref)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity; embedders return unit rows, but a stray zero vector must not divide by 0."""
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.dot(a, b) / norm) if norm else 0.0


def must_say_matched(text: str, pattern: str) -> float:
    """1 when the answer states the expected outcome (a case-insensitive regular expression)."""
    return 1.0 if re.search(pattern, strip_markers(text), re.IGNORECASE) else 0.0


# -- groundedness ---------------------------------------------------------------------------------------


def content_words(text: str) -> list[str]:
    """Lower-cased words minus stopwords: what a sentence claims, roughly."""
    return [w for w in _WORD.findall(strip_markers(text).lower()) if w not in CLAIMLESS_WORDS]


def claims(text: str) -> list[tuple[str, list[int]]]:
    """The answer's sentences long enough to claim something, each with the `[n]` markers it carries.

    Lines are split first (answers are often bullet lists), then sentences; headings, bullets and
    short connective phrases are not claims.
    """
    out: list[tuple[str, list[int]]] = []
    for line in text.splitlines():
        line = _TRAILING_MARKERS.sub(r"\2\1", _BULLET.sub("", line).strip())
        for sentence in SENTENCE_END.split(line):
            if len(_WORD.findall(strip_markers(sentence).lower())) >= MIN_CLAIM_WORDS:
                out.append((sentence, citation_markers(sentence)))
    return out


def support(claim: str, excerpt: str) -> float:
    """Share of the claim's content words that occur in the excerpt (containment, not overlap).

    Containment rather than Jaccard because an excerpt is a whole chunk: a faithful one-line summary of
    it shares few of its words but should still count as supported.
    """
    words = set(content_words(claim))
    if not words:
        return 0.0
    return len(words & set(content_words(excerpt))) / len(words)


def groundedness(
    text: str, excerpts: Mapping[int, str], threshold: float = SUPPORT_THRESHOLD
) -> float | None:
    """Share of the answer's claims supported by an excerpt they cite.

    The rule: a claim (a sentence of at least MIN_CLAIM_WORDS words) is supported when it carries a
    marker `[n]` for a citation that was given and at least `threshold` of its content words occur in
    that citation's excerpt. A claim citing nothing is unsupported. Undefined when there are no claims
    (an empty or abstaining answer). Lexical on purpose: deterministic and independent of the embedding
    model; paraphrase-heavy LLM answers score lower, which the optional LLM judge's faithfulness covers.
    """
    found = claims(text)
    if not found:
        return None
    supported = sum(
        1
        for sentence, refs in found
        if any(support(sentence, excerpts[n]) >= threshold for n in refs if n in excerpts)
    )
    return supported / len(found)


# -- aggregation ----------------------------------------------------------------------------------------


def mean_defined(values: Iterable[float | None]) -> float | None:
    """Mean over the defined values; None when none is."""
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation, numpy's default."""
    return float(np.percentile(np.asarray(values, dtype=float), q)) if len(values) else None


def paired_bootstrap(
    a: Sequence[float],
    b: Sequence[float],
    statistic: Callable[[np.ndarray], float] = np.mean,
    resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float, float]:
    """Change `statistic(b) - statistic(a)` over paired items with a percentile bootstrap interval.

    Items are resampled as pairs, so the interval reflects how consistently B beats A item by item,
    not just the spread of two independent means. The seed is fixed: the same two runs always give
    the same interval.
    """
    if len(a) != len(b):
        raise ValueError(f"paired samples differ in length ({len(a)} vs {len(b)})")
    if not len(a):
        raise ValueError("no paired items to compare")
    xa, xb = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    delta = float(statistic(xb) - statistic(xa))
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(xa), size=(resamples, len(xa)))
    deltas = np.array([statistic(xb[row]) - statistic(xa[row]) for row in idx])
    tail = (1.0 - confidence) / 2 * 100
    low, high = np.percentile(deltas, [tail, 100 - tail])
    return delta, float(low), float(high)
