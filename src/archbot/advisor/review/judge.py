"""Conflicts judged by the chat model: candidate (statement, decision) pairs, all in one call.

The pairs are the offline conflicts and doubts and, for each statement the design commits to, the
best few decisions in force that retrieval found for it. The model answers with a JSON verdict per pair; a
verdict survives only when it cites a source it was given and quotes that source's text word for
word. A reply that is not such a list, a timeout or a provider error is an `LLMError`: the review
then keeps the offline conflicts and says so.
"""

from __future__ import annotations

import html
import json
import logging
import re
from dataclasses import dataclass, field

from archbot.advisor.citations import validate_citations
from archbot.advisor.context import Source
from archbot.advisor.lifecycle import label
from archbot.advisor.llm import _text, format_sources
from archbot.advisor.retrieval import Hit
from archbot.advisor.review.citations import CitationBook
from archbot.advisor.review.conflicts import Conflict, ConflictFinder, Doubt, _named, _quote
from archbot.advisor.review.doc import DesignDoc
from archbot.advisor.review.proposals import extract_proposals
from archbot.advisor.review.questions import MAX_DOC_CHARS
from archbot.kernel.errors import LLMError
from archbot.kernel.prompts import load_prompt
from archbot.kernel.settings import Settings
from archbot.kernel.text import shorten
from archbot.kernel.types import SEVERITY_RANK, Chunk, Citation, Finding, Severity

log = logging.getLogger(__name__)
# Decisions judged per committed statement: retrieval's best few. On the held-out design docs the
# decision a planted conflict contradicts is retrieval's first for 12 of 13 statements and second for
# the other (third before the stemmed BM25 of ADR 2); three keeps that margin.
JUDGED_PER_STATEMENT = 3
# Pairs judged per review, offline conflicts first: one call whose prompt and reply stay bounded
# however long the doc is (the held-out docs need 15 to 37; a verdict is about 60 tokens).
MAX_PAIRS = 40
# Chunks of a decision shown as its excerpt (all `format_sources` shows): the quote must be in them.
MAX_SOURCE_CHUNKS = 3
# A quoted decision sentence shorter than this many words cannot show a disagreement.
MIN_QUOTE_WORDS = 4
_VERDICTS = ("conflict", "question", "none")
_WORD = re.compile(r"\w+")
_ELLIPSIS = re.compile(r"\.\.\.|…")
_NUMBER = re.compile(r"P?\[?(\d{1,3})\]?", re.I)
_LIST_START = re.compile(r"\[\s*[{\]]")  # where the JSON array begins, after any preamble


@dataclass(frozen=True)
class Pair:
    """A statement of the doc and one decision to judge it against."""

    line: int
    statement: str
    section: str
    hit: Hit
    origin: str = "retrieval"  # retrieval | conflict | doubt: what put the pair up for judging


@dataclass(frozen=True)
class Verdict:
    pair: Pair
    verdict: str  # conflict | question | none | dropped (its source or quote did not check out)
    severity: Severity = "medium"
    quote: str = ""
    why: str = ""
    source: Hit | None = None  # the decision the quote is from


@dataclass
class Judgement:
    """What the model's verdicts do to the offline review."""

    conflicts: list[Conflict]  # offline conflicts kept, with the model's new ones merged in
    doubts: list[Doubt] = field(default_factory=list)  # offline doubts neither confirmed nor dismissed
    demoted: list[Conflict] = field(default_factory=list)  # offline, medium, judged no conflict
    questions: list[Finding] = field(default_factory=list)  # pairs with weaker evidence


def _cited_pair(
    finder: ConflictFinder, line: int, statement: str, cited: Citation | None, section: str, origin: str
) -> Pair | None:
    """An offline finding as a pair: the decision it cites, shown by the chunk its rule quoted."""
    document = finder.library.documents.get(cited.source) if cited else None
    if cited is None or document is None:
        return None
    chunks = finder.library.chunks_of(cited.source)
    quoted = [c for c in chunks if cited.excerpt and _words(cited.excerpt) in _words(c.text)]
    hit = Hit(cited.source, document, tuple((quoted or chunks)[:MAX_SOURCE_CHUNKS]), cited.score)
    return Pair(line, statement, section, hit, origin)


def candidate_pairs(
    finder: ConflictFinder, doc: DesignDoc, conflicts: list[Conflict], doubts: list[Doubt]
) -> list[Pair]:
    """Offline conflicts and doubts first, then each committed statement's best decision, then its
    second best… so the bound cuts the weakest candidates of a long doc, not its last sections."""
    sections = {s.line: " > ".join(doc.path(s.section)) for s in doc.sentences}
    offline = [
        *(
            _cited_pair(
                finder, c.line, c.quote, next(iter(c.citations), None), sections.get(c.line, ""), "conflict"
            )
            for c in conflicts
        ),
        *(
            _cited_pair(finder, d.line, d.quote, d.citation, sections.get(d.line, ""), "doubt")
            for d in doubts
        ),
    ]
    pairs = [p for p in offline if p is not None]
    seen = {(p.line, p.hit.source) for p in pairs}
    statements = [(s, finder.in_force_hits(s.text)) for s in extract_proposals(doc)]
    for rank in range(JUDGED_PER_STATEMENT):
        for statement, hits in statements:
            if rank < len(hits) and (statement.line, hits[rank].source) not in seen:
                seen.add((statement.line, hits[rank].source))
                pairs.append(Pair(statement.line, statement.text, statement.section, hits[rank]))
    return pairs[:MAX_PAIRS]


def _numbered_sources(pairs: list[Pair]) -> dict[int, Hit]:
    """One numbered source per decision, its excerpt the chunks that matched any of its pairs."""
    chunks: dict[str, dict[str, Chunk]] = {}
    hits: dict[str, Hit] = {}
    for pair in pairs:
        hits.setdefault(pair.hit.source, pair.hit)
        for chunk in pair.hit.chunks:
            chunks.setdefault(pair.hit.source, {}).setdefault(chunk.id, chunk)
    return {
        n: Hit(source, hit.document, tuple(chunks.get(source, {}).values())[:MAX_SOURCE_CHUNKS], hit.score)
        for n, (source, hit) in enumerate(hits.items(), start=1)
    }


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _quoted_in(quote: str, hit: Hit) -> bool:
    """The quote is the source's own words: case, punctuation and markup aside."""
    excerpt = f" {_words(' '.join(c.text for c in hit.chunks))} "
    words = _words(quote)
    return len(words.split()) >= MIN_QUOTE_WORDS and not _ELLIPSIS.search(quote) and f" {words} " in excerpt


def _one_line(text: object) -> str:
    return shorten(" ".join(validate_citations(str(text or ""), set()).split()), 240)


def _number(value: object) -> int | None:
    """A pair or source number as models write it: 2, "2", "P2" or "[2]"."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = _NUMBER.fullmatch(str(value).strip()) if isinstance(value, str) else None
    return int(match.group(1)) if match else None


def _verdict(item: object, pairs: list[Pair], sources: dict[int, Hit]) -> tuple[int, Verdict] | None:
    """One well-formed verdict and its pair's number; a conflict or question must cite a source
    given and quote it."""
    if not isinstance(item, dict):
        return None
    k, verdict = _number(item.get("pair")), str(item.get("verdict", "")).lower()
    if k is None or not 1 <= k <= len(pairs) or verdict not in _VERDICTS:
        return None
    if verdict == "none":
        return k, Verdict(pairs[k - 1], verdict)
    source = sources.get(_number(item.get("source")) or 0)
    quote, why = " ".join(html.unescape(str(item.get("quote") or "")).split()), _one_line(item.get("why"))
    if source is None or not why or not _quoted_in(quote, source):
        log.debug("dropped the model's verdict on pair %d: a source not given or a quote not in it", k)
        return k, Verdict(pairs[k - 1], "dropped")
    severity = str(item.get("severity", "")).lower()
    return k, Verdict(pairs[k - 1], verdict, "high" if severity == "high" else "medium", quote, why, source)


def _parse(reply: str, pairs: list[Pair], sources: dict[int, Hit]) -> list[Verdict]:
    """The first verdict on each pair; LLMError when the reply is not a JSON list or judges no pair.

    A verdict whose evidence does not check out is kept as "dropped": judged, but it neither adds a
    finding nor demotes an offline conflict."""
    start, end = _LIST_START.search(reply), reply.rfind("]")
    try:
        items = json.loads(reply[start.start() : end + 1]) if start else None
    except json.JSONDecodeError:
        items = None
    if not isinstance(items, list):
        raise LLMError("the model's reply was not the JSON list of verdicts asked for")
    verdicts: dict[int, Verdict] = {}
    for item in items:
        numbered = _verdict(item, pairs, sources)
        if numbered is not None:
            verdicts.setdefault(*numbered)
    if not verdicts:
        raise LLMError("the model's reply judged none of the pairs")
    return list(verdicts.values())


def judge_pairs(model, settings: Settings, title: str, text: str, pairs: list[Pair]) -> list[Verdict]:
    """The model's verdicts on the pairs, in one call."""
    from langchain_core.messages import HumanMessage, SystemMessage

    sources = _numbered_sources(pairs)
    number = {hit.source: n for n, hit in sources.items()}
    listed = "\n".join(
        f"P{k} (line {p.line}{f', {p.section}' if p.section else ''}) with source [{number[p.hit.source]}]: "
        f"{html.escape(p.statement, quote=False)}"
        for k, p in enumerate(pairs, start=1)
    )
    user = load_prompt(settings, "review_judge_user.md").format(
        title=title,
        doc=html.escape(text[:MAX_DOC_CHARS], quote=False),
        sources=format_sources([Source(n, hit, "supporting") for n, hit in sources.items()]),
        pairs=listed,
    )
    system = load_prompt(settings, "review_judge_system.md")
    try:
        reply = model.invoke([SystemMessage(system), HumanMessage(user)])
    except Exception as exc:
        raise LLMError(f"the model call failed ({type(exc).__name__})") from exc
    verdicts = _parse(_text(reply.content), pairs, sources)
    log.debug("the model judged %d of %d pairs", len(verdicts), len(pairs))
    return verdicts


def judge_conflicts(
    model,
    settings: Settings,
    doc: DesignDoc,
    text: str,
    finder: ConflictFinder,
    offline: Judgement,
    book: CitationBook,
) -> Judgement:
    """The offline conflicts and doubts with the model's verdicts on the candidate pairs applied."""
    pairs = candidate_pairs(finder, doc, offline.conflicts, offline.doubts)
    if not pairs:
        return offline
    return apply_verdicts(judge_pairs(model, settings, doc.title, text, pairs), offline, doc, book)


def apply_verdicts(
    verdicts: list[Verdict], offline: Judgement, doc: DesignDoc, book: CitationBook
) -> Judgement:
    """Offline high conflicts stay whatever the model says: their rules quote explicit evidence. A
    medium one (built on a decision no longer in force) the model judges no conflict is demoted to
    its question; a doubt it judges no conflict is dismissed. The model's conflicts are added, merged
    by line (a doubt on that line gives way); its questions become findings."""
    rejected = {(v.pair.origin, v.pair.line, v.pair.hit.source) for v in verdicts if v.verdict == "none"}
    demoted = [
        c
        for c in offline.conflicts
        if c.severity != "high" and c.citations and ("conflict", c.line, c.citations[0].source) in rejected
    ]
    by_line = {c.line: c for c in offline.conflicts if c not in demoted}
    questions = []
    for v in verdicts:
        if v.source is None or v.verdict == "none" or (v.verdict == "question" and v.pair.origin == "doubt"):
            continue  # a doubt is a question already
        cited = by_line.get(v.pair.line)
        if cited is not None and v.source.source in {c.source for c in cited.citations}:
            continue  # an offline conflict on this line already cites this decision
        citation = book.cite(v.source.document, None, v.quote)
        if v.verdict == "question":
            message = f"{v.why} [{citation.n}]"
            evidence = f"{doc.where(v.pair.line)}: {v.pair.statement}"
            questions.append(Finding("question", "medium", message, evidence, (citation,)))
            continue
        conflict = by_line.setdefault(v.pair.line, Conflict(v.pair.line, v.pair.statement))
        reason = f"{_named(v.source.document)} decided: {_quote(v.quote)} {v.why}"
        subject = shorten(v.pair.statement, 80)
        conflict.add(v.severity, reason, [citation], "judged", subject, label(v.source.document))
    kept = sorted(by_line.values(), key=lambda c: (SEVERITY_RANK[c.severity], c.line))
    doubts = [
        d
        for d in offline.doubts
        if d.line not in by_line and ("doubt", d.line, d.decision.source) not in rejected
    ]
    return Judgement(kept, doubts, demoted, questions)
