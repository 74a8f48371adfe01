"""Where documents write their status (front matter, field lines, headings, tables, badges) and
what it normalises to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from archbot.ingest.structure import FIELD_LINE, Heading, as_text, plain
from archbot.kernel.lifecycle import lifecycle
from archbot.kernel.types import INACTIVE_STATUSES

# --- status ---------------------------------------------------------------------------------------

_STATUS_LINE = re.compile(FIELD_LINE.format(name="status"), re.I)
_STATUS_HEADING = re.compile(r"^status\s*[:：\-–—]\s*(?P<value>\S.*)$", re.I)
_STATUS_ROW = re.compile(r"^\|?\s*\**status\**\s*\|\s*(?P<value>[^|]*?[^|\s][^|]*?)\s*(\||$)", re.I)
_TABLE_RULE = re.compile(r"^[\s:|-]*$")
_BADGE = re.compile(r"img\.shields\.io/(?:badge|static/v1)/([^)\s\"?]+)", re.I)


def normalise_status(raw: str) -> str | None:
    """Map what authors write to one of kernel.types.STATUSES; None when nothing recognisable.

    A terminal state anywhere wins ("Accepted, superseded by ADR 5" is superseded); otherwise the
    last active word wins, because status histories are written oldest first ("Proposed → Accepted").
    """
    vocabulary = lifecycle()
    text = vocabulary.negation.sub(" ", raw.replace("_", " "))
    for mark, status in vocabulary.emoji:
        text = text.replace(mark, f" {status} ")
    hits = sorted(
        (match.start(), status) for status, pattern in vocabulary.statuses for match in pattern.finditer(text)
    )
    inactive = [status for _, status in hits if status in INACTIVE_STATUSES]
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
class Status:
    raw: str
    context: str  # the text around the status, scanned for supersession refs


def find_status(meta: dict, lines: list[str], outline: list[Heading]) -> Status | None:
    """Front matter, then the header block, a Status heading/section, a table, a badge.

    Of the front-matter fields that can carry a status, one whose value reads as a status wins; a
    `status:` field is taken as written even when the word is unknown (the lint reports it)."""
    for key in lifecycle().status_fields:
        value = meta.get(key)
        if value in (None, "") or isinstance(value, dict | list):
            continue
        raw = _clean_status(as_text(value))
        if raw and (key == "status" or normalise_status(raw) is not None):
            return Status(raw, raw)
    preamble = lines[: _first_section_line(outline, len(lines))]
    return field_status(lines, outline) or _status_in_banner(preamble)


def field_status(lines: list[str], outline: list[Heading]) -> Status | None:
    """A status written as a field: a header line, a Status heading or section, a table, a badge."""
    preamble = lines[: _first_section_line(outline, len(lines))]
    return (
        _status_in_lines(preamble)
        or _status_in_headings(lines, outline)
        or _status_in_table(lines)
        or _status_in_badges(preamble)
    )


def _status_in_lines(lines: list[str]) -> Status | None:
    for line in lines:
        match = _STATUS_LINE.match(line)
        if match and _clean_status(match.group("value")):
            return Status(_clean_status(match.group("value")), line)
    return None


def _status_in_headings(lines: list[str], outline: list[Heading]) -> Status | None:
    for index, heading in enumerate(outline):
        inline = _STATUS_HEADING.match(heading.title)
        if inline:
            return Status(_clean_status(inline.group("value")), heading.title)
        if heading.title.strip(" :").lower() == "status":
            end = outline[index + 1].line if index + 1 < len(outline) else len(lines)
            body = [line for line in lines[heading.end : end] if line.strip()]
            if body and _clean_status(body[0]):
                return Status(_clean_status(body[0]), "\n".join(body))
    return None


def _status_in_table(lines: list[str]) -> Status | None:
    """`| Status | Accepted |` rows, or a header row with a Status column over a data row."""
    for index, line in enumerate(lines):
        headers = [plain(cell).lower() for cell in _table_cells(line)]
        below = lines[index + 1 : index + 3]
        if "status" in headers and len(below) == 2 and _TABLE_RULE.match(below[0]):
            values = _table_cells(below[1])
            column = headers.index("status")
            if column < len(values) and _clean_status(values[column]):
                return Status(_clean_status(values[column]), below[1])
        row = _STATUS_ROW.match(line)
        if row and not _TABLE_RULE.match(row.group("value")):
            return Status(_clean_status(row.group("value")), line)
    return None


def _status_in_badges(lines: list[str]) -> Status | None:
    for line in lines:
        found = _badge_status(line)
        if found:
            return Status(_clean_status(found), found)
    return None


def _status_in_banner(preamble: list[str]) -> Status | None:
    """A paragraph above the first section that declares the document's own state: "⚠️ Deprecated in
    favour of …", "> **Warning**: this guideline is deprecated", "✅ Accepted"."""
    vocabulary = lifecycle()
    for paragraph in _paragraphs(preamble):
        text = " ".join(plain(paragraph).replace(">", " ").split())
        for mark, status in vocabulary.emoji:
            text = text.replace(mark, f" {status} ")
        text = re.sub(r"^[^\w]+", "", text.replace("\ufe0f", ""))
        text = vocabulary.banner_labels.sub("", text)
        form = vocabulary.banner_forms.match(text)
        rest = text[form.end() :] if form else text
        first = next(
            ((m.start(), status) for status, pattern in vocabulary.statuses if (m := pattern.match(rest))),
            None,
        )
        if first is None:
            continue
        status = first[1]
        if form or status in INACTIVE_STATUSES or len(text.split()) <= vocabulary.banner_max_words:
            return Status(_clean_status(rest.split(".")[0]), paragraph)
    return None


def _paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs of prose: headings, table rows and blank lines separate them."""
    out: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "|", "=")):
            block.append(stripped)
        elif block:
            out.append(" ".join(block))
            block = []
    return out


def _table_cells(line: str) -> list[str]:
    stripped = line.strip()
    if not stripped.startswith("|"):
        return []
    return [cell.strip() for cell in stripped.strip("|").split("|")]


def _first_section_line(outline: list[Heading], default: int) -> int:
    """Where the header block ends: the first heading below the title."""
    return next((h.line for h in outline if h.level >= 2), default)
