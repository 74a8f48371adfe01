"""Slack's Web API failing: transient errors are retried; lasting ones still reach the user."""

from __future__ import annotations

import re

from tests.slack.fake_slack import FakeSlack
from tests.slack.harness import USER, SlackBot

QUESTION = "are we still on rabbitmq for domain events?"


def test_server_error_is_retried(bot: SlackBot, fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", times=1, status=500)
    question = bot.mention("CPUBLIC", QUESTION)

    attempts = fake.wait_for("chat.postMessage", count=2, thread_ts=question["ts"])
    assert attempts[0].blocks_text() == attempts[1].blocks_text()
    assert "Adopt Kafka" in attempts[1].blocks_text()


def test_rate_limit_is_retried_after_retry_after(bot: SlackBot, fake: FakeSlack) -> None:
    fake.rate_limit("chat.postMessage", times=1, retry_after=0)
    question = bot.mention("CPUBLIC", QUESTION)

    attempts = fake.wait_for("chat.postMessage", count=2, thread_ts=question["ts"])
    assert "Adopt Kafka" in attempts[1].blocks_text()
    bot.drain()
    assert len(fake.calls_to("chat.postMessage", thread_ts=question["ts"])) == 2


def test_lasting_failure_still_tells_the_user(bot: SlackBot, fake: FakeSlack) -> None:
    """Three attempts at the answer and three at the error message fail; an ephemeral gets through."""
    fake.fail("chat.postMessage", times=6, status=500)
    question = bot.mention("CPUBLIC", QUESTION)

    notice = fake.wait_for("chat.postEphemeral", user=USER, thread_ts=question["ts"])[0]
    assert "Reference: `" in notice.args["text"]
    said = re.sub(r"Reference: `[0-9a-f]+`", "", notice.args["text"])  # a random hex may hold "500"
    assert "fatal_error" not in said and "500" not in said
    assert len(fake.calls_to("chat.postMessage", thread_ts=question["ts"])) == 6
    fake.wait_for("reactions.remove", timestamp=question["ts"])
