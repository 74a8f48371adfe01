"""Each converter on real files: the Markdown it writes, read back through the one document model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from archbot.ingest.chunking import chunk_document
from archbot.ingest.formats import Converter, Limits, load_document
from archbot.ingest.loaders import LoadedFile, SkipFile
from archbot.ingest.metadata import parse_document
from archbot.ingest.structure import headings
from archbot.kernel.settings import Settings
from tests.formats import samples
from tests.formats.writers import (
    write_confluence,
    write_docx,
    write_google_doc,
    write_html,
    write_pdf,
)

LIMITS = Limits.from_settings(Settings())


@pytest.fixture(scope="module")
def converter() -> Iterator[Converter]:
    with Converter(LIMITS) as running:
        yield running


def load(path: Path, converter: Converter) -> LoadedFile:
    return load_document(path, path.name, LIMITS, converter)


def outline(loaded: LoadedFile) -> list[tuple[int, str]]:
    return [(h.level, h.title) for h in headings(loaded.text, loaded.fmt)]


def test_pdf_headings_come_from_font_sizes_and_each_page_is_marked(
    tmp_path: Path, converter: Converter
) -> None:
    loaded = load(write_pdf(tmp_path / "0021-use-grpc.pdf", samples.GRPC_ADR), converter)

    assert loaded.fmt == "markdown"
    assert outline(loaded) == [
        (1, "ADR 21: Use gRPC for internal service calls"),
        (2, "Status"),
        (2, "Context"),
        (2, "Decision"),
    ]
    assert "- Schemas are versioned." in loaded.text.splitlines()
    assert loaded.text.index("[//]: # (page 2)") < loaded.text.index("## Decision")


def test_pdf_headings_come_from_the_outline_when_it_has_one(tmp_path: Path, converter: Converter) -> None:
    loaded = load(write_pdf(tmp_path / "grpc.pdf", samples.GRPC_ADR, outline=True), converter)

    assert outline(loaded) == [
        (1, "ADR 21: Use gRPC for internal service calls"),
        (2, "Status"),
        (2, "Context"),
        (2, "Decision"),
    ]


def test_pdf_protected_only_against_editing_is_read(tmp_path: Path, converter: Converter) -> None:
    loaded = load(write_pdf(tmp_path / "grpc.pdf", samples.GRPC_ADR, owner_password="edit-lock"), converter)
    assert outline(loaded)[0] == (1, "ADR 21: Use gRPC for internal service calls")


def _aes(path: Path, user_password: str) -> Path:
    """The PDF at `path` encrypted again with AES-256, as Acrobat and most exporters do now."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(path))
    writer.encrypt(user_password=user_password, owner_password="owner-only", algorithm="AES-256")
    out = path.with_name("aes-" + path.name)
    with out.open("wb") as handle:
        writer.write(handle)
    return out


def test_aes_encrypted_pdf_opens_with_the_empty_password_or_says_encrypted(
    tmp_path: Path, converter: Converter
) -> None:
    plain = write_pdf(tmp_path / "grpc.pdf", samples.GRPC_ADR)
    loaded = load(_aes(plain, ""), converter)
    assert outline(loaded)[0] == (1, "ADR 21: Use gRPC for internal service calls")

    with pytest.raises(SkipFile, match=r"^encrypted"):
        load(_aes(write_pdf(tmp_path / "locked.pdf", samples.GRPC_ADR), "s3cret"), converter)


def test_pdf_chunks_name_their_page(tmp_path: Path, converter: Converter) -> None:
    loaded = load(write_pdf(tmp_path / "adr" / "0021-use-grpc.pdf", samples.GRPC_ADR), converter)
    parsed = parse_document(loaded)

    chunks = dict(chunk_document(parsed.document, parsed.fmt, 1000))
    decision = next(text for section, text in chunks.items() if section == "p. 2 › Decision")
    assert samples.GRPC_DECISION in " ".join(decision.split())
    assert all(section.startswith("p. 1") for section in chunks if "Context" in section)
    assert not any("[//]" in text for text in chunks.values())


def test_docx_keeps_headings_lists_tables_and_takes_the_title_style(
    tmp_path: Path, converter: Converter
) -> None:
    loaded = load(write_docx(tmp_path / "flags.docx", samples.FLAGS_ADR), converter)

    assert outline(loaded) == [
        (1, "ADR 22: Keep feature flags in LaunchDarkly"),
        (2, "Status"),
        (2, "Context"),
        (2, "Decision"),
    ]
    lines = loaded.text.splitlines()
    assert [line for line in lines if line.startswith("|")] == [
        "| Flag kind | Owner |",
        "| --- | --- |",
        "| release | the team |",
        "| ops | platform |",
    ]


def test_docx_title_falls_back_to_core_properties(tmp_path: Path, converter: Converter) -> None:
    doc = samples.Doc("", samples.ONCALL_STANDARD.sections)
    path = write_docx(tmp_path / "oncall.docx", doc, core_title="On-call standard")
    assert outline(load(path, converter))[0] == (1, "On-call standard")


@pytest.mark.parametrize("write", [write_html, write_confluence, write_google_doc])
def test_html_keeps_the_main_content_only(tmp_path: Path, converter: Converter, write) -> None:
    loaded = load(write(tmp_path / "terraform.html", samples.TERRAFORM_ADR), converter)

    assert outline(loaded) == [
        (1, "ADR 23: Manage cloud infrastructure with Terraform"),
        (2, "Status"),
        (2, "Context"),
        (2, "Decision"),
    ]
    for chrome in (
        "Navigation menu",
        "header banner",
        "analytics script",
        "color: red",
        "Sidebar",
        "Footer",
        "Created by Alice",
        "Decisions",
        "generated by Confluence",
    ):
        assert chrome not in loaded.text
    assert "All cloud infrastructure is declared in Terraform modules" in loaded.text


def test_html_tables_become_pipe_tables(tmp_path: Path, converter: Converter) -> None:
    loaded = load(write_html(tmp_path / "flags.html", samples.FLAGS_ADR), converter)
    assert "| Flag kind | Owner |" in loaded.text and "| ops | platform |" in loaded.text


@pytest.mark.parametrize(
    ("write", "name"),
    [
        (write_pdf, "0021-use-grpc.pdf"),
        (write_docx, "0021-use-grpc.docx"),
        (write_confluence, "0021-use-grpc.html"),
    ],
)
def test_an_adr_in_every_format_has_its_status_number_and_kind(
    tmp_path: Path, converter: Converter, write, name: str
) -> None:
    parsed = parse_document(load(write(tmp_path / name, samples.GRPC_ADR), converter))

    assert parsed.document.title == "Use gRPC for internal service calls"
    assert (parsed.document.kind, parsed.document.number, parsed.document.status) == ("adr", 21, "accepted")
    assert parsed.problems == ()
