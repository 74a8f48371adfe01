"""Rich tables for people reading `archbot eval` in a terminal; `--json` bypasses all of this."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from archbot.eval.compare import Comparison
from archbot.eval.gates import GateResult
from archbot.eval.report import item_score
from archbot.eval.results import EvalRun

SHOWN_WORST = 5
SHOWN_WORSE = 15
_VERDICT_STYLE = {"better": "green", "worse": "red", "unchanged": "dim", "n/a": "dim"}


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"


def print_run(console: Console, run: EvalRun, gates: list[GateResult]) -> None:
    by_gate = {g.metric: g for g in gates}
    table = Table(title=f"{run.dataset} · run {run.id} · {len(run.items)} items")
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("gate", justify="right")
    for name, value in run.metrics.items():
        gate = by_gate.get(name)
        mark = (
            ""
            if gate is None
            else f"[green]≥ {gate.threshold}[/]"
            if gate.passed
            else f"[red]< {gate.threshold}[/]"
        )
        table.add_row(name, _num(value), mark)
    console.print(table)
    if run.judge:
        judge = Table(title=f"LLM judge ({run.config.get('llm')}) — not deterministic")
        judge.add_column("judge metric")
        judge.add_column("value", justify="right")
        for name, value in run.judge.items():
            gate = by_gate.get(f"judge.{name}")
            suffix = "" if gate is None else " ✓" if gate.passed else " ✗"
            judge.add_row(name, f"{_num(value) if isinstance(value, float) else value}{suffix}")
        console.print(judge)
    print_by_kind(console, run)
    worst = sorted(run.items, key=lambda i: (item_score(i), i.id))[:SHOWN_WORST]
    if worst:
        items = Table(title="weakest items")
        for column in ("id", "kind", "score", "abstained", "cited"):
            items.add_column(column)
        for item in worst:
            items.add_row(
                item.id, item.kind, f"{item_score(item):.2f}", str(item.abstained), ", ".join(item.cited[:3])
            )
        console.print(items)
    console.print(f"Stored as run [bold]{run.id}[/]; `archbot eval report {run.id}` writes the HTML report.")


def print_by_kind(console: Console, run: EvalRun) -> None:
    by_kind = run.by_kind()
    table = Table(title="per kind")
    table.add_column("metric")
    for kind in by_kind:
        table.add_column(f"{kind} ({sum(1 for i in run.items if i.kind == kind)})", justify="right")
    for name in run.metrics:
        table.add_row(name, *(_num(values.get(name)) for values in by_kind.values()))
    console.print(table)


def print_comparison(console: Console, comparison: Comparison) -> None:
    for warning in comparison.warnings:
        console.print(f"[yellow]{warning}[/]")
    table = Table(title=f"{comparison.run_a} → {comparison.run_b}")
    for column in ("metric", "A", "B", "Δ", "95% CI", "n", "verdict"):
        table.add_column(column, justify="left" if column in ("metric", "verdict") else "right")
    for c in comparison.metrics:
        interval = "–" if c.ci_low is None else f"[{c.ci_low:+.3f}, {c.ci_high:+.3f}]"
        delta = "–" if c.delta is None else f"{c.delta:+.3f}"
        style = _VERDICT_STYLE[c.verdict]
        table.add_row(
            c.name, _num(c.a), _num(c.b), delta, interval, str(c.paired), f"[{style}]{c.verdict}[/]"
        )
    console.print(table)
    if not comparison.worse:
        console.print("No item got worse.")
        return
    worse = Table(title=f"{len(comparison.worse)} items got worse")
    worse.add_column("id")
    worse.add_column("question")
    worse.add_column("dropped")
    for item in comparison.worse[:SHOWN_WORSE]:
        drops = ", ".join(f"{k} {a:.2f}→{b:.2f}" for k, (a, b) in item.drops.items())
        worse.add_row(item.id, item.question[:60], drops)
    console.print(worse)


def print_beir(console: Console, result: dict) -> None:
    modes = result["modes"]
    names = list(next(iter(modes.values()))["metrics"])
    table = Table(title=f"BEIR {result['dataset']} ({result['split']}) · {result['documents']} documents")
    table.add_column("metric")
    for mode in modes:
        table.add_column(mode, justify="right")
    for name in names:
        table.add_row(name, *(_num(modes[m]["metrics"][name]) for m in modes))
    table.add_row("queries", *(str(modes[m]["queries"]) for m in modes))
    table.add_row("seconds", *(f"{modes[m]['seconds']:.1f}" for m in modes))
    console.print(table)
