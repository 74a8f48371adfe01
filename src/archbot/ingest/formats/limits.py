"""The bounds a conversion runs within, taken from `Settings` once so the worker process gets them whole."""

from __future__ import annotations

from dataclasses import dataclass

from archbot.kernel.settings import Settings


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int  # the PDF, DOCX or HTML file itself
    max_text_bytes: int  # the Markdown converted from it, like any text file
    timeout_s: float
    memory_mb: int
    max_pdf_pages: int
    max_zip_entries: int
    max_unzipped_bytes: int
    max_zip_ratio: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            max_file_bytes=settings.max_convert_bytes,
            max_text_bytes=settings.max_file_bytes,
            timeout_s=settings.convert_timeout_s,
            memory_mb=settings.convert_memory_mb,
            max_pdf_pages=settings.max_pdf_pages,
            max_zip_entries=settings.max_zip_entries,
            max_unzipped_bytes=settings.max_unzipped_bytes,
            max_zip_ratio=settings.max_zip_ratio,
        )
