"""The `archbot ask` and `archbot chat` commands, driven through click like a user would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archbot.bot.cli import main
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.settings import Settings
from tests.minicorpus import write_minicorpus

ENV = {"ARCHBOT_EMBEDDER": "hash"}


@pytest.fixture
def indexed(settings: Settings, tmp_path: Path) -> Settings:
    ingest_paths(settings, [write_minicorpus(tmp_path / "kb")])
    return settings


def test_ask_json_follows_the_contract(indexed: Settings) -> None:
    result = CliRunner().invoke(
        main, ["ask", "are we still on rabbitmq for domain events?", "--json"], env=ENV
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"answer", "abstained", "citations", "latency_ms"} <= set(data)
    assert data["abstained"] is False
    citation = data["citations"][0]
    assert set(citation) >= {"n", "source", "title", "kind", "status", "section", "url", "score"}
    assert citation == {**citation, "n": 1, "source": "adr/0012-adopt-kafka.md", "kind": "adr"}
    assert "[1]" in data["answer"]


def test_ask_renders_answer_and_numbered_sources(indexed: Settings) -> None:
    result = CliRunner().invoke(main, ["ask", "how long do we keep application logs?"], env=ENV)
    assert result.exit_code == 0, result.output
    assert "30 days" in result.stdout
    assert "Sources" in result.stdout and "[1] Data retention standard" in result.stdout
    assert "standards/data-retention.md" in result.stdout


def test_ask_before_ingest_says_what_to_do() -> None:
    result = CliRunner().invoke(main, ["ask", "anything?"], env=ENV)
    assert result.exit_code == 1
    assert "archbot ingest" in result.output and "Traceback" not in result.output


def test_chat_answers_a_follow_up_from_the_conversation(indexed: Settings) -> None:
    conversation = "are we still on rabbitmq for domain events?\nand why?\n"
    result = CliRunner().invoke(main, ["chat"], input=conversation, env=ENV)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Sources") == 2
    assert result.stdout.count("adr/0012-adopt-kafka.md") == 2


def test_ask_with_history_answers_the_follow_up_and_cites(indexed: Settings, tmp_path: Path) -> None:
    first = CliRunner().invoke(
        main, ["ask", "are we still on rabbitmq for domain events?", "--json"], env=ENV
    )
    earlier = json.loads(first.stdout)
    history = tmp_path / "history.json"
    history.write_text(
        json.dumps(
            [
                {"role": "user", "text": "are we still on rabbitmq for domain events?"},
                {"role": "assistant", "text": earlier["answer"]},
            ]
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["ask", "why was it replaced?", "--json", "--history", str(history)], env=ENV
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert not data["abstained"]
    assert {c["source"] for c in data["citations"]} & {c["source"] for c in earlier["citations"]}


@pytest.mark.parametrize("content", ["not json", '{"role": "user"}', '[{"role": "bot", "text": "hi"}]'])
def test_a_malformed_history_file_says_what_shape_to_give(
    indexed: Settings, tmp_path: Path, content: str
) -> None:
    history = tmp_path / "history.json"
    history.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["ask", "why?", "--history", str(history)], env=ENV)
    assert result.exit_code != 0
    assert "JSON list" in result.output
    assert "Traceback" not in result.output
