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
