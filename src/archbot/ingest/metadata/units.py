"""Decision units: the separate decisions of a decision log or a multi-decision page.

Two structures make a document more than one decision:
- sections of one heading level that each carry their own status (a `Status:` field, a Status
  sub-heading, a table row): one decision per section, with its own title, number, date, status and
  relations;
- a list whose items each open with a date (a change log of rules or decisions): one entry per item.
Both are found from structure alone; the words of a status come from the lifecycle vocabulary.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from archbot.ingest.metadata.dates import DATE_LINE, first_field, iso_date
from archbot.ingest.metadata.refs import status_successors, supersession_refs
from archbot.ingest.metadata.status import field_status, normalise_status
from archbot.ingest.metadata.titles import split_title_number
from archbot.ingest.structure import LIST_ITEM, Heading, plain

# At least this many sections with their own status make a page a decision log (one is just an ADR
# whose Status is a sub-section).
MIN_STATUS_SECTIONS = 2
# At least this many dated list items make a list a log of entries rather than a list with a date.
MIN_DATED_ITEMS = 3
ENTRY_LABEL_CHARS = 80  # an entry is named by its date and the start of its text

_DATED_ITEM = re.compile(r"^\s*[-*+]\s+[`*_]*(?P<date>\d{4}-\d{2}-\d{2})[`*_]*\s*[:\-–—]?\s*(?P<text>.*)$")
_STATUS_HEADING = re.compile(r"^\W*status\b", re.I)


@dataclass(frozen=True)
class Unit:
    """One decision of a log: `heading` is how chunks and citations name it."""

    heading: str
    start: int  # line numbers in the body, end exclusive
    end: int
    number: int | None = None
    status: str | None = None
    status_raw: str | None = None
    date: str | None = None
    successor_refs: tuple[str, ...] = ()


def dated_entries(lines: list[str]) -> list[Unit]:
    """The items of a list whose items open with a date, each with the lines it spans."""
    entries: list[Unit] = []
    for number, line in enumerate(lines):
        match = _DATED_ITEM.match(line)
        if match:
            label = f"{match.group('date')}: {plain(match.group('text'))}"
            if len(label) > ENTRY_LABEL_CHARS:
                label = label[: ENTRY_LABEL_CHARS - 1].rsplit(" ", 1)[0] + "…"
            entries.append(Unit(label, number, number + 1, date=match.group("date")))
        elif entries and entries[-1].end == number and line.strip() and not LIST_ITEM.match(line):
            last = entries[-1]
            entries[-1] = Unit(last.heading, last.start, number + 1, date=last.date)
    return entries if len(entries) >= MIN_DATED_ITEMS else []


def status_sections(lines: list[str], outline: list[Heading]) -> list[Unit]:
    """Sections of one level that each state their own status, when there are enough of them."""
    candidates: list[tuple[Heading, Unit]] = []
    for index, heading in enumerate(outline):
        if _STATUS_HEADING.match(heading.title):
            continue  # an ADR's own Status section, not a decision of its own
        end = next((h.line for h in outline[index + 1 :] if h.level <= heading.level), len(lines))
        inner = [
            Heading(h.level, h.title, h.line - heading.end, h.end - heading.end)
            for h in outline[index + 1 :]
            if h.line < end
        ]
        body = lines[heading.end : end]
        status = field_status(body, inner)
        if status is None:
            continue
        normalised = normalise_status(status.raw)
        title, number = split_title_number(heading.title)
        date = first_field(DATE_LINE, body)
        candidates.append(
            (
                heading,
                Unit(
                    heading=heading.title,
                    start=heading.line,
                    end=end,
                    number=number,
                    status=normalised,
                    status_raw=status.raw,
                    date=iso_date(date) if date else iso_date(title),
                    successor_refs=tuple(
                        supersession_refs(body)[1] or status_successors(status.context, normalised)
                    ),
                ),
            )
        )
    levels = Counter(h.level for h, _ in candidates)
    if not levels:
        return []
    level, count = max(levels.items(), key=lambda item: (item[1], -item[0]))
    if count < MIN_STATUS_SECTIONS:
        return []
    return [unit for heading, unit in candidates if heading.level == level]
