"""Folders of PDF, DOCX and HTML files: indexed, answered from, and bad files skipped with reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archbot.bot.cli import main
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.settings import Settings
from archbot.kernel.store import Store
from tests.formats import samples
from tests.formats.writers import (
    write_confluence,
    write_docx,
    write_google_doc,
    write_pages,
    write_pdf,
    write_scanned_pdf,
    write_zip,
)

ENV = {"ARCHBOT_EMBEDDER": "hash"}


def write_kb(root: Path) -> Path:
    write_pdf(root / "adr" / "0021-use-grpc.pdf", samples.GRPC_ADR)
    write_docx(root / "adr" / "0022-feature-flags.docx", samples.FLAGS_ADR)
    write_confluence(root / "adr" / "0023-terraform.html", samples.TERRAFORM_ADR)
    write_google_doc(root / "standards" / "on-call.htm", samples.ONCALL_STANDARD)
    (root / "standards" / "logging.md").write_text(
        "# Logging standard\n\n## Rules\n\nApplication logs are kept for 30 days.\n", encoding="utf-8"
    )
    return root


def ask(question: str) -> dict:
    result = CliRunner().invoke(main, ["ask", question, "--json"], env=ENV)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_format_is_indexed_with_its_metadata(settings: Settings, tmp_path: Path) -> None:
    report = ingest_paths(settings, [write_kb(tmp_path / "kb")])

    assert report.skipped == [] and report.added == 5
    documents = Store(settings.db_path).manifest()
    found = {s: (d.document.kind, d.document.number, d.document.status) for s, d in documents.items()}
    assert found == {
        "adr/0021-use-grpc.pdf": ("adr", 21, "accepted"),
        "adr/0022-feature-flags.docx": ("adr", 22, "proposed"),
        "adr/0023-terraform.html": ("adr", 23, "deprecated"),
        "standards/on-call.htm": ("standard", None, None),
        "standards/logging.md": ("standard", None, None),
    }
    assert documents["standards/on-call.htm"].document.title == "On-call standard"


@pytest.mark.parametrize(
    ("question", "source", "page", "heading"),
    [
        (
            "what protocol must internal service-to-service calls use?",
            "adr/0021-use-grpc.pdf",
            "p. 2 › ",
            "Decision",
        ),
        ("where are feature flags kept?", "adr/0022-feature-flags.docx", "", "Decision"),
        ("how is cloud infrastructure declared?", "adr/0023-terraform.html", "", "Decision"),
        (
            "when do unacknowledged pages escalate to the secondary?",
            "standards/on-call.htm",
            "",
            "Escalation",
        ),
    ],
)
def test_answers_cite_documents_of_every_format(
    settings: Settings, tmp_path: Path, question: str, source: str, page: str, heading: str
) -> None:
    """`section` names the page of a PDF chunk ("p. 2 › Decision"); other formats have no pages."""
    ingest_paths(settings, [write_kb(tmp_path / "kb")])

    answer = ask(question)

    assert answer["abstained"] is False
    section = {c["source"]: c["section"] for c in answer["citations"]}[source]
    assert section.startswith(page) and heading in section and ("p. " in section) == bool(page)


def test_a_second_run_embeds_nothing(settings: Settings, tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb")
    ingest_paths(settings, [kb])
    again = ingest_paths(settings, [kb])
    assert (again.unchanged, again.chunks_embedded) == (5, 0)


def bad_files(root: Path) -> dict[str, str]:
    """Every kind of unreadable file, with the words its skip reason must contain."""
    grpc = write_pdf(root / "0021-use-grpc.pdf", samples.GRPC_ADR).read_bytes()
    (root / "truncated.pdf").write_bytes(grpc[: len(grpc) // 3])
    (root / "not-a-pdf.pdf").write_bytes(b"%PDF-1.7\n" + b"\x8f garbage \x00" * 200)
    write_pdf(root / "locked.pdf", samples.FLAGS_ADR, encrypt="s3cret")
    write_scanned_pdf(root / "scanned.pdf")
    write_pages(root / "long.pdf", ["a page of a long report"] * 4)
    docx = write_docx(root / "flags.docx", samples.FLAGS_ADR).read_bytes()
    (root / "truncated.docx").write_bytes(docx[: len(docx) // 2])
    write_zip(root / "bomb.docx", {"word/document.xml": b"\0" * 30_000_000})
    write_zip(root / "many.docx", {f"word/media/{n}.xml": b"<x/>" for n in range(60)})
    (root / "huge.html").write_text("<p>" + "words " * 200_000 + "</p>", encoding="utf-8")
    (root / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    (root / "empty.html").write_text("<html><body><nav>Home</nav><script>x()</script></body></html>")
    return {
        "truncated.pdf": "truncated or corrupt",
        "not-a-pdf.pdf": "truncated or corrupt",
        "locked.pdf": "encrypted: export it without a password",
        "scanned.pdf": "no text: scanned? export it with a text layer",
        "long.pdf": "ARCHBOT_MAX_PDF_PAGES",
        "truncated.docx": "truncated or corrupt",
        "bomb.docx": "ARCHBOT_MAX_UNZIPPED_BYTES",
        "many.docx": "ARCHBOT_MAX_ZIP_ENTRIES",
        "huge.html": "ARCHBOT_MAX_CONVERT_BYTES",
        "old.docx": "encrypted, or an old Word 97 .doc: save it as .docx without a password",
        "empty.html": "no text",
    }


def test_each_bad_file_is_skipped_with_its_reason_and_the_rest_is_indexed(
    settings: Settings, tmp_path: Path
) -> None:
    expected = bad_files(tmp_path / "kb")
    limited = settings.with_(
        max_pdf_pages=3, max_zip_entries=50, max_unzipped_bytes=10_000_000, max_convert_bytes=1_000_000
    )

    report = ingest_paths(limited, [tmp_path / "kb"])

    reasons = {s["source"]: s["reason"] for s in report.skipped}
    assert set(reasons) == set(expected)
    for source, words in expected.items():
        assert words in reasons[source], (source, reasons[source])
    assert sorted(Store(settings.db_path).manifest()) == ["0021-use-grpc.pdf", "flags.docx"]


def test_a_zip_compressed_past_the_ratio_is_refused_unopened(settings: Settings, tmp_path: Path) -> None:
    write_zip(tmp_path / "kb" / "dense.docx", {"word/document.xml": b"<w:p/>" * 1_000_000})
    report = ingest_paths(settings.with_(max_zip_ratio=50), [tmp_path / "kb"])
    assert "ARCHBOT_MAX_ZIP_RATIO" in report.skipped[0]["reason"]


def test_a_conversion_over_the_time_limit_is_skipped_and_the_next_file_still_converts(
    settings: Settings, tmp_path: Path
) -> None:
    write_pdf(tmp_path / "kb" / "a-0021-use-grpc.pdf", samples.GRPC_ADR)
    write_pages(tmp_path / "kb" / "b-long-report.pdf", ["a page of a long report"] * 300)
    write_docx(tmp_path / "kb" / "c-0022-feature-flags.docx", samples.FLAGS_ADR)

    report = ingest_paths(settings.with_(convert_timeout_s=0.5), [tmp_path / "kb"])

    assert [s["source"] for s in report.skipped] == ["b-long-report.pdf"]
    assert "ARCHBOT_CONVERT_TIMEOUT" in report.skipped[0]["reason"]
    assert sorted(Store(settings.db_path).manifest()) == ["a-0021-use-grpc.pdf", "c-0022-feature-flags.docx"]


def test_a_conversion_over_the_memory_cap_is_skipped_and_the_next_file_still_converts(
    settings: Settings, tmp_path: Path
) -> None:
    page = "<html><body><main>" + "<p>word <b>bold</b> more</p>" * 150_000 + "</main></body></html>"
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "a-huge-page.html").write_text(page, encoding="utf-8")
    write_docx(tmp_path / "kb" / "b-0022-feature-flags.docx", samples.FLAGS_ADR)

    report = ingest_paths(settings.with_(convert_memory_mb=200), [tmp_path / "kb"])

    assert [s["source"] for s in report.skipped] == ["a-huge-page.html"]
    assert "needs more than 200 MB to convert (ARCHBOT_CONVERT_MEMORY_MB)" in report.skipped[0]["reason"]
    assert list(Store(settings.db_path).manifest()) == ["b-0022-feature-flags.docx"]


def test_a_pdf_with_a_scanned_page_is_indexed_with_a_warning(settings: Settings, tmp_path: Path) -> None:
    write_scanned_pdf(tmp_path / "kb" / "minutes.pdf", typed_first_page="Minutes of the architecture forum.")

    report = ingest_paths(settings, [tmp_path / "kb"])

    assert report.skipped == [] and report.added == 1
    assert {"source": "minutes.pdf", "reason": "no text on page(s) 2: scanned pages are not indexed"} in (
        report.warnings
    )
