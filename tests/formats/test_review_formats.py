"""`archbot review FILE` on a PDF, DOCX or HTML design doc: reviewed like Markdown, or told why not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archbot.advisor.review.doc import parse_design_doc
from archbot.bot.cli import main
from archbot.ingest.formats import Converter, Limits, load_document
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.settings import Settings
from tests.formats import samples
from tests.formats.writers import write_docx, write_html, write_pdf
from tests.review.corpus import write_corpus


def review(settings: Settings, path: Path):
    env = {"ARCHBOT_HOME": str(settings.home), "ARCHBOT_EMBEDDER": "hash"}
    return CliRunner().invoke(main, ["review", str(path), "--json"], env=env)


@pytest.mark.parametrize(
    ("write", "name"),
    [(write_pdf, "receipts.pdf"), (write_docx, "receipts.docx"), (write_html, "receipts.html")],
)
def test_a_design_doc_in_any_format_gets_its_conflict_found(
    settings: Settings, tmp_path: Path, write, name: str
) -> None:
    ingest_paths(settings, [write_corpus(tmp_path / "kb")])

    result = review(settings, write(tmp_path / name, samples.RECEIPTS_DESIGN))

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "Receipts service" in data["summary"]
    conflict = next(f for f in data["findings"] if f["kind"] == "conflict")
    assert "RabbitMQ" in conflict["evidence"] and "[//]" not in conflict["evidence"]
    # A PDF's place is its page: its Markdown lines are nobody's to look up.
    assert conflict["evidence"].startswith("p. 2: " if name.endswith(".pdf") else "line ")
    assert conflict["citations"][0]["source"] == "adr/0009-adopt-kafka-for-events.md"


def test_page_marks_are_not_sentences_of_the_design_doc(tmp_path: Path) -> None:
    limits = Limits.from_settings(Settings())
    with Converter(limits) as converter:
        path = write_pdf(tmp_path / "receipts.pdf", samples.RECEIPTS_DESIGN)
        text = load_document(path, path.name, limits, converter).text

    doc = parse_design_doc(text, path.name)

    assert doc.title == "Receipts service"
    assert [s.heading for s in doc.sections if s.heading] == ["Receipts service", "Context", "Proposal"]
    assert not any("page" in s.text for s in doc.sentences)


def test_an_unreadable_design_doc_says_why_and_what_to_pass(settings: Settings, tmp_path: Path) -> None:
    ingest_paths(settings, [write_corpus(tmp_path / "kb")])
    locked = write_pdf(tmp_path / "locked.pdf", samples.RECEIPTS_DESIGN, encrypt="s3cret")

    result = review(settings, locked)

    assert result.exit_code == 1
    assert "encrypted: export it without a password" in result.stderr
    assert "PDF, DOCX or HTML" in result.stderr and "Traceback" not in result.output
