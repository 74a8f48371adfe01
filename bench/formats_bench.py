"""Formats benchmark: PDF pages/s and DOCX/HTML/AsciiDoc/reST/MediaWiki/XML documents/s, read up to
chunks, against Markdown.

Generated documents (ADR-shaped: title, sections of prose, lists, a table), written with the same
libraries as the tests. Each file is read the way ingest reads it — converted in the worker process,
parsed, chunked — and the same documents written as Markdown are the baseline, measured in the same
run. Embedding is left out: it costs the same per chunk whatever the format.
Run: .venv/bin/python -m bench.formats_bench
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from archbot.ingest.chunking import chunk_document
from archbot.ingest.formats import Converter, Limits, load_document
from archbot.ingest.metadata import parse_document
from archbot.kernel.settings import Settings
from archbot.kernel.vocabulary import PAGE_MARK
from bench.common import report, timed
from tests.formats.writers import Doc, Section, write_docx, write_html, write_pdf

DOCUMENTS = 40
SECTIONS = 12  # about five A4 pages each as PDF
PROSE = (
    "The payments platform publishes domain events for every state change of a payment, and each "
    "consumer keeps its own projection. Retries are bounded and idempotent, and the ledger stays the "
    "system of record for balances. "
)


def document(number: int) -> Doc:
    sections = [Section("Status", ("Accepted",))]
    for index in range(SECTIONS):
        sections.append(
            Section(
                f"Part {index + 1}: consideration {number}-{index}",
                (PROSE * 3, PROSE * 2),
                items=("Events are versioned.", "Consumers are idempotent.", "Replays are bounded."),
                table=(("Topic", "Owner"), (f"payments.{index}", "payments team")),
            )
        )
    return Doc(f"ADR {number}: Event handling decision {number}", tuple(sections))


@dataclass(frozen=True)
class Markup:
    """How a lightweight markup writes a title, a section heading, a list item and a table."""

    title: Callable[[str], str]
    heading: Callable[[str], str]
    item: str
    table: Callable[[tuple[tuple[str, ...], ...]], str]


def _pipe_table(rows: tuple[tuple[str, ...], ...]) -> str:
    head, *body = rows
    lines = [f"| {' | '.join(head)} |", f"|{' --- |' * len(head)}"]
    return "\n".join(lines + [f"| {' | '.join(row)} |" for row in body])


def _wiki_table(rows: tuple[tuple[str, ...], ...]) -> str:
    head, *body = rows
    return (
        '{| class="wikitable"\n! '
        + " !! ".join(head)
        + "".join(f"\n|-\n| {' || '.join(r)}" for r in body)
        + "\n|}"
    )


MARKUPS = {
    "markdown": Markup(lambda t: f"# {t}", lambda h: f"## {h}", "- ", _pipe_table),
    "asciidoc": Markup(
        lambda t: f"= {t}",
        lambda h: f"== {h}",
        "* ",
        lambda rows: '[options="header"]\n|===\n' + "\n".join("|" + " |".join(r) for r in rows) + "\n|===",
    ),
    "rst": Markup(
        lambda t: f"{t}\n{'=' * len(t)}",
        lambda h: f"{h}\n{'-' * len(h)}",
        "- ",
        lambda rows: (
            ".. list-table::\n   :header-rows: 1\n\n"
            + "\n".join("   * - " + "\n     - ".join(r) for r in rows)
        ),
    ),
    "mediawiki": Markup(lambda t: f"= {t} =", lambda h: f"== {h} ==", "* ", _wiki_table),
}


def write_markup(doc: Doc, markup: Markup) -> str:
    parts = [markup.title(doc.title)]
    for section in doc.sections:
        parts.append(markup.heading(section.heading))
        parts.extend(section.paragraphs)
        if section.items:
            parts.append("\n".join(markup.item + item for item in section.items))
        if section.table:
            parts.append(markup.table(section.table))
    return "\n\n".join(parts) + "\n"


def xml(doc: Doc) -> str:
    parts = [f"<spec><header><title>{doc.title}</title><status>Draft</status></header>"]
    for section in doc.sections:
        body = "".join(f"<p>{p}</p>" for p in section.paragraphs)
        body += "<ul>" + "".join(f"<li>{item}</li>" for item in section.items) + "</ul>"
        parts.append(f'<section1 topic="{section.heading}">{body}</section1>')
    return "\n".join(parts) + "</spec>\n"


TEXT_FORMATS: dict[str, tuple[Callable[[Doc], str], str]] = {
    "asciidoc": (lambda doc: write_markup(doc, MARKUPS["asciidoc"]), ".adoc"),
    "rst": (lambda doc: write_markup(doc, MARKUPS["rst"]), ".rst"),
    "mediawiki": (lambda doc: write_markup(doc, MARKUPS["mediawiki"]), ".mediawiki"),
    "xml": (xml, ".xml"),
}


def read_all(paths: list[Path], settings: Settings, converter: Converter) -> int:
    """Reads every file up to chunks; returns the pages of the PDFs (0 for other formats)."""
    limits = Limits.from_settings(settings)
    pages = 0
    for path in paths:
        loaded = load_document(path, f"adr/{path.name}", limits, converter)
        parsed = parse_document(loaded)
        chunk_document(parsed.document, parsed.fmt, settings.chunk_chars)
        pages += sum(1 for line in loaded.text.splitlines() if PAGE_MARK.match(line))
    return pages


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="archbot-formats-bench-"))
    settings = Settings.from_env({"ARCHBOT_HOME": str(root / "home")})
    docs = [document(n) for n in range(1, DOCUMENTS + 1)]
    files: dict[str, list[Path]] = {"markdown": [], "pdf": [], "docx": [], "html": []}
    files.update({fmt: [] for fmt in TEXT_FORMATS})
    for n, doc in enumerate(docs, 1):
        stem = f"{n:04d}-event-handling"
        md = root / "md" / f"{stem}.md"
        md.parent.mkdir(parents=True, exist_ok=True)
        md.write_text(write_markup(doc, MARKUPS["markdown"]), encoding="utf-8")
        files["markdown"].append(md)
        files["pdf"].append(write_pdf(root / "pdf" / f"{stem}.pdf", doc))
        files["docx"].append(write_docx(root / "docx" / f"{stem}.docx", doc))
        files["html"].append(write_html(root / "html" / f"{stem}.html", doc))
        for fmt, (write, suffix) in TEXT_FORMATS.items():
            path = root / fmt / f"{stem}{suffix}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(write(doc), encoding="utf-8")
            files[fmt].append(path)

    with Converter(Limits.from_settings(settings)) as converter:
        _, start_s = timed(lambda: converter.convert("html", b"<p>warm-up</p>"))
        seconds: dict[str, float] = {}
        counted: dict[str, object] = {}
        for fmt, paths in files.items():
            counted[fmt], seconds[fmt] = timed(lambda paths=paths: read_all(paths, settings, converter))
    pages = counted["pdf"]
    assert isinstance(pages, int) and pages > 0

    md_docs_per_s = DOCUMENTS / seconds["markdown"]
    data = {
        "documents_per_format": DOCUMENTS,
        "pdf_pages": pages,
        "worker_start_s": round(start_s, 2),
        "markdown_docs_per_s": round(md_docs_per_s, 1),
        "markdown_pages_per_s": round(pages / seconds["markdown"], 1),
        "pdf_pages_per_s": round(pages / seconds["pdf"], 1),
        "pdf_docs_per_s": round(DOCUMENTS / seconds["pdf"], 2),
        "docx_docs_per_s": round(DOCUMENTS / seconds["docx"], 1),
        "html_docs_per_s": round(DOCUMENTS / seconds["html"], 1),
        "pdf_vs_markdown": round(seconds["pdf"] / seconds["markdown"], 1),
        "docx_vs_markdown": round(seconds["docx"] / seconds["markdown"], 1),
        "html_vs_markdown": round(seconds["html"] / seconds["markdown"], 1),
    }
    for fmt in TEXT_FORMATS:
        data[f"{fmt}_docs_per_s"] = round(DOCUMENTS / seconds[fmt], 1)
        data[f"{fmt}_vs_markdown"] = round(seconds[fmt] / seconds["markdown"], 1)
    report(
        "formats: read up to chunks (generated ADRs)",
        [(k.replace("_", " "), str(v)) for k, v in data.items()],
        "formats",
        data,
    )


if __name__ == "__main__":
    main()
