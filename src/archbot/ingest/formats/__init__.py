"""PDF, DOCX, HTML, AsciiDoc and reStructuredText, read as Markdown: each converter writes the
Markdown the rest of ingest reads into the one document model (`kernel.doctree`), so ADR metadata,
status, links and chunking work the same on every format (docs/adr/0015, 0022).

Conversion runs in a bounded worker process (`worker.Converter`); whatever cannot be converted is a
`SkipFile` with a reason saying what to do, and the run goes on.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from archbot.ingest.formats import pandoc
from archbot.ingest.formats.limits import Limits
from archbot.ingest.formats.markdown import Converted
from archbot.ingest.formats.worker import Converter
from archbot.ingest.loaders import (
    CONVERTED_FORMATS,
    MARKUP_FORMATS,
    LoadedFile,
    SkipFile,
    decode_text,
    format_of,
    load_file,
    read_bytes,
)

__all__ = ["Converter", "Limits", "convert_bytes", "load_document"]


def load_document(path: Path, source: str, limits: Limits, converter: Converter) -> LoadedFile:
    """Any supported file as a `LoadedFile` of Markdown or text, or `SkipFile` saying why not."""
    fmt = format_of(path.name)
    if fmt not in CONVERTED_FORMATS:
        return load_file(path, source, limits.max_text_bytes)
    if fmt in MARKUP_FORMATS:
        raw = read_bytes(path, limits.max_text_bytes)
    else:
        raw = read_bytes(path, limits.max_file_bytes, "ARCHBOT_MAX_CONVERT_BYTES")
    return convert_bytes(raw, source, fmt, converter)


def convert_bytes(raw: bytes, source: str, fmt: str, converter: Converter) -> LoadedFile:
    """A converted format's bytes (a file, a Slack download) as Markdown."""
    if not raw:
        raise SkipFile("empty file")
    converted = _markup(raw, fmt, converter.limits) if fmt in MARKUP_FORMATS else converter.convert(fmt, raw)
    return LoadedFile(
        source=source,
        text=converted.markdown,
        content_hash=hashlib.sha256(raw).hexdigest(),
        fmt=converted.fmt,
        warnings=converted.warnings,
    )


def _markup(raw: bytes, fmt: str, limits: Limits) -> Converted:
    """AsciiDoc and reST are text: decoded (and checked for binary content) like Markdown, then read
    by pandoc, which bounds itself (`pandoc.py`)."""
    text, warnings = decode_text(raw)
    try:
        converted = pandoc.convert(fmt, text.encode(), limits)
    except SkipFile as skip:
        # What pandoc cannot parse is still text worth finding: kept, without its structure.
        return Converted(text, (*warnings, f"{skip.reason}; indexed as plain text"), fmt="text")
    return Converted(converted.markdown, (*warnings, *converted.warnings))
