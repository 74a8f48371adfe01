"""A review as Markdown for people: most serious first, each question beside what it is about."""

from __future__ import annotations

from archbot.kernel.types import SEVERITIES, Citation, Finding, Review

_HEADINGS = {"high": "High", "medium": "Medium", "low": "Low", "info": "For reference"}
_LABELS = {"conflict": "Conflict", "gap": "Gap", "question": "Question", "related": "Related"}


def _sources(findings: tuple[Finding, ...]) -> list[Citation]:
    seen: dict[int, Citation] = {}
    for finding in findings:
        for citation in finding.citations:
            seen.setdefault(citation.n, citation)
    return [seen[n] for n in sorted(seen)]


def _item(finding: Finding) -> list[str]:
    lines = [f"- **{_LABELS[finding.kind]}:** {finding.message}"]
    if finding.evidence and finding.kind != "question":
        lines.append(f"  > {finding.evidence}")
    return lines


def render_review_markdown(review: Review) -> str:
    out = ["# Design pre-review", "", review.summary, ""]
    for severity in SEVERITIES:
        heading = _HEADINGS[severity]
        findings = [f for f in review.findings if f.severity == severity]
        if not findings:
            continue
        out += [f"## {heading}", ""]
        for finding in findings:
            out += _item(finding)
        out.append("")
    sources = _sources(review.findings)
    if sources:
        out += ["## Sources", ""]
        for c in sources:
            meta = ", ".join(p for p in (c.kind, c.status, c.date) if p)
            out.append(f"[{c.n}] {c.title} ({meta}) — `{c.source}`")
        out.append("")
    return "\n".join(out)
