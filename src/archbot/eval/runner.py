"""Runs a dataset through the advisor core and scores every answer with the deterministic metrics."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import numpy as np

from archbot.eval import metrics as m
from archbot.eval.dataset import Dataset, EvalItem
from archbot.eval.judge import Judge
from archbot.eval.results import EXCERPT_CHARS, EvalRun, ItemResult, aggregate
from archbot.eval.snapshot import config_snapshot, git_commit
from archbot.kernel.settings import Settings
from archbot.kernel.types import Answer, Citation, Turn

if TYPE_CHECKING:
    from archbot.advisor.core import Advisor

RECALL_CUTOFFS = (5, 10)

Progress = Callable[[int, int, ItemResult], None]


def new_run_id() -> str:
    """Readable and unique without coordination; order comes from `created_at` (microseconds)."""
    return time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]


def unique(sources: list[str]) -> list[str]:
    return list(dict.fromkeys(sources))


def supporting_sources(answer: Answer) -> list[str]:
    """The sources an answer cites as support. An abstention's "closest documents" are pointers, not
    support: counting them would punish a correct abstention and reward a wrong one."""
    return [] if answer.abstained else unique([c.source for c in answer.citations])


def evidence(citation: Citation) -> str:
    """What a citation stands for: the cited chunks plus the metadata shown with them (title, status,
    date, section), since answers state those too ("ADR 7 … was superseded, 2024-03-05")."""
    meta = " ".join(filter(None, (citation.title, citation.status, citation.date, citation.section)))
    return f"{meta}\n{citation.excerpt}"


def score_item(
    item: EvalItem, answer: Answer, ranked: list[str], latency_ms: float, k: int
) -> dict[str, float | None]:
    """Every deterministic metric that does not need the embedder (see `add_similarity` for that one)."""
    support = supporting_sources(answer)
    scores: dict[str, float | None] = {}
    for cutoff in sorted({*RECALL_CUTOFFS, k}):
        scores[f"recall@{cutoff}"] = m.recall_at_k(ranked, item.relevant, cutoff)
    scores["mrr"] = m.reciprocal_rank(ranked, item.relevant)
    scores["ndcg@10"] = m.ndcg_at_k(ranked, dict.fromkeys(item.relevant, 1.0), 10)
    scores["citation_validity"] = m.citation_validity(answer.text, [c.n for c in answer.citations])
    scores["citation_precision"] = m.citation_precision(support, item.relevant)
    scores["citation_recall"] = m.citation_recall(support, item.relevant)
    scores["relevant_cited"] = m.relevant_cited(support, item.relevant)
    if item.relevant and support:
        scores["cited_count"] = float(len(set(support)))
        scores["cited_relevant_count"] = float(len(set(support) & set(item.relevant)))
    scores["abstention_accuracy"] = m.abstention_correct(answer.abstained, item.should_abstain)
    scores["answer_f1"] = m.token_f1(answer.text, item.answer) if _has_gold(item) else None
    scores["answer_similarity"] = None
    scores["groundedness"] = (
        None
        if answer.abstained
        else m.groundedness(answer.text, {c.n: evidence(c) for c in answer.citations})
    )
    if item.current:
        scores["status_current_cited"] = 1.0 if item.current in support else 0.0
    if item.must_say:
        scores["status_must_say"] = m.must_say_matched(answer.text, item.must_say)
    scores["latency_ms"] = round(latency_ms, 1)
    return scores


def _has_gold(item: EvalItem) -> bool:
    """Answer correctness is scored only where there is a gold answer to an answerable question; for an
    abstain item the right behaviour is the abstention itself, which abstention accuracy scores."""
    return bool(item.answer) and not item.should_abstain


def add_similarity(results: list[ItemResult], embed: Callable[[list[str]], np.ndarray]) -> None:
    """Cosine similarity of answer and gold answer, embedded in one batch at the end of the run."""
    scored = [r for r in results if r.metrics.get("answer_f1") is not None and r.gold]
    if not scored:
        return
    texts = [m.strip_markers(r.answer) for r in scored] + [r.gold or "" for r in scored]
    vectors = embed(texts)
    for i, result in enumerate(scored):
        result.metrics["answer_similarity"] = round(m.cosine(vectors[i], vectors[len(scored) + i]), 4)


def _citations_json(answer: Answer) -> list[dict]:
    return [{**c.to_json(), "excerpt": c.excerpt[:EXCERPT_CHARS]} for c in answer.citations]


def _timed_ask(advisor: Advisor, item: EvalItem, k: int, history: Sequence[Turn]) -> tuple[Answer, float]:
    started = time.perf_counter()
    answer = advisor.ask(item.question, k=k, history=history)
    return answer, (time.perf_counter() - started) * 1000


def evaluate_conversation(advisor: Advisor, turns: Sequence[EvalItem], k: int) -> list[ItemResult]:
    """Every turn asked with the turns before it as history, archbot's own answers (and the sources
    they cited) as the assistant turns: a wrong early answer costs the later turns, as in a chat."""
    history: list[Turn] = []
    results = []
    for item in turns:
        answer, latency_ms = _timed_ask(advisor, item, k, history)
        results.append(_result(item, answer, latency_ms, k))
        history += [
            Turn("user", item.question),
            Turn("assistant", answer.text, tuple(unique([c.source for c in answer.citations]))),
        ]
    return results


def _result(item: EvalItem, answer: Answer, latency_ms: float, k: int) -> ItemResult:
    """Retrieval is scored on `Answer.retrieved`, the ranking the answer was drawn from (the advisor
    retrieves twice k, at least 12, documents), so retrieval and answer metrics describe one pipeline."""
    ranked = list(answer.retrieved)
    return ItemResult(
        id=item.id,
        kind=item.group,
        question=item.question,
        gold=item.answer,
        relevant=list(item.relevant),
        answer=answer.text,
        abstained=answer.abstained,
        cited=unique([c.source for c in answer.citations]),
        retrieved=ranked,
        citations=_citations_json(answer),
        metrics=score_item(item, answer, ranked, latency_ms, k),
        turn=item.turn,
    )


def run_dataset(
    settings: Settings,
    dataset: Dataset,
    advisor: Advisor,
    judge: Judge | None = None,
    progress: Progress | None = None,
) -> EvalRun:
    """Ask every question, score every answer, aggregate. `settings.top_k` is the k the advisor
    answers from (`archbot eval run -k`) and the k of `recall@k`."""
    results: list[ItemResult] = []
    for group in dataset.conversations():
        for result in evaluate_conversation(advisor, group, settings.top_k):
            results.append(result)
            if progress:
                progress(len(results), len(dataset.items), result)
    add_similarity(results, advisor.embedder.embed)
    return EvalRun(
        id=new_run_id(),
        created_at=datetime.now(UTC).isoformat(timespec="microseconds"),
        dataset=dataset.name,
        dataset_hash=dataset.sha256,
        git_commit=git_commit(),
        config=config_snapshot(settings),
        metrics=aggregate(results),
        items=results,
        judge=judge.judge_all(results) if judge else None,
    )
