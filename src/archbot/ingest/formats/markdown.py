"""Writing the Markdown every converter produces: escaped lines, pipe tables, the vocabulary they share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Converted:
    markdown: str
    warnings: tuple[str, ...] = ()
    fmt: str = "markdown"  # "text" when a reader could not parse the markup and kept the words


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    """`prompts/formats.yaml`: heading and list cues for PDFs, content and chrome selectors for HTML."""
    return yaml.safe_load((resources.files("archbot.prompts") / "formats.yaml").read_text(encoding="utf-8"))


# Line starts that Markdown would read as structure: headings, quotes, fences, HTML blocks, rules,
# and Markdown comments (which a page mark is).
_STRUCTURAL_START = re.compile(r"^(#|>|```|~~~|<[A-Za-z!/?]|\[//\]:|[-=*_](\s*[-=*_]){2,}\s*$|[-=]+\s*$)")


def escape_line(line: str) -> str:
    """Prose from a PDF or Word paragraph, made to stay prose: `# 1 rule` is not a heading."""
    line = line.strip()
    return "\\" + line if _STRUCTURAL_START.match(line) else line


def heading(level: int, text: str) -> str:
    return f"{'#' * max(1, min(level, 6))} {' '.join(text.split())}"


def pipe_table(rows: list[list[str]]) -> str:
    """The first row is the header; ragged rows are padded so every reader sees the same columns."""
    rows = [[_cell(c) for c in row] for row in rows if any(c.strip() for c in row)]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = [_row(rows[0]), _row(["---"] * width), *(_row(row) for row in rows[1:])]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def join_blocks(blocks: list[str]) -> str:
    """Blocks separated by one blank line, as the chunker and every reader expect."""
    return "\n\n".join(b.strip("\n") for b in blocks if b.strip()) + "\n"
