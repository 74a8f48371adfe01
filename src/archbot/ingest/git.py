"""The `git` command line, run with timeouts and never waiting for a password prompt.

Credentials are Git's business: its credential helper, SSH keys or the environment. archbot never
passes or stores one, and every message it builds from Git's output has URL userinfo redacted.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from archbot.kernel.config import redact
from archbot.kernel.errors import SourceError

LOCAL_TIMEOUT_S = 60.0  # commands that read the local repository only (log, diff, rev-parse)


class GitFailed(Exception):
    """A git command exited non-zero or timed out; `detail` is its last stderr line, redacted."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def git_env() -> dict[str, str]:
    """Never prompt: a missing credential must fail the fetch, not hang a background thread."""
    env = dict(os.environ)
    env["GIT_TERMINAL_PROMPT"] = "0"
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    env["LC_ALL"] = "C"
    return env


def git(args: list[str], cwd: Path, timeout: float = LOCAL_TIMEOUT_S) -> str:
    """stdout of `git ARGS` in `cwd`; `GitFailed` otherwise."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=git_env(),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GitFailed(f"timed out after {timeout:g} s") from None
    except FileNotFoundError:
        raise SourceError(
            "The `git` command is not installed.", "Install Git on the machine that runs archbot."
        ) from None
    if done.returncode != 0:
        raise GitFailed(redact(_reason(done.stderr) or f"exit status {done.returncode}"))
    return done.stdout


def _reason(stderr: str) -> str:
    """Git's first `fatal:` or `error:` line, which names the problem; the lines after it are advice."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        for prefix in ("fatal:", "error:"):
            if line.startswith(prefix):
                return line.removeprefix(prefix).strip().rstrip(".")
    return lines[0].rstrip(".") if lines else ""


def work_tree(path: Path) -> Path | None:
    """The top of the Git work tree `path` is in, or None (not in one, or Git is not installed)."""
    folder = path if path.is_dir() else path.parent
    try:
        top = git(["rev-parse", "--show-toplevel"], folder).strip()
    except (GitFailed, SourceError):
        return None
    return Path(top) if top else None
