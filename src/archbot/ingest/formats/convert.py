"""One conversion, as the worker process runs it: the format's converter, then the bound on its text."""

from __future__ import annotations

from collections.abc import Callable

from archbot.ingest.formats import docx, html, pdf, xml
from archbot.ingest.formats.limits import Limits
from archbot.ingest.formats.markdown import Converted
from archbot.ingest.loaders import SkipFile, too_large

CONVERTERS: dict[str, Callable[[bytes, Limits], Converted]] = {
    "pdf": pdf.convert,
    "docx": docx.convert,
    "html": html.convert,
    "xml": xml.convert,
}


def run(fmt: str, data: bytes, limits: Limits) -> Converted:
    """Any failure of a converter on a file is that file's problem, reported as a reason to skip it."""
    try:
        converted = CONVERTERS[fmt](data, limits)
    except (SkipFile, MemoryError):
        raise
    except Exception as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SkipFile(
            f"unreadable {fmt.upper()} ({detail}): truncated or corrupt? export it again"
        ) from None
    size = len(converted.markdown.encode())
    if size > limits.max_text_bytes:
        raise SkipFile("its text is " + too_large(size, limits.max_text_bytes, "ARCHBOT_MAX_FILE_BYTES"))
    return converted
