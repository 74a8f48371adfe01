"""A document's fields, read from its tree: front matter, metadata tables, `Name: value` header
lines (bullets, bold labels, reST field lists and docinfo as pandoc writes them) and headings
that name a field ("## Status" over its value, "## Status: Accepted").

Which names matter is the lifecycle vocabulary's `*_fields`; the forms are structure, so a
metadata table in AsciiDoc, a field list in reST and front matter in Markdown give the same fields.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from archbot.ingest.structure import as_text, plain
from archbot.kernel.doctree import Block, DocTree
from archbot.kernel.lifecycle import field_name, lifecycle

FieldForm = Literal["front_matter", "line", "table", "heading", "section"]

# A field's name is short: "Status", "Decision date", "Superseded by" (measured: no name the
# vocabulary knows has more than three words).
MAX_NAME_WORDS = 4
# A preformatted header block holds at least this many fields ("BIP: 172", "Status: Draft").
MIN_PREAMBLE_FIELDS = 2
# Separators between a name and its value on a header line: a colon (any width) or a spaced dash.
_COLONS = (":", "：")
_DASHES = (" - ", " – ", " — ")
# What a field's name is written with besides letters and digits ("Superseded-By", "adr_status").
_NAME_MARKS = frozenset(" -_'/.")


@dataclass(frozen=True)
class Field:
    name: str  # as compared (`field_name`): "superseded_by"
    value: str  # inline Markdown of the value, links kept so relations can be read
    form: FieldForm
    line: int | None  # body line, None for front matter
    context: str  # the value with what follows it (a Status section's whole body)
    raw: object = None  # a front-matter value as YAML gave it (lists stay lists)

    @property
    def text(self) -> str:
        return plain(self.value)


def front_matter_fields(tree: DocTree) -> list[Field]:
    found = []
    for key, value in tree.front_matter.items():
        if value in (None, "") or isinstance(value, dict):
            continue
        text = as_text(value)
        found.append(Field(field_name(str(key)), text, "front_matter", None, text, value))
    return found


def line_fields(blocks: tuple[Block, ...] | list[Block], header: bool = False) -> list[Field]:
    """`Name: value` lines of paragraphs and list items whose name the vocabulary knows; in the
    `header`, also those of a preformatted block made only of such lines (the RFC 822 preamble of
    enhancement-proposal processes: `Status: Final` lines in an indented or `<pre>` block)."""
    known = lifecycle().field_names
    found = []
    for block in blocks:
        if not (block.kind in ("paragraph", "item") or (header and _is_preamble(block))):
            continue
        for offset, line in enumerate(block.text.split("\n")):
            parsed = _split_field(line)
            if parsed and parsed[0] in known:
                found.append(Field(parsed[0], parsed[1], "line", block.line + offset, parsed[1]))
    return found


def _is_preamble(block: Block) -> bool:
    """A code block whose every line is a field or the continuation (indented) of one."""
    if block.kind != "code":
        return False
    lines = [line for line in textwrap.dedent(block.text).split("\n") if line.strip()]
    heads = [line for line in lines if not line[:1].isspace()]
    return len(heads) >= MIN_PREAMBLE_FIELDS and all(_split_field(line, empty=True) for line in heads)


def table_fields(blocks: tuple[Block, ...] | list[Block]) -> list[Field]:
    """Metadata tables: `| Status | Accepted |` rows (a name in the first column), or a header row
    naming fields over one row of values."""
    known = lifecycle().field_names
    found = []
    for block in blocks:
        if block.kind != "table" or not block.rows:
            continue
        header = [field_name(plain(cell)) for cell in block.rows[0]]
        named = [name for name in header if name]
        columns = len(named) >= 2 and all(name in known for name in named)
        rows = [] if columns else [r for r in block.rows if len(r) >= 2 and field_name(plain(r[0])) in known]
        for row in rows:
            value = next((cell for cell in row[1:] if plain(cell)), "")
            found.append(Field(field_name(plain(row[0])), value, "table", block.line, " | ".join(row)))
        if not rows and len(block.rows) >= 2:
            values = block.rows[1]
            for column, name in enumerate(header):
                if name in known and column < len(values):
                    found.append(Field(name, values[column], "table", block.line, " | ".join(values)))
    return found


def heading_fields(tree: DocTree) -> list[Field]:
    """ "## Status: Accepted", or a heading that is a field's name over its value ("## Status")."""
    known = lifecycle().field_names
    found = []
    for index, section in enumerate(tree.sections):
        parsed = _split_field(section.title)
        if parsed and parsed[0] in known:
            found.append(Field(parsed[0], parsed[1], "heading", section.line, section.title))
            continue
        name = field_name(plain(section.title))
        if name not in known:
            continue
        body = [b for b in tree.within(index).blocks() if b.kind in ("paragraph", "item", "table")]
        first = _first_value(body)
        if first:
            context = "\n".join(b.text or " | ".join(b.rows[1] if len(b.rows) > 1 else ()) for b in body)
            found.append(Field(name, first, "section", section.line, context))
    return found


def fields(tree: DocTree) -> Iterator[Field]:
    """Every field, in order of trust: front matter, header lines, headings, tables, lines below."""
    header = tree.header_blocks()
    yield from front_matter_fields(tree)
    yield from line_fields(header, header=True)
    yield from heading_fields(tree)
    yield from table_fields(list(tree.blocks()))
    rest = [b for b in tree.blocks() if b not in header]
    yield from line_fields(rest)


def first(found: Iterator[Field] | list[Field], names: tuple[str, ...]) -> Field | None:
    return next((f for f in found if f.name in names and plain(f.value)), None)


def _first_value(blocks: list[Block]) -> str:
    for block in blocks:
        if block.kind == "table":
            continue
        line = next((part for part in block.text.split("\n") if plain(part)), "")
        if line:
            return line
    return ""


def _split_field(line: str, empty: bool = False) -> tuple[str, str] | None:
    """("status", "Accepted") from `**Status:** Accepted`, `- Status: Accepted`, `Status - Accepted`."""
    text = line.strip()
    cut = min((text.find(c) for c in _COLONS if c in text), default=-1)
    width = 1
    if cut < 0:
        cut, width = min(((text.find(d), len(d)) for d in _DASHES if d in text), default=(-1, 0))
    if cut <= 0:
        return None
    label = text[:cut].strip(" *_`")
    value = text[cut + width :].strip().lstrip("*_ ").strip()
    if not label or len(label.split()) > MAX_NAME_WORDS or not (value or empty):
        return None
    if not all(c.isalnum() or c in _NAME_MARKS for c in label):
        return None  # markup before the colon (a link, an image's alt text): not a field's name
    return field_name(label), value
