"""Git history as document metadata: when a file last changed, when it was first committed, who
committed it.

One `git log --name-status -M` pass over the repository (newest commit first) gives every file's
history at once; renames are followed by carrying a file's current name back to the names it had,
which is what `git log --follow` does for one file. A process per file would cost a few milliseconds
each, which a corpus of hundreds of files turns into seconds (bench/sync_bench.py measures both).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from archbot.ingest.git import GitFailed, git

_RECORD, _FIELD = "\x1e", "\x1f"
_LOG_FORMAT = f"{_RECORD}%H{_FIELD}%aI{_FIELD}%an"


@dataclass
class FileHistory:
    """`updated`: the last commit's date; `created`: the first commit's; authors most recent first."""

    updated: str
    created: str
    authors: list[str] = field(default_factory=list)


def file_histories(top: Path, pathspecs: Iterable[str] = ()) -> dict[str, FileHistory]:
    """Every file's history under `pathspecs` (all of the work tree when empty), keyed by its path
    relative to `top` as it is named at HEAD. An unreadable history (no commits yet) is empty."""
    specs = list(pathspecs)
    args = ["log", "-z", "--name-status", "-M", f"--format={_LOG_FORMAT}", "HEAD"]
    try:
        out = git([*args, "--", *specs] if specs else args, top)
    except GitFailed:
        return {}
    histories: dict[str, FileHistory] = {}
    current: dict[str, str] = {}  # a name a file had in an older commit -> its name at HEAD
    for record in out.split(_RECORD)[1:]:
        header, _, changes = record.partition("\0")
        _, date, author = header.split(_FIELD)
        day = date[:10]
        tokens = changes.lstrip("\n").split("\0")
        i = 0
        while i < len(tokens) and tokens[i]:
            status = tokens[i]
            if status[0] in "RC":
                old, new = tokens[i + 1], tokens[i + 2]
                i += 3
            else:
                old = new = tokens[i + 1]
                i += 2
            name = current.get(new, new)
            if status[0] == "R":
                current[old] = name
            entry = histories.get(name)
            if entry is None:
                histories[name] = FileHistory(updated=day, created=day, authors=[author])
                continue
            entry.created = day
            if author not in entry.authors:
                entry.authors.append(author)
    return histories
