"""`archbot sync` over real Git repositories: a work tree with fixed authors and dates pushed to a
bare remote on disk, fetched by `file://` URL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archbot.advisor.core import Advisor
from archbot.bot.cli import main
from archbot.ingest.pipeline import ingest_paths
from archbot.ingest.sources import SourceSyncer, checkout_dir, sync_sources
from archbot.kernel.config import Config
from archbot.kernel.errors import ConfigError
from archbot.kernel.settings import Settings
from archbot.kernel.store import Store
from tests.gitrepo import BOB, GitRepo
from tests.minicorpus import FILES, write_files

ENV = {"ARCHBOT_EMBEDDER": "hash"}
ADRS = {f"docs/{name}": text for name, text in FILES.items() if name.startswith("adr/")}
KAFKA = "docs/adr/0012-adopt-kafka.md"
RABBIT = "docs/adr/0007-use-rabbitmq-for-events.md"


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.commit({**ADRS, "README.md": "# Platform\n\nNot a decision.\n"}, "ADRs so far")
    return repo


def configure(settings: Settings, text: str) -> Settings:
    assert settings.config_file is not None
    settings.config_file.parent.mkdir(parents=True, exist_ok=True)
    settings.config_file.write_text(text, encoding="utf-8")
    return settings


def git_source(settings: Settings, repo: GitRepo, name: str = "plat", extra: str = "") -> Settings:
    return configure(
        settings, f"sources:\n  - name: {name}\n    git: {repo.url}\n    paths: [docs/adr]\n{extra}"
    )


def sync_json(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["sync", "--json", *args], env=ENV)
    return result.exit_code, json.loads(result.stdout)


def counts(line: dict) -> dict:
    keys = ("added", "updated", "unchanged", "removed")
    return {k: line[k] for k in keys}


def test_sync_adds_updates_and_prunes_a_git_source(settings: Settings, repo: GitRepo) -> None:
    git_source(settings, repo)
    code, data = sync_json()
    assert code == 0
    [line] = data["sources"]
    assert line["name"] == "plat" and line["error"] is None
    assert counts(line) == {"added": 5, "updated": 0, "unchanged": 0, "removed": 0}
    assert line["chunks_embedded"] > 0
    store = Store(settings.db_path)
    assert sorted(store.documents()) == sorted(f"plat/{name}" for name in ADRS)  # README is outside paths
    assert store.source_state("plat").commit == line["commit"]

    changed = ADRS[KAFKA].replace("kept for 7 days", "kept for 14 days")
    new = "# 20. Use OpenTelemetry\n\nDate: 2024-06-01\n\n## Status\n\nAccepted\n\n## Decision\n\nWe trace.\n"
    commit = repo.commit(
        {KAFKA: changed, RABBIT: None, "docs/adr/0020-use-otel.md": new}, "kafka retention", BOB
    )
    code, data = sync_json()
    [line] = data["sources"]
    assert code == 0 and line["commit"] == commit
    assert counts(line) == {"added": 1, "updated": 1, "unchanged": 3, "removed": 1}
    documents = Store(settings.db_path).documents()
    assert f"plat/{RABBIT}" not in documents and "plat/docs/adr/0020-use-otel.md" in documents
    assert Store(settings.db_path).source_state("plat").commit == commit


def test_a_second_sync_of_an_unchanged_repository_reads_and_embeds_nothing(
    settings: Settings, repo: GitRepo
) -> None:
    git_source(settings, repo)
    sync_sources(settings)
    generation = Store(settings.db_path).generation
    syncer = SourceSyncer(settings, Config.load(settings.config_file))
    [report] = syncer.sync_all()
    assert (report.error, report.ingest.chunks_embedded, report.ingest.unchanged) == (None, 0, 5)
    assert syncer._ingestor is None  # no model loaded, no file read
    assert Store(settings.db_path).generation == generation


def test_a_commit_outside_the_paths_moves_the_synced_commit_only(settings: Settings, repo: GitRepo) -> None:
    git_source(settings, repo)
    sync_sources(settings)
    generation = Store(settings.db_path).generation
    commit = repo.commit({"README.md": "# Platform\n\nStill not a decision.\n"}, "readme")
    [report] = sync_sources(settings)
    assert report.commit == commit and report.ingest.chunks_embedded == 0
    store = Store(settings.db_path)
    assert store.source_state("plat").commit == commit and store.generation == generation


def test_an_unreachable_remote_is_an_error_and_the_index_keeps_its_documents(
    settings: Settings, repo: GitRepo, tmp_path: Path
) -> None:
    other = GitRepo(tmp_path / "other")
    other.commit({"docs/adr/0001-x.md": "# 1. Use Go\n\nWe will write services in Go.\n"}, "go")
    git_source(settings, repo)
    sync_sources(settings)
    repo.remote.rename(tmp_path / "moved.git")
    configure(
        settings,
        f"sources:\n  - name: plat\n    git: {repo.url}\n    paths: [docs/adr]\n"
        f"  - name: other\n    git: {other.url}\n",
    )
    code, data = sync_json()
    assert code == 1
    plat, second = data["sources"]
    assert plat["error"].startswith("Cannot fetch source 'plat' from file://")
    assert "credential helper" in plat["error"] and plat["commit"] is None
    assert second["error"] is None and second["added"] == 1
    store = Store(settings.db_path)
    assert sum(s.startswith("plat/") for s in store.documents()) == 5
    answer = Advisor.open(settings).ask("are we still on rabbitmq for domain events?")
    assert not answer.abstained and answer.citations[0].source == f"plat/{KAFKA}"


def test_the_text_output_of_a_failed_source_says_what_to_do(settings: Settings, tmp_path: Path) -> None:
    configure(settings, f"sources:\n  - name: gone\n    git: {(tmp_path / 'nope.git').as_uri()}\n")
    result = CliRunner().invoke(main, ["sync"], env=ENV)
    assert result.exit_code == 1
    said = " ".join(result.stdout.split())
    assert (
        said.startswith("gone: Cannot fetch source 'gone'")
        and "does not appear to be a git repository" in said
    )
    assert "Traceback" not in result.output


def test_credentials_in_a_url_are_refused_and_never_shown(settings: Settings) -> None:
    configure(settings, "sources:\n  - name: p\n    git: https://alice:s3cret@git.example.com/adrs.git\n")
    result = CliRunner().invoke(main, ["sync", "--json"], env=ENV)
    assert result.exit_code == 1 and result.stdout == ""
    assert "credential helper" in result.output and "https://***@git.example.com" in result.output
    assert "s3cret" not in result.output and "alice" not in result.output


def test_a_failing_fetch_never_shows_the_userinfo_of_the_url(settings: Settings) -> None:
    configure(settings, "sources:\n  - name: p\n    git: https://tok3n@127.0.0.1:9/adrs.git\n")
    [report] = sync_sources(settings.with_(git_timeout_s=20.0))
    assert report.error is not None and report.error.startswith("Cannot fetch source 'p' from https://***@")
    assert "tok3n" not in report.error
    assert "tok3n" not in (checkout_dir(settings, "p") / ".git" / "config").read_text()


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ("- git: file:///x", "name"),
        ("- name: a/b\n    git: file:///x", "no '/'"),
        ("- name: a\n    git: file:///x\n    path: docs", "exactly one of `git:` and `path:`"),
        ("- name: a\n    git: file:///x\n    paths: [../etc]", "relative to its root"),
        ("- name: a\n    git: file:///x\n    paths: [/etc]", "relative to its root"),
        ("- name: a\n    git: file:///x\n    branch: [main]", "branch name"),
        ("- name: a\n    path: docs\n    branch: main", "`git:` sources only"),
        ("- name: a\n    git: file:///x\n    depth: 1", "unknown keys: depth"),
        ("- name: a\n    git: file:///x\n  - name: a\n    path: docs", "more than once"),
        ("- just-a-string", "not a mapping"),
    ],
)
def test_invalid_sources_say_how_to_fix_them(settings: Settings, entry: str, says: str) -> None:
    configure(settings, f"sources:\n  {entry}\n")
    with pytest.raises(ConfigError, match=None) as caught:
        Config.load(settings.config_file)
    assert says in str(caught.value)


def test_sync_interval_is_validated_and_defaults_to_15(settings: Settings) -> None:
    assert Config.load(configure(settings, "sources: []\n").config_file).sync_interval_minutes == 15
    configure(settings, "sync_interval_minutes: 0\n")
    with pytest.raises(ConfigError, match="at least 1"):
        Config.load(settings.config_file)


def test_sync_without_sources_says_how_to_add_them(settings: Settings) -> None:
    result = CliRunner().invoke(main, ["sync"], env=ENV)
    assert result.exit_code == 1 and "Add a `sources:` list" in result.output


def test_a_folder_source_is_named_after_it_and_pruned(settings: Settings, tmp_path: Path) -> None:
    folder = write_files(
        tmp_path / "handbook", {n: t for n, t in FILES.items() if n.startswith("standards/")}
    )
    settings = configure(  # a relative path is read from the config file's folder
        settings.with_(config_file=tmp_path / "config.yaml"),
        "sources:\n  - name: handbook\n    path: handbook\n",
    )
    [report] = sync_sources(settings)
    assert report.error is None and report.commit is None and report.ingest.added == 2
    assert sorted(Store(settings.db_path).documents()) == [
        "handbook/standards/data-retention.md",
        "handbook/standards/security-incident-playbook.md",
    ]
    (folder / "standards" / "data-retention.md").unlink()
    [report] = sync_sources(settings)
    assert (report.ingest.removed, report.ingest.unchanged) == (1, 1)


def test_ingest_and_sync_do_not_prune_each_other(settings: Settings, repo: GitRepo, tmp_path: Path) -> None:
    kb = write_files(tmp_path / "kb", {n: t for n, t in FILES.items() if n.startswith("standards/")})
    ingest_paths(settings, [kb])
    git_source(settings, repo)
    sync_sources(settings)
    report = ingest_paths(settings, [kb])
    assert report.removed == 0
    repo.commit({RABBIT: None}, "drop rabbitmq")
    [synced] = sync_sources(settings)
    assert synced.ingest.removed == 1
    sources = set(Store(settings.db_path).documents())
    assert {"standards/data-retention.md", f"plat/{KAFKA}"} <= sources and f"plat/{RABBIT}" not in sources


def test_ingest_does_not_overwrite_a_document_a_source_owns(
    settings: Settings, repo: GitRepo, tmp_path: Path
) -> None:
    git_source(settings, repo)
    sync_sources(settings)
    kb = write_files(tmp_path / "kb", {f"plat/{KAFKA}": "# Not Kafka\n\nSomething else.\n"})
    report = ingest_paths(settings, [kb])
    assert report.skipped == [
        {"source": f"plat/{KAFKA}", "reason": "already indexed by source 'plat' (`archbot sync`)"}
    ]
    assert Store(settings.db_path).documents()[f"plat/{KAFKA}"].title == "Adopt Kafka for event streaming"


def test_a_branch_is_synced_by_name(settings: Settings, repo: GitRepo) -> None:
    from tests.gitrepo import git

    git(repo.work, "checkout", "--quiet", "-b", "next")
    git(repo.work, "rm", "--quiet", RABBIT)
    repo.commit({}, "drop rabbitmq on next", push=False)
    git(repo.work, "push", "--quiet", "origin", "next")
    git_source(settings, repo, extra="    branch: next\n")
    [report] = sync_sources(settings)
    assert report.error is None and report.ingest.added == 4
    git_source(settings, repo, extra="    branch: nowhere\n")
    [report] = sync_sources(settings)
    assert report.error is not None and "(branch 'nowhere')" in report.error


def test_a_listed_file_is_named_by_its_path_and_a_missing_path_is_reported(
    settings: Settings, repo: GitRepo
) -> None:
    paths = "[docs/adr, docs/rfc, README.md]"
    configure(settings, f"sources:\n  - name: plat\n    git: {repo.url}\n    paths: {paths}\n")
    [report] = sync_sources(settings)
    assert report.error is None and report.ingest.added == 6
    assert "plat/README.md" in Store(settings.db_path).documents()
    assert report.ingest.skipped == [
        {"source": "plat/docs/rfc", "reason": "not in the repository at this commit"}
    ]


def test_a_source_with_paths_is_a_partial_clone_of_just_those_paths(
    settings: Settings, repo: GitRepo
) -> None:
    """Contents outside `paths:` are never downloaded; history and dates under them still come."""
    from tests.gitrepo import git

    git(repo.remote, "config", "uploadpack.allowFilter", "true")
    big = {f"src/module{n}.c": f"int f{n}(void) {{ return {n}; }}\n" * 400 for n in range(5)}
    repo.commit(big, "the code", date="2024-03-01T10:00:00+00:00")
    git_source(settings, repo)

    code, data = sync_json()

    assert code == 0 and data["sources"][0]["added"] == 5
    clone = checkout_dir(settings, "plat")
    missing = git(clone, "rev-list", "--objects", "--missing=print", "HEAD").split()
    absent = {line[1:] for line in missing if line.startswith("?")}
    present = {git(clone, "rev-parse", f"HEAD:{name}") for name in ADRS}
    outside = {git(clone, "rev-parse", f"HEAD:{name}") for name in big}
    assert outside <= absent and not present & absent
    assert not (clone / "src").exists() and (clone / "docs" / "adr").is_dir()
    assert repo.url not in (clone / ".git" / "config").read_text()
    doc = Store(settings.db_path).documents()[f"plat/{KAFKA}"]
    assert doc.created == "2024-01-02"
