"""The document model (docs/adr/0022): one small typed tree for every format.

Every format reaches ingest as Markdown written by a real parser (pandoc for AsciiDoc and reST,
pypdf, python-docx and BeautifulSoup for the rest) plus its front matter; markdown-it parses that
once into this tree, and the readers of metadata and lifecycle walk the tree: sections with their
headings and levels, paragraphs, list items, tables (header and rows) and code blocks, each with
the lines it spans in the body.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

BlockKind = Literal["paragraph", "item", "table", "code", "html"]


@dataclass(frozen=True)
class Block:
    """A leaf of the tree. `text` is the inline Markdown (links kept) of a paragraph or list item, the
    code of a code block; a table's cells are in `rows`, its header first. Lines are body lines, end
    exclusive; `depth` is the list nesting of an item, `quoted` whether it sits in a block quote."""

    kind: BlockKind
    text: str
    line: int
    end: int
    depth: int = 0
    quoted: bool = False
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Section:
    """A heading and the blocks under it up to the next heading of any level; `stop` is where the
    section ends with its sub-sections (the next heading of the same or a higher level)."""

    title: str
    level: int
    line: int
    end: int
    stop: int
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class DocTree:
    front_matter: Mapping[str, object]
    preamble: tuple[Block, ...]  # blocks above the first heading
    sections: tuple[Section, ...]  # in document order, every level
    line_count: int
    subtree: bool = field(default=False, compare=False)

    def blocks(self) -> Iterator[Block]:
        yield from self.preamble
        for section in self.sections:
            yield from section.blocks

    def header_blocks(self) -> tuple[Block, ...]:
        """The document's header: what stands above its first section below the title (or, in a
        sub-tree, above its first sub-section)."""
        blocks = list(self.preamble)
        for section in self.sections:
            if section.level >= 2 or self.subtree:
                break
            blocks += section.blocks
        return tuple(blocks)

    def within(self, index: int) -> DocTree:
        """Section `index`'s body as a tree of its own: its blocks as preamble, its sub-sections."""
        section = self.sections[index]
        inner = tuple(s for s in self.sections[index + 1 :] if s.line < section.stop)
        return DocTree({}, section.blocks, inner, section.stop, subtree=True)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # markdown-it bounds nesting itself (maxNesting), so a 20,000-level list is read flat, not recursed.
    return MarkdownIt("commonmark").enable("table")


def parse_markdown(body: str, front_matter: Mapping[str, object] | None = None) -> DocTree:
    """The tree of a Markdown body (front matter already split off)."""
    tree = _markdown_tree(body)
    return replace(tree, front_matter=front_matter) if front_matter else tree


@lru_cache(maxsize=8)
def _markdown_tree(body: str) -> DocTree:
    """Reading one document asks for its tree several times (metadata, frames, chunking); parsing was
    most of chunking's time (measured), so the last few are kept."""
    return _Builder(body).build({})


def parse(body: str, fmt: str, front_matter: Mapping[str, object] | None = None) -> DocTree:
    """The tree of a body in one of the formats ingest reads it in: Markdown, or plain text."""
    return parse_markdown(body, front_matter) if fmt == "markdown" else parse_text(body, front_matter)


def parse_text(body: str, front_matter: Mapping[str, object] | None = None) -> DocTree:
    """Plain text has no markup: its paragraphs are what blank lines separate."""
    blocks: list[Block] = []
    start: int | None = None
    lines = body.splitlines()
    for number, line in enumerate([*lines, ""]):
        if line.strip() and start is None:
            start = number
        elif not line.strip() and start is not None:
            blocks.append(Block("paragraph", "\n".join(lines[start:number]), start, number))
            start = None
    return DocTree(front_matter or {}, tuple(blocks), (), len(lines))


# The token that opens each kind of leaf (a paragraph inside a list is an item).
_LEAVES: dict[str, BlockKind] = {
    "paragraph_open": "item",
    "fence": "code",
    "code_block": "code",
    "html_block": "html",
    "table_open": "table",
}


def _html_table(html: str) -> tuple[tuple[str, ...], ...]:
    """An HTML table written in a Markdown file (a metadata table, often): its rows as cell text."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    rows = (
        tuple(c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])) for tr in soup.find_all("tr")
    )
    return tuple(row for row in rows if row)


class _Builder:
    def __init__(self, body: str) -> None:
        self.body = body
        self.tokens: list[Token] = _parser().parse(body)
        self.line_count = len(body.splitlines())

    def build(self, front_matter: Mapping[str, object]) -> DocTree:
        preamble: list[Block] = []
        heads: list[tuple[str, int, int, int]] = []  # title, level, line, end
        owned: list[list[Block]] = []
        depth = 0
        quoted = 0
        tokens = self.tokens
        index = 0
        while index < len(tokens):
            token = tokens[index]
            target = owned[-1] if owned else preamble
            kind = token.type
            if kind == "heading_open" and token.level == 0 and token.map:
                heads.append(
                    (tokens[index + 1].content.strip(), int(token.tag[1]), token.map[0], token.map[1])
                )
                owned.append([])
                index += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif kind in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
            elif kind == "blockquote_open":
                quoted += 1
            elif kind == "blockquote_close":
                quoted -= 1
            elif token.map and kind in _LEAVES:
                line, end = token.map
                leaf = _LEAVES[kind] if kind != "paragraph_open" or depth else "paragraph"
                rows: tuple[tuple[str, ...], ...] = ()
                if kind == "table_open":
                    rows, index = self._table(index)
                elif kind == "html_block" and "<table" in token.content.lower():
                    rows = _html_table(token.content)
                    leaf = "table" if rows else leaf
                text = tokens[index + 1].content if kind == "paragraph_open" else token.content
                target.append(Block(leaf, text, line, end, depth, quoted > 0, rows))
                if kind == "table_open":
                    continue
            index += 1
        sections = []
        for position, (title, level, line, end) in enumerate(heads):
            stop = next((h[2] for h in heads[position + 1 :] if h[1] <= level), self.line_count)
            sections.append(Section(title, level, line, end, stop, tuple(owned[position])))
        return DocTree(front_matter, tuple(preamble), tuple(sections), self.line_count)

    def _table(self, index: int) -> tuple[tuple[tuple[str, ...], ...], int]:
        rows: list[tuple[str, ...]] = []
        row: list[str] = []
        while self.tokens[index].type != "table_close":
            token = self.tokens[index]
            if token.type == "tr_open":
                row = []
            elif token.type in ("th_open", "td_open"):
                row.append(self.tokens[index + 1].content.strip())
            elif token.type == "tr_close":
                rows.append(tuple(row))
            index += 1
        return tuple(rows), index + 1
