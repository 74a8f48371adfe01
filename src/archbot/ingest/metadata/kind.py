"""What kind of document a file is: ADR, standard, design doc or other."""

from __future__ import annotations

import re

from archbot.ingest.metadata.titles import stem_of
from archbot.ingest.structure import Heading

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
