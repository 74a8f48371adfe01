"""Real Git repositories for tests: a work tree whose commits have fixed authors and dates, pushed to
a bare remote on disk that sources reach by a `file://` URL."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ANN = ("Ann Author", "ann@example.com")
BOB = ("Bob Builder", "bob@example.com")


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


class GitRepo:
    """`work` is the clone people commit in; `remote` the bare repository archbot fetches from."""

    def __init__(self, root: Path) -> None:
        self.remote = root / "remote.git"
        self.work = root / "work"
        root.mkdir(parents=True, exist_ok=True)
        git(root, "init", "--quiet", "--bare", "--initial-branch=main", str(self.remote))
        git(root, "init", "--quiet", "--initial-branch=main", str(self.work))
        git(self.work, "remote", "add", "origin", str(self.remote))

    @property
    def url(self) -> str:
        return self.remote.as_uri()

    def commit(
        self,
        files: dict[str, str | None],
        message: str,
        author: tuple[str, str] = ANN,
        date: str = "2024-01-02T10:00:00+00:00",
        push: bool = True,
    ) -> str:
        """Write (or, for None, delete) `files`, commit them as `author` on `date`, push; the commit id."""
        for name, text in files.items():
            path = self.work / name
            if text is None:
                git(self.work, "rm", "--quiet", name)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            git(self.work, "add", name)
        env = {
            "GIT_AUTHOR_NAME": author[0],
            "GIT_AUTHOR_EMAIL": author[1],
            "GIT_COMMITTER_NAME": author[0],
            "GIT_COMMITTER_EMAIL": author[1],
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_DATE": date,
        }
        git(self.work, "commit", "--quiet", "-m", message, env=env)
        if push:
            git(self.work, "push", "--quiet", "origin", "HEAD:main")
        return git(self.work, "rev-parse", "HEAD")

    def rename(self, old: str, new: str, message: str, author: tuple[str, str], date: str) -> str:
        (self.work / new).parent.mkdir(parents=True, exist_ok=True)
        git(self.work, "mv", old, new)
        return self.commit({}, message, author, date)
