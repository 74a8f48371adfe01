"""`archbot eval ...`: run a dataset, compare runs, write reports, benchmark retrieval on BEIR.

Results go to stdout (rich tables, or one JSON object with `--json`); progress goes to stderr.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from archbot.bot.edge import friendly_errors
from archbot.eval import gates as gate_checks
from archbot.eval.beir import MODES
from archbot.kernel.settings import Settings
from archbot.kernel.store import Store

err_console = Console(stderr=True)


def _parse_gates(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> list[gate_checks.Gate]:
    try:
        return [gate_checks.parse_gate(v) for v in values]
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
    )


@click.group("eval")
def eval_group() -> None:
    """Score answer quality offline: datasets, comparisons, reports, BEIR benchmarks."""


@eval_group.command("run")
@click.argument("dataset", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the run as one JSON object.")
@click.option(
    "--fail-under",
    "gates",
    multiple=True,
    callback=_parse_gates,
    metavar="METRIC=VALUE",
    help="Exit 1 when METRIC is below VALUE (repeatable; judge metrics as judge.NAME).",
)
@click.option(
    "-k", "k", type=click.IntRange(1, 50), default=None, help="How many documents each answer draws on."
)
@click.option("--no-judge", is_flag=True, help="Skip the LLM judge even when ARCHBOT_LLM is set.")
@click.pass_obj
@friendly_errors
def run_command(
    settings: Settings,
    dataset: Path,
    as_json: bool,
    gates: list[gate_checks.Gate],
    k: int | None,
    no_judge: bool,
) -> None:
    """Ask every question in DATASET (JSONL), score the answers, store the run."""
    from archbot.advisor.core import Advisor
    from archbot.eval.dataset import load_dataset
    from archbot.eval.judge import Judge
    from archbot.eval.render import print_run
    from archbot.eval.results import ItemResult
    from archbot.eval.runner import run_dataset
    from archbot.eval.store import RunStore

    if k is not None:
        settings = settings.with_(top_k=k)
    data = load_dataset(dataset)
    judge = None if no_judge else Judge.from_settings(settings)
    with _progress() as bar:
        task = bar.add_task("answering", total=len(data.items))

        def advance(done: int, total: int, item: ItemResult) -> None:
            bar.update(task, completed=done, description=item.id)

        run = run_dataset(settings, data, Advisor.open(settings), judge=judge, progress=advance)
    RunStore(Store(settings.db_path)).save(run)
    try:
        results = gate_checks.check(run, gates)
    except gate_checks.UnknownMetricError as exc:
        raise click.UsageError(f"{exc} (the run was stored as {run.id})") from None
    failed = [r for r in results if not r.passed]
    if as_json:
        click.echo(json.dumps({**run.to_json(), "gates": [r.to_json() for r in results]}))
    else:
        print_run(Console(), run, results)
    for r in failed:
        click.echo(f"FAIL {r.metric} = {r.value:.4f} < {r.threshold}", err=True)
    if failed:
        sys.exit(1)


@eval_group.command("compare")
@click.argument("run_a")
@click.argument("run_b")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as one JSON object.")
@click.option(
    "--fail-on-regression",
    is_flag=True,
    help="Exit 1 when a quality metric got worse beyond its 95% interval (latency is shown, not gated).",
)
@click.pass_obj
@friendly_errors
def compare_command(
    settings: Settings, run_a: str, run_b: str, as_json: bool, fail_on_regression: bool
) -> None:
    """Per-metric change from RUN_A to RUN_B (ids, unique prefixes, `latest`, `previous`)."""
    from archbot.eval.compare import compare_runs
    from archbot.eval.render import print_comparison
    from archbot.eval.store import RunStore

    runs = RunStore(Store(settings.db_path))
    comparison = compare_runs(runs.load(run_a), runs.load(run_b))
    if as_json:
        click.echo(json.dumps(comparison.to_json()))
    else:
        print_comparison(Console(), comparison)
    regressions = comparison.regressions()
    if fail_on_regression and regressions:
        click.echo("Regressed: " + ", ".join(c.name for c in regressions), err=True)
        sys.exit(1)


@eval_group.command("report")
@click.argument("run")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="HTML file to write.")
@click.pass_obj
@friendly_errors
def report_command(settings: Settings, run: str, output: Path | None) -> None:
    """Write a self-contained HTML report of RUN (an id, a prefix, `latest`); prints the file's path."""
    from archbot.eval.report import render_report
    from archbot.eval.store import RunStore

    runs = RunStore(Store(settings.db_path))
    loaded = runs.load(run)
    path = output or Path(f"eval-report-{loaded.id}.html")
    path.write_text(render_report(loaded, runs.history(loaded.dataset, until=loaded.id)), encoding="utf-8")
    click.echo(str(path))


@eval_group.command("runs")
@click.option("--json", "as_json", is_flag=True, help="Print the runs as one JSON object.")
@click.option("-n", "limit", type=click.IntRange(1, 1000), default=20, help="How many recent runs.")
@click.pass_obj
@friendly_errors
def runs_command(settings: Settings, as_json: bool, limit: int) -> None:
    """List stored runs, newest first."""
    from rich.table import Table

    from archbot.eval.store import RunStore

    runs = RunStore(Store(settings.db_path)).runs(limit)
    if as_json:
        click.echo(json.dumps({"runs": runs}))
        return
    table = Table(title="evaluation runs")
    for column in (
        "id",
        "created",
        "dataset",
        "commit",
        "recall@10",
        "citation_recall",
        "abstention_accuracy",
    ):
        table.add_column(column)
    for r in runs:
        m = r["metrics"]
        cells = [
            f"{m[k]:.3f}" if k in m else "–" for k in ("recall@10", "citation_recall", "abstention_accuracy")
        ]
        table.add_row(r["id"], r["created_at"], r["dataset"], (r["git_commit"] or "")[:12], *cells)
    Console().print(table)


@eval_group.command("beir")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as one JSON object.")
@click.option(
    "--mode", type=click.Choice(MODES), default=None, help="One retrieval mode (default: compare all)."
)
@click.option("--split", default="test", show_default=True, help="Which qrels/<split>.tsv to score against.")
@click.pass_obj
@friendly_errors
def beir_command(settings: Settings, folder: Path, as_json: bool, mode: str | None, split: str) -> None:
    """Index a BEIR-format dataset in its own collection and score dense, bm25 and hybrid retrieval."""
    from archbot.eval.beir import run_beir
    from archbot.eval.render import print_beir

    modes = (mode,) if mode else MODES
    result = run_beir(
        settings, folder, modes, split, progress=lambda msg: err_console.print(f"[dim]{msg}[/dim]")
    )
    if as_json:
        click.echo(json.dumps(result))
    else:
        print_beir(Console(), result)
