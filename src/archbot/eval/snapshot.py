"""What a stored run records about the code and configuration that produced it."""

from __future__ import annotations

import subprocess
from dataclasses import fields
from pathlib import Path

from archbot.kernel.settings import Settings

# Never stored: a run's config is shown in reports and may be shared.
SECRET_FIELDS = frozenset({"llm_api_key", "slack_bot_token", "slack_signing_secret", "slack_app_token"})
PROJECT_ROOT = Path(__file__).resolve().parent


def config_snapshot(settings: Settings) -> dict:
    """The settings that shape answers, minus secrets, as JSON-safe values."""
    snapshot: dict = {}
    for f in fields(settings):
        if f.name in SECRET_FIELDS:
            continue
        value = getattr(settings, f.name)
        snapshot[f.name] = str(value) if isinstance(value, Path) else value
    return snapshot


def git_commit(root: Path = PROJECT_ROOT) -> str | None:
    """HEAD's commit, suffixed `-dirty` when the work tree has changes; None outside a git checkout."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{head}-dirty" if status else head
