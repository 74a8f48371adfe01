"""Resolving supersession refs across documents, and the lint report about ADR hygiene.

Authors state supersession on either side ("Superseded by ADR 15" in the old record, "Supersedes
ADR 4" in the new one) and often on one side only. A reader asking "is this still current?" needs both
directions, so every stated edge is filled in on both documents here. Numbers are reused across
repositories and folders, so an ADR number is matched nearest the referring document first.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from archbot.ingest.frames import ImplicitReplacement
from archbot.ingest.loaders import SUPPORTED_SUFFIXES
from archbot.ingest.metadata import Parsed
from archbot.ingest.metadata.titles import file_series, stem_of
from archbot.kernel.types import Document

_NUMBERED_KINDS = frozenset({"adr", "design"})
_STILL_ACTIVE = frozenset({None, "accepted", "proposed"})
_NOT_IN_FORCE = frozenset({"proposed", "rejected"})
_NUMBER_REF = re.compile(r"^(?:(?P<series>[a-z]{2,6})[\s#_-]*|#)?0*(?P<number>\d{1,5})$", re.I)
# Series every organisation's records may be numbered in; other prefixes (EEP, BIP, XEP …) name a
# series of their own, matched to the documents whose file names carry that prefix.
_ANY_SERIES = frozenset({"adr", "rfc"})
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://[^/]*", re.I)


@dataclass(frozen=True)
class LintIssue:
    source: str
    problem: str


def resolve_links(parsed: Mapping[str, Parsed]) -> tuple[dict[str, Document], list[LintIssue]]:
    """Documents with `supersedes`/`superseded_by` filled both ways, and what the lint report should say."""
    resolver = _Resolver(parsed)
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)  # (newer, older) -> sources stating it
    issues: list[LintIssue] = []
    for source in sorted(parsed):
        item = parsed[source]
        refs = [(r, True) for r in item.supersedes_refs] + [(r, False) for r in item.superseded_by_refs]
        for ref, newer_side in refs:
            target = resolver.resolve(source, ref)
            verb = "supersedes" if newer_side else "is superseded by"
            if target is None:
                issues.append(LintIssue(source, f"{verb} {ref!r} which matches no document"))
            elif target != source:
                edges[(source, target) if newer_side else (target, source)].add(source)
    documents = _apply_edges(parsed, edges)
    issues += _edge_issues(edges)
    issues += _adr_issues(documents.values())
    return documents, issues


Edges = Mapping[tuple[str, str], set[str]]


def _apply_edges(parsed: Mapping[str, Parsed], edges: Edges) -> dict[str, Document]:
    """New documents carrying both directions; an active record that was superseded says so.

    A proposal (or a rejected one) that says it replaces a record in force has not replaced it
    yet: it lists what it would supersede, and the record stands. The record lists the proposal as
    its successor only if it names it itself ("Proposed-Replacement: 323") or is no longer in force."""
    supersedes: dict[str, list[str]] = defaultdict(list)
    superseded_by: dict[str, list[str]] = defaultdict(list)
    replaced: set[str] = set()  # records a successor in force replaced
    for (newer, older), stated_by in sorted(edges.items()):
        supersedes[newer].append(older)
        pending = parsed[newer].document.status in _NOT_IN_FORCE
        if not pending or older in stated_by or parsed[older].document.status not in _STILL_ACTIVE:
            superseded_by[older].append(newer)
        if not pending:
            replaced.add(older)
    documents = {}
    for source, item in parsed.items():
        doc = replace(
            item.document,
            supersedes=tuple(supersedes[source]),
            superseded_by=tuple(superseded_by[source]),
        )
        if source in replaced and doc.status in _STILL_ACTIVE:
            doc = replace(doc, status="superseded")
        documents[source] = doc
    return documents


def _edge_issues(edges: Edges) -> list[LintIssue]:
    issues = []
    for (newer, older), stated_by in sorted(edges.items()):
        if (older, newer) in edges and newer < older:
            issues.append(LintIssue(newer, f"this document and {older!r} each claim to supersede the other"))
        if stated_by == {older}:
            issues.append(
                LintIssue(
                    newer,
                    f"one-way link (informational): {older!r} says it is superseded by this document, "
                    "but this document does not say it supersedes it",
                )
            )
        elif stated_by == {newer}:
            issues.append(
                LintIssue(
                    older,
                    f"one-way link (informational): {newer!r} says it supersedes this document, "
                    "but this document does not say it is superseded by it",
                )
            )
    return issues


def replacement_issues(
    replacements: Iterable[ImplicitReplacement], documents: Mapping[str, Document]
) -> list[LintIssue]:
    """Later decisions on the same subject that chose differently and say nothing of the earlier one:
    a person should add the supersession (or say why both stand)."""
    return [
        LintIssue(
            r.earlier,
            f"{_name(documents[r.later])} may replace {_name(documents[r.earlier])}: both decide "
            f"{r.subject} (informational; say so in either record if it does)",
        )
        for r in replacements
    ]


def _name(doc: Document) -> str:
    return f"ADR {doc.number}" if doc.kind == "adr" and doc.number is not None else repr(doc.title)


def _adr_issues(documents: Iterable[Document]) -> list[LintIssue]:
    """Missing status or date (a date from Git history is said to stand in), and numbers reused
    within one folder."""
    issues = []
    by_folder_number: dict[tuple[str, int], list[str]] = defaultdict(list)
    for doc in sorted(documents, key=lambda d: d.source):
        if doc.kind != "adr":
            continue
        if doc.status is None:
            written = f" (status {doc.status_raw!r} is not recognised)" if doc.status_raw else ""
            issues.append(LintIssue(doc.source, f"ADR without status{written}"))
        if doc.date is None:
            history = f" (its first commit, {doc.created}, stands in)" if doc.created else ""
            issues.append(LintIssue(doc.source, f"ADR without date{history}"))
        if doc.number is not None:
            by_folder_number[(posixpath.dirname(doc.source), doc.number)].append(doc.source)
    for (_, number), sources in sorted(by_folder_number.items()):
        if len(sources) > 1:
            names = ", ".join(posixpath.basename(s) for s in sources)
            for source in sources:
                issues.append(LintIssue(source, f"duplicate ADR number {number} in this folder: {names}"))
    return issues


class _Resolver:
    """Finds the document a raw ref points at: a path, a file name, or a number."""

    def __init__(self, parsed: Mapping[str, Parsed]) -> None:
        self.sources = frozenset(parsed)
        self.by_name: dict[str, list[str]] = defaultdict(list)
        self.by_number: dict[int, list[str]] = defaultdict(list)
        self.by_series: dict[tuple[str, int], list[str]] = defaultdict(list)
        for source in sorted(parsed):
            doc = parsed[source].document
            self.by_name[posixpath.basename(source).lower()].append(source)
            self.by_name[stem_of(source).lower()].append(source)
            if doc.number is not None and doc.kind in _NUMBERED_KINDS:
                self.by_number[doc.number].append(source)
            series = file_series(stem_of(source))
            if series is not None and doc.number is not None:
                self.by_series[(series, doc.number)].append(source)

    def resolve(self, source: str, ref: str) -> str | None:
        number = _NUMBER_REF.match(ref.strip())
        if number:
            series, value = (number.group("series") or "").lower(), int(number.group("number"))
            if series and series not in _ANY_SERIES:
                return _closest(source, self.by_series.get((series, value), []))
            own = file_series(stem_of(source))  # a bare number is first one of the record's own series
            in_series = _closest(source, self.by_series.get((own, value), [])) if own and not series else None
            return in_series or _closest(source, self.by_number.get(value, []))
        return self._by_path(source, ref.strip())

    def _by_path(self, source: str, ref: str) -> str | None:
        """Relative to the referring document first, then the nearest document with that file name."""
        target = ref.split("#", 1)[0].split("?", 1)[0]
        if not target:
            return None
        is_url = bool(_SCHEME.match(target))
        if not is_url:
            joined = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.join(posixpath.dirname(source), target)
            )
            path = posixpath.normpath(joined)
            for candidate in (path, *(path + suffix for suffix in SUPPORTED_SUFFIXES)):
                if candidate in self.sources:
                    return candidate
        name = posixpath.basename(target).lower()
        return _closest(source, self.by_name.get(name, []))


def _closest(source: str, candidates: list[str]) -> str | None:
    """The one candidate nearest `source` (most folders shared, then fewest folders deeper).

    Ambiguity gives None rather than a guess; with no folder in common (another repository) only a
    candidate that is unique overall counts.
    """
    unique = sorted(set(candidates))
    if len(unique) == 1:
        return unique[0]
    folder = source.split("/")[:-1]
    scored = sorted(((_shared_depth(folder, c.split("/")[:-1]), -c.count("/")), c) for c in unique)
    if not scored:
        return None
    best_score, best = scored[-1]
    if best_score[0] == 0 or (len(scored) > 1 and scored[-2][0] == best_score):
        return None
    return best


def _shared_depth(a: list[str], b: list[str]) -> int:
    depth = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        depth += 1
    return depth
