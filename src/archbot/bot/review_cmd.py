"""`archbot review FILE [--json]`: pre-review a design document against the index."""

from __future__ import annotations

import json
from pathlib import Path

import click

from archbot.bot.edge import friendly_errors
from archbot.kernel.errors import InputError
from archbot.kernel.settings import Settings

READABLE = "Markdown, AsciiDoc, reStructuredText, MediaWiki, XML, text, PDF, DOCX or HTML"


def read_design_doc(path: Path, settings: Settings) -> str:
    """Read the doc the way ingest reads files, so a bad or oversized file gets the same clear reason."""
    from archbot.ingest.formats import Converter, Limits, load_document
    from archbot.ingest.loaders import SkipFile

    if not path.is_file():
        raise InputError(f"{path} is not a file.", f"Pass the path of a {READABLE} design doc.")
    limits = Limits.from_settings(settings)
    try:
        with Converter(limits) as converter:
            return load_document(path, path.name, limits, converter).text
    except SkipFile as skip:
        raise InputError(
            f"Cannot review {path}: {skip.reason}.", f"Or pass the design doc as {READABLE} text."
        ) from None


@click.command("review")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the review as one JSON object.")
@click.pass_obj
@friendly_errors
def review_command(settings: Settings, file: Path, as_json: bool) -> None:
    """Pre-review the design doc FILE: conflicts with decisions and standards, gaps, mentor questions."""
    from archbot.advisor.core import Advisor
    from archbot.bot.review_render import render_review_markdown

    text = read_design_doc(file, settings)
    review = Advisor.open(settings).review(text, name=file.name)
    if as_json:
        click.echo(json.dumps(review.to_json()))
    else:
        click.echo(render_review_markdown(review))
