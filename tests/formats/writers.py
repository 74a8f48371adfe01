"""Real PDF, DOCX and HTML files for the format tests and the benchmark, written with real libraries.

A document is a title and sections (heading, paragraphs, list items); `page_break_before` names the
headings a PDF starts on a new page, so tests can check the page of each chunk.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import docx
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfgen import canvas
from reportlab.platypus import ListFlowable, ListItem, PageBreak, Paragraph, SimpleDocTemplate, Table


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Doc:
    title: str
    sections: tuple[Section, ...]
    page_break_before: frozenset[str] = field(default_factory=frozenset)


def write_pdf(
    path: Path, doc: Doc, encrypt: str | None = None, outline: bool = False, owner_password: str | None = None
) -> Path:
    """A text-layer PDF set the way word processors do: a large title, smaller headings, body text.

    `encrypt` sets a password to open it; `owner_password` alone only restricts editing and printing."""
    styles = getSampleStyleSheet()
    story: list = [Paragraph(escape(doc.title), styles["Title"])]
    for section in doc.sections:
        if section.heading in doc.page_break_before:
            story.append(PageBreak())
        heading = _Bookmarked if outline else Paragraph
        story.append(heading(escape(section.heading), styles["Heading2"]))
        story.extend(Paragraph(escape(p), styles["BodyText"]) for p in section.paragraphs)
        if section.items:
            items = [ListItem(Paragraph(escape(i), styles["BodyText"])) for i in section.items]
            story.append(ListFlowable(items, bulletType="bullet"))
        if section.table:
            story.append(Table([list(row) for row in section.table]))
    path.parent.mkdir(parents=True, exist_ok=True)
    protection = StandardEncryption("", owner_password) if owner_password else encrypt
    template = SimpleDocTemplate(str(path), pagesize=A4, title=doc.title, encrypt=protection)
    template.build(story)
    return path


class _Bookmarked(Paragraph):
    """A heading that adds itself to the PDF outline, as Word and LaTeX exports do."""

    def __init__(self, text: str, style: object) -> None:
        super().__init__(text, style)
        self.key = text

    def draw(self) -> None:
        super().draw()
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.key, self.key, level=0)


def write_pages(path: Path, pages: list[str]) -> Path:
    """A PDF with one line of body text per page: the size of a document without its structure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for number, text in enumerate(pages, 1):
        pdf.setFont("Helvetica", 10)
        for row in range(40):
            pdf.drawString(72, 760 - row * 14, f"{text} (page {number}, line {row + 1}).")
        pdf.showPage()
    pdf.save()
    return path


def write_scanned_pdf(path: Path, typed_first_page: str | None = None) -> Path:
    """What a scanner makes: a page of drawing with no text layer, after a typed page if one is given."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = canvas.Canvas(str(path), pagesize=A4)
    if typed_first_page is not None:
        pdf.setFont("Helvetica", 10)
        pdf.drawString(72, 760, typed_first_page)
        pdf.showPage()
    pdf.rect(72, 400, 300, 200, fill=1)
    pdf.showPage()
    pdf.save()
    return path


def write_docx(path: Path, doc: Doc, core_title: str | None = None) -> Path:
    """A Word document with Title, Heading 2 sections, List Bullet items and a table."""
    word = docx.Document()
    if core_title is not None:
        word.core_properties.title = core_title
    word.add_paragraph(doc.title, style="Title")
    for section in doc.sections:
        word.add_heading(section.heading, level=1)
        for paragraph in section.paragraphs:
            word.add_paragraph(paragraph)
        for item in section.items:
            word.add_paragraph(item, style="List Bullet")
        if section.table:
            table = word.add_table(rows=len(section.table), cols=len(section.table[0]))
            for r, row in enumerate(section.table):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    path.parent.mkdir(parents=True, exist_ok=True)
    word.save(str(path))
    return path


def write_zip(path: Path, entries: dict[str, bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def html_body(doc: Doc) -> str:
    parts = []
    for section in doc.sections:
        parts.append(f"<h2>{escape(section.heading)}</h2>")
        parts.extend(f"<p>{escape(p)}</p>" for p in section.paragraphs)
        if section.items:
            parts.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in section.items) + "</ul>")
        if section.table:
            head, *rows = section.table
            cells = "".join(f"<th>{escape(c)}</th>" for c in head)
            body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
            parts.append(f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>")
    return "\n".join(parts)


CHROME = """<nav><a href="/">Home</a> <a href="/spaces">Spaces</a> Navigation menu</nav>
<header><div class="logo">Intranet header banner</div></header>
<script>var tracking = "analytics script";</script><style>body { color: red; }</style>"""
FOOTER = "<footer>Footer: copyright notice and cookie policy</footer>"


def write_html(path: Path, doc: Doc) -> Path:
    """An ordinary page: chrome around a <main>, the title only in <title>."""
    page = (
        f"<!doctype html><html><head><title>{escape(doc.title)}</title></head><body>{CHROME}"
        f'<div class="layout"><aside class="sidebar">Sidebar: recent pages</aside>'
        f"<main>{html_body(doc)}</main></div>{FOOTER}</body></html>"
    )
    return _write(path, page)


def write_confluence(path: Path, doc: Doc) -> Path:
    """A Confluence page export: the title in #title-text, the content in #main-content."""
    page = (
        f"<html><head><title>Architecture : {escape(doc.title)}</title></head><body>"
        f'<div id="page"><div id="main"><div id="main-header">'
        '<div id="breadcrumb-section"><ol id="breadcrumbs">'
        "<li>Architecture</li><li>Decisions</li></ol></div>"
        f'<h1 id="title-heading" class="pagetitle"><span id="title-text">{escape(doc.title)}</span></h1>'
        f'</div><div id="content" class="view"><div class="page-metadata">Created by Alice, last modified'
        f' on Mar 05, 2024</div><div id="main-content" class="wiki-content group">{html_body(doc)}</div>'
        f'</div></div><div id="footer" role="contentinfo"><section class="footer-body">'
        f"Document generated by Confluence</section></div></div></body></html>"
    )
    return _write(path, page)


def write_google_doc(path: Path, doc: Doc) -> Path:
    """A Google Docs "Web page (.html)" export: inline styles, a p.title, content straight in <body>."""
    page = (
        f'<html><head><meta content="text/html; charset=UTF-8" http-equiv="content-type">'
        f"<style>.c1{{font-weight:700}} .title{{font-size:26pt}}</style><title>{escape(doc.title)}</title>"
        f'</head><body class="doc-content"><p class="title"><span class="c1">{escape(doc.title)}</span></p>'
        f"{html_body(doc)}</body></html>"
    )
    return _write(path, page)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
