"""An unexpected failure: the user sees a short message with a reference id, the log the detail,
and neither ever sees the exception text or a credential."""

from __future__ import annotations

import logging
import socket

import pytest

from archbot.bot.slack.app import build_app
from archbot.bot.slack.deps import Deps
from archbot.kernel.errors import ConfigError, NotIndexedError
from archbot.kernel.settings import Settings
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack
from tests.slack.harness import SIGNING_SECRET, SlackBot

LEAKY = "db password hunter2 in /srv/secret/path"


class BrokenAdvisor:
    def ask(self, question: str, **kwargs: object) -> None:
        if "index" in question:
            raise NotIndexedError()
        raise RuntimeError(LEAKY)


@pytest.fixture
def deps(slack_settings: Settings) -> Deps:
    return Deps(slack_settings, open_advisor=lambda settings: BrokenAdvisor())  # type: ignore[arg-type, return-value]


def test_unexpected_error_shows_only_a_reference(
    bot: SlackBot, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    question = bot.mention("CPUBLIC", "are we on kafka?")

    reply = fake.wait_for("chat.postMessage", thread_ts=question["ts"])[0]
    text = reply.args["text"]
    reference = text.split("Reference: `")[1].split("`")[0]
    assert LEAKY not in text and "RuntimeError" not in text
    assert f"reference {reference}" in caplog.text and LEAKY in caplog.text
    bot.drain()
    assert BOT_TOKEN not in caplog.text and SIGNING_SECRET not in caplog.text


def test_user_facing_error_is_shown_as_written(bot: SlackBot, fake: FakeSlack) -> None:
    question = bot.mention("CPUBLIC", "what is in the index?")

    reply = fake.wait_for("chat.postMessage", thread_ts=question["ts"])[0]
    assert "No documents are indexed yet. Run `archbot ingest PATH` first." in reply.args["text"]


def test_unreachable_slack_at_start_up_is_a_clear_error(slack_settings: Settings) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    settings = slack_settings.with_(slack_api_url=f"http://127.0.0.1:{closed}/")
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN") as caught:
        build_app(settings)
    assert BOT_TOKEN not in str(caught.value)
