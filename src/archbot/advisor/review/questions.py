"""Mentor questions for each gap and conflict: from templates offline, from the chat model when set.

The model only rephrases what the deterministic review found; it never adds findings. Its citations
are checked against the sources it was given, and any failure falls back to the templates.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass

import yaml

from archbot.advisor.citations import validate_citations
from archbot.advisor.context import Source
from archbot.advisor.llm import _text, format_sources
from archbot.advisor.retrieval import Hit
from archbot.kernel.errors import ConfigError, LLMError
from archbot.kernel.prompts import load_prompt
from archbot.kernel.settings import Settings
from archbot.kernel.types import Chunk, Citation, Document, Finding

log = logging.getLogger(__name__)
QUESTIONS_FILE = "review_questions.yaml"
MAX_DOC_CHARS = 12_000
_LINE = re.compile(r"^\s*\**Q(\d+)\**\s*[:.)-]\s*(.+?)\s*$")


@dataclass(frozen=True)
class Seed:
    """A gap or conflict that deserves a question, and the offline question for it."""

    finding: Finding
    offline: str


def conflict_templates(settings: Settings) -> dict[str, str]:
    try:
        data = yaml.safe_load(load_prompt(settings, QUESTIONS_FILE)) or {}
        templates = {str(k): str(v) for k, v in (data.get("conflict") or {}).items()}
    except (yaml.YAMLError, AttributeError) as exc:
        raise ConfigError(
            f"The question templates {QUESTIONS_FILE} are invalid ({exc}).", "Fix its YAML."
        ) from exc
    return templates


def fill(template: str, **values: str) -> str:
    """Templates are edited by people: an unknown placeholder is left as written, not an error."""
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)


def _question(seed: Seed, text: str) -> Finding:
    parent = seed.finding
    return Finding("question", parent.severity, text, parent.evidence, parent.citations)


def offline_questions(seeds: list[Seed]) -> list[Finding]:
    return [_question(seed, seed.offline) for seed in seeds]


def _sources(citations: list[Citation], documents: dict[str, Document]) -> list[Source]:
    sources = []
    for c in citations:
        doc = documents.get(c.source) or Document(c.source, c.title, c.kind, "", status=c.status, date=c.date)
        chunk = Chunk(f"review-{c.n}", c.source, 0, c.section or "", c.excerpt or c.title)
        sources.append(Source(c.n, Hit(c.source, doc, (chunk,), c.score), "supporting"))
    return sources


def model_questions(
    model,
    settings: Settings,
    title: str,
    text: str,
    seeds: list[Seed],
    citations: list[Citation],
    documents: dict[str, Document],
) -> list[Finding]:
    """One question per seed from the model; seeds it skipped keep their offline question."""
    from langchain_core.messages import HumanMessage, SystemMessage

    numbered = "\n".join(
        f"{k}. [{s.finding.kind}, {s.finding.severity}] {s.finding.message}"
        + (f" (doc: {s.finding.evidence})" if s.finding.evidence else "")
        for k, s in enumerate(seeds, start=1)
    )
    user = load_prompt(settings, "review_user.md").format(
        title=title,
        doc=html.escape(text[:MAX_DOC_CHARS], quote=False),
        findings=numbered,
        sources=format_sources(_sources(citations, documents)) or "(none)",
    )
    try:
        reply = model.invoke([SystemMessage(load_prompt(settings, "review_system.md")), HumanMessage(user)])
    except Exception as exc:
        raise LLMError(f"the model call failed ({type(exc).__name__})") from exc
    valid = {c.n for c in citations}
    asked: dict[int, str] = {}
    for line in _text(reply.content).splitlines():
        match = _LINE.match(line)
        if match and 1 <= int(match.group(1)) <= len(seeds):
            question = re.sub(r"\s+([?!])", r"\1", validate_citations(match.group(2), valid)).strip()
            if question:
                asked.setdefault(int(match.group(1)), question)
    if not asked:
        raise LLMError("the model's reply had no questions in the expected form")
    log.debug("the model asked %d of %d questions", len(asked), len(seeds))
    return [_question(seed, asked.get(k, seed.offline)) for k, seed in enumerate(seeds, start=1)]
