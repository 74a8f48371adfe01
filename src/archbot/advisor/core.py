"""The advisor core: question (+ conversation) in, `Answer` out. Frontends only translate."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import NamedTuple

import numpy as np

from archbot.advisor.citations import cited_numbers, renumber
from archbot.advisor.context import (
    Source,
    build_sources,
    with_in_force_on_subject,
    with_later_decisions,
    with_newer_on_subject,
)
from archbot.advisor.conversation import context_of, specificity
from archbot.advisor.lifecycle import asks_about_history, current_for
from archbot.advisor.llm import llm_answer, make_chat_model
from archbot.advisor.offline import MAX_SCORED_SOURCES, abstention, compose, not_mentioned
from archbot.advisor.question_kinds import asks
from archbot.advisor.retrieval import Hit, Retriever, allowed
from archbot.advisor.salience import Vocabulary, missing_names
from archbot.kernel.embedder import Embedder, make_embedder
from archbot.kernel.errors import ArchbotError, LLMError, NotIndexedError
from archbot.kernel.index import VectorIndex, import_client_aside
from archbot.kernel.lexical import tokenize
from archbot.kernel.sentence_vectors import SentenceVectors
from archbot.kernel.settings import Settings
from archbot.kernel.store import Store
from archbot.kernel.types import Answer, Chunk, Citation, DecisionFrame, Document, Filters, Review, Turn

log = logging.getLogger(__name__)

COVERAGE_WEIGHT = 0.5  # how much the question's IDF-weighted word coverage adds to the evidence
# A follow-up is retrieved twice, as asked and with the conversation's words; the documents of both
# rankings are fused by reciprocal rank (as the retriever fuses its legs), the question as asked
# counting fully when it is at least as specific as the question before it (its rarest word as rare),
# and this much when it is not ("who ok'd that?").
WEAK_QUESTION_WEIGHT = 0.3
CONTEXT_WEIGHT = 1.0  # the ranking of the question with the conversation's words
# The documents the conversation cited stay candidates: worth this share of a first place when the
# new question is the less specific one, WEAK_QUESTION_WEIGHT of that when it is not.
CITED_WEIGHT = 0.3
FUSION_K = 60
SUBJECT_CANDIDATES = 5  # documents searched for one in force on an inactive lead's subject
VOCABULARY_FOLDER = "vocabulary"


@dataclass(frozen=True)
class Readiness:
    """What `Advisor.warm` loaded, for a start-up line and a readiness probe."""

    documents: int
    chunks: int
    seconds: float


@dataclass(frozen=True)
class IndexStats:
    documents: int
    chunks: int
    by_kind: dict[str, int]
    last_ingest: str | None


class Retrieval(NamedTuple):
    """What `Advisor._retrieve` found for a question."""

    query: str  # what was retrieved with: the question, or a follow-up with the conversation's words
    vector: np.ndarray  # the query's vector
    hits: list[Hit]
    asked_vector: np.ndarray  # the question's own vector
    scope: frozenset[str] | None  # the documents of the folders the query names, if it names any


class Advisor:
    """Answers and reviews over one index. Build it once per process and share it between threads.

    The in-memory generation (documents, decision frames, lexical index) is immutable once built;
    chunks are read from the manifest as answers need them. When an ingest commits a new manifest
    generation, one thread builds the next `Retriever` aside while the others keep answering from the
    current one, then it is swapped in with one assignment.
    """

    def __init__(self, settings: Settings, store: Store, embedder: Embedder, index: VectorIndex) -> None:
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self.index = index
        self.sentence_vectors = SentenceVectors(store, embedder)
        self._retriever: Retriever | None = None
        self._rebuilding = threading.Lock()
        self._vocabulary: tuple[Retriever, Vocabulary] | None = None

    @classmethod
    def open(cls, settings: Settings) -> Advisor:
        # chromadb's import and the model's loading overlap on two cores: a cold `archbot ask` took
        # 1.47 s instead of 1.28 s one after the other (dev index, 4 runs each).
        importing = import_client_aside()
        embedder = make_embedder(settings.embedder, settings.model_cache_dir)
        importing.join()
        return cls(
            settings, Store(settings.db_path), embedder, VectorIndex(settings, embedder.name, embedder.dim)
        )

    def warm(self) -> Readiness:
        """Load everything the first question would wait for: the model, the index, the lexical index."""
        started = time.perf_counter()
        self.embedder.embed(["warm-up"])
        retriever = self.retriever
        self.vocabulary(retriever)
        _ = self.chat_model
        return Readiness(len(retriever.documents), retriever.chunk_count, time.perf_counter() - started)

    def prepare(self) -> None:
        """Build and save what later processes then load: run after an ingest, so no answer pays for it."""
        self.vocabulary(self.retriever)

    @cached_property
    def chat_model(self):
        """The configured LangChain chat model, or None (offline); a broken setup is logged, not fatal."""
        try:
            return make_chat_model(self.settings)
        except ArchbotError as exc:
            log.warning("LLM disabled: %s", exc)
            return None

    @property
    def retriever(self) -> Retriever:
        current = self._retriever
        if current is not None and current.generation == self.store.generation:
            return current
        if current is not None and not self._rebuilding.acquire(blocking=False):
            return current  # another thread is building the next generation; answer from this one
        if current is None:
            self._rebuilding.acquire()
        try:
            latest = self._retriever
            if latest is None or latest.generation != self.store.generation:
                latest = self._retriever = Retriever(
                    self.store, self.index, self.embedder, self.settings.lexical_path
                )
            return latest
        finally:
            self._rebuilding.release()

    def vocabulary(self, retriever: Retriever) -> Vocabulary:
        """The corpus's word forms, built once per manifest and saved beside its lexical index, so
        later processes load it (two threads may both build it once; either result is the same)."""
        cached = self._vocabulary
        if cached is not None and cached[0] is retriever:
            return cached[1]
        folder = retriever.lexical.folder
        saved = folder / VOCABULARY_FOLDER if folder is not None else None
        if saved is not None and saved.is_dir():
            vocabulary = Vocabulary.load(saved)
        else:
            vocabulary = Vocabulary.build(retriever.documents, retriever.chunks_by_source)
            if saved is not None:
                try:
                    vocabulary.save(saved)
                except OSError:  # a newer ingest replaced this manifest's folder meanwhile
                    log.info("vocabulary of an older manifest not saved")
        self._vocabulary = (retriever, vocabulary)
        return vocabulary

    @property
    def documents(self) -> dict[str, Document]:
        return self.retriever.documents

    def current_for(self, source: str) -> list[Document]:
        return current_for(source, self.documents)

    @property
    def frames(self) -> dict[str, list[DecisionFrame]]:
        return self.retriever.frames

    def chunks_of(self, source: str) -> list[Chunk]:
        return self.retriever.chunks_by_source.get(source, [])

    def stats(self) -> IndexStats:
        by_kind = self.store.kind_counts()
        return IndexStats(
            documents=sum(by_kind.values()),
            chunks=self.store.chunk_count(),
            by_kind=by_kind,
            last_ingest=self.store.state("last_ingest"),
        )

    def retrieve(
        self, question: str, *, filters: Filters = Filters(), k: int = 10, mode: str = "hybrid"
    ) -> list[Hit]:
        if self.store.document_count() == 0:
            raise NotIndexedError()
        return self.retriever.search(question, filters, k, mode)

    def ask(
        self,
        question: str,
        *,
        history: Sequence[Turn] = (),
        filters: Filters = Filters(),
        k: int | None = None,
    ) -> Answer:
        started = time.perf_counter()
        if self.store.document_count() == 0:
            raise NotIndexedError()
        retriever = self.retriever
        vocabulary = self.vocabulary(retriever)
        limit = k or self.settings.top_k
        n = max(limit, 6) * 2

        def visible(source: str) -> bool:
            return allowed(retriever.documents[source], filters)

        missing = missing_names(question, vocabulary, visible)
        asked = _without(question, missing)
        query, qvec, hits, asked_vec, scope = self._retrieve(
            asked, history, filters, n, retriever, vocabulary, visible
        )
        # The conversation chose where to look; the sentences quoted answer what was asked (ADR 8).
        # A follow-up with no word of its own ("when was that?") asks about the record just cited,
        # which leads (`_retrieve`): the conversation's words score its sentences, and the answer is
        # that record's alone.
        own_words = bool(tokenize(asked))
        said, said_vec = (asked, asked_vec) if own_words else (query, qvec)
        scored = MAX_SCORED_SOURCES if own_words or not history else 1
        conversation = query if own_words and query != asked else None
        sources = build_sources(
            query,
            hits,
            retriever.documents,
            retriever.chunks_by_source,
            asks_about_history(asked),
            limit,
            retriever.frames,
        )
        sources = with_in_force_on_subject(
            sources,
            lambda subject: retriever.search(subject, filters, k=SUBJECT_CANDIDATES),
            retriever.frames,
        )
        sources = with_later_decisions(
            sources, retriever.documents, retriever.chunks_by_source, retriever.frames, query
        )
        if asks("standing", asked) and not asks_about_history(asked):
            sources = with_newer_on_subject(sources, hits, retriever.frames)
        retrieved = tuple(h.source for h in hits)
        # A follow-up whose best document the conversation already cited is on an established topic.
        carried = bool(history) and bool(hits) and any(hits[0].source in t.sources for t in history)
        weak = not sources or (self._weak(query, hits, retriever) and not carried)
        if missing:
            body = (
                abstention(sources, self.embedder.min_similarity)
                if weak
                else compose(
                    said,
                    said_vec,
                    sources,
                    self.sentence_vectors,
                    retriever.lexical,
                    conversation=conversation,
                    scope=scope,
                )[0]
            )
            return self._answer(
                not_mentioned(missing, body, weak), sources, True, "offline", None, started, retrieved
            )
        if weak:
            text = abstention(sources, self.embedder.min_similarity)
            return self._answer(text, sources, True, "offline", None, started, retrieved)
        answerer, note = "offline", None
        if self.chat_model is not None:
            try:
                text = llm_answer(self.chat_model, self.settings, question, history, sources)
                return self._answer(text, sources, False, "llm", None, started, retrieved)
            except LLMError as exc:
                log.warning("LLM answer failed, using the offline answer: %s", exc)
                answerer = "offline-fallback"
                note = f"The language model was unavailable ({exc.message}); this is the offline answer."
        text, _ = compose(
            said,
            said_vec,
            sources,
            self.sentence_vectors,
            retriever.lexical,
            scored_sources=scored,
            conversation=conversation,
            scope=scope,
        )
        return self._answer(text, sources, False, answerer, note, started, retrieved)

    def _retrieve(
        self,
        question: str,
        history: Sequence[Turn],
        filters: Filters,
        n: int,
        retriever: Retriever,
        vocabulary: Vocabulary,
        visible: Callable[[str], bool],
    ) -> Retrieval:
        """The query retrieved with, its vector, the ranked documents, the question's own vector and
        the documents of the folders the query names (`_search`). Without history, the query is the
        question as asked. A follow-up adds a retrieval with the conversation's salient words and
        keeps the documents cited so far as candidates; the question's own ranking counts less when
        it is less specific than the one before ("who ok'd that?"), so a self-contained question is
        not dragged back. A follow-up with no word of its own leads with what the latest answer led
        with."""
        qvec = self.embedder.embed([question])[0]
        own, own_scope = self._search(retriever, vocabulary, question, qvec, filters, n)
        if not history:
            return Retrieval(question, qvec, own, qvec, own_scope)

        def known(word: str) -> bool:
            return vocabulary.contains(word, visible)

        context = context_of(question, history, retriever.documents, retriever.lexical, known)
        if not context.terms and not context.cited:
            return Retrieval(question, qvec, own, qvec, own_scope)
        query = context.query(question)
        cvec = self.embedder.embed([query])[0] if query != question else qvec
        with_context, scope = (
            self._search(retriever, vocabulary, query, cvec, filters, n)
            if query != question
            else (own, own_scope)
        )
        alone_weak = specificity(question, retriever.lexical, known) < context.specificity
        own_weight = WEAK_QUESTION_WEIGHT if alone_weak else 1.0
        cited_weight = CITED_WEIGHT if alone_weak else CITED_WEIGHT * WEAK_QUESTION_WEIGHT
        scores: dict[str, float] = {}
        best: dict[str, Hit] = {}
        for weight, ranking in ((own_weight, own), (CONTEXT_WEIGHT, with_context)):
            for rank, hit in enumerate(ranking):
                scores[hit.source] = scores.get(hit.source, 0.0) + weight / (FUSION_K + rank)
                if hit.source not in best or hit.similarity > best[hit.source].similarity:
                    best[hit.source] = hit
        for source in context.cited:
            if source in retriever.documents and visible(source):
                scores[source] = scores.get(source, 0.0) + cited_weight / FUSION_K
                best.setdefault(source, _hit_of(retriever, source, query))
        ranked = sorted(scores, key=lambda s: (-scores[s], s))[:n]
        lead = next((s for s in context.cited if s in scores), None)
        if lead is not None and not tokenize(question):
            # No word of its own ("when was that?", "who ok'd that?"): it asks about what was just cited.
            scores[lead] = scores[ranked[0]]
            ranked = [lead, *(s for s in ranked if s != lead)][:n]
        # How the retrieval legs ranked each document for the question as asked: the conversation's
        # words rank the earlier topic first by design, so they are no evidence for the new question.
        asked_ranks = {h.source: h.leg_ranks for h in own}
        hits = [replace(best[s], score=scores[s], leg_ranks=asked_ranks.get(s, ())) for s in ranked]
        return Retrieval(query, cvec, hits, qvec, scope)

    def _search(
        self,
        retriever: Retriever,
        vocabulary: Vocabulary,
        query: str,
        vector: np.ndarray,
        filters: Filters,
        n: int,
    ) -> tuple[list[Hit], frozenset[str] | None]:
        """The ranked documents, and the documents of the folders the query names (a repository), if
        it names any: then it is ranked by the rest of it, the named folders' documents first."""
        scope = retriever.folders.named(query, vocabulary)
        if scope is None or not scope.query:
            return retriever.search(query, filters, k=n, vector=vector), None
        hits = retriever.search(scope.query, filters, k=n, vector=self.embedder.embed([scope.query])[0])
        named = [h for h in hits if h.source in scope.sources]
        return named + [h for h in hits if h.source not in scope.sources], scope.sources

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.embedder.embed(texts)

    def search(self, query: str, filters: Filters, k: int, *, vector: np.ndarray | None = None) -> list[Hit]:
        return self.retriever.search(query, filters, k, vector=vector)

    def review(self, text: str, *, name: str = "design.md", filters: Filters = Filters()) -> Review:
        """Pre-review a design doc; the advisor is the review's `Library`."""
        from archbot.advisor.review import review_document  # not imported by processes that only answer

        if self.store.document_count() == 0:
            raise NotIndexedError()
        return review_document(self, text, name, filters)

    def _weak(self, query: str, hits: list[Hit], retriever: Retriever) -> bool:
        """Too little evidence: the best chunks are semantically far and share few of the question's
        (rare) words. Either signal alone misleads: paraphrases have low overlap, off-topic questions
        can share common words, so the two are added."""
        if not hits:
            return True
        best = max(h.similarity for h in hits[:3])
        top_text = " ".join(
            f"{h.document.title} {c.section} {c.text}" for h in hits[:3] for c in h.chunks[:3]
        )
        coverage = retriever.lexical.weighted_overlap(query, top_text)
        floor = self.embedder.evidence_floor
        return best < self.embedder.min_similarity or best + COVERAGE_WEIGHT * coverage < floor

    def _answer(
        self,
        text: str,
        sources: list[Source],
        abstained: bool,
        answerer: str,
        note: str | None,
        started: float,
        retrieved: tuple[str, ...],
    ) -> Answer:
        """Renumber so the citations listed are exactly those cited, as 1..m, keeping the sources' rank
        order (the decision in force first) rather than the order the sentence happens to name them."""
        order = sorted(cited_numbers(text))
        by_n = {s.n: s for s in sources}
        citations = tuple(_citation(new, by_n[old]) for new, old in enumerate(order, start=1) if old in by_n)
        return Answer(
            text=renumber(text, order),
            citations=citations,
            abstained=abstained,
            answerer=answerer,
            note=note,
            latency_ms=(time.perf_counter() - started) * 1000,
            retrieved=retrieved,
        )


def _without(question: str, names: Sequence[str]) -> str:
    """The question with the names the documents lack taken out: what the rest of it asks."""
    for name in names:
        question = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", question)
    return " ".join(question.split())


def _hit_of(retriever: Retriever, source: str, query: str) -> Hit:
    """A document the conversation cited that neither ranking found: its chunks sharing most of the
    query's words first."""
    words = set(tokenize(query))
    chunks = sorted(
        retriever.chunks_by_source.get(source, []),
        key=lambda c: (-len(words & set(tokenize(f"{c.section} {c.text}"))), c.ord),
    )
    return Hit(source, retriever.documents[source], tuple(chunks[:4]), 0.0)


def _citation(n: int, source: Source) -> Citation:
    chunks = source.hit.chunks
    section = chunks[0].section or None if chunks else None
    excerpt = "\n\n".join(c.text for c in chunks[:3])
    return Citation.of(n, source.document, section, source.hit.score, excerpt)
