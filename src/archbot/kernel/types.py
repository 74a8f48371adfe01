"""Value types shared by ingest, the advisor core and every frontend."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

KINDS: tuple[str, ...] = ("adr", "standard", "design", "other")
STATUSES: tuple[str, ...] = ("proposed", "accepted", "rejected", "deprecated", "superseded")
INACTIVE_STATUSES: frozenset[str] = frozenset({"rejected", "deprecated", "superseded"})
PUBLIC = "public"


@dataclass(frozen=True)
class Document:
    """A parsed source file with its metadata. `source` is relative to the ingested root, `/`-separated."""

    source: str
    title: str
    kind: str
    text: str
    number: int | None = None
    status: str | None = None
    status_raw: str | None = None
    date: str | None = None
    deciders: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    supersedes: tuple[str, ...] = ()
    superseded_by: tuple[str, ...] = ()
    visibility: str = PUBLIC
    url: str | None = None
    # From Git history when the file is in a work tree: the last commit's date, the first commit's
    # date (following renames) and the commit authors, most recent first.
    updated: str | None = None
    created: str | None = None
    authors: tuple[str, ...] = ()

    @property
    def when(self) -> str | None:
        """The date the text gives, else the day the file was first committed."""
        return self.date or self.created

    @property
    def owners(self) -> tuple[str, ...]:
        """Whom to ask: the deciders the document names, else the people who committed it."""
        return self.deciders or self.authors


@dataclass(frozen=True)
class DecisionFrame:
    """What one decision decided, read from its structure at ingest and kept in the manifest.

    `unit` is empty for a document that is one decision; for an entry of a decision log it is the
    entry's heading, so the entry is cited on its own. `choice` is what the title says was chosen
    ("bash and Go" of "Use bash and Go as core languages"), `subject` what the choice is for ("core
    languages"); `chosen` is the decision statement, `considered` the options it did not choose,
    `constraints` its MUST / MUST NOT sentences, `removes` what it removes or
    deprecates. `may_be_replaced_by` lists later accepted decisions on
    the same subject that chose differently: never asserted as supersession, only mentioned."""

    source: str
    unit: str = ""
    title: str = ""
    number: int | None = None
    subject: str = ""
    choice: str = ""
    chosen: str | None = None
    considered: tuple[str, ...] = ()
    constraints: tuple[str, ...] = ()
    # What the decision removes, retires or deprecates, each with the line saying so: ("AMP", "AMP
    # Removal"), ("basic auth", "… and remove basic auth from production.").
    removes: tuple[tuple[str, str], ...] = ()
    status: str | None = None
    status_raw: str | None = None
    date: str | None = None
    superseded_by: tuple[str, ...] = ()
    may_be_replaced_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chunk:
    """A heading-aware piece of a document: what gets embedded and retrieved."""

    id: str
    source: str
    ord: int
    section: str
    text: str


@dataclass(frozen=True)
class Citation:
    n: int
    source: str
    title: str
    kind: str
    status: str | None = None
    section: str | None = None
    url: str | None = None
    score: float = 0.0
    date: str | None = None
    updated: str | None = None
    owners: tuple[str, ...] = ()
    excerpt: str = ""

    @classmethod
    def of(cls, n: int, doc: Document, section: str | None, score: float, excerpt: str) -> Citation:
        """A citation of `doc`, carrying its lifecycle and history metadata."""
        return cls(
            n=n,
            source=doc.source,
            title=doc.title,
            kind=doc.kind,
            status=doc.status,
            section=section or None,
            url=doc.url,
            score=round(score, 4),
            date=doc.when,
            updated=doc.updated,
            owners=doc.owners,
            excerpt=excerpt,
        )

    def to_json(self) -> dict:
        """The shape CONTRACTS.md fixes for `citations` entries, with `date`, `updated` and `owners`."""
        data = asdict(self)
        data.pop("excerpt")
        data["owners"] = list(self.owners)
        return data


@dataclass(frozen=True)
class Turn:
    """One message of a conversation: role is "user" or "assistant". An assistant turn may carry the
    sources its answer cited, so a follow-up can look there first without parsing the text."""

    role: str
    text: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Filters:
    """Metadata filters a frontend may set on retrieval."""

    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    source_prefixes: tuple[str, ...] = ()
    visibilities: tuple[str, ...] = (PUBLIC,)


@dataclass(frozen=True)
class Answer:
    text: str
    citations: tuple[Citation, ...]
    abstained: bool
    answerer: str = "offline"
    note: str | None = None
    latency_ms: float = 0.0
    retrieved: tuple[str, ...] = field(default=())

    def to_json(self) -> dict:
        return {
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [c.to_json() for c in self.citations],
            "latency_ms": round(self.latency_ms, 1),
            "answerer": self.answerer,
            "note": self.note,
            "retrieved": list(self.retrieved),
        }


Severity = Literal["high", "medium", "low", "info"]
# Most serious first: the order reviews list findings in and the one thing every frontend sorts by.
SEVERITIES: tuple[Severity, ...] = ("high", "medium", "low", "info")
SEVERITY_RANK: dict[str, int] = {s: rank for rank, s in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Finding:
    kind: Literal["conflict", "gap", "question", "related"]
    severity: Severity
    message: str
    evidence: str | None = None
    citations: tuple[Citation, ...] = ()

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "evidence": self.evidence,
            "citations": [c.to_json() for c in self.citations],
        }


@dataclass(frozen=True)
class Review:
    summary: str
    findings: tuple[Finding, ...]

    def to_json(self) -> dict:
        return {"summary": self.summary, "findings": [f.to_json() for f in self.findings]}
