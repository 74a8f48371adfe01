"""`archbot sync`: keeps the sources listed in config.yaml indexed.

A Git source is fetched into `$ARCHBOT_HOME/sources/<name>`; when the fetched commit is the one last
synced, or `git diff --name-status` between the two touches none of the source's paths, nothing is
read or embedded. Otherwise every file under its paths is re-read, because a changed file can change
the metadata of unchanged ones (a new ADR saying it supersedes an old one), and only new or changed
text is embedded (content hashes). Documents are named `<name>/<path in the source>`; each source
prunes only its own. The synced commit is committed with the documents, so a run that fails part-way
is redone by the next one, and a source that cannot be fetched keeps the documents it had.
"""

from __future__ import annotations

import logging
import posixpath
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from archbot.ingest.formats import Limits
from archbot.ingest.git import GitFailed, git
from archbot.ingest.pipeline import Ingestor, IngestReport, Root, collect
from archbot.kernel.config import Config, SourceSpec
from archbot.kernel.errors import ArchbotError, SourceError
from archbot.kernel.settings import Settings
from archbot.kernel.store import SourceState, Store, now_iso

log = logging.getLogger(__name__)
_COMMIT_ID = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")


@dataclass
class SourceReport:
    """One source's line in `archbot sync --json`."""

    name: str
    commit: str | None = None
    ingest: IngestReport = field(default_factory=IngestReport)
    error: str | None = None
    seconds: float = 0.0

    def to_json(self) -> dict:
        r = self.ingest
        return {
            "name": self.name,
            "commit": self.commit,
            "added": r.added,
            "updated": r.updated,
            "unchanged": r.unchanged,
            "refreshed": r.refreshed,
            "rechunked": r.rechunked,
            "removed": r.removed,
            "chunks_embedded": r.chunks_embedded,
            "skipped": r.skipped,
            "warnings": r.warnings,
            "lint": [{"source": i.source, "problem": i.problem} for i in r.lint],
            "error": self.error,
            "seconds": round(self.seconds, 3),
        }


# The name archbot's clones give the configured repository.
REMOTE = "archbot"


def checkout_dir(settings: Settings, name: str) -> Path:
    return settings.home / "sources" / name


def fetch(spec: SourceSpec, dest: Path, timeout: float) -> str:
    """Clone or fetch `spec` into `dest`; the fetched commit. Errors name the source, never a credential.

    A source with `paths:` is a partial clone of just those paths (ADR 22): commits and trees come
    whole, a file's contents only when the sparse checkout of those paths needs it, so a monorepo
    whose decisions live in one folder costs that folder, not the repository."""
    assert spec.git is not None
    if not (dest / ".git").is_dir():
        dest.mkdir(parents=True, exist_ok=True)
        git(["init", "--quiet", str(dest)], dest)
    _configure(spec, dest)
    ref = f"refs/heads/{spec.branch}" if spec.branch else "HEAD"
    sparse = ["--filter=blob:none"] if spec.paths else []
    try:
        git([*remote_url(spec), "fetch", "--quiet", "--no-tags", *sparse, "--", REMOTE, ref], dest, timeout)
    except GitFailed as failed:
        branch = f" (branch {spec.branch!r})" if spec.branch else ""
        raise SourceError(
            f"Cannot fetch source {spec.name!r} from {spec.location}{branch}: {failed.detail}.",
            "Check the URL and branch in config.yaml and that this machine can reach the repository; "
            "private ones need a Git credential helper or SSH key. Its documents stay indexed as they were.",
        ) from None
    return _fetched_commit(dest)


def remote_url(spec: SourceSpec) -> list[str]:
    """The repository's URL as a one-command setting: never written to the clone's config, where a
    credential in it would stay on disk."""
    return ["-c", f"remote.{REMOTE}.url={spec.git}"]


def _configure(spec: SourceSpec, dest: Path) -> None:
    """For a source with `paths:`, the promisor settings that let a checkout fetch the contents it
    needs (from `remote_url`), and the sparse checkout of those paths."""
    if spec.paths:
        git(["config", f"remote.{REMOTE}.promisor", "true"], dest)
        git(["config", f"remote.{REMOTE}.partialclonefilter", "blob:none"], dest)
        patterns = ["/" + path.strip("/") for path in spec.paths]
        git(["sparse-checkout", "set", "--no-cone", "--", *patterns], dest)
    elif (dest / ".git" / "info" / "sparse-checkout").exists():
        git(["sparse-checkout", "disable"], dest)


def _fetched_commit(dest: Path) -> str:
    """The commit the fetched branch points at, FETCH_HEAD's first field: what `git rev-parse
    FETCH_HEAD` prints, without a second process (an unchanged sync is otherwise just the fetch)."""
    head = (dest / ".git" / "FETCH_HEAD").read_text(encoding="utf-8").split()
    if not head or not _COMMIT_ID.match(head[0]):
        raise SourceError(
            f"The clone at {dest} has no fetched commit.", "Delete that folder and run `archbot sync` again."
        )
    return head[0]


def _touches(dest: Path, old: str, new: str, paths: tuple[str, ...]) -> bool:
    """Whether anything under `paths` differs between two commits; an old commit no longer in the
    clone (a force-push) counts as a change."""
    if old == new:
        return False
    try:
        changed = git(["diff", "--name-status", "--no-renames", old, new, "--", *paths], dest)
    except GitFailed:
        return True
    return bool(changed.strip())


def _root(dest: Path, name: str, path: str) -> Root:
    """What to walk for one of a source's paths, and the prefix that names its documents
    `<name>/<path in the repository>` (a listed file is found under its own name)."""
    where = dest / path
    inside = path if where.is_dir() else posixpath.dirname(path)
    return where, f"{name}/{inside}/" if inside else f"{name}/"


class SourceSyncer:
    """Syncs configured sources with one ingestor (one embedder and vector index) made on first need,
    so a sync where nothing changed loads no model."""

    def __init__(
        self, settings: Settings, config: Config, make_ingestor: Callable[[], Ingestor] | None = None
    ) -> None:
        self.settings = settings
        self.config = config
        self.store = Store(settings.db_path)
        self._make_ingestor = make_ingestor or (lambda: Ingestor(settings))
        self._ingestor: Ingestor | None = None

    @property
    def ingestor(self) -> Ingestor:
        if self._ingestor is None:
            self._ingestor = self._make_ingestor()
        return self._ingestor

    def sync_all(self) -> list[SourceReport]:
        if not self.config.sources:
            raise SourceError(
                f"No sources are configured in {self.settings.config_file}.",
                "Add a `sources:` list there ({name, git: URL} or {name, path: DIR}; see the README), "
                "or index folders with `archbot ingest PATH`.",
            )
        return [self.sync(spec) for spec in self.config.sources]

    def sync(self, spec: SourceSpec) -> SourceReport:
        report = SourceReport(spec.name)
        started = time.perf_counter()
        try:
            if spec.git:
                self._sync_git(spec, report)
            else:
                self._sync_folder(spec, report)
        except ArchbotError as exc:
            report.error = str(exc)
            log.info("sync of source %r failed: %s", spec.name, exc)
        report.seconds = time.perf_counter() - started
        return report

    def _sync_git(self, spec: SourceSpec, report: SourceReport) -> None:
        dest = checkout_dir(self.settings, spec.name)
        commit = report.commit = fetch(spec, dest, self.settings.git_timeout_s)
        last = self.store.source_state(spec.name)
        state = SourceState(spec.name, spec.location, spec.paths, commit, now_iso())
        same_source = last is not None and (last.paths, last.location) == (spec.paths, spec.location)
        if last is not None and same_source and not _touches(dest, last.commit or "", commit, spec.paths):
            report.ingest.unchanged = self.store.origin_count(spec.name)
            if last.commit != commit:
                self.store.record_sync(state)
            return
        try:
            git([*remote_url(spec), "checkout", "--quiet", "--force", "--detach", commit], dest)
        except GitFailed as failed:
            raise SourceError(
                f"Cannot check out {commit[:12]} of source {spec.name!r}: {failed.detail}.",
                f"Delete {dest} so the next `archbot sync` clones it afresh.",
            ) from None
        folders = spec.paths or ("",)
        missing = [p for p in folders if p and not (dest / p).exists()]
        for path in missing:
            report.ingest.skipped.append(
                {"source": f"{spec.name}/{path}", "reason": "not in the repository at this commit"}
            )
        roots = [_root(dest, spec.name, p) for p in folders if p not in missing]
        self._ingest(spec, roots, report, state)

    def _sync_folder(self, spec: SourceSpec, report: SourceReport) -> None:
        assert spec.path is not None
        if not spec.path.is_dir():
            raise SourceError(
                f"The folder of source {spec.name!r} ({spec.path}) does not exist.",
                "Fix its `path:` in config.yaml (relative paths are read from the config file's folder).",
            )
        state = SourceState(spec.name, spec.location, (), None, now_iso())
        self._ingest(spec, [(spec.path, f"{spec.name}/")], report, state)

    def _ingest(
        self, spec: SourceSpec, roots: Iterable[Root], report: SourceReport, state: SourceState
    ) -> None:
        files = collect(roots, self.config, Limits.from_settings(self.settings), report.ingest)
        self.ingestor.sync(files, report.ingest, origin=spec.name, synced=state)


def sync_sources(settings: Settings, config: Config | None = None) -> list[SourceReport]:
    """`archbot sync`: every configured source, each on its own (one failing leaves the others)."""
    config = config or Config.load(settings.config_file)
    return SourceSyncer(settings, config).sync_all()
