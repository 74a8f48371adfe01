"""The `archbot` command line: a thin frontend over ingest and the advisor core."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from archbot.bot.docs_cmd import docs_command
from archbot.bot.edge import configure_logging, friendly_errors
from archbot.bot.eval_cmd import eval_group
from archbot.bot.render import print_answer, print_ingest, print_sync
from archbot.bot.review_cmd import review_command
from archbot.bot.slack.cli import slack_command
from archbot.kernel.errors import InputError
from archbot.kernel.settings import Settings
from archbot.kernel.types import Turn

err_console = Console(stderr=True)


@click.group()
@click.version_option(package_name="archbot")
@click.option("-v", "--verbose", is_flag=True, help="Log more to stderr.")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """archbot: answers architecture questions from your ADRs, standards and design docs."""
    settings = Settings.from_env()
    configure_logging(settings.home, verbose)
    ctx.obj = settings


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@click.pass_obj
@friendly_errors
def ingest(settings: Settings, paths: tuple[Path, ...], as_json: bool) -> None:
    """Index every supported file under each PATH (incremental; removed files are pruned)."""
    from archbot.ingest.pipeline import ingest_paths

    with Progress(
        TextColumn("embedding"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("embed", total=None)
        report = ingest_paths(
            settings, paths, progress=lambda done, total: bar.update(task, completed=done, total=total)
        )
    if report.documents:
        from archbot.advisor.core import Advisor

        Advisor.open(settings).prepare()
    data = report.to_json()
    if as_json:
        click.echo(json.dumps(data))
    else:
        print_ingest(Console(), data)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with a line per source.")
@click.pass_obj
@friendly_errors
def sync(settings: Settings, as_json: bool) -> None:
    """Fetch every source in config.yaml and index what changed since the last sync."""
    from archbot.ingest.sources import sync_sources

    reports = [r.to_json() for r in sync_sources(settings)]
    if as_json:
        click.echo(json.dumps({"sources": reports}))
    else:
        print_sync(Console(), reports)
    if any(r["error"] for r in reports):
        sys.exit(1)


@main.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as one JSON object.")
@click.option("-k", "k", type=click.IntRange(1, 50), default=None, help="How many documents to draw on.")
@click.option(
    "--history",
    "history_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help='The conversation so far: a JSON list of {"role": "user"|"assistant", "text": ...}, oldest first.',
)
@click.pass_obj
@friendly_errors
def ask(settings: Settings, question: str, as_json: bool, k: int | None, history_file: Path | None) -> None:
    """Answer QUESTION from the index, with citations (as a follow-up with --history)."""
    from archbot.advisor.core import Advisor

    history = read_history(history_file) if history_file else []
    answer = Advisor.open(settings).ask(question, k=k, history=history)
    if as_json:
        click.echo(json.dumps(answer.to_json()))
    else:
        print_answer(Console(), answer)


@main.command()
@click.pass_obj
@friendly_errors
def chat(settings: Settings) -> None:
    """A conversation in the terminal: follow-ups ("and why?") use what was said before."""
    from archbot.advisor.core import Advisor

    advisor = Advisor.open(settings)
    console = Console()
    history: list[Turn] = []
    console.print("[dim]Ask about your architecture. An empty line or Ctrl-D ends the chat.[/dim]")
    for question in _questions(console):
        if not question:
            break
        answer = advisor.ask(question, history=history)
        print_answer(console, answer)
        console.print()
        cited = tuple(c.source for c in answer.citations)
        history += [Turn("user", question), Turn("assistant", answer.text, cited)]


def read_history(path: Path) -> list[Turn]:
    """The turns of a `--history` file; anything else is an error that shows the expected shape."""
    shape = 'Give a JSON list like [{"role": "user", "text": "…"}, {"role": "assistant", "text": "…"}].'
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"Cannot read the history file {path} ({exc.strerror}).", shape) from None
    except (ValueError, UnicodeDecodeError):
        raise InputError(f"The history file {path} is not valid JSON.", shape) from None
    turns = []
    for n, item in enumerate(data if isinstance(data, list) else [None], start=1):
        if (
            not isinstance(item, dict)
            or item.get("role") not in ("user", "assistant")
            or not isinstance(item.get("text"), str)
        ):
            raise InputError(f"Turn {n} of the history file {path} is not a user or assistant turn.", shape)
        sources = item.get("sources") or ()
        turns.append(Turn(item["role"], item["text"], tuple(str(s) for s in sources)))
    return turns


def _questions(console: Console):
    """Lines from a pipe, or prompts at a terminal until an empty line or Ctrl-D."""
    if not sys.stdin.isatty():
        yield from (line.strip() for line in sys.stdin)
        return
    while True:
        try:
            yield console.input("[bold]you>[/bold] ").strip()
        except EOFError:
            return


main.add_command(eval_group)
main.add_command(slack_command)
main.add_command(review_command)
main.add_command(docs_command)
