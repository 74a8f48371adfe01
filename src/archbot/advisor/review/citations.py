"""One numbering of sources for a whole review, so [n] means the same document in every finding."""

from __future__ import annotations

from archbot.kernel.types import Citation, Document


class CitationBook:
    """Hands out citation numbers in order of first use, one per source document."""

    def __init__(self) -> None:
        self._by_source: dict[str, Citation] = {}

    def cite(
        self, doc: Document, section: str | None = None, excerpt: str = "", score: float = 0.0
    ) -> Citation:
        existing = self._by_source.get(doc.source)
        if existing is not None:
            return existing
        citation = Citation.of(len(self._by_source) + 1, doc, section, score, excerpt)
        self._by_source[doc.source] = citation
        return citation

    def all(self) -> list[Citation]:
        return sorted(self._by_source.values(), key=lambda c: c.n)


def markers(citations: tuple[Citation, ...] | list[Citation]) -> str:
    return "".join(f"[{c.n}]" for c in citations)
