"""A design doc as sections and sentences, each with the line it starts on.

Review findings quote the author's own line, so unlike ingest chunking this keeps line numbers and
never merges or splits sections by size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archbot.kernel.text import plain
from archbot.kernel.vocabulary import PAGE_MARK, SENTENCE_END

_ATX = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_ADOC = re.compile(r"^(={1,6})\s+(.+?)\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_WORD = re.compile(r"[A-Za-z0-9][\w'-]*")


@dataclass(frozen=True)
class Sentence:
    line: int
    text: str
    section: int  # index into DesignDoc.sections


@dataclass(frozen=True)
class Section:
    heading: str  # "" for the text before the first heading
    level: int
    line: int
    words: int  # words in this section's own body, without subsections


@dataclass(frozen=True)
class DesignDoc:
    title: str
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]
    pages: tuple[tuple[int, int], ...] = ()  # (line, page) where each page of a converted PDF starts

    def where(self, line: int) -> str:
        """How evidence names a place: "line 41", or "p. 3" in a PDF, whose Markdown lines no one sees."""
        page = next((number for start, number in reversed(self.pages) if start <= line), None)
        return f"line {line}" if page is None else f"p. {page}"

    def subtree(self, index: int) -> range:
        """The section and its subsections: a rubric item's content includes its children."""
        level = self.sections[index].level
        end = index + 1
        while level and end < len(self.sections) and self.sections[end].level > level:
            end += 1
        return range(index, end)

    def words_under(self, index: int) -> int:
        return sum(self.sections[i].words for i in self.subtree(index))

    @property
    def title_index(self) -> int | None:
        """A lone H1 is the doc's title, not a part of it: "# Payout options" must not make every
        section an "options" section."""
        h1 = [i for i, s in enumerate(self.sections) if s.level == 1]
        return h1[0] if len(h1) == 1 else None

    def path(self, index: int) -> tuple[str, ...]:
        """Headings below the title down to this section: which part of the doc a line is in."""
        chain: list[str] = []
        level = 10
        for i in range(index, -1, -1):
            section = self.sections[i]
            if section.heading and section.level < level and i != self.title_index:
                chain.append(section.heading)
                level = section.level
        return tuple(reversed(chain))


def _strip_front_matter(lines: list[str]) -> int:
    """How many leading lines are YAML front matter (kept counted so line numbers match the file)."""
    if not lines or lines[0].strip() != "---":
        return 0
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return i + 1
    return 0


def _units(block: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """List items and paragraphs as (first line, joined text); table rows stay one unit each."""
    units: list[tuple[int, str]] = []
    for number, line in block:
        starts_new = not units or _ITEM.match(line) or line.lstrip().startswith("|")
        if starts_new:
            units.append((number, line.strip()))
        else:
            units[-1] = (units[-1][0], f"{units[-1][1]} {line.strip()}")
    return units


def _split_sentences(first_line: int, text: str, lines_of: dict[int, str]) -> list[tuple[int, str]]:
    """Sentences with the line each starts on, found by locating its opening words in the source lines."""
    flat = " ".join(plain(text).split()).strip("| ")
    flat = re.sub(r"\s*\|\s*", " | ", flat) if text.lstrip().startswith("|") else flat
    out: list[tuple[int, str]] = []
    line = first_line
    for sentence in SENTENCE_END.split(flat):
        sentence = sentence.strip()
        if not _WORD.search(sentence):
            continue
        probe = " ".join(sentence.split()[:2])
        for candidate in range(line, max(lines_of, default=line) + 1):
            if probe and probe in " ".join(plain(lines_of.get(candidate, "")).split()):
                line = candidate
                break
        out.append((line, sentence))
    return out


def parse_design_doc(text: str, name: str = "design.md") -> DesignDoc:
    lines = text.splitlines()
    start = _strip_front_matter(lines)
    sections: list[Section] = [Section("", 0, 1, 0)]
    blocks: list[list[tuple[int, str]]] = [[]]
    block_section: list[int] = [0]
    in_fence = False
    for number, line in enumerate(lines[start:], start=start + 1):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        heading = None if in_fence else (_ATX.match(line) or _ADOC.match(line))
        if heading:
            sections.append(Section(plain(heading.group(2)).strip(), len(heading.group(1)), number, 0))
            blocks.append([])
            block_section.append(len(sections) - 1)
            continue
        if not line.strip() or in_fence or PAGE_MARK.match(line):
            if not in_fence and blocks[-1]:
                blocks.append([])
                block_section.append(len(sections) - 1)
            words = len(_WORD.findall(line)) if in_fence else 0
            if words:
                last = sections[-1]
                sections[-1] = Section(last.heading, last.level, last.line, last.words + words)
            continue
        blocks[-1].append((number, line))
        last = sections[-1]
        sections[-1] = Section(
            last.heading, last.level, last.line, last.words + len(_WORD.findall(plain(line)))
        )
    lines_of = dict(enumerate(lines, start=1))
    pages = tuple((n, int(m.group(1))) for n, line in lines_of.items() if (m := PAGE_MARK.match(line)))
    sentences: list[Sentence] = []
    for block, section in zip(blocks, block_section, strict=True):
        for first, unit in _units(block):
            for at, sentence in _split_sentences(first, unit, lines_of):
                sentences.append(Sentence(at, sentence, section))
    headed = [s for s in sections if s.level == 1]
    title = headed[0].heading if headed else name
    return DesignDoc(title, tuple(sections), tuple(sentences), pages)
