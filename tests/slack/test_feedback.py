"""👍/👎 clicks are stored in SQLite with the question, answer and citations."""

from __future__ import annotations

import json

from sqlite_utils import Database

from archbot.kernel.settings import Settings
from tests.slack.fake_slack import FakeSlack
from tests.slack.harness import USER, SlackBot


def _click(bot: SlackBot, value: str, thread_ts: str, action_id: str) -> None:
    payload = {
        "type": "block_actions",
        "team": {"id": "T0TEAM"},
        "user": {"id": USER},
        "channel": {"id": "CPUBLIC"},
        "container": {"type": "message", "message_ts": "1", "channel_id": "CPUBLIC"},
        "message": {"ts": "1", "thread_ts": thread_ts},
        "trigger_id": "t",
        "response_url": "http://127.0.0.1:9/unused",
        "actions": [{"type": "button", "action_id": action_id, "block_id": "feedback", "value": value}],
    }
    assert bot.interact(payload) == 200


def test_feedback_is_stored_once_per_person(bot: SlackBot, fake: FakeSlack, slack_settings: Settings) -> None:
    question = bot.mention("CPUBLIC", "are we still on rabbitmq for domain events?")
    answer = fake.wait_for("chat.postMessage", thread_ts=question["ts"])[0]
    buttons = {e["action_id"]: e["value"] for e in answer.args["blocks"][-1]["elements"]}

    _click(bot, buttons["feedback_up"], question["ts"], "feedback_up")
    fake.wait_for("chat.postEphemeral", user=USER)
    _click(bot, buttons["feedback_down"], question["ts"], "feedback_down")
    fake.wait_for("chat.postEphemeral", count=2, user=USER)

    rows = list(Database(slack_settings.db_path)["feedback"].rows)
    assert len(rows) == 1
    row = rows[0]
    assert row["vote"] == "down"
    assert row["question"] == "are we still on rabbitmq for domain events?"
    assert "superseded" in row["answer"]
    assert row["thread_ts"] == question["ts"]
    assert json.loads(row["citations"])[0]["source"] == "adr/0012-adopt-kafka.md"


def test_feedback_on_an_unknown_answer_says_so(
    bot: SlackBot, fake: FakeSlack, slack_settings: Settings
) -> None:
    _click(bot, "no-such-answer", "1", "feedback_up")

    reply = fake.wait_for("chat.postEphemeral", user=USER)[0]
    assert "no longer have a record" in reply.args["text"]
    assert Database(slack_settings.db_path)["feedback"].count == 0
