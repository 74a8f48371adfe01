"""`archbot sync` benchmark: the dev corpus committed to a Git repository with a bare remote on disk.

Figures, each against a baseline measured in the same run:
- an unchanged sync (fetch, compare with the synced commit) against a plain `git fetch` of the same
  remote into a plain clone: they should be about equal, since an unchanged sync reads no file;
- the `archbot sync` command against `archbot --version` (interpreter start and imports);
- a sync after one file changed (re-reads the source, embeds that file's chunks only);
- reading every file's history in one `git log` pass against one `git log --follow` per file.
The hash embedder is used: no figure here depends on the model (an unchanged sync loads none).
Run: .venv/bin/python -m bench.sync_bench
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from archbot.ingest.history import file_histories
from archbot.ingest.sources import SourceSyncer
from archbot.kernel.config import Config
from archbot.kernel.settings import Settings
from bench.common import DEV_CORPUS, report, require_dev_corpus, timed

RUNS = 31
CLI_RUNS = 7
AUTHORS = ("Ann Author", "Bob Builder", "Cleo Coder")


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, check=True
    )
    return done.stdout


def make_repository(root: Path) -> tuple[Path, Path]:
    """The dev corpus as a repository, one commit per organisation folder, pushed to a bare remote."""
    remote, work = root / "remote.git", root / "work"
    git(root, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    git(root, "init", "--quiet", "--initial-branch=main", str(work))
    for i, folder in enumerate(sorted(p for p in DEV_CORPUS.iterdir() if p.is_dir())):
        shutil.copytree(folder, work / folder.name)
        git(work, "add", folder.name)
        name = AUTHORS[i % len(AUTHORS)]
        date = f"2024-{i % 12 + 1:02d}-01T09:00:00+00:00"
        env = {"GIT_AUTHOR_NAME": name, "GIT_COMMITTER_NAME": name, "GIT_AUTHOR_DATE": date}
        env |= {"GIT_AUTHOR_EMAIL": "a@example.com", "GIT_COMMITTER_EMAIL": "a@example.com"}
        git(work, "commit", "--quiet", "-m", f"add {folder.name}", env={**env, "GIT_COMMITTER_DATE": date})
    git(work, "push", "--quiet", str(remote), "HEAD:main")
    return remote, work


def interleaved(runs: int, measured, baseline) -> tuple[float, float]:
    """Median seconds of each, run alternately so that both see the same load on a shared machine."""
    pairs = [(timed(measured)[1], timed(baseline)[1]) for _ in range(runs)]
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def main() -> None:
    require_dev_corpus()
    root = Path(tempfile.mkdtemp(prefix="archbot-sync-bench-"))
    remote, work = make_repository(root)
    home = root / "home"
    home.mkdir()
    (home / "config.yaml").write_text(f"sources:\n  - name: dev\n    git: {remote.as_uri()}\n")
    env = {"ARCHBOT_HOME": str(home), "ARCHBOT_EMBEDDER": "hash"}
    settings = Settings.from_env(env)
    config = Config.load(settings.config_file)

    [first], first_s = timed(lambda: SourceSyncer(settings, config).sync_all())  # type: ignore[misc]
    unchanged = [SourceSyncer(settings, config).sync_all()[0] for _ in range(3)]
    assert all(r.error is None and r.ingest.chunks_embedded == 0 for r in unchanged)
    plain = root / "plain"
    git(root, "clone", "--quiet", remote.as_uri(), str(plain))
    sync_s, fetch_s = interleaved(
        RUNS,
        lambda: SourceSyncer(settings, config).sync_all(),
        lambda: git(plain, "fetch", "--quiet", "--no-tags", remote.as_uri(), "HEAD"),
    )
    archbot = str(Path(sys.executable).parent / "archbot")
    cli_env = {**os.environ, **env}
    cli_s, version_s = interleaved(
        CLI_RUNS,
        lambda: subprocess.run([archbot, "sync", "--json"], env=cli_env, check=True, capture_output=True),
        lambda: subprocess.run([archbot, "--version"], env=cli_env, check=True, capture_output=True),
    )

    one = sorted(p for p in work.rglob("*.md") if ".git" not in p.parts)[0]
    one.write_text(one.read_text(encoding="utf-8") + "\nOne more sentence for the benchmark.\n")
    git(work, "commit", "--quiet", "-am", "one change")
    git(work, "push", "--quiet", str(remote), "HEAD:main")
    [changed], changed_s = timed(lambda: SourceSyncer(settings, config).sync_all())  # type: ignore[misc]

    files = [p.relative_to(work).as_posix() for p in work.rglob("*") if p.is_file() and ".git" not in p.parts]
    histories, one_pass_s = timed(lambda: file_histories(work))
    _, per_file_s = timed(
        lambda: [git(work, "log", "--follow", "--format=%aI%x1f%an", "--", name) for name in files]
    )

    data = {
        "documents": first.ingest.documents,
        "chunks": first.ingest.chunks,
        "first_sync_s": round(first_s, 2),
        "unchanged_sync_median_s": round(sync_s, 4),
        "plain_git_fetch_median_s": round(fetch_s, 4),
        "unchanged_sync_vs_git_fetch": round(sync_s / fetch_s, 2),
        "archbot_sync_command_median_s": round(cli_s, 3),
        "archbot_version_command_median_s": round(version_s, 3),
        "one_file_changed_sync_s": round(changed_s, 2),
        "one_file_changed_chunks_embedded": changed.ingest.chunks_embedded,
        "one_file_changed_updated": changed.ingest.updated,
        "files_in_repository": len(files),
        "history_one_log_pass_s": round(one_pass_s, 3),
        "history_one_log_per_file_s": round(per_file_s, 3),
        "history_files_read": len(histories),
    }
    report(
        "sync: ../shared/corpora/dev as a Git repository",
        [(k.replace("_", " "), str(v)) for k, v in data.items()],
        "sync",
        data,
    )
    shutil.rmtree(root)


if __name__ == "__main__":
    main()
