"""The optional LLM judge, through the real LangChain OpenAI client against a loopback server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archbot.bot.cli import main
from archbot.eval.judge import Judge, judge_summary, parse_scores, render
from archbot.kernel.settings import Settings
from tests.eval.factories import make_item
from tests.fakes.openai_server import FakeOpenAI, Reply

VERDICT = '{"faithfulness": 0.8, "answer_relevance": 0.6, "reason": "mostly supported"}'


def llm_settings(settings: Settings, fake: FakeOpenAI) -> Settings:
    return settings.with_(llm="openai:fake-model", llm_base_url=fake.base_url, llm_timeout_s=5.0)


def test_parse_scores() -> None:
    assert parse_scores(f"Sure!\n```json\n{VERDICT}\n```") == {
        "faithfulness": 0.8,
        "answer_relevance": 0.6,
        "reason": "mostly supported",
    }
    assert parse_scores('{"faithfulness": 1.7, "answer_relevance": -1}') == {
        "faithfulness": 1.0,
        "answer_relevance": 0.0,
    }
    assert "error" in parse_scores('{"faithfulness": 0.5}')
    assert "error" in parse_scores('{"faithfulness": true, "answer_relevance": 1}')
    assert "error" in parse_scores("I think it is fine.")


def test_render_fills_placeholders_once() -> None:
    item = make_item("a", answer="Use {sources} literally [1].")
    prompt = render("Q: {question}\nA: {answer}\nS: {sources}", item.question, item.answer, item.citations)
    assert "A: Use {sources} literally [1]." in prompt
    assert "[1] Adopt Kafka for event streaming (adr/0012-adopt-kafka.md)" in prompt
    assert "Apache Kafka topics" in prompt


def test_no_judge_without_a_model(settings: Settings) -> None:
    assert Judge.from_settings(settings) is None


def test_judge_scores_answers_and_survives_provider_errors(settings: Settings, fake: FakeOpenAI) -> None:
    judge = Judge.from_settings(llm_settings(settings, fake))
    assert judge is not None
    items = [
        make_item("good"),
        make_item("broken"),
        make_item("menu", kind="abstain", relevant=[], abstained=True),
    ]
    fake.script.extend([Reply(VERDICT), Reply(status=500), Reply(status=500)])  # the client retries once
    summary = judge.judge_all(items)
    assert items[0].judge == {"faithfulness": 0.8, "answer_relevance": 0.6, "reason": "mostly supported"}
    assert items[1].judge is not None and "500" in items[1].judge["error"]
    assert items[2].judge == {"skipped": "abstained"}
    assert summary == {"faithfulness": 0.8, "answer_relevance": 0.6, "judged": 1, "errors": 1}
    assert len(fake.requests) == 3  # abstentions cost no model call
    prompt = fake.requests[0]["body"]["messages"][-1]["content"]
    assert "question good?" in prompt and "Apache Kafka topics" in prompt
    assert fake.requests[0]["body"]["model"] == "fake-model"


def test_judge_summary_is_none_without_verdicts() -> None:
    assert judge_summary([make_item("a")]) is None


def test_cli_keeps_judge_scores_apart_and_gates_on_them(
    indexed: Settings, dataset_path: Path, fake: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARCHBOT_EMBEDDER", "hash")
    monkeypatch.setenv("ARCHBOT_LLM", "openai:fake-model")
    monkeypatch.setenv("ARCHBOT_LLM_BASE_URL", fake.base_url)
    # Every call gets the verdict: the answerer rejects it (no citation) and falls back to offline,
    # so only the judge's calls are scored.
    fake.default = Reply(VERDICT)
    runner = CliRunner()
    args = ["eval", "run", str(dataset_path), "--json"]
    result = runner.invoke(main, [*args, "--fail-under", "judge.faithfulness=0.9"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["judge"]["faithfulness"] == 0.8 and data["judge"]["judged"] >= 1
    assert not {"faithfulness", "answer_relevance"} & set(data["metrics"])
    assert all("judge" in item for item in data["items"])
    assert data["gates"][0]["metric"] == "judge.faithfulness" and not data["gates"][0]["passed"]

    calls = len(fake.requests)
    skipped = runner.invoke(main, [*args, "--no-judge"])
    assert skipped.exit_code == 0 and "judge" not in json.loads(skipped.stdout)
    answering_calls = len(fake.requests) - calls
    assert answering_calls == sum(1 for item in data["items"] if not item["abstained"])
