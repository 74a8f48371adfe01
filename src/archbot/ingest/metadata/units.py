"""Decision units: the separate decisions of a decision log or a multi-decision page.

Two structures make a document more than one decision:
- sections of one heading level that each carry their own status (a `Status:` field, a Status
  sub-heading, a table row): one decision per section, with its own title, number, date, status and
  relations;
- a list whose items each open with a date (a change log of rules or decisions): one entry per item.
Both are found from structure alone; the words of a status come from the lifecycle vocabulary.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from archbot.ingest.metadata.dates import iso_date
from archbot.ingest.metadata.fields import first, line_fields
from archbot.ingest.metadata.refs import status_successors, supersession_refs
from archbot.ingest.metadata.status import field_status, normalise_status
from archbot.ingest.metadata.titles import split_title_number
from archbot.ingest.structure import plain
from archbot.kernel.doctree import DocTree
from archbot.kernel.lifecycle import lifecycle

# At least this many sections with their own status make a page a decision log (one is just an ADR
# whose Status is a sub-section).
MIN_STATUS_SECTIONS = 2
# At least this many dated list items make a list a log of entries rather than a list with a date.
MIN_DATED_ITEMS = 3
ENTRY_LABEL_CHARS = 80  # an entry is named by its date and the start of its text


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


def dated_entries(tree: DocTree) -> list[Unit]:
    """The items of a list whose items open with a date, each with the lines it spans."""
    entries: list[Unit] = []
    for block in tree.blocks():
        if block.kind != "item" or block.depth != 1:
            continue
        head, _, rest = plain(block.text).partition(" ")
        date = head.strip(":-–—")
        if len(date) != len("2020-01-01") or iso_date(date) != date:
            continue
        label = f"{date}: {rest.lstrip(':-–— ')}"
        if len(label) > ENTRY_LABEL_CHARS:
            label = label[: ENTRY_LABEL_CHARS - 1].rsplit(" ", 1)[0] + "…"
        entries.append(Unit(label, block.line, block.end, date=date))
    return entries if len(entries) >= MIN_DATED_ITEMS else []


def status_sections(tree: DocTree) -> list[Unit]:
    """Sections of one level that each state their own status, when there are enough of them."""
    vocabulary = lifecycle()
    candidates: list[tuple[int, Unit]] = []
    for index, section in enumerate(tree.sections):
        if plain(section.title).lower().lstrip("#*_ ").startswith("status"):
            continue  # an ADR's own Status section, not a decision of its own
        body = tree.within(index)
        status = field_status(body)
        if status is None:
            continue
        normalised = normalise_status(status.raw)
        title, number = split_title_number(plain(section.title))
        date = first(line_fields(list(body.blocks())), vocabulary.date_fields)
        candidates.append(
            (
                section.level,
                Unit(
                    heading=plain(section.title),
                    start=section.line,
                    end=section.stop,
                    number=number,
                    status=normalised,
                    status_raw=status.raw,
                    date=iso_date(date.value) if date else iso_date(title),
                    successor_refs=tuple(
                        supersession_refs(body.blocks())[1] or status_successors(status.context, normalised)
                    ),
                ),
            )
        )
    levels = Counter(level for level, _ in candidates)
    if not levels:
        return []
    level, count = max(levels.items(), key=lambda item: (item[1], -item[0]))
    if count < MIN_STATUS_SECTIONS:
        return []
    return [unit for unit_level, unit in candidates if unit_level == level]
