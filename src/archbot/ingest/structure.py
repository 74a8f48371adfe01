"""Document structure shared by metadata and chunking: body cleaning (front matter, ERB), headings,
prose lines outside code blocks, and markup reduced to plain text."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from frontmatter.default_handlers import YAMLHandler

from archbot.kernel.doctree import parse
from archbot.kernel.vocabulary import PAGE_MARK


@dataclass(frozen=True)
class Heading:
    """A section heading; `line` is its first line, `end` the line after it (setext headings span two)."""

    level: int
    title: str
    line: int
    end: int


# --- cleaning the body ----------------------------------------------------------------------------

_YAML = YAMLHandler()
_YAML_KEY_LINE = re.compile(r"^\s*(#.*)?$|^[\w\"'-][\w \"'.-]*:(\s|$)")
_ERB_BLOCK = re.compile(r"<%\s*content_for\b.*?%>.*?<%\s*end\s*-?%>", re.S)
_ERB_PAGE_DATA = re.compile(r"<%=\s*current_page\.data\.(\w+)\s*-?=?%>")
_ERB_HELPER_TEXT = re.compile(r"<%=\s*\w+\(\s*(['\"])(.*?)\1\s*\)\s*-?=?%>", re.S)
_ERB_TAG = re.compile(r"<%.*?%>", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_EMPTY_HEADING = re.compile(r"^#{1,6}[ \t]*$", re.M)
_NBSP_HEADING = re.compile(r"^(#{1,6})\u00a0+", re.M)  # `##&nbsp;Status` was meant as a heading
# An attribute list closing an ATX heading (kramdown, Pandoc, Python-Markdown's attr_list: `## Why?
# {#why}`, `## Setup {.unnumbered}`) is markup: the anchor is not part of the heading's text.
_HEADING_ATTRIBUTES = re.compile(r"^(#{1,6}[ \t].*?)[ \t]+\{[#.][^{}\n]*\}[ \t]*$", re.M)


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML as front matter needs it: a date is read as the text it is (`date: 2021-13-05`, a day
    and month swapped, is a string the date reader judges, not an error that stops the run), and
    anchors and aliases are refused, so an alias bomb never expands."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases are not read in front matter", event.start_mark
            )
        return super().compose_node(parent, index)  # type: ignore[no-untyped-call]


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def split_front_matter(text: str) -> tuple[dict, str, str | None]:
    """(metadata, body, problem). Broken YAML keeps the whole text as the body, so nothing is lost."""
    stripped = text.lstrip()
    if not _YAML.detect(stripped):
        return {}, text, None
    try:
        block, body = _YAML.split(stripped)
    except ValueError:
        return {}, text, None
    first_line = block.strip().split("\n", 1)[0]
    if not _YAML_KEY_LINE.match(first_line):
        return {}, text, None  # a thematic break `---` opening the document, not front matter
    try:
        meta = yaml.load(block, Loader=_FrontMatterLoader)
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return {}, text, f"broken front matter: {first}; read as plain text"
    if meta is None:
        return {}, body.lstrip("\n"), None
    if not isinstance(meta, dict):
        return {}, text, None
    return meta, body.lstrip("\n"), None


def strip_erb(text: str, meta: dict) -> str:
    """Middleman pages: page-data lookups become their values, helper text stays, other tags go."""
    text = _ERB_BLOCK.sub("", text)
    text = _ERB_PAGE_DATA.sub(lambda m: str(meta.get(m.group(1), "")), text)
    text = _ERB_HELPER_TEXT.sub(lambda m: m.group(2), text)
    text = _ERB_TAG.sub("", text)
    return _EMPTY_HEADING.sub("", text)


def clean_body(text: str, source: str) -> tuple[dict, str, str | None]:
    """Front matter split off, ERB (in `.erb` sources), HTML comments and heading attribute lists
    removed."""
    meta, body, problem = split_front_matter(text)
    if source.lower().endswith(".erb"):
        body = strip_erb(body, meta)
    body = _HTML_COMMENT.sub("", body)
    body = _NBSP_HEADING.sub(r"\1 ", body)
    body = _HEADING_ATTRIBUTES.sub(r"\1", body)
    return meta, re.sub(r"\n{3,}", "\n\n", body).strip("\n") + "\n", problem


# --- document structure ---------------------------------------------------------------------------


def headings(text: str, fmt: str) -> list[Heading]:
    """Top-level headings, ignoring `#` lines inside code blocks, lists and quotes: the sections of
    the document model."""
    return [Heading(s.level, plain(s.title), s.line, s.end) for s in parse(text, fmt).sections]


def prose_lines(text: str, fmt: str) -> list[str]:
    """The lines with code blocks and page marks blanked, so examples are not facts."""
    lines = ["" if PAGE_MARK.match(line) else line for line in text.splitlines()]
    for block in parse(text, fmt).blocks():
        if block.kind == "code":
            for number in range(block.line, min(block.end, len(lines))):
                lines[number] = ""
    return lines


LINK = re.compile(r"!?\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")


def plain(markup: str) -> str:
    """Inline Markdown reduced to the words a reader sees."""
    text = LINK.sub(lambda m: m.group(1), markup)
    text = _AUTOLINK.sub(lambda m: m.group(1), text)
    text = _HTML_COMMENT.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = re.sub(r"(?<!\w)_(\S.*?\S|\S)_(?!\w)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


# A bulleted or numbered list item, its text in `item`.
LIST_ITEM = re.compile(r"^\s*(?:[-*+]+|\d+[.)])\s+(?P<item>\S.*)$")

# A "Name: value" header line, as a bullet, bold or dash-separated; `{name}` is a regex for the name.
FIELD_LINE = r"^\s*(?:[-*+]\s+)?\**{name}\**\s*(?:\**\s*[:：]\s*\**|\s+[-–—]\s+)\s*(?P<value>\S.*?)\s*$"


def as_text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)
