"""Where documents write their status (front matter, field lines, headings, tables, badges) and
what it normalises to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from archbot.ingest.metadata.fields import (
    Field,
    front_matter_fields,
    heading_fields,
    line_fields,
    table_fields,
)
from archbot.ingest.structure import plain
from archbot.kernel.doctree import Block, DocTree
from archbot.kernel.lifecycle import lifecycle
from archbot.kernel.types import INACTIVE_STATUSES

# --- status ---------------------------------------------------------------------------------------

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


def find_status(tree: DocTree) -> Status | None:
    """Front matter, then the header's field lines, a Status heading or section, a metadata table,
    a badge, a banner.

    Of the fields that can carry a status, one whose value reads as a status wins; a field named
    `status` is taken as written even when the word is unknown (the lint reports it)."""
    by_name = {f.name: f for f in front_matter_fields(tree) if not isinstance(f.raw, list)}
    for name in lifecycle().status_fields:
        found = _status_of(by_name[name]) if name in by_name else None
        if found:
            return found
    return field_status(tree) or _status_in_banner(tree.header_blocks())


def field_status(tree: DocTree) -> Status | None:
    """A status written as a field in the body: a header line, a Status heading or section, a
    table, a badge."""
    header = tree.header_blocks()
    top = not tree.subtree  # a preformatted field block is a preamble only at the top of a document
    for group in (line_fields(header, header=top), heading_fields(tree), table_fields(list(tree.blocks()))):
        for field in group:
            found = _status_of(field)
            if found:
                return found
    return _status_in_badges(header)


def _status_of(field: Field) -> Status | None:
    if field.name not in lifecycle().status_fields:
        return None
    raw = _clean_status(field.value)
    if raw and (field.name == "status" or normalise_status(raw) is not None):
        return Status(raw, raw if field.form == "front_matter" else field.context)
    return None


def _status_in_badges(blocks: tuple[Block, ...]) -> Status | None:
    for block in blocks:
        found = _badge_status(block.text)
        if found:
            return Status(_clean_status(found), found)
    return None


def _status_in_banner(header: tuple[Block, ...]) -> Status | None:
    """A paragraph above the first section that declares the document's own state: "⚠️ Deprecated in
    favour of …", "> **Warning**: this guideline is deprecated", "✅ Accepted"."""
    vocabulary = lifecycle()
    for block in header:
        if block.kind not in ("paragraph", "item"):
            continue
        paragraph = block.text
        text = " ".join(plain(paragraph).split())
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
