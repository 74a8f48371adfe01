"""`archbot review FILE [--json]`: pre-review a design document against the index."""

from __future__ import annotations

import json
from pathlib import Path

import click

from archbot.bot.edge import friendly_errors
from archbot.kernel.errors import InputError
from archbot.kernel.settings import Settings


def read_design_doc(path: Path, max_bytes: int) -> str:
    """Read the doc the way ingest reads files, so a binary or oversized file gets the same clear reason."""
    from archbot.ingest.loaders import SkipFile, load_file

    if not path.is_file():
        raise InputError(
            f"{path} is not a file.", "Pass the path of a Markdown, AsciiDoc or text design doc."
        )
    try:
        return load_file(path, path.name, max_bytes).text
    except SkipFile as skip:
        raise InputError(
            f"Cannot review {path}: {skip.reason}.", "Pass a readable text design document."
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

    text = read_design_doc(file, settings.max_file_bytes)
    review = Advisor.open(settings).review(text, name=file.name)
    if as_json:
        click.echo(json.dumps(review.to_json()))
    else:
        click.echo(render_review_markdown(review))
