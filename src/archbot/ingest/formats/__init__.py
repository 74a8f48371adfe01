"""PDF, DOCX and HTML, read as Markdown: each converter writes the Markdown the rest of ingest already
reads, so ADR metadata, status, links and chunking work unchanged on every format (docs/adr/0015).

Conversion runs in a bounded worker process (`worker.Converter`); whatever cannot be converted is a
`SkipFile` with a reason saying what to do, and the run goes on.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from archbot.ingest.formats.limits import Limits
from archbot.ingest.formats.worker import Converter
from archbot.ingest.loaders import CONVERTED_FORMATS, LoadedFile, SkipFile, format_of, load_file, read_bytes

__all__ = ["Converter", "Limits", "convert_bytes", "load_document"]


def load_document(path: Path, source: str, limits: Limits, converter: Converter) -> LoadedFile:
    """Any supported file as a `LoadedFile` of Markdown or text, or `SkipFile` saying why not."""
    fmt = format_of(path.name)
    if fmt not in CONVERTED_FORMATS:
        return load_file(path, source, limits.max_text_bytes)
    raw = read_bytes(path, limits.max_file_bytes, "ARCHBOT_MAX_CONVERT_BYTES")
    return convert_bytes(raw, source, fmt, converter)


def convert_bytes(raw: bytes, source: str, fmt: str, converter: Converter) -> LoadedFile:
    """A converted format's bytes (a file, a Slack download) as Markdown."""
    if not raw:
        raise SkipFile("empty file")
    converted = converter.convert(fmt, raw)
    return LoadedFile(
        source=source,
        text=converted.markdown,
        content_hash=hashlib.sha256(raw).hexdigest(),
        fmt="markdown",
        warnings=converted.warnings,
    )
