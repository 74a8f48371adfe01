"""`archbot docs [PREFIX] [--status S] [--json]`: what archbot read from each indexed document, so a
person or a script can check the reading ("which decisions are proposed?")."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from archbot.bot.edge import friendly_errors
from archbot.kernel.errors import InputError
from archbot.kernel.settings import Settings
from archbot.kernel.types import STATUSES, Document


def document_json(doc: Document) -> dict:
    """The shape of `../shared/CONTRACTS.md`: relations as the sources they resolved to."""
    return {
        "source": doc.source,
        "title": doc.title,
        "kind": doc.kind,
        "number": None if doc.number is None else str(doc.number),
        "status": doc.status,
        "status_raw": doc.status_raw,
        "date": doc.when,
        "updated": doc.updated,
        "supersedes": list(doc.supersedes),
        "superseded_by": list(doc.superseded_by),
        "owners": list(doc.owners),
    }


@click.command("docs")
@click.argument("prefix", required=False, default="")
@click.option("--status", "status", type=click.Choice(STATUSES), help="Only documents with this status.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with a list of documents.")
@click.pass_obj
@friendly_errors
def docs_command(settings: Settings, prefix: str, status: str | None, as_json: bool) -> None:
    """List the indexed documents whose source starts with PREFIX and what was read from each."""
    from archbot.kernel.store import Store

    if not settings.db_path.exists():
        raise InputError("No documents indexed yet.", "Run `archbot ingest PATH` or `archbot sync` first.")
    store = Store(settings.db_path)
    try:
        documents = sorted(store.documents().values(), key=lambda d: d.source)
    finally:
        store.close()
    chosen = [d for d in documents if d.source.startswith(prefix) and (status is None or d.status == status)]
    if as_json:
        click.echo(json.dumps({"documents": [document_json(d) for d in chosen]}))
        return
    table = Table(box=None)
    for column in ("source", "status", "as written", "date", "relations"):
        table.add_column(column, overflow="fold")
    for doc in chosen:
        relations = [f"supersedes {s}" for s in doc.supersedes]
        relations += [f"superseded by {s}" for s in doc.superseded_by]
        table.add_row(
            doc.source, doc.status or "-", doc.status_raw or "", doc.when or "", "\n".join(relations)
        )
    console = Console()
    console.print(table)
    console.print(f"{len(chosen)} of {len(documents)} documents")
