"""The runner, store and comparison end to end against a real tiny index."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from archbot.advisor.core import Advisor
from archbot.eval import metrics as m
from archbot.eval.compare import compare_runs
from archbot.eval.dataset import EvalItem, load_dataset
from archbot.eval.results import EvalRun
from archbot.eval.runner import run_dataset, score_item
from archbot.eval.snapshot import SECRET_FIELDS
from archbot.eval.store import RunStore
from archbot.kernel.errors import InputError
from archbot.kernel.settings import Settings
from archbot.kernel.store import Store
from archbot.kernel.types import Answer, Citation
from tests.eval.conftest import ITEMS, write_dataset

ITEMS_BY_ID = {item["id"]: item for item in ITEMS}

QUALITY = {
    "recall@5",
    "recall@10",
    "mrr",
    "ndcg@10",
    "citation_validity",
    "citation_precision",
    "citation_recall",
    "abstention_accuracy",
    "answer_f1",
    "answer_similarity",
    "groundedness",
    "status_current_cited",
    "status_must_say",
}


@pytest.fixture
def run(indexed: Settings, dataset_path: Path) -> EvalRun:
    settings = indexed.with_(llm_api_key="sk-secret", slack_bot_token="xoxb-secret")
    return run_dataset(settings, load_dataset(dataset_path), Advisor.open(settings))


def test_every_item_carries_the_contract_fields_and_its_metrics(run: EvalRun) -> None:
    assert [i.id for i in run.items] == ["events", "sessions", "logs", "menu"]
    for item in run.to_json()["items"]:
        assert {"id", "answer", "abstained", "cited", "retrieved", "metrics"} <= set(item)
        assert item["answer"]
        assert item["metrics"]["latency_ms"] > 0
    assert run.items[3].kind == "abstain"


def test_item_metrics_agree_with_what_the_item_records(run: EvalRun) -> None:
    for item in run.items:
        assert item.metrics["recall@10"] == m.recall_at_k(item.retrieved, item.relevant, 10)
        assert item.metrics["mrr"] == m.reciprocal_rank(item.retrieved, item.relevant)
        assert item.metrics["citation_recall"] == m.citation_recall(item.cited, item.relevant)
        assert item.metrics["abstention_accuracy"] == float(item.abstained == (not item.relevant))
        assert item.cited == list(dict.fromkeys(c["source"] for c in item.citations))
    events = run.items[0]
    assert events.metrics["status_current_cited"] == float("adr/0012-adopt-kafka.md" in events.cited)
    assert events.metrics["status_must_say"] == float("kafka" in events.answer.lower())
    assert "status_current_cited" not in run.items[1].metrics


def test_abstain_items_have_no_retrieval_or_answer_scores(run: EvalRun) -> None:
    menu = run.items[3].metrics
    for name in ("recall@10", "mrr", "ndcg@10", "citation_recall", "answer_f1", "answer_similarity"):
        assert menu[name] is None
    assert menu["abstention_accuracy"] in (0.0, 1.0)


def test_aggregates_are_means_over_defined_items(run: EvalRun) -> None:
    assert set(run.metrics) >= QUALITY
    assert {"latency_p50_ms", "latency_p95_ms"} <= set(run.metrics)
    for name in QUALITY:
        assert 0.0 <= run.metrics[name] <= 1.0
    recalls = [i.metrics["recall@10"] for i in run.items[:3]]
    assert run.metrics["recall@10"] == pytest.approx(sum(recalls) / 3, abs=1e-4)
    # the similarity of an answer with its gold answer is a real embedding cosine, not a placeholder
    assert all(run.items[i].metrics["answer_similarity"] is not None for i in range(3))


def test_per_kind_breakdown(run: EvalRun) -> None:
    by_kind = run.by_kind()
    assert set(by_kind) == {"status", "decision-lookup", "standard", "abstain"}
    assert by_kind["abstain"]["abstention_accuracy"] == run.items[3].metrics["abstention_accuracy"]
    assert "status_must_say" in by_kind["status"]


def test_config_snapshot_leaves_out_secrets(run: EvalRun) -> None:
    assert run.config["embedder"] == "hash"
    assert not SECRET_FIELDS & set(run.config)
    assert "secret" not in str(run.to_json())


def test_store_round_trip_and_references(run: EvalRun, indexed: Settings) -> None:
    runs = RunStore(Store(indexed.db_path))
    runs.save(run)
    loaded = runs.load(run.id)
    assert loaded.to_json() == run.to_json()
    assert runs.resolve("latest") == run.id
    assert runs.resolve(run.id[:10]) == run.id
    with pytest.raises(InputError, match="no previous"):
        runs.resolve("previous")
    with pytest.raises(InputError, match="No evaluation run"):
        runs.load("nope")
    assert [h["id"] for h in runs.history(run.dataset)] == [run.id]


def test_compare_a_run_with_itself_shows_no_change(run: EvalRun) -> None:
    comparison = compare_runs(run, run)
    assert comparison.worse == []
    assert comparison.regressions() == []
    for change in comparison.metrics:
        assert change.delta in (0.0, None)
        assert change.verdict in ("unchanged", "n/a")


def test_compare_lists_items_that_got_worse(run: EvalRun) -> None:
    worse = copy.deepcopy(run)
    worse.id = "worse"
    for item in worse.items:
        item.metrics["abstention_accuracy"] = 0.0
    worse.items[1].metrics["recall@10"] = -1.0  # an impossible value makes the drop unmistakable
    worse.metrics["abstention_accuracy"] = 0.0
    comparison = compare_runs(run, worse)
    by_name = {c.name: c for c in comparison.metrics}
    change = by_name["abstention_accuracy"]
    assert change.delta == pytest.approx(-run.metrics["abstention_accuracy"])
    assert change.paired == 4
    if run.metrics["abstention_accuracy"] == 1.0:
        assert change.verdict == "worse"
        assert (change.ci_low, change.ci_high) == (-1.0, -1.0)
    assert comparison.worse[0].id == "sessions"
    assert comparison.worse[0].drops["recall@10"][1] == -1.0


def test_a_slower_run_is_reported_but_is_not_a_regression(run: EvalRun) -> None:
    slower = copy.deepcopy(run)
    slower.id = "slower"
    for item in slower.items:
        item.metrics["latency_ms"] = (item.metrics["latency_ms"] or 0.0) + 1000.0
    slower.metrics["latency_p95_ms"] = run.metrics["latency_p95_ms"] + 1000.0
    comparison = compare_runs(run, slower)
    by_name = {c.name: c for c in comparison.metrics}
    assert by_name["latency_p95_ms"].verdict == "worse"
    assert comparison.regressions() == []
    assert comparison.worse == []


def test_compare_warns_about_different_datasets(run: EvalRun, tmp_path: Path, indexed: Settings) -> None:
    path = write_dataset(tmp_path / "other.jsonl", [{"id": "logs", "question": "how long do we keep logs?"}])
    other = run_dataset(indexed, load_dataset(path), Advisor.open(indexed))
    comparison = compare_runs(run, other)
    assert len(comparison.warnings) == 2
    assert comparison.metrics


def _answer(abstained: bool) -> Answer:
    citation = Citation(
        n=1,
        source="adr/0012-adopt-kafka.md",
        title="Adopt Kafka for event streaming",
        kind="adr",
        status="accepted",
        date="2024-03-05",
        excerpt="We will publish all domain events to Apache Kafka topics.",
    )
    return Answer(
        text="ADR 12 (Adopt Kafka for event streaming), accepted 2024-03-05 [1].",
        citations=(citation,),
        abstained=abstained,
    )


def test_an_abstentions_closest_documents_are_not_citations_of_support() -> None:
    item = EvalItem("x", "q", relevant=("adr/0012-adopt-kafka.md",), current="adr/0012-adopt-kafka.md")
    answered = score_item(item, _answer(False), [], 1.0, 6)
    abstained = score_item(item, _answer(True), [], 1.0, 6)
    assert (
        answered["citation_precision"],
        answered["citation_recall"],
        answered["status_current_cited"],
    ) == (1, 1, 1)
    assert (
        abstained["citation_precision"],
        abstained["citation_recall"],
        abstained["status_current_cited"],
    ) == (
        None,
        0.0,
        0.0,
    )
    assert abstained["groundedness"] is None


def test_citation_metadata_counts_as_evidence() -> None:
    # every content word of the claim is in the title, status or date, none in the excerpt alone
    item = EvalItem("x", "q", relevant=("adr/0012-adopt-kafka.md",))
    assert score_item(item, _answer(False), [], 1.0, 6)["groundedness"] == 1.0


CONVERSATION = {
    "id": "sessions-chat",
    "turns": [
        {
            "question": "where do we keep web session state?",
            "relevant": ["adr/0003-signed-cookie-sessions.md"],
        },
        {"question": "and who decided that?", "relevant": ["adr/0003-signed-cookie-sessions.md"]},
    ],
}


def test_conversation_items_are_scored_turn_by_turn_with_the_history(
    indexed: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    advisor = Advisor.open(indexed)
    asked: list[tuple[str, tuple]] = []
    ask = advisor.ask

    def spy(question, **kwargs):
        asked.append((question, tuple(kwargs.get("history", ()))))
        return ask(question, **kwargs)

    monkeypatch.setattr(advisor, "ask", spy)
    path = write_dataset(tmp_path / "chat.jsonl", [ITEMS_BY_ID["logs"], CONVERSATION])
    run = run_dataset(indexed, load_dataset(path), advisor)
    assert [(i.id, i.turn) for i in run.items] == [
        ("logs", None),
        ("sessions-chat#1", 1),
        ("sessions-chat#2", 2),
    ]
    assert asked[1][1] == ()
    history = asked[2][1]
    assert [t.role for t in history] == ["user", "assistant"]
    assert history[0].text == CONVERSATION["turns"][0]["question"]
    assert history[1].text == run.items[1].answer
    assert history[1].sources == tuple(run.items[1].cited)
    assert run.items[2].metrics["relevant_cited"] is not None
    out = run.to_json()["items"]
    assert "turn" not in out[0] and out[2]["turn"] == 2
    assert {i.kind for i in run.items[1:]} == {"conversation-start", "follow-up"}


def test_a_conversation_without_turns_is_refused(tmp_path: Path) -> None:
    path = write_dataset(tmp_path / "bad.jsonl", [{"id": "c", "turns": []}])
    with pytest.raises(InputError, match="turns"):
        load_dataset(path)
