"""Sparse sync benchmark: `archbot sync` of a large repository whose decisions live in one folder
(`paths: [docs/adr]`), against `git clone --filter=blob:none --sparse` of the same folder and a
full clone (what sync did before ADR 22), in the same run.

The repository is generated with `git fast-import`: COMMITS commits that each change a large source
file, and ADRS decision records under docs/adr. Sync uses the hash embedder, so the figure is Git
and reading, not the model.
Run: .venv/bin/python -m bench.sparse_sync_bench
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from archbot.ingest.git import git as git_command
from archbot.ingest.sources import fetch, remote_url, sync_sources
from archbot.kernel.config import SourceSpec
from archbot.kernel.settings import Settings
from bench.common import report, timed

COMMITS = 20_000
ADRS = 60
SOURCE_BYTES = 40_000  # the source file each commit rewrites


def generate(path: Path) -> None:
    """A bare repository with COMMITS commits; every 300th adds an ADR."""
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(path)], check=True)
    lines: list[bytes] = []
    filler = os.urandom(SOURCE_BYTES // 2).hex().encode()
    for n in range(1, COMMITS + 1):
        blob = filler[:-12] + f"{n:012d}".encode()
        lines.append(b"commit refs/heads/main\n")
        lines.append(f"committer Dev <dev@example.org> {1_600_000_000 + n * 60} +0000\n".encode())
        message = f"change {n}".encode()
        lines.append(b"data %d\n%s\n" % (len(message), message))
        lines.append(b"M 644 inline src/engine.c\ndata %d\n%s\n" % (len(blob), blob))
        if n % (COMMITS // ADRS) == 0:
            number = n // (COMMITS // ADRS)
            adr = f"# {number}. Decision {number}\n\nStatus: Accepted\n\nWe decide thing {number}.\n".encode()
            lines.append(b"M 644 inline docs/adr/%04d-decision.md\ndata %d\n%s\n" % (number, len(adr), adr))
    subprocess.run(["git", "fast-import", "--quiet"], input=b"".join(lines), cwd=path, check=True)
    subprocess.run(["git", "config", "uploadpack.allowFilter", "true"], cwd=path, check=True)
    subprocess.run(["git", "gc", "--quiet"], cwd=path, check=True)


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="archbot-sparse-bench-"))
    remote = root / "monorepo.git"
    _, generate_s = timed(lambda: generate(remote))
    url = remote.as_uri()

    sparse = root / "sparse"
    _, sparse_s = timed(
        lambda: (
            subprocess.run(
                ["git", "clone", "--quiet", "--filter=blob:none", "--sparse", url, str(sparse)], check=True
            ),
            subprocess.run(["git", "sparse-checkout", "set", "docs/adr"], cwd=sparse, check=True),
        )
    )
    full = root / "full"
    _, full_s = timed(lambda: subprocess.run(["git", "clone", "--quiet", url, str(full)], check=True))

    spec = SourceSpec("mono", git=url, paths=("docs/adr",))
    fetched = root / "fetch-only"
    commit, fetch_s = timed(lambda: fetch(spec, fetched, 600))
    _, checkout_s = timed(
        lambda: git_command([*remote_url(spec), "checkout", "--quiet", "--detach", str(commit)], fetched)
    )

    home = root / "home"
    home.mkdir()
    (home / "config.yaml").write_text(f"sources:\n  - name: mono\n    git: {url}\n    paths: [docs/adr]\n")
    settings = Settings.from_env({"ARCHBOT_HOME": str(home), "ARCHBOT_EMBEDDER": "hash"})
    reports, sync_s = timed(lambda: sync_sources(settings))
    [result] = reports  # type: ignore[misc]
    assert result.error is None and result.ingest.added == ADRS, result.to_json()
    clone = home / "sources" / "mono"

    data = {
        "commits": COMMITS,
        "decision_records": ADRS,
        "generate_s": round(generate_s, 1),
        "remote_mb": round(du(remote) / 1e6, 1),
        "archbot_fetch_and_checkout_s": round(fetch_s + checkout_s, 2),
        "archbot_sync_s": round(sync_s, 2),
        "archbot_clone_mb": round(du(clone / ".git") / 1e6, 1),
        "git_sparse_clone_s": round(sparse_s, 2),
        "git_sparse_clone_mb": round(du(sparse / ".git") / 1e6, 1),
        "git_full_clone_s": round(full_s, 2),
        "git_full_clone_mb": round(du(full / ".git") / 1e6, 1),
        "fetch_and_checkout_vs_sparse_clone": round((fetch_s + checkout_s) / sparse_s, 2),
        "sync_vs_sparse_clone": round(sync_s / sparse_s, 2),
        "sync_vs_full_clone": round(sync_s / full_s, 2),
    }
    report(
        "sparse sync of a large repository (paths: docs/adr)",
        [(k, str(v)) for k, v in data.items()],
        "sparse_sync",
        data,
    )
    shutil.rmtree(root)


if __name__ == "__main__":
    main()
