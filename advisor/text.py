"""Turning chunk Markdown into plain sentences an answer can quote."""

from __future__ import annotations

import re

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(
    r"(\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)|^#+\s*|^\s*[-*+]\s+|^\s*\d+[.)]\s+|^>\s*)", re.M
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(`])")
_ADOC = re.compile(r"^(=+\s+|\[#?[\w-]+\]\s*$|:\w[\w-]*:.*$|\|===)", re.M)


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


def sentences(text: str) -> list[str]:
    """Sentences, list items and table rows of a chunk, whitespace-normalised; code is dropped."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)])\s)", text):
        if block.lstrip().startswith("|"):
            out.extend(row for row in table_rows(block) if len(row) >= 15)
            continue
        if block.lstrip().startswith(("```", "    ")):
            continue
        flat = " ".join(plain(block).split())
        for sentence in _SENTENCE_END.split(flat):
            sentence = sentence.strip()
            if len(sentence) >= 25 and re.search(r"[a-z]", sentence):
                out.append(sentence)
    return out


def shorten(sentence: str, limit: int = 320) -> str:
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
