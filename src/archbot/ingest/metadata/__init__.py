"""Turning a loaded file into a `Document`: title, kind, ADR number, status, date and supersession refs.

ADRs in the wild record the same facts in a dozen ways (YAML front matter, `## Status` sections at
either end, `- Status:` bullets, tables, badges), so each fact is looked for in a fixed order of
trust and normalised here; anything odd becomes a `problems` entry for the lint report instead of an
exception. Supersession refs are kept as written; `ingest.links` resolves them across documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from archbot.ingest.loaders import LoadedFile
from archbot.ingest.metadata.dates import iso_date, names
from archbot.ingest.metadata.fields import Field, fields, first, line_fields
from archbot.ingest.metadata.kind import classify, is_template
from archbot.ingest.metadata.refs import field_refs, status_successors, supersession_refs
from archbot.ingest.metadata.status import Status, find_status, normalise_status
from archbot.ingest.metadata.titles import SLUG, file_date, file_number, humanise, split_title_number, stem_of
from archbot.ingest.metadata.units import Unit, status_sections
from archbot.ingest.structure import Heading, as_text, clean_body, headings, plain, prose_lines
from archbot.kernel.doctree import DocTree, parse
from archbot.kernel.lifecycle import lifecycle
from archbot.kernel.types import KINDS, PUBLIC, Document


@dataclass(frozen=True)
class Parsed:
    document: Document
    fmt: str
    supersedes_refs: tuple[str, ...] = ()
    superseded_by_refs: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    # The decisions of a decision log, one per section with its own status; empty for one decision.
    units: tuple[Unit, ...] = ()


# --- putting it together --------------------------------------------------------------------------


def parse_document(loaded: LoadedFile) -> Parsed:
    """Everything `ingest` knows about one file; supersession stays as raw refs until `links`."""
    meta, body, fm_problem = clean_body(loaded.text, loaded.source)
    problems = [fm_problem] if fm_problem else []
    tree = parse(body, loaded.fmt, meta)
    outline = headings(body, loaded.fmt)
    lines = prose_lines(body, loaded.fmt)
    stem = stem_of(loaded.source)
    vocabulary = lifecycle()

    title_field = first(line_fields(tree.header_blocks(), header=True), vocabulary.title_fields)
    title, title_number = _title(meta, outline, stem, plain(title_field.value) if title_field else None)
    number = file_number(stem)
    if number is not None and title_number is not None and number != title_number:
        problems.append(f"title says number {title_number} but the file name says {number}")
    number = title_number if number is None else number

    template = is_template(loaded.source, title)
    # A decision log has a status per entry, not one of its own (front matter aside); a document
    # whose header states its status is one decision, whatever its sections say (a process document
    # describing the fields).
    header = DocTree({}, tree.header_blocks(), (), tree.line_count)
    own = None if template else find_status(header)
    units = () if template or own else tuple(status_sections(tree))
    status = None if template else find_status(DocTree(meta, (), (), 0) if units else tree)
    found = [] if units else list(fields(tree))
    kind = _kind(meta, loaded.source, title, outline, status is not None or bool(units), number is not None)
    status_raw, normalised = _status_values(status, kind, outline, lines, problems)
    date = _date(found, stem, problems)

    supersedes, superseded_by = ([], []) if template or units else supersession_refs(tree.blocks())
    if status is not None and not superseded_by:
        superseded_by = status_successors(status.context, normalised)
    document = Document(
        source=loaded.source,
        title=title,
        kind=kind,
        text=body,
        number=number,
        status=normalised,
        status_raw=status_raw,
        date=date,
        deciders=_names_of(found, vocabulary.decider_fields),
        tags=_names_of(found, vocabulary.tag_fields),
        visibility=str(_meta_value(meta, "visibility", "audience") or PUBLIC).strip().lower(),
        url=str(_meta_value(meta, "url", "link")) if _meta_value(meta, "url", "link") else None,
    )
    return Parsed(
        document=document,
        fmt=loaded.fmt,
        supersedes_refs=_unique(field_refs(found, vocabulary.predecessor_fields) + supersedes),
        superseded_by_refs=_unique(field_refs(found, vocabulary.successor_fields) + superseded_by),
        problems=tuple(problems),
        units=units,
    )


def _meta_value(meta: dict, *keys: str) -> object:
    return next((meta[k] for k in keys if meta.get(k) not in (None, "", [])), None)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def _title(meta: dict, outline: list[Heading], stem: str, field: str | None) -> tuple[str, int | None]:
    raw = plain(as_text(meta["title"])) if meta.get("title") else None
    if not raw:
        raw = next((h.title for h in outline if h.level == 1 and h.title), None) or field
    if not raw:
        return humanise(stem), None
    title, number = split_title_number(raw)
    title = title or raw
    # A heading that is just a file slug ("use-sidekiq-and-redis-for-asynchronous-tasks") reads as words.
    return (humanise(title) if SLUG.fullmatch(title) else title), number


def _kind(
    meta: dict, source: str, title: str, outline: list[Heading], has_status: bool, numbered: bool
) -> str:
    declared = str(_meta_value(meta, "kind", "type") or "").strip().lower()
    if declared in KINDS:
        return declared
    return classify(source, title, outline, has_status, numbered)


def _status_values(
    status: Status | None, kind: str, outline: list[Heading], lines: list[str], problems: list[str]
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


def _names_of(found: list[Field], keys: tuple[str, ...]) -> tuple[str, ...]:
    """People or tags of the first field under one of `keys`: a YAML list, or `a, b; c`."""
    field = next((f for f in found if f.name in keys and names(f.raw or f.value)), None)
    return names(field.raw or field.value) if field else ()


def _date(found: list[Field], stem: str, problems: list[str]) -> str | None:
    """The first date field (front matter, header line, table, anywhere), else a date-prefixed file name."""
    for field in found:
        if field.name not in lifecycle().date_fields:
            continue
        iso = iso_date(field.raw if field.raw is not None else plain(field.value))
        if iso:
            return iso
        if field.name == "date" and not field.value.strip().startswith(("[", "{")):
            problems.append(f"date {plain(field.value)!r} is not a recognisable date")
            break
    return file_date(stem)
