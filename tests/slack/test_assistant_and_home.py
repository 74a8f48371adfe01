"""Slack's AI-app surface (assistant threads) and the App Home tab."""

from __future__ import annotations

from tests.slack.fake_slack import FakeSlack
from tests.slack.harness import USER, SlackBot


def test_assistant_thread_gets_a_greeting_and_suggested_prompts(bot: SlackBot, fake: FakeSlack) -> None:
    thread_ts = fake.next_ts()
    bot.event(
        {
            "type": "assistant_thread_started",
            "assistant_thread": {
                "user_id": USER,
                "channel_id": "DALICE",
                "thread_ts": thread_ts,
                "context": {},
            },
            "event_ts": thread_ts,
        }
    )

    prompts = fake.wait_for("assistant.threads.setSuggestedPrompts", channel_id="DALICE")[0]
    assert len(prompts.args["prompts"]) >= 3
    greeting = fake.wait_for("chat.postMessage", channel="DALICE", thread_ts=thread_ts)[0]
    assert "architecture" in greeting.args["text"]


def test_message_in_an_assistant_thread_shows_status_and_is_answered(bot: SlackBot, fake: FakeSlack) -> None:
    thread_ts = fake.next_ts()
    fake.add_message("DALICE", {"ts": thread_ts, "text": "Hi! Ask away.", "user": "UBOT", "bot_id": "BBOT"})
    question = bot.user_message(
        "DALICE", "how long do we keep application logs?", channel_type="im", thread_ts=thread_ts
    )

    status = fake.wait_for("assistant.threads.setStatus", channel_id="DALICE", thread_ts=thread_ts)[0]
    assert status.args["status"]
    answer = fake.wait_for("chat.postMessage", channel="DALICE", thread_ts=thread_ts)[0]
    assert "30 days" in answer.blocks_text()
    assert fake.calls_to("conversations.replies", channel="DALICE", ts=thread_ts)
    assert question["ts"] != thread_ts


def test_app_home_says_what_is_indexed_and_how_to_ask(bot: SlackBot, fake: FakeSlack) -> None:
    bot.event({"type": "app_home_opened", "user": USER, "channel": "DALICE", "tab": "home", "event_ts": "1"})

    view = fake.wait_for("views.publish", user_id=USER)[0].args["view"]
    text = str(view)
    assert view["type"] == "home"
    assert "documents* indexed" in text
    assert "ADRs" in text and "standards" in text and "design docs" in text
    assert "Last ingest" in text
    assert "/archbot ask" in text
