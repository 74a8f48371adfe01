"""The pre-review of a design doc: rubric gaps, conflicts, related decisions and mentor questions.

Offline, everything is deterministic, so the same doc always gets the same findings. A chat model,
when configured, also judges each candidate (statement, decision) pair (`judge.py`): it adds
conflicts and questions whose citations and quotes check out, and phrases the mentor questions. Any
failure of the model leaves the offline review, and the summary says so.
"""

from __future__ import annotations

import logging

from archbot.advisor.library import Library
from archbot.advisor.lifecycle import label
from archbot.advisor.review.citations import CitationBook, markers
from archbot.advisor.review.conflicts import Conflict, ConflictFinder, Doubt
from archbot.advisor.review.doc import DesignDoc, parse_design_doc
from archbot.advisor.review.judge import Judgement, judge_conflicts
from archbot.advisor.review.questions import (
    Seed,
    conflict_templates,
    fill,
    model_questions,
    offline_questions,
)
from archbot.advisor.review.related import related_findings
from archbot.advisor.review.rubric import Assessment, assess, load_rubric
from archbot.kernel.errors import InputError, LLMError
from archbot.kernel.types import SEVERITIES, SEVERITY_RANK, Filters, Finding, Review

log = logging.getLogger(__name__)
# Asked when the templates file has no `doubt` entry (a team's older copy).
DOUBT_TEMPLATE = "{decision} chose {chose} and did not choose {subject}{cites}. Is {subject} here deliberate?"
_KIND_ORDER = {"conflict": 0, "gap": 1, "question": 2, "related": 3}


def _gap(assessment: Assessment) -> Seed:
    item = assessment.item
    if assessment.state == "missing":
        finding = Finding("gap", item.severity, f"{item.title}: missing. {item.why}", None)
    else:
        finding = Finding(
            "gap",
            SEVERITIES[min(SEVERITY_RANK[item.severity] + 1, len(SEVERITIES) - 1)],
            f"{item.title}: thin. {item.why}",
            assessment.evidence,
        )
    question = item.questions[0] if item.questions else f"How does this design handle {item.title.lower()}?"
    return Seed(finding, question)


def _conflict(conflict: Conflict, doc: DesignDoc, templates: dict[str, str]) -> Seed:
    citations = tuple(conflict.citations)
    finding = Finding(
        "conflict",
        conflict.severity,
        " ".join(conflict.reasons) + " " + markers(citations),
        f"{doc.where(conflict.line)}: {conflict.quote}",
        citations,
    )
    question = fill(
        templates.get(conflict.kind, "How does this line fit the decisions it is cited against{cites}?"),
        subject=conflict.subject,
        decision=conflict.decision,
        cites=f" {markers(citations)}" if citations else "",
    )
    return Seed(finding, question)


def _doubt(doubt: Doubt, doc: DesignDoc, template: str) -> Finding:
    """Weaker evidence, asked rather than asserted."""
    text = fill(
        template,
        subject=doubt.term,
        decision=label(doubt.decision),
        chose=doubt.chose,
        cites=f" {markers((doubt.citation,))}",
    )
    return Finding("question", "low", text, f"{doc.where(doubt.line)}: {doubt.quote}", (doubt.citation,))


def _summary(
    title: str, conflicts: list[Seed], gaps: list[Seed], assessments: list[Assessment], note: str
) -> str:
    high = sum(1 for s in conflicts if s.finding.severity == "high")
    addressed = [a.item.title for a in assessments if a.state == "addressed"]
    parts = [
        f"Pre-review of “{title}”: {len(conflicts)} conflict(s) ({high} high), {len(gaps)} gap(s); "
        f"{len(addressed)} of {len(assessments)} rubric items addressed.",
    ]
    for state in ("thin", "missing"):
        titles = [a.item.title for a in assessments if a.state == state]
        if titles:
            parts.append(f"{state.capitalize()}: {', '.join(titles)}.")
    parts.append(note)
    return " ".join(parts)


def _questions(
    library: Library, model, doc: DesignDoc, text: str, seeds: list[Seed], book: CitationBook
) -> tuple[list[Finding], str | None]:
    """Mentor questions from the model when it answers, else the templates; with why it did not."""
    if model is None or not seeds:
        return offline_questions(seeds), None
    try:
        questions = model_questions(
            model, library.settings, doc.title, text, seeds, book.all(), library.documents
        )
    except LLMError as exc:
        log.warning("review questions fell back to templates: %s", exc)
        return offline_questions(seeds), exc.message
    return questions, None


def _note(model, judge_failure: str | None, questions_failure: str | None) -> str:
    if judge_failure is not None:
        return (
            f"The language model was unavailable ({judge_failure}); the conflicts are the offline "
            "rules' and the questions are offline templates."
        )
    if model is None:
        return "Questions from the offline templates."
    if questions_failure is not None:
        return (
            "Conflicts judged by the language model; it was unavailable for the questions "
            f"({questions_failure}), which are offline templates."
        )
    return "Conflicts judged and questions phrased by the language model."


def review_document(library: Library, text: str, name: str, filters: Filters) -> Review:
    if not text.strip():
        raise InputError(f"{name} is empty.", "Pass the design document you want pre-reviewed.")
    doc = parse_design_doc(text, name)
    book = CitationBook()
    assessments = assess(doc, load_rubric(library.settings))
    finder = ConflictFinder(library, filters, book, text)
    judgement = Judgement(finder.run(doc), finder.doubts)
    model, judge_failure = library.chat_model, None
    if model is not None:
        try:
            judgement = judge_conflicts(model, library.settings, doc, text, finder, judgement, book)
        except LLMError as exc:
            log.warning("review conflicts fell back to the offline rules: %s", exc)
            model, judge_failure = None, exc.message
    templates = conflict_templates(library.settings)
    conflict_seeds = [_conflict(c, doc, templates) for c in judgement.conflicts]
    demoted_seeds = [_conflict(c, doc, templates) for c in judgement.demoted]
    gap_seeds = [_gap(a) for a in assessments if a.state != "addressed"]
    related = related_findings(library, doc, filters, book)
    seeds = conflict_seeds + gap_seeds + demoted_seeds  # a demoted conflict keeps only its question
    questions, questions_failure = _questions(library, model, doc, text, seeds, book)
    doubts = [_doubt(d, doc, templates.get("doubt", DOUBT_TEMPLATE)) for d in judgement.doubts]
    findings = (
        [s.finding for s in conflict_seeds + gap_seeds] + questions + judgement.questions + doubts + related
    )
    findings.sort(key=lambda f: (SEVERITY_RANK[f.severity], _KIND_ORDER[f.kind]))
    note = _note(model, judge_failure, questions_failure)
    return Review(_summary(doc.title, conflict_seeds, gap_seeds, assessments, note), tuple(findings))
