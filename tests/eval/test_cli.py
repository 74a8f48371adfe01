"""`archbot eval ...` driven through the real command with click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from archbot.bot.cli import main
from archbot.kernel.settings import Settings


@pytest.fixture
def cli(indexed: Settings, monkeypatch: pytest.MonkeyPatch):
    """Invoke `archbot` against the indexed home (the CLI reads its settings from the environment)."""
    monkeypatch.setenv("ARCHBOT_EMBEDDER", "hash")

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_run_json_is_one_object_on_stdout(cli, dataset_path: Path) -> None:
    result = cli("eval", "run", str(dataset_path), "--json", "--fail-under", "abstention_accuracy=0")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"run_id", "metrics", "items", "by_kind", "gates"} <= set(data)
    assert [i["id"] for i in data["items"]] == ["events", "sessions", "logs", "menu"]
    assert data["gates"] == [
        {
            "metric": "abstention_accuracy",
            "threshold": 0.0,
            "value": data["metrics"]["abstention_accuracy"],
            "passed": True,
        }
    ]
    assert "judge" not in data


def test_missed_threshold_exits_1_and_says_which(cli, dataset_path: Path) -> None:
    result = cli(
        "eval", "run", str(dataset_path), "--json", "--fail-under", "recall@10=1.01", "--fail-under", "mrr=0"
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [g["passed"] for g in data["gates"]] == [False, True]
    assert "FAIL recall@10" in result.stderr


def test_human_output_is_a_table(cli, dataset_path: Path) -> None:
    result = cli("eval", "run", str(dataset_path), "-k", "3")
    assert result.exit_code == 0, result.output
    assert (
        "recall@3" in result.stdout and "abstention_accuracy" in result.stdout and "per kind" in result.stdout
    )


@pytest.mark.parametrize(
    ("gate", "message"),
    [
        ("recall@10", "not METRIC=VALUE"),
        ("recall@10=high", "is not a number"),
        ("latency_p95_ms=100", "lower-is-better"),
    ],
)
def test_malformed_gates_are_usage_errors(cli, dataset_path: Path, gate: str, message: str) -> None:
    result = cli("eval", "run", str(dataset_path), "--fail-under", gate)
    assert result.exit_code == 2
    assert message in result.stderr


def test_unknown_metric_is_a_usage_error_listing_the_real_ones(cli, dataset_path: Path) -> None:
    result = cli("eval", "run", str(dataset_path), "--fail-under", "recal@10=0.5")
    assert result.exit_code == 2
    assert "No metric 'recal@10'" in result.stderr and "recall@10" in result.stderr


def test_errors_say_how_to_fix_them(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = cli("eval", "run", str(tmp_path / "absent.jsonl"))
    assert result.exit_code == 1 and "Cannot read the dataset" in result.stderr
    monkeypatch.setenv("ARCHBOT_HOME", str(tmp_path / "empty-home"))
    (tmp_path / "one.jsonl").write_text('{"id": "a", "question": "q"}\n')
    result = cli("eval", "run", str(tmp_path / "one.jsonl"))
    assert result.exit_code == 1 and "archbot ingest" in result.stderr
    result = cli("eval", "compare", "latest", "previous")
    assert result.exit_code == 1 and "no latest evaluation run" in result.stderr


def test_compare_report_and_runs(cli, dataset_path: Path, tmp_path: Path) -> None:
    first = json.loads(cli("eval", "run", str(dataset_path), "--json").stdout)["run_id"]
    second = json.loads(cli("eval", "run", str(dataset_path), "--json").stdout)["run_id"]

    result = cli("eval", "compare", first, second, "--json", "--fail-on-regression")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["run_a"], data["run_b"]) == (first, second)
    assert data["metrics"]["recall@10"]["delta"] == 0.0
    assert data["worse_items"] == []

    human = cli("eval", "compare", "previous", "latest")
    assert "95% CI" in human.stdout and "No item got worse" in human.stdout

    out = tmp_path / "report.html"
    result = cli("eval", "report", "latest", "-o", str(out))
    assert result.exit_code == 0 and result.stdout.strip() == str(out)
    assert "<svg" in out.read_text() and second in out.read_text()

    runs = json.loads(cli("eval", "runs", "--json").stdout)["runs"]
    assert [r["id"] for r in runs] == [second, first]
