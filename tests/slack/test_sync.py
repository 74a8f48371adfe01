"""`archbot slack` syncs the configured sources in the background and answers from each new sync."""

from __future__ import annotations

from pathlib import Path

from archbot.bot.slack.deps import Deps
from archbot.bot.slack.sync import PeriodicSync
from archbot.kernel.config import Config
from archbot.kernel.settings import Settings
from tests.gitrepo import GitRepo
from tests.minicorpus import FILES

KAFKA = "plat/adr/0012-adopt-kafka.md"


def test_no_sources_no_sync_thread(deps: Deps) -> None:
    assert deps.start_sync() is None


def test_the_background_sync_feeds_the_running_advisor(settings: Settings, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.commit({n: t for n, t in FILES.items() if n.startswith("adr/")}, "adrs")
    config = tmp_path / "config.yaml"
    config.write_text(f"sources:\n  - name: plat\n    git: {repo.url}\nsync_interval_minutes: 5\n")
    settings = settings.with_(config_file=config)
    deps = Deps(settings)
    assert not deps.advisor().documents
    syncing = deps.start_sync()
    assert isinstance(syncing, PeriodicSync) and syncing.interval_s == 300
    try:
        assert syncing.synced.wait(60)
        assert KAFKA in deps.advisor().documents
        answer = deps.advisor().ask("are we still on rabbitmq for domain events?")
        assert answer.citations[0].source == KAFKA
        repo.commit({"adr/0012-adopt-kafka.md": None}, "drop kafka")
        quick = PeriodicSync(settings, Config.load(config), deps.advisor(), interval_s=300)
        [report] = quick.run_once()
        assert report.ingest.removed == 1 and KAFKA not in deps.advisor().documents
    finally:
        syncing.stop(timeout=30)
