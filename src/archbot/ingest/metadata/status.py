"""Where documents write their status (front matter, field lines, headings, tables, badges) and
what it normalises to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from archbot.ingest.structure import FIELD_LINE, Heading, as_text, plain
from archbot.kernel.types import INACTIVE_STATUSES

# --- status ---------------------------------------------------------------------------------------

_STATUS_LINE = re.compile(FIELD_LINE.format(name="status"), re.I)
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


def normalise_status(raw: str) -> str | None:
    """Map what authors write to one of kernel.types.STATUSES; None when nothing recognisable.

    A terminal state anywhere wins ("Accepted, superseded by ADR 5" is superseded); otherwise the
    last active word wins, because status histories are written oldest first ("Proposed → Accepted").
    """
    text = _NEGATED.sub(" ", raw.replace("_", " "))
    hits = sorted(
        (match.start(), status) for status, pattern in _STATUS_PATTERNS for match in pattern.finditer(text)
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
    """Front matter, then the header block, a Status heading/section, a table, a badge."""
    if meta.get("status") not in (None, ""):
        raw = _clean_status(as_text(meta["status"]))
        return Status(raw, raw) if raw else None
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


def _table_cells(line: str) -> list[str]:
    stripped = line.strip()
    if not stripped.startswith("|"):
        return []
    return [cell.strip() for cell in stripped.strip("|").split("|")]


def _first_section_line(outline: list[Heading], default: int) -> int:
    """Where the header block ends: the first heading below the title."""
    return next((h.line for h in outline if h.level >= 2), default)
