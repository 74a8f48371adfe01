"""`archbot review FILE [--json]` driven through click, as users and scripts call it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from archbot.bot.cli import main
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.settings import Settings
from tests.review.corpus import write_corpus

DOC = "# Receipts\n\n## Proposal\n\nWe will publish ReceiptIssued events to the existing RabbitMQ exchange.\n"


def run(settings: Settings, *args: str):
    env = {"ARCHBOT_HOME": str(settings.home), "ARCHBOT_EMBEDDER": "hash"}
    return CliRunner().invoke(main, ["review", *args], env=env)


def test_json_output_matches_the_contract(settings: Settings, tmp_path: Path) -> None:
    ingest_paths(settings, [write_corpus(tmp_path / "kb")])
    doc = tmp_path / "design.md"
    doc.write_text(DOC, encoding="utf-8")
    result = run(settings, str(doc), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"summary", "findings"}
    conflict = next(f for f in data["findings"] if f["kind"] == "conflict")
    assert set(conflict) == {"kind", "severity", "message", "evidence", "citations"}
    assert {"n", "source", "title", "kind", "status", "section", "url", "score"} <= set(
        conflict["citations"][0]
    )
    assert conflict["citations"][0]["source"] == "adr/0009-adopt-kafka-for-events.md"


def test_markdown_output_for_people(settings: Settings, tmp_path: Path) -> None:
    ingest_paths(settings, [write_corpus(tmp_path / "kb")])
    doc = tmp_path / "design.md"
    doc.write_text(DOC, encoding="utf-8")
    result = run(settings, str(doc))
    assert result.exit_code == 0
    assert result.stdout.startswith("# Design pre-review")
    assert "## High" in result.stdout and "**Conflict:**" in result.stdout


def test_missing_binary_and_unindexed_give_clear_errors(settings: Settings, tmp_path: Path) -> None:
    missing = run(settings, str(tmp_path / "nope.md"))
    assert missing.exit_code == 1 and "is not a file" in missing.stderr
    binary = tmp_path / "doc.md"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    assert "binary file" in run(settings, str(binary)).stderr
    text = tmp_path / "ok.md"
    text.write_text(DOC, encoding="utf-8")
    unindexed = run(settings, str(text))
    assert unindexed.exit_code == 1 and "archbot ingest" in unindexed.stderr
    assert "Traceback" not in unindexed.output
