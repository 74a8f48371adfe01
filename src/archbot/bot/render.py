"""Terminal rendering of answers and ingest reports (rich), for people; `--json` bypasses it."""

from __future__ import annotations

from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from archbot.kernel.types import Answer


def print_answer(console: Console, answer: Answer) -> None:
    console.print(Markdown(answer.text))
    if answer.note:
        console.print(f"[yellow]{answer.note}[/yellow]")
    if not answer.citations:
        return
    console.print()
    console.print("[bold]Sources[/bold]")
    for c in answer.citations:
        meta = ", ".join(p for p in (c.kind, c.status, c.date) if p)
        console.print(
            f"  [{c.n}] {c.title} [dim]({meta})[/dim]\n      [cyan]{c.source}[/cyan]", highlight=False
        )


def print_ingest(console: Console, report: dict) -> None:
    table = Table(title="Ingest", show_header=False, box=None)
    for key in (
        "added",
        "updated",
        "unchanged",
        "refreshed",
        "rechunked",
        "removed",
        "chunks_embedded",
        "documents",
        "chunks",
    ):
        table.add_row(key.replace("_", " "), str(report[key]))
    table.add_row("seconds", f"{report['seconds']:.1f}")
    console.print(table)
    for skipped in report["skipped"]:
        console.print(f"[yellow]skipped[/yellow] {skipped['source']}: {skipped['reason']}", highlight=False)
    for warning in report["warnings"]:
        console.print(f"[dim]note[/dim] {warning['source']}: {warning['reason']}", highlight=False)
    if report["lint"]:
        console.print(f"[bold]Corpus lint[/bold] ({len(report['lint'])} issues)")
        for issue in report["lint"][:50]:
            console.print(f"  {issue['source']}: {issue['problem']}", highlight=False)
        if len(report["lint"]) > 50:
            console.print(f"  … and {len(report['lint']) - 50} more (see --json)")


def print_sync(console: Console, reports: list[dict]) -> None:
    """One line per source: its commit and what changed, or why it could not be synced."""
    for r in reports:
        if r["error"]:
            console.print(f"[red]{r['name']}[/red]: {r['error']}", highlight=False)
            continue
        at = f" at {r['commit'][:12]}" if r["commit"] else ""
        counts = ", ".join(
            f"{r[key]} {key.replace('_', ' ')}"
            for key in ("added", "updated", "unchanged", "removed", "chunks_embedded")
        )
        console.print(f"[bold]{r['name']}[/bold]{at}: {counts} ({r['seconds']:.1f} s)", highlight=False)
        for skipped in r["skipped"]:
            line = f"  [yellow]skipped[/yellow] {skipped['source']}: {skipped['reason']}"
            console.print(line, highlight=False)
        for issue in r["lint"][:20]:
            console.print(f"  [dim]lint[/dim] {issue['source']}: {issue['problem']}", highlight=False)
