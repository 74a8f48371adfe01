"""Turning a loaded file into a `Document`: title, kind, ADR number, status, date and supersession refs.

ADRs in the wild record the same facts in a dozen ways (YAML front matter, `## Status` sections at
either end, `- Status:` bullets, tables, badges), so each fact is looked for in a fixed order of
trust and normalised here; anything odd becomes a `problems` entry for the lint report instead of an
exception. Supersession refs are kept as written; `ingest.links` resolves them across documents.
"""

from __future__ import annotations

import datetime as dt
import itertools
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import yaml
from frontmatter.default_handlers import YAMLHandler
from markdown_it import MarkdownIt

from archbot.ingest.loaders import LoadedFile, supported_suffix
from archbot.kernel.types import KINDS, PUBLIC, Document


@dataclass(frozen=True)
class Parsed:
    document: Document
    fmt: str
    supersedes_refs: tuple[str, ...] = ()
    superseded_by_refs: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


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
        meta = _YAML.load(block)
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
    """Front matter split off, ERB (in `.erb` sources) and HTML comments removed."""
    meta, body, problem = split_front_matter(text)
    if source.lower().endswith(".erb"):
        body = strip_erb(body, meta)
    body = _HTML_COMMENT.sub("", body)
    body = _NBSP_HEADING.sub(r"\1 ", body)
    return meta, re.sub(r"\n{3,}", "\n\n", body).strip("\n") + "\n", problem


# --- document structure ---------------------------------------------------------------------------

_ADOC_HEADING = re.compile(r"^(={1,6})\s+(\S.*?)\s*=*\s*$")
_ADOC_BLOCK_ATTRIBUTE = re.compile(r"^\[\[?[^\]]*\]\]?\s*$")
_ADOC_DELIMITER = re.compile(r"^(-{4,}|\.{4,}|\+{4,}|_{4,}|\*{4,}|={4,}|/{4,})\s*$")
_ADOC_NOT_PROSE = re.compile(r"^(//(?!/)|:[\w-]+:)")  # comments and attribute entries


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def headings(text: str, fmt: str) -> list[Heading]:
    """Top-level headings, ignoring `#` lines inside code blocks, lists and quotes."""
    if fmt == "markdown":
        return _markdown_headings(text)
    if fmt == "asciidoc":
        return _asciidoc_headings(text)
    return []


def _markdown_headings(text: str) -> list[Heading]:
    tokens = _markdown().parse(text)
    found = []
    for token, inline in itertools.pairwise(tokens):
        if token.type == "heading_open" and token.level == 0 and token.map:
            found.append(Heading(int(token.tag[1]), plain(inline.content), token.map[0], token.map[1]))
    return found


def _asciidoc_headings(text: str) -> list[Heading]:
    """`==` headings; block attributes just above (`[#101]` rule ids, `[[anchor]]`) belong to them."""
    found = []
    attributes_from: int | None = None
    for number, line in _asciidoc_outside_blocks(text):
        match = _ADOC_HEADING.match(line)
        if match:
            start = number if attributes_from is None else attributes_from
            found.append(Heading(len(match.group(1)), plain(match.group(2)), start, number + 1))
        if _ADOC_BLOCK_ATTRIBUTE.match(line):
            attributes_from = number if attributes_from is None else attributes_from
        else:
            attributes_from = None
    return found


def _asciidoc_outside_blocks(text: str) -> Iterator[tuple[int, str]]:
    """Lines outside delimited blocks (listing, literal, example, comment ...), with their numbers."""
    open_delimiter: str | None = None
    for number, line in enumerate(text.splitlines()):
        match = _ADOC_DELIMITER.match(line)
        if match:
            delimiter = match.group(1)
            open_delimiter = None if delimiter == open_delimiter else open_delimiter or delimiter
            continue
        if open_delimiter is None:
            yield number, line


def prose_lines(text: str, fmt: str) -> list[str]:
    """The text's lines with code, literal blocks and comments blanked, so examples are not facts."""
    lines = text.splitlines()
    if fmt == "markdown":
        for token in _markdown().parse(text):
            if token.type in ("fence", "code_block") and token.map:
                for number in range(*token.map):
                    lines[number] = ""
    elif fmt == "asciidoc":
        keep = {n for n, line in _asciidoc_outside_blocks(text) if not _ADOC_NOT_PROSE.match(line)}
        lines = [line if n in keep else "" for n, line in enumerate(lines)]
    return lines


_LINK = re.compile(r"!?\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")


def plain(markup: str) -> str:
    """Inline Markdown reduced to the words a reader sees."""
    text = _LINK.sub(lambda m: m.group(1), markup)
    text = _AUTOLINK.sub(lambda m: m.group(1), text)
    text = _HTML_COMMENT.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = re.sub(r"(?<!\w)_(\S.*?\S|\S)_(?!\w)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


# --- title and number -----------------------------------------------------------------------------

_TITLE_NUMBER = re.compile(
    r"^(?:(?:ADR|RFC)[\s#_-]*(\d{1,5})\s*[.:)\-–—]?|(\d{1,5})\s*(?:[.:)]|\s[-–—]))\s+(?=\S)", re.I
)
_FILE_NUMBER = re.compile(r"^(?:adr|rfc)?[-_ ]?(\d{1,5})(?=[-_. ]|$)", re.I)
_FILE_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?=[-_. ]|$)")


def stem_of(source: str) -> str:
    """The file name without its (possibly chained) supported suffix."""
    name = posixpath.basename(source)
    suffix = supported_suffix(name)
    return name[: -len(suffix)] if suffix else posixpath.splitext(name)[0]


def split_title_number(title: str) -> tuple[str, int | None]:
    """`7. Use Kafka` / `ADR-007: Use Kafka` -> ("Use Kafka", 7)."""
    match = _TITLE_NUMBER.match(title)
    if not match:
        return title, None
    return title[match.end() :].strip(), int(match.group(1) or match.group(2))


def _file_number(stem: str) -> int | None:
    if _file_date(stem):
        return None
    match = _FILE_NUMBER.match(stem)
    return int(match.group(1)) if match else None


def _file_date(stem: str) -> str | None:
    match = _FILE_DATE.match(stem)
    return _valid_date(*map(int, match.groups())) if match else None


_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+){2,}")


def _humanise(stem: str) -> str:
    words = re.sub(r"[-_]+", " ", _FILE_DATE.sub("", _FILE_NUMBER.sub("", stem))).strip()
    return (words[:1].upper() + words[1:]) if words else stem


# --- status ---------------------------------------------------------------------------------------

_FIELD_LINE = r"^\s*(?:[-*+]\s+)?\**{name}\**\s*(?:\**\s*[:：]\s*\**|\s+[-–—]\s+)\s*(?P<value>\S.*?)\s*$"
_STATUS_LINE = re.compile(_FIELD_LINE.format(name="status"), re.I)
_STATUS_HEADING = re.compile(r"^status\s*[:：\-–—]\s*(?P<value>\S.*)$", re.I)
_STATUS_ROW = re.compile(r"^\|?\s*\**status\**\s*\|\s*(?P<value>[^|]*?[^|\s][^|]*?)\s*(\||$)", re.I)
_TABLE_RULE = re.compile(r"^[\s:|-]*$")
_BADGE = re.compile(r"img\.shields\.io/(?:badge|static/v1)/([^)\s\"?]+)", re.I)
_NEGATED = re.compile(r"\bno(?:t|n-?)?\s+(?:superseding|superseded|replacement|replacing)\b[^)\],;]*", re.I)
_STATUS_WORDS: tuple[tuple[str, str], ...] = (
    ("deprecated", r"deprecated|obsolete|retired|no longer|sunset"),
    ("superseded", r"supersee?ded|superceded|supersedes|replaced\s+by|amended|overridden"),
    ("rejected", r"rejected|declined|abandoned|withdrawn|refused|not\s+accepted|cancell?ed"),
    (
        "proposed",
        r"proposed|proposal|draft|pending|open|in\s+progress|under\s+review|in\s+review|rfc|wip|tb[cd]"
        r"|on\s+hold|postponed|deferred|suggested|discussing|under\s+discussion",
    ),
    (
        "accepted",
        r"accepted|approved|agreed|done|decided|adopted|implemented|completed?|active|in\s+effect"
        r"|final|ratified|published|in\s+force",
    ),
)
_STATUS_PATTERNS = tuple((status, re.compile(rf"\b(?:{words})\b", re.I)) for status, words in _STATUS_WORDS)
_INACTIVE = ("deprecated", "superseded", "rejected")


def normalise_status(raw: str) -> str | None:
    """Map what authors write to one of kernel.types.STATUSES; None when nothing recognisable.

    A terminal state anywhere wins ("Accepted, superseded by ADR 5" is superseded); otherwise the
    last active word wins, because status histories are written oldest first ("Proposed → Accepted").
    """
    text = _NEGATED.sub(" ", raw.replace("_", " "))
    hits = sorted(
        (match.start(), status) for status, pattern in _STATUS_PATTERNS for match in pattern.finditer(text)
    )
    inactive = [status for _, status in hits if status in _INACTIVE]
    if inactive:
        return inactive[0]
    return hits[-1][1] if hits else None


def _badge_status(line: str) -> str | None:
    """shields.io badges: `badge/<label>-<message>-<colour>`; `--` is a literal dash, `_` a space."""
    for match in _BADGE.finditer(line):
        escaped = match.group(1).replace("--", "\0").split("-")
        parts = [p.replace("\0", "-").replace("_", " ") for p in escaped]
        if len(parts) >= 2 and parts[0].strip().lower() == "status":
            return parts[1].strip()
    alt = re.search(r"!\[\s*status\s*[:=]\s*([^\]]+)\]", line, re.I)
    return alt.group(1).strip() if alt else None


def _clean_status(value: str) -> str:
    """The status as a reader sees it; placeholders such as `...` count as no status at all."""
    return plain(value).strip(" .…-?")[:200]


@dataclass(frozen=True)
class _Status:
    raw: str
    context: str  # the text around the status, scanned for supersession refs


def _find_status(meta: dict, lines: list[str], outline: list[Heading]) -> _Status | None:
    """Front matter, then the header block, a Status heading/section, a table, a badge."""
    if meta.get("status") not in (None, ""):
        raw = _clean_status(_as_text(meta["status"]))
        return _Status(raw, raw) if raw else None
    preamble = lines[: _first_section_line(outline, len(lines))]
    return (
        _status_in_lines(preamble)
        or _status_in_headings(lines, outline)
        or _status_in_table(lines)
        or _status_in_badges(preamble)
    )


def _status_in_lines(lines: list[str]) -> _Status | None:
    for line in lines:
        match = _STATUS_LINE.match(line)
        if match and _clean_status(match.group("value")):
            return _Status(_clean_status(match.group("value")), line)
    return None


def _status_in_headings(lines: list[str], outline: list[Heading]) -> _Status | None:
    for index, heading in enumerate(outline):
        inline = _STATUS_HEADING.match(heading.title)
        if inline:
            return _Status(_clean_status(inline.group("value")), heading.title)
        if heading.title.strip(" :").lower() == "status":
            end = outline[index + 1].line if index + 1 < len(outline) else len(lines)
            body = [line for line in lines[heading.end : end] if line.strip()]
            if body and _clean_status(body[0]):
                return _Status(_clean_status(body[0]), "\n".join(body))
    return None


def _status_in_table(lines: list[str]) -> _Status | None:
    """`| Status | Accepted |` rows, or a header row with a Status column over a data row."""
    for index, line in enumerate(lines):
        headers = [plain(cell).lower() for cell in _table_cells(line)]
        below = lines[index + 1 : index + 3]
        if "status" in headers and len(below) == 2 and _TABLE_RULE.match(below[0]):
            values = _table_cells(below[1])
            column = headers.index("status")
            if column < len(values) and _clean_status(values[column]):
                return _Status(_clean_status(values[column]), below[1])
        row = _STATUS_ROW.match(line)
        if row and not _TABLE_RULE.match(row.group("value")):
            return _Status(_clean_status(row.group("value")), line)
    return None


def _status_in_badges(lines: list[str]) -> _Status | None:
    for line in lines:
        found = _badge_status(line)
        if found:
            return _Status(_clean_status(found), found)
    return None


def _table_cells(line: str) -> list[str]:
    stripped = line.strip()
    if not stripped.startswith("|"):
        return []
    return [cell.strip() for cell in stripped.strip("|").split("|")]


def _first_section_line(outline: list[Heading], default: int) -> int:
    """Where the header block ends: the first heading below the title."""
    return next((h.line for h in outline if h.level >= 2), default)


# --- dates, people, tags --------------------------------------------------------------------------

_DATE_LINE = re.compile(_FIELD_LINE.format(name=r"(?:start\s+|decision\s+)?date"), re.I)
_DECIDERS_LINE = re.compile(_FIELD_LINE.format(name=r"(?:deciders|decision[- ]makers?|decided\s+by)"), re.I)
_TAGS_LINE = re.compile(_FIELD_LINE.format(name="tags"), re.I)
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}
_MONTH = rf"({'|'.join(_MONTH_NAMES)})[a-z]*\.?"


def _valid_date(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def iso_date(value: object) -> str | None:
    """YYYY-MM-DD (or YYYY-MM when only a month is known) from the forms ADRs use."""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    text = str(value).strip().lower()
    patterns: tuple[tuple[str, Callable[[tuple[str, ...]], str | None]], ...] = (
        (r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", lambda g: _valid_date(int(g[0]), int(g[1]), int(g[2]))),
        (r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", lambda g: _day_month(int(g[0]), int(g[1]), int(g[2]))),
        (rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}})", lambda g: _named(g[2], g[1], g[0])),
        (rf"{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", lambda g: _named(g[2], g[0], g[1])),
        (rf"{_MONTH},?\s+(\d{{4}})", lambda g: f"{g[1]}-{_MONTHS[g[0]]:02d}"),
        (r"(\d{4})-(\d{2})(?!\d)", lambda g: f"{g[0]}-{g[1]}" if 1 <= int(g[1]) <= 12 else None),
        (r"(\d{4})(\d{2})(\d{2})", lambda g: _valid_date(int(g[0]), int(g[1]), int(g[2]))),
    )
    for pattern, convert in patterns:
        match = re.search(pattern, text)
        if match and (found := convert(match.groups())):
            return found
    return None


def _day_month(first: int, second: int, year: int) -> str | None:
    """dd/mm/yyyy unless that is impossible (the corpus is mostly British; US dates still parse)."""
    return _valid_date(year, second, first) or _valid_date(year, first, second)


def _named(year: str, month: str, day: str) -> str | None:
    return _valid_date(int(year), _MONTHS[month[:3]], int(day))


def _first_field(pattern: re.Pattern[str], lines: Iterable[str]) -> str | None:
    for line in lines:
        match = pattern.match(line)
        if match:
            return match.group("value")
    return None


def _as_text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _names(value: object) -> tuple[str, ...]:
    """Front matter lists or `a, b; c` lines; template placeholders (`[...]`, `{...}`) are not names."""
    items = value if isinstance(value, list | tuple) else re.split(r"[,;]", str(value or ""))
    names = (plain(str(item)).strip(" []") for item in items)
    return tuple(dict.fromkeys(n for n in names if n and not n.startswith("{")))


# --- supersession refs ----------------------------------------------------------------------------

_SUPERSEDED_BY = re.compile(
    r"\b(?:supersee?ded|superceded|replaced|amended|obsoleted|overridden)\s+by\b", re.I
)
_SUPERSEDES = re.compile(r"\b(?:supersedes|supercedes|replaces|amends|obsoletes|overrides)\b", re.I)
_NUMBER_REF = re.compile(r"\b(ADR|RFC)[\s#_-]*(\d{1,5})\b", re.I)
_FILE_REF = re.compile(r"(?<![\w/.-])((?:\.{1,2}/)?[\w./-]*[\w-]\.(?:md|markdown|mdx|adoc|asciidoc))\b", re.I)
_BARE_NUMBER = re.compile(r"^\s*(?:#|no\.?\s*)?(\d{1,5})(?=\s*(?:$|[.,;:)]|\band\b|\s[A-Z]))")
_SENTENCE_END = re.compile(r"[.;!?](?=\s|$)|\s\|\s")
_DOC_TARGET = re.compile(r"\.(?:md|markdown|mdx|adoc|asciidoc)$", re.I)
_NOT_DOC = re.compile(r"\.(?:png|jpe?g|gif|svg|pdf|html?)$", re.I)
_FRONT_MATTER_REFS = {
    "supersedes": ("supersedes", "replaces"),
    "superseded_by": ("superseded_by", "superseded-by", "supersededby", "replaced_by", "replaced-by"),
}


def _paragraphs(lines: list[str]) -> Iterator[str]:
    block: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            block.append(line.strip())
        elif block:
            yield " ".join(block)
            block = []


def _link_target(target: str) -> str | None:
    """Keep links that can point at another document; images, anchors and web pages are not refs."""
    bare = target.split("#", 1)[0].split("?", 1)[0]
    if not bare or _NOT_DOC.search(bare) or bare.startswith("mailto:"):
        return None
    if re.match(r"^[a-z][a-z0-9+.-]*:", bare, re.I):
        return target if _DOC_TARGET.search(bare) else None
    return target


def _hide_links(paragraph: str) -> tuple[str, list[tuple[str, str]]]:
    """Replace links by markers so a `.` in link text cannot end the sentence early."""
    links: list[tuple[str, str]] = []

    def marker(match: re.Match[str]) -> str:
        links.append((match.group(1), match.group(2)))
        return f"\x00{len(links) - 1}\x00"

    return _LINK.sub(marker, paragraph), links


def _refs_after(trigger: re.Match[str], text: str, links: list[tuple[str, str]]) -> list[str]:
    """The refs named in the rest of the trigger's sentence: links, `ADR 7`, file names, a bare number."""
    rest = text[trigger.end() :]
    end = _SENTENCE_END.search(rest)
    window = rest[: end.start()] if end else rest
    refs: list[str] = []
    for label, target in (links[int(i)] for i in re.findall(r"\x00(\d+)\x00", window)):
        doc_target = _link_target(target)
        refs += [doc_target] if doc_target else _number_refs(label)
    words = re.sub(r"\x00\d+\x00", " ", window)
    refs += _number_refs(words)
    refs += _FILE_REF.findall(words)
    bare = _BARE_NUMBER.match(words)
    if bare and not refs:
        refs.append(bare.group(1))
    return refs


def _number_refs(text: str) -> list[str]:
    return [f"{kind.upper()} {int(number)}" for kind, number in _NUMBER_REF.findall(text)]


def supersession_refs(lines: list[str]) -> tuple[list[str], list[str]]:
    """(supersedes, superseded_by) as written anywhere in the prose.

    Only an ADR/RFC number, a document link or a document file name counts, so "we replaced the
    cache" or "replaced by a blog post" never becomes a supersession.
    """
    supersedes: list[str] = []
    superseded_by: list[str] = []
    for paragraph in _paragraphs(lines):
        text, links = _hide_links(paragraph)
        for match in _SUPERSEDED_BY.finditer(text):
            superseded_by += _refs_after(match, text, links)
        for match in _SUPERSEDES.finditer(text):
            supersedes += _refs_after(match, text, links)
    return supersedes, superseded_by


def _front_matter_refs(meta: dict, keys: tuple[str, ...]) -> list[str]:
    refs: list[str] = []
    for key, value in meta.items():
        if str(key).lower() in keys and value:
            for item in value if isinstance(value, list | tuple) else [value]:
                link = _LINK.search(str(item))
                refs.append(link.group(2) if link else str(item).strip())
    return refs


# --- kind -----------------------------------------------------------------------------------------

_ADR_DIR_TOKENS = frozenset({"adr", "adrs", "decisions"})
_ADR_DIRS = frozenset({"decision-records", "decision-log", "architecture-decision-records"})
_STANDARD_TOKENS = frozenset(
    {"standard", "standards", "guideline", "guidelines", "principle", "principles", "policy", "policies"}
    | {"manual", "manuals", "convention", "conventions", "practices", "handbook", "rules", "style"}
)
_DESIGN_TOKENS = frozenset({"design", "designs", "rfc", "rfcs", "proposal", "proposals"})
_NOT_RECORDS = frozenset({"readme", "index", "_index", "toc", "summary", "changelog", "contributing"})
_STANDARD_TITLE = re.compile(
    r"\b(standards?|guidelines?|polic(?:y|ies)|principles?|conventions?|style guide)\b", re.I
)
_RULE_HEADING = re.compile(r"^\{?(MUST|SHOULD|MAY)\b")
_PLACEHOLDER_TITLE = re.compile(r"^[\[{].*[\]}]$|\{short title")


def _tokens(segment: str) -> set[str]:
    return set(re.split(r"[-_.\s]+", segment.lower())) - {""}


def _folders(source: str) -> list[str]:
    return source.split("/")[:-1]


def is_template(source: str, title: str) -> bool:
    """ADR templates (and examples kept beside them) look like ADRs but record no decision."""
    in_template_folder = any(_tokens(f) & {"template", "templates"} for f in _folders(source))
    named_template = "template" in stem_of(source).lower()
    return in_template_folder or named_template or bool(_PLACEHOLDER_TITLE.search(title))


def _in_adr_folder(source: str) -> bool:
    return any(_tokens(f) & _ADR_DIR_TOKENS or f.lower() in _ADR_DIRS for f in _folders(source))


def _has_adr_structure(outline: list[Heading], has_status: bool, numbered: bool) -> bool:
    """Nygard's minimum is a status plus Context or Decision; without a status, MADR's options do."""
    titles = [h.title.lower() for h in outline]
    context = any(t.startswith(("context", "problem")) for t in titles)
    decision = any(t.startswith("decision") for t in titles)
    options = any(t.startswith("considered options") for t in titles)
    if has_status:
        return context or decision
    return context and decision and (options or numbered)


def classify(source: str, title: str, outline: list[Heading], has_status: bool, numbered: bool) -> str:
    """adr | standard | design | other, from the path first and the document's shape second."""
    stem = stem_of(source).lower()
    recordish = not is_template(source, title) and stem not in _NOT_RECORDS
    adr_shaped = _has_adr_structure(outline, has_status, numbered)
    in_adr_folder = _in_adr_folder(source)
    if recordish and (adr_shaped or (in_adr_folder and (has_status or numbered))):
        return "adr"
    folder_tokens = set().union(*(_tokens(f) for f in _folders(source)))
    if folder_tokens & _STANDARD_TOKENS:
        return "standard"
    if folder_tokens & _DESIGN_TOKENS:
        return "design"
    rules = sum(1 for h in outline if _RULE_HEADING.match(h.title))
    if _tokens(stem) & _STANDARD_TOKENS or _STANDARD_TITLE.search(title) or rules >= 3:
        return "standard"
    return "other"


# --- putting it together --------------------------------------------------------------------------


def parse_document(loaded: LoadedFile) -> Parsed:
    """Everything `ingest` knows about one file; supersession stays as raw refs until `links`."""
    meta, body, fm_problem = clean_body(loaded.text, loaded.source)
    problems = [fm_problem] if fm_problem else []
    outline = headings(body, loaded.fmt)
    lines = prose_lines(body, loaded.fmt)
    stem = stem_of(loaded.source)

    title, title_number = _title(meta, outline, stem)
    number = _file_number(stem)
    if number is not None and title_number is not None and number != title_number:
        problems.append(f"title says number {title_number} but the file name says {number}")
    number = title_number if number is None else number

    template = is_template(loaded.source, title)
    status = None if template else _find_status(meta, lines, outline)
    kind = _kind(meta, loaded.source, title, outline, status is not None, number is not None)
    status_raw, normalised = _status_values(status, kind, outline, lines, problems)
    date = _date(meta, lines, stem, problems)

    supersedes, superseded_by = ([], []) if template else supersession_refs(lines)
    document = Document(
        source=loaded.source,
        title=title,
        kind=kind,
        text=body,
        number=number,
        status=normalised,
        status_raw=status_raw,
        date=date,
        deciders=_names(_meta_value(meta, "deciders", "decision-makers", "decision_makers"))
        or _names(_first_field(_DECIDERS_LINE, lines)),
        tags=_names(meta.get("tags")) or _names(_first_field(_TAGS_LINE, lines)),
        visibility=str(_meta_value(meta, "visibility", "audience") or PUBLIC).strip().lower(),
        url=str(_meta_value(meta, "url", "link")) if _meta_value(meta, "url", "link") else None,
    )
    return Parsed(
        document=document,
        fmt=loaded.fmt,
        supersedes_refs=_unique(_front_matter_refs(meta, _FRONT_MATTER_REFS["supersedes"]) + supersedes),
        superseded_by_refs=_unique(
            _front_matter_refs(meta, _FRONT_MATTER_REFS["superseded_by"]) + superseded_by
        ),
        problems=tuple(problems),
    )


def _meta_value(meta: dict, *keys: str) -> object:
    return next((meta[k] for k in keys if meta.get(k) not in (None, "", [])), None)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def _title(meta: dict, outline: list[Heading], stem: str) -> tuple[str, int | None]:
    raw = plain(_as_text(meta["title"])) if meta.get("title") else None
    if not raw:
        raw = next((h.title for h in outline if h.level == 1 and h.title), None)
    if not raw:
        return _humanise(stem), None
    title, number = split_title_number(raw)
    title = title or raw
    # A heading that is just a file slug ("use-sidekiq-and-redis-for-asynchronous-tasks") reads as words.
    return (_humanise(title) if _SLUG.fullmatch(title) else title), number


def _kind(
    meta: dict, source: str, title: str, outline: list[Heading], has_status: bool, numbered: bool
) -> str:
    declared = str(_meta_value(meta, "kind", "type") or "").strip().lower()
    if declared in KINDS:
        return declared
    return classify(source, title, outline, has_status, numbered)


def _status_values(
    status: _Status | None, kind: str, outline: list[Heading], lines: list[str], problems: list[str]
) -> tuple[str | None, str | None]:
    """(status_raw, normalised status); MADR records without a status line are taken as decided."""
    if status is not None:
        normalised = normalise_status(status.raw)
        if normalised is None:
            problems.append(f"unrecognised status {status.raw!r}")
        return status.raw, normalised
    if kind == "adr" and _names_chosen_option(outline, lines):
        problems.append("no status written; taken as accepted as its Decision Outcome names a chosen option")
        return None, "accepted"
    return None, None


def _names_chosen_option(outline: list[Heading], lines: list[str]) -> bool:
    for index, heading in enumerate(outline):
        if heading.title.lower().startswith("decision outcome"):
            end = outline[index + 1].line if index + 1 < len(outline) else len(lines)
            return any(re.match(r"\s*chosen option\b", line, re.I) for line in lines[heading.end : end])
    return False


def _date(meta: dict, lines: list[str], stem: str, problems: list[str]) -> str | None:
    """Front matter, then a `Date:` line (header block or anywhere), then a date-prefixed file name."""
    raw = meta.get("date") or _first_field(_DATE_LINE, lines)
    if raw not in (None, ""):
        found = iso_date(raw)
        if found:
            return found
        if not str(raw).strip().startswith(("[", "{")):
            problems.append(f"date {str(raw).strip()!r} is not a recognisable date")
    return _file_date(stem)
