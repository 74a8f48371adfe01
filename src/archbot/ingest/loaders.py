"""Finding and reading source files: the only part of ingest that touches the file system.

Everything here is forgiving by design: one bad file (binary, unreadable, huge, a symlink loop) must
never stop a run, so problems become `SkipFile` / `SkipRecord` values with a reason a person can act on.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from archbot.kernel.errors import InputError

SUPPORTED_SUFFIXES: tuple[str, ...] = (
    ".html.md.erb",
    ".md.erb",
    ".markdown",
    ".asciidoc",
    ".adoc",
    ".rst",
    ".rest",
    ".mediawiki",
    ".wiki",
    ".mdx",
    ".txt",
    ".md",
    ".html",
    ".htm",
    ".xml",
    ".docx",
    ".pdf",
)

_FORMATS: dict[str, str] = {
    ".html.md.erb": "markdown",
    ".md.erb": "markdown",
    ".markdown": "markdown",
    ".mdx": "markdown",
    ".md": "markdown",
    ".asciidoc": "asciidoc",
    ".adoc": "asciidoc",
    ".rst": "rst",
    ".rest": "rst",
    ".mediawiki": "mediawiki",
    ".wiki": "mediawiki",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".xml": "xml",
    ".docx": "docx",
    ".pdf": "pdf",
}
# Formats read by converting them to Markdown (`archbot.ingest.formats`), not as text: the first
# four in the bounded worker, the markup formats by pandoc's readers in a sandboxed process.
CONVERTED_FORMATS = frozenset({"html", "docx", "pdf", "xml", "asciidoc", "rst", "mediawiki"})
MARKUP_FORMATS = frozenset({"asciidoc", "rst", "mediawiki"})

_IGNORED_DIRS = frozenset({"node_modules"})
_CONTROL_BYTES = frozenset(range(32)) - {9, 10, 12, 13} | {127}
_BINARY_CONTROL_RATIO = 0.1


class SkipFile(Exception):
    """A file that cannot be indexed; `reason` is shown to the user in the `skipped` list."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SkipRecord:
    """Something `discover` passed over that the user should hear about (a loop, an unreadable folder)."""

    source: str
    reason: str


@dataclass(frozen=True)
class LoadedFile:
    source: str
    text: str
    content_hash: str
    fmt: str
    warnings: tuple[str, ...] = ()


def supported_suffix(name: str) -> str | None:
    """The suffix chain that makes `name` indexable, longest first so `.html.md.erb` beats `.md`."""
    lowered = name.lower()
    return next((s for s in SUPPORTED_SUFFIXES if lowered.endswith(s) and len(lowered) > len(s)), None)


def format_of(name: str) -> str:
    """ "markdown", "text" or a converted format; unknown names are read as text."""
    suffix = supported_suffix(name)
    return _FORMATS[suffix] if suffix else "text"


def discover(root: Path) -> Iterator[tuple[Path, str] | SkipRecord]:
    """Yield every supported file under `root` with its `/`-separated source, in a stable order.

    Symlinks are followed because docs folders are often assembled from links, but only within
    `root`: a link out of it (to a secret, a home folder) is reported, never read. A folder is
    walked once only: a link back to an enclosing folder (or to one already walked) is reported
    rather than followed forever.
    """
    if not root.exists():
        raise InputError(f"{root} does not exist.", "Check the path you passed to `archbot ingest`.")
    if root.is_file():
        if supported_suffix(root.name):
            yield root, root.name
        else:
            yield SkipRecord(root.name, f"unsupported file type (supported: {', '.join(SUPPORTED_SUFFIXES)})")
        return
    yield from _walk(_Walk(root.resolve(), {}), root, "", ())


@dataclass
class _Walk:
    root: Path  # resolved: links must stay under it
    seen: dict[tuple[int, int], str]  # a folder's (device, inode) -> the source it was first walked as


def _walk(
    walk: _Walk, folder: Path, prefix: str, ancestors: tuple[tuple[int, int], ...]
) -> Iterator[tuple[Path, str] | SkipRecord]:
    label = prefix.rstrip("/") or "."
    seen = walk.seen
    try:
        info = folder.stat()
        key = (info.st_dev, info.st_ino)
        if key in ancestors:
            yield SkipRecord(label, f"symlink loop: points back to '{seen[key]}'")
            return
        if key in seen:
            yield SkipRecord(label, f"same folder as '{seen[key]}' (reached through a symlink); walked once")
            return
        seen[key] = label
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except PermissionError:
        yield SkipRecord(label, "unreadable folder (permission denied)")
        return
    except OSError as exc:
        yield SkipRecord(label, f"unreadable folder ({exc.strerror or exc})")
        return
    for entry in entries:
        yield from _visit(walk, Path(entry.path), prefix + entry.name, (*ancestors, key))


def _visit(
    walk: _Walk, path: Path, source: str, ancestors: tuple[tuple[int, int], ...]
) -> Iterator[tuple[Path, str] | SkipRecord]:
    if path.is_symlink() and path.exists() and not path.resolve().is_relative_to(walk.root):
        yield SkipRecord(
            source, "symlink to outside the ingested folder: not followed (ingest its target itself)"
        )
        return
    if path.is_dir():
        if not (path.name.startswith(".") or path.name in _IGNORED_DIRS):
            yield from _walk(walk, path, source + "/", ancestors)
    elif supported_suffix(path.name):
        if path.is_file():
            yield path, source
        elif path.is_symlink():
            yield SkipRecord(source, "broken symlink (its target does not exist)")


def load_file(path: Path, source: str, max_bytes: int) -> LoadedFile:
    """Read one file as text, or raise `SkipFile` saying why it cannot be indexed."""
    raw = read_bytes(path, max_bytes)
    text, warnings = decode_text(raw)
    return LoadedFile(
        source=source,
        text=text,
        content_hash=hashlib.sha256(raw).hexdigest(),
        fmt=format_of(path.name),
        warnings=warnings,
    )


def decode_text(raw: bytes) -> tuple[str, tuple[str, ...]]:
    """A text file's bytes as text with `\n` line ends, or `SkipFile` if it is binary or empty."""
    if _looks_binary(raw):
        detail = "NUL bytes" if b"\x00" in raw else "mostly non-text bytes"
        raise SkipFile(f"binary file ({detail}) with a text extension")
    text, warnings = _decode(raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise SkipFile("empty file" if not raw else "contains only whitespace")
    return text, warnings


def read_bytes(path: Path, max_bytes: int, setting: str = "ARCHBOT_MAX_FILE_BYTES") -> bytes:
    """Check the size before reading so a huge file never lands in memory; `setting` names the cap."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SkipFile(too_large(size, max_bytes, setting))
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except PermissionError:
        raise SkipFile("unreadable (permission denied)") from None
    except OSError as exc:
        raise SkipFile(f"unreadable ({exc.strerror or exc})") from None
    if len(raw) > max_bytes:
        raise SkipFile(too_large(len(raw), max_bytes, setting))
    return raw


def too_large(size: int, max_bytes: int, setting: str) -> str:
    return f"{_human_size(size)}, larger than the {_human_size(max_bytes)} cap ({setting})"


def _human_size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} KB"
    return f"{n} bytes"


def _is_utf16(raw: bytes) -> bool:
    return raw.startswith((b"\xff\xfe", b"\xfe\xff"))


def _looks_binary(raw: bytes) -> bool:
    """NUL bytes never occur in text (UTF-16 aside); many other control bytes mean it is not prose."""
    if not raw or _is_utf16(raw):
        return False
    if b"\x00" in raw:
        return True
    controls = sum(1 for byte in raw if byte in _CONTROL_BYTES)
    return controls / len(raw) > _BINARY_CONTROL_RATIO


def _decode(raw: bytes) -> tuple[str, tuple[str, ...]]:
    """UTF-8 first; old Windows-authored docs are common, so fall back rather than skip them."""
    if _is_utf16(raw):
        return raw.decode("utf-16"), ("not UTF-8: decoded as UTF-16",)
    try:
        return raw.decode("utf-8-sig"), ()
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), ("not UTF-8: decoded as cp1252",)
    except UnicodeDecodeError:
        return raw.decode("latin-1"), ("not UTF-8: decoded as latin-1",)
