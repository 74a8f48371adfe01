"""Related decisions and standards for each part of the doc: what a reviewer will hold it against."""

from __future__ import annotations

from archbot.advisor.library import Library
from archbot.advisor.lifecycle import is_inactive, label
from archbot.advisor.review.citations import CitationBook
from archbot.advisor.review.doc import DesignDoc
from archbot.advisor.review.proposals import ELSEWHERE_SECTIONS
from archbot.advisor.text import adr_numbers
from archbot.kernel.types import Filters, Finding

# Below this cosine similarity (all-MiniLM-L6-v2) a hit shares words with the section, not its subject.
MIN_SIMILARITY = 0.35
PER_SECTION = 2
MIN_WORDS = 15


def related_findings(library: Library, doc: DesignDoc, filters: Filters, book: CitationBook) -> list[Finding]:
    scope = Filters(
        kinds=("adr", "standard"), source_prefixes=filters.source_prefixes, visibilities=filters.visibilities
    )
    linked = set(adr_numbers(" ".join(s.text for s in doc.sentences)))
    findings = []
    for index, section in enumerate(doc.sections):
        if (
            section.level < 2
            or doc.words_under(index) < MIN_WORDS
            or ELSEWHERE_SECTIONS.search(section.heading)
        ):
            continue
        body = " ".join(s.text for s in doc.sentences if s.section in doc.subtree(index))[:1500]
        hits = library.search(f"{section.heading}. {body}", scope, PER_SECTION * 3)
        chosen = [h for h in hits if not is_inactive(h.document) and h.similarity >= MIN_SIMILARITY][
            :PER_SECTION
        ]
        if not chosen:
            continue
        citations = tuple(
            book.cite(h.document, h.chunks[0].section, h.chunks[0].text, h.score) for h in chosen
        )
        names = []
        for hit, citation in zip(chosen, citations, strict=True):
            unlinked = hit.document.kind == "adr" and hit.document.number not in linked
            names.append(
                f"{label(hit.document)} [{citation.n}]" + (" — not linked in the doc" if unlinked else "")
            )
        findings.append(
            Finding(
                "related",
                "info",
                f"“{section.heading}” should be read against " + "; ".join(names) + ".",
                f"{doc.where(section.line)}: {section.heading}",
                citations,
            )
        )
    return findings
