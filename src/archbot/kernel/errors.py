"""User-facing errors. Each message says what went wrong and how to fix it.

They are turned into text only at the edges (CLI, Slack). Anything that is not an `ArchbotError`
is unexpected: the edges log it with a reference id and show the user a short message with that id.
"""

from __future__ import annotations

import uuid


class ArchbotError(Exception):
    """An error a user can act on."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class ConfigError(ArchbotError):
    """A setting or configuration file is invalid."""


class NotIndexedError(ArchbotError):
    def __init__(self) -> None:
        super().__init__("No documents are indexed yet.", "Run `archbot ingest PATH` first.")


class ModelMismatchError(ArchbotError):
    """The index was built with another embedding model than the one configured."""

    def __init__(self, built_with: str, configured: str) -> None:
        super().__init__(
            f"The index was built with the embedding model {built_with!r} but {configured!r} is configured.",
            "Use the same model (ARCHBOT_EMBEDDER), or re-index into a fresh ARCHBOT_HOME with "
            "`archbot ingest PATH`.",
        )


class ModelIntegrityError(ArchbotError):
    """The bundled embedding model's weights are not the upstream ones."""


class IndexUnavailableError(ArchbotError):
    """The Chroma store cannot be reached or opened."""


class LLMError(ArchbotError):
    """The configured chat model failed; callers fall back to the offline answerer."""


class SourceError(ArchbotError):
    """A configured source cannot be fetched or read; its documents stay as they were."""


class InputError(ArchbotError):
    """A file or request cannot be used as given."""


def new_reference() -> str:
    """A short id that ties the message a user sees to the detail in the log."""
    return uuid.uuid4().hex[:8]
