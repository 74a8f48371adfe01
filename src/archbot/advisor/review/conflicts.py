"""Offline conflict detection: what the doc commits to, against what decisions and standards rule out.

Each conflict needs one of these, all explicit in the corpus:
- an accepted ADR or a standard names the proposed technology as ruled out (high);
- a retention schedule row for the data class the doc names allows less than the doc keeps (high);
- a rule requires the API version in the path and the doc writes an endpoint without one (high);
- a rule bounds a size, duration or share ("below 120KB") and the doc states one beyond it for the
  same thing (high);
- a rule requires a naming style for property names and the doc's JSON examples use another (high);
- a rule forbids a practice the doc follows, named word for word with what the rule is about
  ("Secrets MUST NOT be passed as environment variables") (high);
- the doc uses what a decision or standard in force removes, retires or deprecates, named in full
  ("AMP Removal", "Logit deprecation notice", "remove basic auth from production") (high);
- a rule names the way it excludes beside the way it requires, or permits some ways and forbids
  every other, or requires something for a subject, and a sentence takes the excluded way, none of
  the permitted ones, or goes without what is required, with retrieval ranking the rule among the
  sentence's closest (high);
- the doc builds on an ADR ("see ADR 7") that is superseded, deprecated or rejected (medium).
Weaker evidence is never a conflict: a doc naming an option a decision in force considered and did
not choose, where neither retrieval nor the decision's words tie the two, becomes a question (a
`Doubt`) for the author: "ADR 12 chose Kafka and did not choose RabbitMQ; is RabbitMQ here deliberate?"
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from archbot.advisor.library import Library
from archbot.advisor.lifecycle import is_inactive, label, status_phrase
from archbot.advisor.retrieval import Hit
from archbot.advisor.review.citations import CitationBook
from archbot.advisor.review.decisions import (
    OPTION_RANK,
    Profile,
    RuledOut,
    build_profile,
    deviates,
    follows_practice,
    goes_without,
)
from archbot.advisor.review.doc import DesignDoc
from archbot.advisor.review.naming import breach as naming_breach
from archbot.advisor.review.naming import json_keys, naming_rules
from archbot.advisor.review.proposals import (
    ELSEWHERE_SECTIONS,
    Proposal,
    absence_statements,
    extract_proposals,
    reference_sentences,
)
from archbot.advisor.review.quantities import Bound, bounds_in, breach
from archbot.advisor.review.rules import retention_breach, retention_limits, unversioned_paths, version_rules
from archbot.advisor.review.terms import concern_stems, lowercase_vocabulary, mentions, stems_meet, terms_in
from archbot.kernel.lifecycle import removes_something
from archbot.kernel.text import shorten
from archbot.kernel.types import SEVERITY_RANK, Citation, Document, Filters, Severity
from archbot.kernel.vocabulary import stems_named, subject_stems

CANDIDATES_PER_SENTENCE = 8
# Questions from weaker evidence asked per review, earliest doc lines first: more would bury the
# conflicts and gaps.
MAX_DOUBTS = 3


@dataclass(frozen=True)
class Doubt:
    """A doc line naming an option a decision in force set aside, without the evidence for a conflict."""

    line: int
    quote: str
    term: str  # the option as the doc names it
    decision: Document
    chose: str  # what the decision chose
    citation: Citation


@dataclass
class Conflict:
    """One doc line in conflict, with every reason found for it (merged so a line is reported once)."""

    line: int
    quote: str
    severity: Severity = "medium"
    reasons: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    kind: str = "ruled_out"  # ruled_out | inactive | retention | version: picks the mentor question
    subject: str = ""
    decision: str = ""

    def add(
        self,
        severity: Severity,
        reason: str,
        citations: list[Citation],
        kind: str,
        subject: str,
        decision: str,
    ) -> None:
        """Keep every reason; the most severe one decides the mentor question."""
        if SEVERITY_RANK[severity] < SEVERITY_RANK[self.severity] or not self.reasons:
            self.severity, self.kind, self.subject, self.decision = severity, kind, subject, decision
        if reason not in self.reasons:
            self.reasons.append(reason)
        self.citations.extend(c for c in citations if c not in self.citations)


def _in_force(doc: Document) -> bool:
    """Accepted ADRs and standards not marked inactive: the only things a design can contradict."""
    if is_inactive(doc):
        return False
    return doc.kind == "standard" or (doc.kind == "adr" and doc.status == "accepted")


def _named(doc: Document) -> str:
    phrase = status_phrase(doc)
    return f"{label(doc)}, {phrase}," if phrase else label(doc)


def _quote(sentence: str) -> str:
    return f"“{shorten(sentence, 220)}”"


class ConflictFinder:
    def __init__(self, library: Library, filters: Filters, book: CitationBook, doc_text: str) -> None:
        self.library = library
        self._raised: set[tuple[str, str]] = set()
        self.book = book
        self.doc_text = doc_text
        self.filters = Filters(
            kinds=("adr", "standard"),
            source_prefixes=filters.source_prefixes,
            visibilities=filters.visibilities,
        )
        self._profiles: dict[str, Profile] = {}
        self._retrieved: dict[str, list[Hit]] = {}
        self._bounds: dict[str, list[Bound]] = {}
        self._versions: dict[str, list[str]] = {}
        self.conflicts: dict[int, Conflict] = {}
        self.doubts: list[Doubt] = []

    # -- lookups -----------------------------------------------------------------------------------

    def profile(self, source: str) -> Profile:
        if source not in self._profiles:
            doc = self.library.documents[source]
            self._profiles[source] = build_profile(doc, self.library.chunks_of(source), self.doc_text)
        return self._profiles[source]

    @cached_property
    def _title_terms(self) -> dict[str, set[str]]:
        """Technology names in each current ADR's title: what the organisation has sanctioned."""
        docs = [d for d in self.library.documents.values() if d.kind == "adr" and _in_force(d)]
        ordinary = lowercase_vocabulary([d.title for d in self.library.documents.values()] + [self.doc_text])
        return {d.source: terms_in(f"x {d.title}", ordinary) for d in docs}

    def _sanctioned_later(self, term: str, ruling: Document, explicit: bool = True) -> bool:
        """Another current ADR adopts the term in its title: as recent as the ruling one, the corpus
        disagrees with itself, so claiming a conflict would be a guess; and an option a decision only
        considered is never held against what another decision in force chose, whatever its date."""
        for source, terms in self._title_terms.items():
            other = self.library.documents[source]
            if source == ruling.source or term not in terms:
                continue
            if not explicit or (other.date and ruling.date and other.date >= ruling.date):
                return True
        return False

    def _allowed_here(self, term: str, proposal: Proposal, candidates: list[Document]) -> bool:
        """A decision or standard in force permits the term for what this sentence uses it for
        ("Caches (for example Redis) are allowed ..."): another decision not choosing it is no conflict."""
        uses = concern_stems(proposal.text, [term])
        for doc in candidates:
            allowed_for = self.profile(doc.source).allowed.get(term) if _in_force(doc) else None
            if allowed_for and stems_meet(allowed_for, uses):
                return True
        return False

    def _hits(self, sentence: str) -> list[Hit]:
        """The decisions and standards about a sentence (retrieved by `_prefetch` when it can)."""
        if sentence not in self._retrieved:
            self._prefetch([sentence])
        return self._retrieved[sentence]

    def _candidates(self, sentence: str) -> list[Document]:
        return [h.document for h in self._hits(sentence)]

    def in_force_hits(self, sentence: str) -> list[Hit]:
        """The decisions and standards in force retrieved for a sentence, best first, with the chunks
        that matched it: the candidates a chat model judges the sentence against."""
        return [h for h in self._hits(sentence) if _in_force(h.document)]

    def _prefetch(self, sentences: list[str]) -> None:
        """Retrieve for many sentences with one batch of embeddings: most of a review's time."""
        todo = list(dict.fromkeys(s for s in sentences if s not in self._retrieved))
        if not todo:
            return
        for sentence, vector in zip(todo, self.library.embed(todo), strict=True):
            hits = self.library.search(sentence, self.filters, CANDIDATES_PER_SENTENCE, vector=vector)
            self._retrieved[sentence] = hits

    def _resolve_adr(self, number: int, sentence: str) -> Document | None:
        """ADR N by number; when numbers collide, the one whose title shares the sentence's words."""
        matches = [d for d in self.library.documents.values() if d.kind == "adr" and d.number == number]
        if len(matches) > 1:
            words = concern_stems(sentence)
            matches = [d for d in matches if stems_meet(concern_stems(d.title), words)]
        return matches[0] if len(matches) == 1 else None

    def _version_rules(self, source: str) -> list[str]:
        if source not in self._versions:
            self._versions[source] = version_rules(self.library.chunks_of(source))
        return self._versions[source]

    def _conflict(self, line: int, sentence: str) -> Conflict:
        return self.conflicts.setdefault(line, Conflict(line, sentence))

    # -- checks ------------------------------------------------------------------------------------

    def _same_concern(self, ruled: RuledOut, proposal: Proposal, rank: int) -> bool:
        """An explicit rule must share what it is about with the sentence. An option the decision only
        considered is tied to the sentence by retrieval ranking the decision among its closest, or by
        the decision's own words meeting the sentence's."""
        about = f"{proposal.text} {proposal.section}" if ruled.explicit else proposal.text
        if ruled.listed and rank < OPTION_RANK:
            return True
        return stems_meet(ruled.concern, concern_stems(about, [ruled.term]))

    def check_ruled_out(self, proposal: Proposal, candidates: list[Document]) -> None:
        for rank, doc in enumerate(candidates):
            if not _in_force(doc):
                continue
            profile = self.profile(doc.source)
            for term, ruled in profile.ruled_out.items():
                found = mentions(proposal.proposed, term)
                if (
                    not found
                    or self._sanctioned_later(term, doc, ruled.explicit)
                    or self._allowed_here(term, proposal, candidates)
                    or (doc.source, term) in self._raised
                ):
                    continue
                if not self._same_concern(ruled, proposal, rank):
                    self._doubt(proposal, found.group(0), doc, ruled)
                    continue
                self._raised.add((doc.source, term))  # one conflict per decision and term, at its first line
                name = found.group(0)
                cited = [self.book.cite(doc, None, ruled.sentence)]
                reason = f"{_named(doc)} rules out {name}: {_quote(ruled.sentence)}"
                for old in self._replaced_choosing(doc, term):
                    cited.append(self.book.cite(old))
                    reason += f" It supersedes {label(old)}, the decision this relies on."
                self._conflict(proposal.line, proposal.text).add(
                    "high", reason, cited, "ruled_out", name, label(doc)
                )

    def _doubt(self, proposal: Proposal, name: str, doc: Document, ruled: RuledOut) -> None:
        """An option the decision only considered, named where nothing ties the two: a question."""
        if ruled.explicit or any(d.term.lower() == name.lower() for d in self.doubts):
            return
        frames = self.library.frames.get(doc.source, [])
        chose = next((f.choice for f in frames if f.choice), "") or doc.title
        cited = self.book.cite(doc, None, ruled.sentence)
        self.doubts.append(Doubt(proposal.line, proposal.text, name, doc, chose, cited))

    def check_removed(self, proposal: Proposal, candidates: list[Document]) -> None:
        """The sentence names, word for word, something a decision in force removed or deprecated,
        and does not say it is removing it too."""
        said = subject_stems(proposal.proposed)
        if removes_something(proposal.text):
            return
        for doc in candidates:
            if not _in_force(doc):
                continue
            for frame in self.library.frames.get(doc.source, []):
                for head, line in frame.removes:
                    if (doc.source, head) in self._raised or not stems_named(subject_stems(head), said):
                        continue
                    self._raised.add((doc.source, head))
                    cited = [self.book.cite(doc, None, line)]
                    reason = f"{_named(doc)} removes {head}: {_quote(line)}"
                    self._conflict(proposal.line, proposal.text).add(
                        "high", reason, cited, "ruled_out", head, label(doc)
                    )

    def check_bounds(self, statement: Proposal, candidates: list[Document]) -> None:
        """The sentence states a size, duration or share beyond a bound a rule in force sets for the
        same thing ("critical JavaScript … will not exceed 120KB")."""
        for doc in candidates:
            if not _in_force(doc):
                continue
            if doc.source not in self._bounds:
                self._bounds[doc.source] = bounds_in(self.library.chunks_of(doc.source))
            found = breach(statement.proposed, self._bounds[doc.source])
            if found is None or (doc.source, found[0].sentence) in self._raised:
                continue
            bound, stated = found
            self._raised.add((doc.source, bound.sentence))
            limit = "at most" if bound.upper else "at least"
            reason = (
                f"{_named(doc)} sets {limit} {bound.quantity.text}: {_quote(bound.sentence)} "
                f"The design states {stated.text}."
            )
            cited = [self.book.cite(doc, None, bound.sentence)]
            self._conflict(statement.line, statement.text).add(
                "high", reason, cited, "ruled_out", stated.text, label(doc)
            )
            return

    def check_naming(self) -> None:
        """JSON examples whose keys are in another style than a rule in force requires for property
        names. The rules are looked for in the decisions and standards the examples retrieve."""
        keys = json_keys(self.doc_text)
        if not keys:
            return
        example = " ".join(key for _, _, key in keys)
        for hit in self.library.search(example, self.filters, CANDIDATES_PER_SENTENCE):
            if not _in_force(hit.document):
                continue
            for rule in naming_rules(self.library.chunks_of(hit.source)):
                found = naming_breach(rule, keys)
                if found is None or (hit.source, rule.style) in self._raised:
                    continue
                self._raised.add((hit.source, rule.style))
                reason = (
                    f"{_named(hit.document)} requires {rule.style} names: {_quote(rule.sentence)} "
                    f"`{found.key}` is {found.style}."
                )
                cited = [self.book.cite(hit.document, None, rule.sentence)]
                self._conflict(found.line, found.text).add(
                    "high", reason, cited, "ruled_out", found.key, label(hit.document)
                )
                return

    def check_practices(self, proposal: Proposal, candidates: list[Document]) -> None:
        for rank, doc in enumerate(candidates):
            if not _in_force(doc):
                continue
            for practice in self.profile(doc.source).practices:
                # A rule heading names no subject, and a head noun alone is little to go on:
                # retrieval must tie those rules to the sentence.
                tied = rank < OPTION_RANK or (bool(practice.subject) and not practice.retrieved)
                if tied and follows_practice(proposal.text, practice):
                    cited = [self.book.cite(doc, None, practice.sentence)]
                    reason = f"{_named(doc)} rules out {practice.phrase}: {_quote(practice.sentence)}"
                    conflict = self._conflict(proposal.line, proposal.text)
                    conflict.add("high", reason, cited, "practice", practice.phrase, label(doc))
                    break

    def check_exclusive(self, statement: Proposal, candidates: list[Document]) -> None:
        """The sentence does what a rule in force permits only in some ways, in none of them. Such a
        rule names no technology to match, so retrieval must rank it among the sentence's closest."""
        for doc in candidates[:OPTION_RANK]:
            if not _in_force(doc):
                continue
            for rule in self.profile(doc.source).exclusive:
                if (doc.source, rule.sentence) in self._raised or not deviates(statement.text, rule):
                    continue
                self._raised.add((doc.source, rule.sentence))
                cited = [self.book.cite(doc, None, rule.sentence)]
                reason = f"{_named(doc)} permits only the ways it names: {_quote(rule.sentence)}"
                subject = " ".join(sorted(rule.subject))
                self._conflict(statement.line, statement.text).add(
                    "high", reason, cited, "practice", subject, label(doc)
                )
                return

    def check_requirements(self, statement: Proposal, candidates: list[Document]) -> None:
        """The sentence goes without what a rule in force requires for what it names ("the reporting
        jobs call the API without a certificate"). Retrieval must rank the rule among its closest."""
        for doc in candidates[:OPTION_RANK]:
            if not _in_force(doc):
                continue
            for requirement in self.profile(doc.source).requirements:
                lacking = goes_without(statement.proposed, requirement)
                if lacking is None or (doc.source, requirement.sentence) in self._raised:
                    continue
                self._raised.add((doc.source, requirement.sentence))
                cited = [self.book.cite(doc, None, requirement.sentence)]
                reason = f"{_named(doc)} requires: {_quote(requirement.sentence)} The design goes {lacking}."
                self._conflict(statement.line, statement.text).add(
                    "high", reason, cited, "practice", lacking, label(doc)
                )
                return

    def _replaced_choosing(self, doc: Document, term: str) -> list[Document]:
        """Older decisions the ruling one superseded that had chosen the term: what the doc relies on."""
        out = []
        for source in doc.supersedes:
            old = self.library.documents.get(source)
            if old is not None and term in self.profile(source).title_terms:
                out.append(old)
        return out

    def check_references(self, proposal: Proposal) -> None:
        for number in proposal.adr_numbers:
            old = self._resolve_adr(number, proposal.text)
            if old is None or not is_inactive(old):
                continue
            conflict = self._conflict(proposal.line, proposal.text)
            if conflict.reasons and any(c.source == old.source for c in conflict.citations):
                continue  # a ruling decision on this line already said it supersedes `old`
            current = self.library.current_for(old.source)
            cited = [self.book.cite(old), *(self.book.cite(d) for d in current)]
            if current:
                now = "; ".join(_named(d).rstrip(",") for d in current)
                reason = f"It builds on {label(old)}, which is {old.status}; the decision in force is {now}."
            else:
                reason = f"It builds on {label(old)}, which is {old.status}."
            conflict.add("medium", reason, cited, "inactive", label(old), label(old))

    def check_retention(self, proposal: Proposal, candidates: list[Document]) -> None:
        for doc in candidates:
            if doc.kind != "standard" or not _in_force(doc):
                continue
            limit = retention_breach(proposal.text, retention_limits(self.library.chunks_of(doc.source)))
            if limit is None:
                continue
            cited = [self.book.cite(doc, None, limit.row)]
            reason = f"{label(doc)} limits how long {limit.data_class.lower()} are kept: {_quote(limit.row)}"
            conflict = self._conflict(proposal.line, proposal.text)
            conflict.add("high", reason, cited, "retention", limit.data_class.lower(), label(doc))
            return

    def check_versions(self, doc: DesignDoc) -> None:
        for sentence in doc.sentences:
            if ELSEWHERE_SECTIONS.search(" > ".join(doc.path(sentence.section))):
                continue
            paths = unversioned_paths(sentence.text)
            if not paths:
                continue
            for ruling in self._candidates(sentence.text):
                rules = self._version_rules(ruling.source) if _in_force(ruling) else []
                if rules:
                    cited = [self.book.cite(ruling, None, rules[0])]
                    reason = f"{label(ruling)} requires a version in the path: {_quote(rules[0])}"
                    conflict = self._conflict(sentence.line, sentence.text)
                    conflict.add("high", reason, cited, "version", paths[0], label(ruling))

    def run(self, doc: DesignDoc) -> list[Conflict]:
        statements = extract_proposals(doc, committed=False)
        absences = absence_statements(doc)
        self._prefetch([s.text for s in [*statements, *absences]])
        for proposal in extract_proposals(doc):
            candidates = self._candidates(proposal.text)
            self.check_ruled_out(proposal, candidates)
            self.check_retention(proposal, candidates)
            self.check_references(proposal)
        for statement in statements:
            self.check_practices(statement, self._candidates(statement.text))
            self.check_exclusive(statement, self._candidates(statement.text))
            self.check_removed(statement, self._candidates(statement.text))
            self.check_bounds(statement, self._candidates(statement.text))
        for absence in absences:
            self.check_requirements(absence, self._candidates(absence.text))
        for reference in reference_sentences(doc):
            self.check_references(reference)
        self.check_versions(doc)
        self.check_naming()
        conflicting = {c.line for c in self.conflicts.values()}
        self.doubts = sorted((d for d in self.doubts if d.line not in conflicting), key=lambda d: d.line)[
            :MAX_DOUBTS
        ]
        return sorted(self.conflicts.values(), key=lambda c: (SEVERITY_RANK[c.severity], c.line))
