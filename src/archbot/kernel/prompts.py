"""Prompt and rubric files: shipped in `prompts/`, overridable file by file via ARCHBOT_PROMPTS_DIR."""

from __future__ import annotations

from importlib import resources

from archbot.kernel.errors import ConfigError
from archbot.kernel.settings import Settings


def load_prompt(settings: Settings, name: str) -> str:
    """The text of prompt file `name`; an override directory wins over the shipped copy."""
    if settings.prompts_dir is not None:
        override = settings.prompts_dir / name
        if override.is_file():
            return override.read_text(encoding="utf-8")
    shipped = resources.files("archbot.prompts") / name
    if not shipped.is_file():
        raise ConfigError(
            f"No prompt file called {name!r}.", "Check ARCHBOT_PROMPTS_DIR and the prompts/ folder."
        )
    return shipped.read_text(encoding="utf-8")
