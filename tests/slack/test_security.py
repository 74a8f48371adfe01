"""Requests Slack did not sign are refused; nothing about them reaches the advisor or Slack."""

from __future__ import annotations

import time

from tests.slack.fake_slack import FakeSlack
from tests.slack.harness import SlackBot

QUESTION = {"type": "app_mention", "user": "UMALLORY", "text": "<@UBOT> hi", "channel": "CPUBLIC"}


def test_bad_signature_is_rejected(bot: SlackBot, fake: FakeSlack) -> None:
    event = QUESTION | {"ts": fake.next_ts()}
    status, _ = bot.post(bot.envelope(event), "application/json", secret="not-the-signing-secret")

    assert status == 401
    bot.drain()
    assert [c.method for c in fake.calls if c.method != "auth.test"] == []


def test_stale_timestamp_is_rejected_even_when_signed(bot: SlackBot, fake: FakeSlack) -> None:
    event = QUESTION | {"ts": fake.next_ts()}
    status, _ = bot.post(bot.envelope(event), "application/json", timestamp=int(time.time()) - 600)

    assert status == 401
    bot.drain()
    assert [c.method for c in fake.calls if c.method != "auth.test"] == []


def test_correctly_signed_request_is_accepted(bot: SlackBot, fake: FakeSlack) -> None:
    """The control for the two tests above: the same request, signed properly, is answered."""
    event = QUESTION | {"ts": fake.next_ts()}
    status, _ = bot.post(bot.envelope(event), "application/json")

    assert status == 200
    fake.wait_for("chat.postMessage", thread_ts=event["ts"])
