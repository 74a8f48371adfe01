"""Block Kit for answers, reviews, help and the App Home tab.

Slack's limits shape this module: a section holds at most 3000 characters, a context block at most 10
elements, a message at most 50 blocks; the plain `text` is what notifications and screen readers show.
"""

from __future__ import annotations

from collections.abc import Sequence

from archbot.bot.slack.mrkdwn import escape, link, to_mrkdwn
from archbot.kernel.types import SEVERITY_RANK, Answer, Citation, Finding, Review

SECTION_LIMIT = 3000
CONTEXT_ELEMENTS = 10
MAX_ANSWER_SECTIONS = 10
MAX_FINDINGS = 20
FALLBACK_CHARS = 300
FEEDBACK_UP = "feedback_up"
FEEDBACK_DOWN = "feedback_down"
READABLE_TYPES = (
    "Markdown (`.md`, `.markdown`), plain text (`.txt`), PDF (`.pdf`), Word (`.docx`) and HTML (`.html`)"
)

HELP = (
    "*Ask me about our architecture* — I answer from the indexed ADRs, standards and design docs, "
    "and cite them.\n"
    "• Mention me in a channel: `@archbot are we still on RabbitMQ for events?` — I answer in the "
    "thread, and follow-ups in that thread need no mention.\n"
    "• Send me a direct message, or open me in the assistant panel.\n"
    "• `/archbot ask QUESTION` — an answer only you see.\n"
    "• `/archbot review TEXT` or `/archbot review FILE-LINK` — pre-review a design doc.\n"
    "• Share a design doc with a mention, or use the message shortcut *Pre-review with archbot*. "
    f"I read {READABLE_TYPES}.\n"
    "• 👍/👎 under an answer tell the maintainers what works."
)

_KIND_LABELS = {"adr": "ADRs", "standard": "standards", "design": "design docs", "other": "other"}
_SEVERITY_ICONS = {"high": "🔴", "medium": "🟠", "low": "🟡", "info": "ℹ️"}


def section(mrkdwn: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def text_blocks(mrkdwn: str) -> list[dict]:
    """One or more sections: long text is split at line breaks to stay under the section limit."""
    return [section(part) for part in _split(mrkdwn, SECTION_LIMIT)]


def fallback(text: str) -> str:
    """The notification text: a short plain prefix of the message."""
    flat = " ".join(text.split())
    return flat if len(flat) <= FALLBACK_CHARS else flat[: FALLBACK_CHARS - 1] + "…"


def answer_blocks(answer: Answer, answer_id: str | None) -> list[dict]:
    """The answer, a note when there is one, its sources, and feedback buttons tied to `answer_id`."""
    sections = text_blocks(to_mrkdwn(answer.text))
    blocks = sections[:MAX_ANSWER_SECTIONS]
    if len(sections) > MAX_ANSWER_SECTIONS:
        blocks.append(context(["_The answer was cut short to fit in Slack._"]))
    if answer.note:
        blocks.append(context([escape(answer.note)]))
    if answer.citations:
        blocks.append(context(["*Sources*", *(citation_line(c) for c in answer.citations)]))
    if answer_id:
        blocks.append(feedback_actions(answer_id))
    return blocks


def citation_line(citation: Citation) -> str:
    """`[n] Title · status · date`, the title linked when the document has a URL."""
    title = link(citation.url, citation.title) if citation.url else f"*{escape(citation.title)}*"
    parts = [f"[{citation.n}] {title}"]
    if not citation.url:
        parts.append(f"`{escape(citation.source)}`")
    if citation.section:
        parts.append(f"§ {escape(citation.section)}")
    parts.extend(escape(value) for value in (citation.status, citation.date) if value)
    return " · ".join(parts)


def context(lines: Sequence[str]) -> dict:
    """A context block; more lines than it has elements are folded together so none is dropped."""
    groups: list[list[str]] = [[] for _ in range(min(len(lines), CONTEXT_ELEMENTS))]
    for i, line in enumerate(lines):
        groups[i * len(groups) // len(lines)].append(line)
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "\n".join(g)[:SECTION_LIMIT]} for g in groups],
    }


def feedback_actions(answer_id: str) -> dict:
    return {
        "type": "actions",
        "block_id": "feedback",
        "elements": [
            _button("👍 Helpful", FEEDBACK_UP, answer_id),
            _button("👎 Not helpful", FEEDBACK_DOWN, answer_id),
        ],
    }


def _button(label: str, action_id: str, value: str) -> dict:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id,
        "value": value,
    }


def review_blocks(review: Review, name: str) -> list[dict]:
    """The summary, then each finding with its evidence and sources: conflicts with decisions in force
    first (what a reviewer most needs to see), then by severity."""
    blocks = text_blocks(f"*Pre-review of `{escape(name)}`*\n{to_mrkdwn(review.summary)}")
    ordered = sorted(review.findings, key=lambda f: (f.kind != "conflict", SEVERITY_RANK.get(f.severity, 9)))
    shown = ordered[:MAX_FINDINGS]
    for finding in shown:
        blocks.extend(_finding_blocks(finding))
    if len(review.findings) > len(shown):
        more = len(review.findings) - len(shown)
        blocks.append(context([f"…and {more} more findings: run `archbot review` for the full list."]))
    if not review.findings:
        blocks.append(context(["No findings: nothing in the indexed documents conflicts with it."]))
    return blocks


def review_fallback(review: Review, name: str) -> str:
    return fallback(f"Pre-review of {name}: {review.summary}")


def _finding_blocks(finding: Finding) -> list[dict]:
    icon = _SEVERITY_ICONS.get(finding.severity, "•")
    text = f"{icon} *{finding.kind.capitalize()}* ({finding.severity}) — {to_mrkdwn(finding.message)}"
    if finding.evidence:
        text += "\n" + "\n".join(f"> {escape(line)}" for line in finding.evidence.splitlines() if line)
    blocks = [section(_split(text, SECTION_LIMIT)[0])]
    if finding.citations:
        blocks.append(context([citation_line(c) for c in finding.citations]))
    return blocks


def help_blocks() -> list[dict]:
    return [section(HELP)]


def home_view(documents: int, by_kind: dict[str, int], last_ingest: str | None) -> dict:
    """The App Home tab: what archbot knows and how to ask it."""
    if documents:
        kinds = ", ".join(f"{n} {_KIND_LABELS.get(kind, kind)}" for kind, n in sorted(by_kind.items()) if n)
        indexed = f"*{documents} documents* indexed ({kinds})."
        if last_ingest:
            indexed += f"\nLast ingest: {escape(last_ingest)}"
    else:
        indexed = "*Nothing is indexed yet.* An admin runs `archbot ingest PATH` on the server."
    return {
        "type": "home",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "archbot — architecture advisor"}},
            section(indexed),
            {"type": "divider"},
            section(HELP),
        ],
    }


def _split(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, broken at line ends where possible."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        if len(current) + len(line) > limit:
            pieces.append(current)
            current = ""
        current += line
    if current or not pieces:
        pieces.append(current)
    return [p.rstrip("\n") or " " for p in pieces]
