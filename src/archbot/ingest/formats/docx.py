"""DOCX → Markdown with python-docx: Heading n styles, lists and tables, in document order.

A DOCX file is a zip archive, so its entry count, total uncompressed size and compression ratio are
checked from the zip directory before anything is decompressed: a zip bomb is refused unopened.
The title is the Title-style paragraph, else the core properties' title, else the first heading.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

import docx
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from archbot.ingest.formats.limits import Limits
from archbot.ingest.formats.markdown import Converted, escape_line, heading, join_blocks, pipe_table
from archbot.ingest.loaders import SkipFile

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.I)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # a compound file: an encrypted DOCX, or a Word 97 .doc renamed


def convert(data: bytes, limits: Limits) -> Converted:
    check_archive(data, limits)
    document = docx.Document(BytesIO(data))
    blocks = _blocks(document)
    if not any(not b.startswith("#") for b in blocks):
        raise SkipFile("no text: the document has no paragraphs or tables to index")
    return Converted(join_blocks(blocks))


def check_archive(data: bytes, limits: Limits) -> None:
    """Refuse what is not a Word archive, or would unpack to more than the limits allow."""
    if data.startswith(_OLE_MAGIC):
        raise SkipFile("encrypted, or an old Word 97 .doc: save it as .docx without a password")
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except zipfile.BadZipFile:
        raise SkipFile("not a zip archive: truncated or corrupt? save it again as .docx") from None
    entries = archive.infolist()
    if len(entries) > limits.max_zip_entries:
        raise SkipFile(
            f"{len(entries)} zip entries, more than {limits.max_zip_entries} (ARCHBOT_MAX_ZIP_ENTRIES): "
            "not a document Word writes; save it again as .docx"
        )
    unpacked = sum(e.file_size for e in entries)
    packed = sum(e.compress_size for e in entries)
    if unpacked > limits.max_unzipped_bytes:
        raise SkipFile(
            f"unpacks to {unpacked:,} bytes, more than {limits.max_unzipped_bytes:,} "
            "(ARCHBOT_MAX_UNZIPPED_BYTES): remove large embedded files or raise the limit"
        )
    if packed and unpacked / packed > limits.max_zip_ratio:
        raise SkipFile(
            f"compressed {unpacked // packed}:1, more than {limits.max_zip_ratio}:1 (ARCHBOT_MAX_ZIP_RATIO): "
            "a zip bomb? save it again as .docx"
        )
    if "word/document.xml" not in archive.namelist():
        raise SkipFile("not a Word document (no word/document.xml): save it as .docx from Word")


def _blocks(document: WordDocument) -> list[str]:
    # Style names by id, read once: python-docx's `paragraph.style` searches the styles part per call.
    styles = {style.style_id: style.name or "" for style in document.styles}
    title = _title(document, styles)
    shift = 1 if title else 0  # under a title, Heading 1 sections are level 2
    blocks = [heading(1, title)] if title else []
    title_repeated = False
    list_items: list[str] = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:tbl"):
            _flush(blocks, list_items)
            rows = [[cell.text for cell in row.cells] for row in Table(element, document).rows]
            blocks.append(pipe_table(rows))
            continue
        if element.tag != qn("w:p"):
            continue
        paragraph = Paragraph(element, document)
        text = " ".join(paragraph.text.split())
        style = styles.get(element.style or "", "")
        if not text or style == "Title":
            continue
        level = _heading_level(style)
        item = _list_depth(paragraph, style)
        if level is not None:
            _flush(blocks, list_items)
            if text == title and not title_repeated:
                title_repeated = True  # the title repeated as a heading is written once
            else:
                blocks.append(heading(level + shift, text))
        elif item is not None:
            marker = "1." if "number" in style.lower() else "-"
            list_items.append(f"{'   ' * item}{marker} {escape_line(text)}")
        else:
            _flush(blocks, list_items)
            blocks.append(escape_line(text))
    _flush(blocks, list_items)
    return blocks


def _title(document: WordDocument, styles: dict[str, str]) -> str:
    for paragraph in document.paragraphs:
        if styles.get(paragraph._p.style or "") == "Title" and paragraph.text.strip():
            return " ".join(paragraph.text.split())
    return " ".join((document.core_properties.title or "").split())


def _heading_level(style: str) -> int | None:
    match = _HEADING_STYLE.match(style)
    return int(match.group(1)) if match else None


def _list_depth(paragraph: Paragraph, style: str) -> int | None:
    """0 for a top-level item; list styles and Word's numbering both make an item."""
    properties = paragraph._p.pPr
    numbering = properties.numPr if properties is not None else None
    if numbering is not None and numbering.ilvl is not None:
        return int(numbering.ilvl.val)
    if numbering is not None or style.lower().startswith(("list bullet", "list number", "list paragraph")):
        digits = re.findall(r"\d+$", style)
        return int(digits[0]) - 1 if digits else 0
    return None


def _flush(blocks: list[str], items: list[str]) -> None:
    if items:
        blocks.append("\n".join(items))
        items.clear()
