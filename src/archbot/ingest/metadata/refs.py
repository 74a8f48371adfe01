"""Supersession references as written in a status or front matter; `ingest.links` resolves them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from archbot.ingest.metadata.fields import Field
from archbot.ingest.structure import LINK, LIST_ITEM, plain
from archbot.kernel.doctree import Block
from archbot.kernel.lifecycle import lifecycle

# --- supersession refs ----------------------------------------------------------------------------

# `ADR 7`, `rfc-12`, or a numbered series of the organisation's own in capitals (`EEP 33`, `BIP 3`).
_NUMBER_REF = re.compile(r"\b((?i:adr|rfc)|[A-Z]{2,6})[\s#_-]*(\d{1,5})\b")
_FILE_REF = re.compile(
    r"(?<![\w/.-])((?:\.{1,2}/)?[\w./-]*[\w-]\.(?:md|markdown|mdx|adoc|asciidoc|rst))\b", re.I
)
_BARE_NUMBER = re.compile(r"^\s*(?:#|no\.?\s*)?(\d{1,5})(?=\s*(?:$|[.,;:)]|\band\b|\s[A-Z]))")
# Where a status clause ends: a sentence stop, a semicolon or a table cell border.
_CLAUSE_END = re.compile(r"[.;!?](?=\s|$)|\s\|\s")
_DOC_TARGET = re.compile(r"\.(?:md|markdown|mdx|adoc|asciidoc|rst)$", re.I)
_NOT_DOC = re.compile(r"\.(?:png|jpe?g|gif|svg|pdf|html?)$", re.I)


def _paragraphs(lines: list[str]) -> Iterator[str]:
    """Paragraphs, each list item one of its own: header bullets ("- Status: …", "- Date: …") are
    separate statements."""
    block: list[str] = []
    for line in [*lines, ""]:
        if block and (not line.strip() or LIST_ITEM.match(line)):
            yield " ".join(block)
            block = []
        if line.strip():
            block.append(line.strip())


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

    return LINK.sub(marker, paragraph), links


def _refs_after(trigger: re.Match[str], text: str, links: list[tuple[str, str]]) -> list[str]:
    """The refs named in the rest of the trigger's sentence: links, `ADR 7`, file names, a bare number."""
    rest = text[trigger.end() :]
    end = _CLAUSE_END.search(rest)
    return _refs_in(rest[: end.start()] if end else rest, links)


def _refs_in(window: str, links: list[tuple[str, str]]) -> list[str]:
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


def supersession_refs(blocks: Iterable[Block]) -> tuple[list[str], list[str]]:
    """(supersedes, superseded_by) as written anywhere in the prose: paragraphs, list items and
    table rows of the document model.

    Only an ADR/RFC number, a document link or a document file name counts, so "we replaced the
    cache" or "replaced by a blog post" never becomes a supersession.
    """
    vocabulary = lifecycle()
    supersedes: list[str] = []
    superseded_by: list[str] = []
    for block in blocks:
        if block.kind == "table":
            texts = [" | ".join(row) for row in block.rows]
        elif block.kind in ("paragraph", "item"):
            texts = [" ".join(block.text.split())]
        else:
            continue
        for paragraph in texts:
            text, links = _hide_links(paragraph)
            for match in vocabulary.successor.finditer(text):
                superseded_by += _refs_after(match, text, links)
            for match in vocabulary.predecessor.finditer(text):
                supersedes += _refs_after(match, text, links)
    return supersedes, superseded_by


def status_successors(context: str, status: str | None) -> list[str]:
    """Successors written inside a status: after a relation word only a status uses ("deprecated in
    favour of …"), or, in a status that says superseded or deprecated, any reference at all with no
    relation word before it ("⌛️ Superseded [0019](…)")."""
    vocabulary = lifecycle()
    refs: list[str] = []
    for paragraph in _paragraphs(context.splitlines()):
        text, links = _hide_links(paragraph)
        for match in vocabulary.status_successor.finditer(text):
            refs += _refs_after(match, text, links)
        if (
            not refs
            and status in vocabulary.bare_successor_statuses
            and not vocabulary.predecessor.search(text)
        ):
            refs += _refs_in(text, links)
    return refs


def field_refs(found: list[Field], keys: tuple[str, ...]) -> list[str]:
    """The documents fields under `keys` name: a link's target, else an ADR/RFC number or a file name
    in the value, else the value as written (front matter lists item by item)."""
    refs: list[str] = []
    for field in found:
        if field.name not in keys:
            continue
        items = field.raw if isinstance(field.raw, list | tuple) else [field.value]
        for item in items:
            text, links = _hide_links(str(item))
            named = _refs_in(text, links)
            refs += named or ([plain(str(item)).strip()] if plain(str(item)).strip() else [])
    return refs
