"""Heading-aware chunks: what gets embedded, retrieved and cited.

A chunk keeps its heading so a citation can say "Decision" or "Options > Kafka", and so the
embedding sees what the paragraph is about. A chunk of a converted PDF lies on one page and names it:
"p. 3 › Decision" (docs/adr/0015). Long sections are split on the gentlest boundary that
works (paragraph, line, sentence, word); tiny neighbours are merged so no chunk is a bare heading.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from archbot.ingest.metadata.units import dated_entries, status_sections
from archbot.ingest.structure import clean_body, headings
from archbot.kernel.doctree import parse, parse_markdown
from archbot.kernel.types import Document
from archbot.kernel.vocabulary import PAGE_MARK

SectionPath = tuple[str, ...]
Page = int | None  # the PDF page a piece of text is on; None for formats without pages
Section = tuple[SectionPath, str, bool, Page]
Merged = tuple[list[SectionPath], str, Page]
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING_LINE = re.compile(r"^(#{1,6}\s|={1,6}\s|\[\[?[^\]]*\]\]?\s*$)")
_SMALL_FRACTION = 4  # a piece under max_chars / 4 is worth merging with a neighbour
# Marks a path element that names a log entry or one decision of a decision log: pieces of different
# entries are never merged, so each is retrieved and cited on its own.
ENTRY_MARK = "\u2063"


def chunk_document(doc: Document, fmt: str, max_chars: int) -> list[tuple[str, str]]:
    """(section path, text) pairs in document order, each 1..max_chars characters, deterministic."""
    _, body, _ = clean_body(doc.text, doc.source)
    units = {u.heading for u in status_sections(parse(body, fmt))}
    sections = [
        (tuple(ENTRY_MARK + p if p in units else p for p in path), text, content, page)
        for path, text, content, page in _fold_bare_headings(_sections(body, fmt))
    ]
    pieces = [
        (piece_path, piece, page)
        for path, text, _, page in sections
        for piece_path, entry in _entries(path, text)
        for piece in split_text(entry, max_chars)
    ]
    return [(_label(paths, page), text) for paths, text, page in _merge_small(pieces, max_chars)]


def _entries(path: SectionPath, text: str) -> list[tuple[SectionPath, str]]:
    """A section holding a dated log (one list item per change or decision) yields one piece per
    entry, named by it, so each entry is retrieved and cited on its own; other sections stay whole."""
    lines = text.split("\n")
    entries = dated_entries(parse_markdown(text))
    if not entries:
        return [(path, text)]
    intro = "\n".join(lines[: entries[0].start]).strip()
    pieces = [(path, intro)] if intro else []
    for entry in entries:
        pieces.append(((*path, ENTRY_MARK + entry.heading), "\n".join(lines[entry.start : entry.end])))
    return pieces


def _sections(body: str, fmt: str) -> list[Section]:
    """(path, text including its heading line, has content beyond the heading, page) per section.

    The document's title heading is not part of any path: every chunk already carries the title.
    A section that runs over a page break is one entry per page, its heading in the first.
    """
    lines = body.splitlines()
    pages = _pages(lines)
    outline = headings(body, fmt)
    starts = [h.line for h in outline] + [len(lines)]
    found = [((), text, True, page) for text, page in _by_page(lines, pages, 0, starts[0])]
    stack: list[tuple[int, str]] = []
    for index, heading in enumerate(outline):
        path: SectionPath = ()
        if not (index == 0 and heading.level == 1):
            while stack and stack[-1][0] >= heading.level:
                stack.pop()
            stack.append((heading.level, heading.title))
            path = tuple(title for _, title in stack)
        content = "\n".join(lines[heading.end : starts[index + 1]]).strip()
        runs = _by_page(lines, pages, heading.line, starts[index + 1])
        found.extend((path, text, bool(content) or n > 0, page) for n, (text, page) in enumerate(runs))
    return [section for section in found if section[1].strip()]


def _pages(lines: list[str]) -> list[Page]:
    """The page each line is on, from the page marks of a converted PDF; marks blank their line."""
    page: Page = None
    found: list[Page] = []
    for number, line in enumerate(lines):
        mark = PAGE_MARK.match(line)
        if mark:
            page = int(mark.group(1))
            lines[number] = ""
        found.append(page)
    return found


def _by_page(lines: list[str], pages: list[Page], start: int, end: int) -> list[tuple[str, Page]]:
    """The lines start..end as one text per page they are on (one text when there are no pages)."""
    runs: list[tuple[list[str], Page]] = []
    for number in range(start, end):
        if not runs or pages[number] != runs[-1][1]:
            runs.append(([], pages[number]))
        runs[-1][0].append(lines[number])
    texts = [("\n".join(run).strip(), page) for run, page in runs]
    return [(text, page) for text, page in texts if text] or [("", pages[start] if start < end else None)]


def _fold_bare_headings(sections: list[Section]) -> list[Section]:
    """A heading with nothing under it joins the section that follows when that one is inside it.

    A document that is nothing but headings (a blank template) stays findable as one chunk.
    """
    folded: list[Section] = []
    pending: list[tuple[SectionPath, str]] = []
    for path, text, has_content, page in sections:
        pending = [(p, t) for p, t in pending if path[: len(p)] == p]
        if not has_content:
            pending.append((path, text))
            continue
        prefix = "\n\n".join(t for _, t in pending)
        folded.append((path, f"{prefix}\n\n{text}" if prefix else text, True, page))
        pending = []
    if not folded and sections:
        return [((), "\n\n".join(text for _, text, _, _ in sections), True, sections[0][3])]
    return folded


def split_text(text: str, max_chars: int) -> list[str]:
    """Pieces of at most `max_chars`, cut at paragraphs, then lines, sentences, words, characters.

    Leading heading lines always stay with the first piece of their body, never alone.
    """
    text = text.strip()
    if len(text) <= max_chars:
        return [text] if text else []
    head, body = _leading_headings(text)
    budget = max_chars - len(head) - 2
    if not head or not body or budget < max_chars // 2:
        return [piece for piece in _split(text, max_chars, 0) if piece.strip()]
    first, *rest = _split(body, budget, 0)
    return [f"{head}\n\n{first}", *(piece for piece in _split("\n\n".join(rest), max_chars, 0) if piece)]


def _leading_headings(text: str) -> tuple[str, str]:
    """(heading block, rest): the Markdown/AsciiDoc heading and block-attribute lines a section opens with."""
    lines = text.split("\n")
    count = 0
    while count < len(lines) and (not lines[count].strip() or _HEADING_LINE.match(lines[count])):
        count += 1
    return "\n".join(lines[:count]).strip(), "\n".join(lines[count:]).strip()


def _paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks; a fenced code block stays whole even if it has blank lines."""
    blocks: list[list[str]] = [[]]
    in_fence = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        if not line.strip() and not in_fence:
            blocks.append([])
        else:
            blocks[-1].append(line)
    return ["\n".join(block) for block in blocks if block]


_SPLITTERS: tuple[tuple[Callable[[str], list[str]], str], ...] = (
    (_paragraphs, "\n\n"),
    (lambda text: text.split("\n"), "\n"),
    (lambda text: re.split(r"(?<=[.!?])\s+", text), " "),
    (lambda text: text.split(), " "),
)


def _split(text: str, max_chars: int, level: int) -> list[str]:
    if len(text) <= max_chars:
        return [text]
    if level == len(_SPLITTERS):
        return [text[i : i + max_chars] for i in range(0, len(text), max_chars)]
    splitter, joiner = _SPLITTERS[level]
    parts = [part.strip() for part in splitter(text) if part.strip()]
    pieces: list[str] = []
    current = ""
    for part in parts:
        for piece in _split(part, max_chars, level + 1):
            candidate = f"{current}{joiner}{piece}" if current else piece
            if len(candidate) <= max_chars:
                current = candidate
            else:
                pieces.append(current)
                current = piece
    return [*pieces, current] if current else pieces


def _related(a: SectionPath, b: SectionPath) -> bool:
    """One section's parent contains the other: siblings, parent and child, or a top-level neighbour."""
    return a[:-1] == b[: len(a) - 1] or b[:-1] == a[: len(b) - 1]


def _merge_small(pieces: list[tuple[SectionPath, str, Page]], max_chars: int) -> list[Merged]:
    small = max_chars // _SMALL_FRACTION
    merged: list[Merged] = []
    for path, text, page in pieces:
        if merged:
            paths, previous, previous_page = merged[-1]
            fits = len(previous) + 2 + len(text) <= max_chars and page == previous_page
            same_entry = _entry_of(path) == _entry_of(paths[-1])
            if fits and same_entry and min(len(previous), len(text)) < small and _related(paths[-1], path):
                merged[-1] = ([*paths, path], f"{previous}\n\n{text}", page)
                continue
        merged.append(([path], text, page))
    return merged


def _entry_of(path: SectionPath) -> str | None:
    """The log entry (or decision of a decision log) a section belongs to, if any."""
    return next((p for p in path if p.startswith(ENTRY_MARK)), None)


def _label(paths: list[SectionPath], page: Page) -> str:
    """`p. 3 › Options > Kafka` on a PDF page, else just the section path."""
    where = _section_label(paths)
    if page is None:
        return where
    return f"p. {page} › {where}" if where else f"p. {page}"


def _section_label(paths: list[SectionPath]) -> str:
    """`Options > Kafka`; merged siblings read `Options > Kafka, RabbitMQ`."""
    distinct = list(dict.fromkeys(tuple(p.removeprefix(ENTRY_MARK) for p in path) for path in paths))
    leaves = [p for p in distinct if not any(o != p and o[: len(p)] == p for o in distinct)]
    if len(leaves) == 1:
        return " > ".join(leaves[0])
    common: list[str] = []
    for names in zip(*leaves, strict=False):
        if len(set(names)) != 1:
            break
        common.append(names[0])
    tails = ", ".join(" > ".join(p[len(common) :]) for p in leaves)
    return " > ".join([*common, tails])
