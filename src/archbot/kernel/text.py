"""Turning chunk Markdown into plain sentences an answer can quote.

In the kernel because the ingest embeds the sentences the answerer will quote (see
`kernel.sentence_vectors`): both must split a chunk the same way.
"""

from __future__ import annotations

import re

from archbot.kernel.vocabulary import SENTENCE_END, section_headings

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(
    r"(\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)|^#+\s*|^\s*[-*+]\s+|^\s*\d+[.)]\s+|^>\s*)", re.M
)
# A fenced code block, blank lines and all, or an unclosed one running to the end of the chunk.
_FENCED = re.compile(r"^[ \t]*(```|~~~)[\s\S]*?(?:^[ \t]*\1[^\n]*$|\Z)", re.M)
_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])\s")
# "GOV.UK will:", "Chosen option: X, because" — words that only make sense with the list after them.
_LEADS_INTO_LIST = re.compile(r"(:|\bbecause)$")
MAX_LIST_ITEMS = 3
_ADOC = re.compile(r"^(=+\s+|\[#?[\w-]+\]\s*$|:\w[\w-]*:.*$|\|===)", re.M)


# A Markdown ("## Context") or AsciiDoc ("== Context") heading line.
_HEADING_LINE = re.compile(r"^(?:#{1,6}|={1,6})[ \t]+(?P<title>\S.*?)[ \t#=]*$", re.M)


def by_heading(text: str, section: str) -> list[tuple[str, str]]:
    """A chunk's text split at its headings: (the heading each part sits under, the part). Text
    before the first heading sits under the last heading of the chunk's `section` path."""
    unfenced = _FENCED.sub("", text)
    parts: list[tuple[str, str]] = []
    heading, start = (section_headings(section) or [""])[-1], 0
    for found in _HEADING_LINE.finditer(unfenced):
        parts.append((heading, unfenced[start : found.start()]))
        heading, start = found["title"], found.end()
    parts.append((heading, unfenced[start:]))
    return [(h, part) for h, part in parts if part.strip()]


def plain(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    text = _ADOC.sub("", text)
    text = _MARKUP.sub("", text)
    return text


def _cells(line: str) -> list[str]:
    return [" ".join(plain(c).split()) for c in line.strip().strip("|").split("|")]


def table_rows(block: str) -> list[str]:
    """A Markdown table as one sentence per row: "Data class: Application logs; Retention: 30 days"."""
    lines = [ln for ln in block.strip().splitlines() if ln.strip().startswith("|")]
    if len(lines) < 3 or not re.fullmatch(r"[\s|:-]+", lines[1]):
        return []
    header = _cells(lines[0])
    rows = []
    for line in lines[2:]:
        cells = _cells(line)
        pairs = [f"{h}: {c}" if h else c for h, c in zip(header, cells, strict=False) if c]
        rows.append("; ".join(pairs))
    return rows


def sentences(text: str, join_lists: bool = False) -> list[str]:
    """Sentences, list items and table rows of a chunk, whitespace-normalised; code is dropped.

    With `join_lists`, a sentence that leads into a list ("GOV.UK will:") also comes joined with the
    first sentence of the list's first items ("GOV.UK will: move nodes to Graviton; …"), since alone it
    says nothing; the items stay sentences of their own too."""
    out: list[str] = []
    intro: int | None = None  # index in `out` of a sentence leading into the list that follows
    items = 0
    for block in re.split(r"\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)])\s)", _FENCED.sub("", text)):
        if block.lstrip().startswith("|"):
            out.extend(row for row in table_rows(block) if len(row) >= 15)
            intro = None
            continue
        if block.lstrip().startswith(("```", "    ")):
            continue
        flat = " ".join(plain(block).split())
        if intro is not None and _LIST_ITEM.match(block) and flat:
            if items < MAX_LIST_ITEMS:
                first = SENTENCE_END.split(flat)[0]
                out[intro] += (" " if items == 0 else "; ") + first.rstrip(".;")
            items += 1
        elif intro is not None:
            out[intro] += "." if items else ""
            intro = None
        found = [s.strip() for s in SENTENCE_END.split(flat)]
        found = [s for s in found if len(s) >= 25 and re.search(r"[a-z]", s)]
        out.extend(found)
        if join_lists and found and _LEADS_INTO_LIST.search(found[-1]) and not _LIST_ITEM.match(block):
            intro, items = len(out) - 1, 0
    if intro is not None and items:
        out[intro] += "."
    return out


def shorten(sentence: str, limit: int = 320) -> str:
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


# How much of a sentence is embedded to score it against a question; longer ones are cut at a word.
EMBEDDED_CHARS = 400


def quotable(chunk_text: str) -> list[str]:
    """The sentences of a chunk an answer may quote, list introductions joined to their lists."""
    return sentences(chunk_text, join_lists=True)


def embedded(sentence: str) -> str:
    """The text of a quotable sentence that is embedded, at ingest and when answering alike."""
    return shorten(sentence, EMBEDDED_CHARS)
