"""PDF → Markdown with pypdf: the text layer page by page, headings from the outline or the font sizes.

pypdf's text visitor gives each run of text with its font size and position, which is all a heading
and a paragraph break need; the outline (bookmarks), when the PDF has one, names the headings and
their levels outright. Each page starts with a page mark (`vocabulary.PAGE_MARK`), so chunks know their
page. Tables come out as lines of text: the text layer does not say where cells are.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO

from pypdf import PageObject, PdfReader

from archbot.ingest.formats.limits import Limits
from archbot.ingest.formats.markdown import Converted, escape_line, heading, join_blocks, vocabulary
from archbot.ingest.loaders import SkipFile
from archbot.kernel.vocabulary import page_mark

ENCRYPTED = "encrypted: export it without a password"
NO_TEXT = "no text: scanned? export it with a text layer"


@dataclass
class _Line:
    text: str = ""
    size: float = 0.0
    y: float | None = None


@dataclass
class _Page:
    """Lines of one page, built from the visitor's runs: a run's newline ends the line it is on."""

    lines: list[_Line] = field(default_factory=list)
    current: _Line = field(default_factory=_Line)

    def visit(self, text: str, cm: list[float], tm: list[float], font: object, font_size: float) -> None:
        for index, part in enumerate(text.split("\n")):
            if index:
                self.end_line()
            if part.strip():
                self.current.text += part
                self.current.size = max(self.current.size, _effective_size(font_size, cm, tm))
                if self.current.y is None:
                    self.current.y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            elif part:
                self.current.text += part

    def end_line(self) -> None:
        if self.current.text.strip():
            self.current.text = " ".join(self.current.text.split())
            self.lines.append(self.current)
        self.current = _Line()


def _effective_size(font_size: float, cm: list[float], tm: list[float]) -> float:
    """The size the reader sees: the font size scaled by the text and transformation matrices."""
    scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
    return round(font_size * (scale or 1.0), 1)


def convert(data: bytes, limits: Limits) -> Converted:
    reader = PdfReader(BytesIO(data))
    if reader.is_encrypted:
        _decrypt(reader)
    if len(reader.pages) > limits.max_pdf_pages:
        raise SkipFile(
            f"{len(reader.pages)} pages, more than the {limits.max_pdf_pages}-page limit "
            "(ARCHBOT_MAX_PDF_PAGES): split it, or raise the limit"
        )
    pages = [_read_page(page) for page in reader.pages]
    if not any(page.lines for page in pages):
        raise SkipFile(NO_TEXT)
    outline = _outline(reader)
    levels = _size_levels(pages)
    if outline:
        levels = _with_title(_outline_levels(pages, outline), levels)
    blocks = [*_title_block(reader, pages, levels), *_page_blocks(pages, levels)]
    blank = [str(n) for n, page in enumerate(pages, 1) if not page.lines]
    warnings = (f"no text on page(s) {', '.join(blank)}: scanned pages are not indexed",) if blank else ()
    return Converted(join_blocks(blocks), warnings)


def _decrypt(reader: PdfReader) -> None:
    """Many PDFs are encrypted only against editing and open with the empty password; others are skipped."""
    try:
        opened = reader.decrypt("")
    except Exception:
        raise SkipFile(ENCRYPTED) from None
    if not opened:
        raise SkipFile(ENCRYPTED)


def _read_page(page: PageObject) -> _Page:
    collected = _Page()
    page.extract_text(visitor_text=collected.visit)
    collected.end_line()
    return collected


def _outline(reader: PdfReader) -> dict[tuple[int, str], int]:
    """(page index, normalised title) → heading level, for every bookmark that points at a page."""
    found: dict[tuple[int, str], int] = {}
    try:
        items = reader.outline
    except Exception:
        return found  # a broken outline: the font sizes still give the headings

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
                continue
            try:
                page = reader.get_destination_page_number(item)
            except Exception:
                continue
            if page is not None and page >= 0:
                found.setdefault((page, _key(str(item.title))), depth + 2)  # level 1 is the title

    walk(items, 0)
    return found


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _outline_levels(pages: list[_Page], outline: dict[tuple[int, str], int]) -> dict[int, dict[int, int]]:
    """Per page, line index → heading level, for lines that are a bookmark's title on its page."""
    levels: dict[int, dict[int, int]] = {}
    for n, page in enumerate(pages):
        keys = [(n, _key(line.text)) for line in page.lines]
        levels[n] = {i: outline[key] for i, key in enumerate(keys) if key in outline}
    return levels


def _with_title(
    outline: dict[int, dict[int, int]], sizes: dict[int, dict[int, int]]
) -> dict[int, dict[int, int]]:
    """Bookmarks rarely include the title: the first line set in the largest size on page 1 is it."""
    title = min((i for i, level in sizes.get(0, {}).items() if level == 1), default=None)
    if title is not None and title not in outline.get(0, {}):
        outline[0] = {**outline.get(0, {}), title: 1}
    return outline


def _size_levels(pages: list[_Page]) -> dict[int, dict[int, int]]:
    """Lines set clearly larger than the body font are headings; larger sizes are higher levels."""
    cues = vocabulary()["pdf"]
    weights: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            weights[line.size] += len(line.text)
    body = weights.most_common(1)[0][0]
    sizes = sorted({s for s in weights if s >= body * cues["heading_size_ratio"]}, reverse=True)
    rank = {size: level for level, size in enumerate(sizes, 1)}
    return {
        n: {
            i: rank[line.size]
            for i, line in enumerate(page.lines)
            if line.size in rank and _headline(line.text)
        }
        for n, page in enumerate(pages)
    }


def _headline(text: str) -> bool:
    """Words, short enough for a heading: a large bullet glyph or page number is not one."""
    return len(text) <= vocabulary()["pdf"]["heading_max_chars"] and any(c.isalpha() for c in text)


def _title_block(reader: PdfReader, pages: list[_Page], levels: dict[int, dict[int, int]]) -> list[str]:
    """The document-info title as the level-1 heading when the pages have none of their own."""
    if any(level == 1 for page_levels in levels.values() for level in page_levels.values()):
        return []
    title = str((reader.metadata or {}).get("/Title") or "").strip()
    junk = vocabulary()["pdf"]["junk_title_prefixes"]
    if not title or any(title.lower().startswith(j.lower()) for j in junk):
        return []
    return [heading(1, title)]


def _page_blocks(pages: list[_Page], levels: dict[int, dict[int, int]]) -> list[str]:
    """Each page: its mark, then headings, list items and paragraphs (a wide vertical gap starts one)."""
    cues = vocabulary()["pdf"]
    bullets = tuple(cues["bullets"])
    blocks: list[str] = []
    for n, page in enumerate(pages):
        blocks.append(page_mark(n + 1))
        page_levels = levels.get(n, {})
        paragraph: list[str] = []
        previous: _Line | None = None
        bullet_alone = False  # a bullet glyph set on a line of its own opens the next line's item
        for i, line in enumerate(page.lines):
            level = page_levels.get(i)
            if level is not None:
                _flush(blocks, paragraph)
                if page_levels.get(i - 1) == level and blocks[-1].startswith("#"):
                    blocks[-1] += " " + line.text  # a heading wrapped onto two lines
                else:
                    blocks.append(heading(level, line.text))
            elif line.text in bullets:
                bullet_alone = True
                continue
            else:
                item = _bullet_text(line.text, bullets)
                if item is None and bullet_alone:
                    item = line.text
                in_list = bool(paragraph) and paragraph[-1].startswith("- ")
                if (item is not None and not in_list) or _gap(previous, line) > cues["paragraph_gap_ratio"]:
                    _flush(blocks, paragraph)
                paragraph.append("- " + escape_line(item) if item is not None else escape_line(line.text))
            previous, bullet_alone = line, False
        _flush(blocks, paragraph)
    return blocks


def _bullet_text(text: str, bullets: tuple[str, ...]) -> str | None:
    for bullet in bullets:
        if text.startswith(bullet) and len(text) > len(bullet) and text[len(bullet)].isspace():
            return text[len(bullet) :].strip()
    return None


def _gap(previous: _Line | None, line: _Line) -> float:
    """The space above `line` in multiples of its font size; 0 when positions are unknown."""
    if previous is None or previous.y is None or line.y is None or not line.size:
        return 0.0
    return (previous.y - line.y) / line.size


def _flush(blocks: list[str], paragraph: list[str]) -> None:
    if paragraph:
        blocks.append("\n".join(paragraph))
        paragraph.clear()
