"""The Slack app under test: real Bolt app, real HTTP, a fake Slack Web API, a small real index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from archbot.bot.slack.app import build_app
from archbot.bot.slack.deps import Deps
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.settings import Settings
from tests.minicorpus import write_minicorpus
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack
from tests.slack.harness import SIGNING_SECRET, SlackBot

SECURITY_CHANNEL = "CSECURITY"
CONFIG = f"""
channels:
  {SECURITY_CHANNEL}:
    visibility: [public, restricted]
  default:
    visibility: [public]
"""


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


@pytest.fixture
def slack_settings(
    settings: Settings, fake: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """One worker keeps jobs in order, so `SlackBot.drain` can prove nothing else happened."""
    monkeypatch.setattr("archbot.bot.slack.client.BACKOFF_FACTOR_S", 0.01)
    config = tmp_path / "archbot.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    ingest_paths(settings, [write_minicorpus(tmp_path / "kb")])
    return settings.with_(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.api_url,
        slack_workers=1,
        config_file=config,
    )


@pytest.fixture
def deps(slack_settings: Settings) -> Deps:
    return Deps(slack_settings)


@pytest.fixture
def bot(slack_settings: Settings, deps: Deps, fake: FakeSlack) -> Iterator[SlackBot]:
    running = SlackBot(build_app(slack_settings, deps), fake, deps)
    yield running
    running.close()
