"""Questions by @mention, thread follow-up and DM, answered through the real app over HTTP."""

from __future__ import annotations

from tests.slack.conftest import SECURITY_CHANNEL
from tests.slack.fake_slack import FakeSlack
from tests.slack.harness import SlackBot

RABBIT = "are we still on rabbitmq for domain events?"


def test_mention_is_answered_in_its_thread_with_sources(bot: SlackBot, fake: FakeSlack) -> None:
    question = bot.mention("CPUBLIC", RABBIT)

    answer = fake.wait_for("chat.postMessage", thread_ts=question["ts"])[0]
    blocks = answer.args["blocks"]
    sources = next(b for b in blocks if b["type"] == "context" and "Sources" in str(b))
    assert "Adopt Kafka for event streaming" in str(sources)
    assert "accepted · 2024-03-05" in str(sources)
    assert "**" not in answer.blocks_text()
    assert {e["action_id"] for e in blocks[-1]["elements"]} == {"feedback_up", "feedback_down"}
    assert fake.calls_to("reactions.add", timestamp=question["ts"], name="eyes")
    fake.wait_for("reactions.remove", timestamp=question["ts"], name="eyes")


def test_follow_up_in_an_answered_thread_needs_no_mention(bot: SlackBot, fake: FakeSlack) -> None:
    question = bot.mention("CPUBLIC", RABBIT)
    fake.wait_for("chat.postMessage", thread_ts=question["ts"])

    bot.user_message("CPUBLIC", "and when did that change?", thread_ts=question["ts"])

    fake.wait_for("chat.postMessage", count=2, thread_ts=question["ts"])
    replies = fake.calls_to("conversations.replies", channel="CPUBLIC", ts=question["ts"])
    assert replies, "the follow-up must read the thread history from Slack"


def test_thread_archbot_is_not_part_of_is_left_alone(bot: SlackBot, fake: FakeSlack) -> None:
    root = bot.user_message("CPUBLIC", "lunch?")
    bot.user_message("CPUBLIC", "are we on kafka now?", thread_ts=root["ts"])
    bot.user_message("CPUBLIC", "what about rabbitmq?")

    bot.drain()
    assert fake.calls_to("chat.postMessage") == []


def test_group_dm_is_answered_on_mention_and_followed_up_in_its_thread(
    bot: SlackBot, fake: FakeSlack
) -> None:
    bot.user_message("GGROUP", "who is bringing the slides?", channel_type="mpim")
    bot.drain()
    assert fake.calls_to("chat.postMessage") == [], "a group DM is a conversation between people"

    question = bot.mention("GGROUP", RABBIT)
    fake.wait_for("chat.postMessage", channel="GGROUP", thread_ts=question["ts"])
    bot.user_message("GGROUP", "and when did that change?", channel_type="mpim", thread_ts=question["ts"])

    fake.wait_for("chat.postMessage", count=2, channel="GGROUP", thread_ts=question["ts"])
    assert fake.calls_to("conversations.replies", channel="GGROUP", ts=question["ts"])


def test_direct_message_is_answered(bot: SlackBot, fake: FakeSlack) -> None:
    question = bot.user_message("DALICE", "how long do we keep application logs?", channel_type="im")

    answer = fake.wait_for("chat.postMessage", channel="DALICE", thread_ts=question["ts"])[0]
    assert "Data retention standard" in answer.blocks_text()
    assert "30 days" in answer.blocks_text()


def test_retried_delivery_answers_once(bot: SlackBot, fake: FakeSlack) -> None:
    question = bot.mention("CPUBLIC", RABBIT, event_id="EvRETRIED")
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert bot.event(dict(question), event_id="EvRETRIED", headers=retry) == 200
    assert bot.event(dict(question), event_id="EvRETRIED", headers=retry | {"X-Slack-Retry-Num": "2"}) == 200

    bot.drain()
    assert len(fake.calls_to("chat.postMessage", thread_ts=question["ts"])) == 1


def test_mention_delivered_as_two_events_answers_once(bot: SlackBot, fake: FakeSlack) -> None:
    """In a thread archbot answered in, a mention arrives as app_mention and as a message event."""
    question = bot.mention("CPUBLIC", RABBIT)
    fake.wait_for("chat.postMessage", thread_ts=question["ts"])
    follow_up = bot.mention("CPUBLIC", "and why?", thread_ts=question["ts"])
    as_message = dict(follow_up) | {"type": "message", "channel_type": "channel"}
    assert bot.event(as_message) == 200

    bot.drain()
    assert len(fake.calls_to("chat.postMessage", thread_ts=question["ts"])) == 2


def test_restricted_document_is_cited_only_where_allowed(bot: SlackBot, fake: FakeSlack) -> None:
    question = "what do we do on a suspected breach of cardholder data?"
    public = bot.mention("CPUBLIC", question)
    secure = bot.mention(SECURITY_CHANNEL, question)

    public_answer = fake.wait_for("chat.postMessage", thread_ts=public["ts"])[0]
    secure_answer = fake.wait_for("chat.postMessage", thread_ts=secure["ts"])[0]
    assert "Security incident playbook" not in public_answer.blocks_text()
    assert "HSM" not in public_answer.blocks_text()
    assert "Security incident playbook" in secure_answer.blocks_text()


def test_empty_mention_gets_help(bot: SlackBot, fake: FakeSlack) -> None:
    question = bot.mention("CPUBLIC", "")

    reply = fake.wait_for("chat.postMessage", thread_ts=question["ts"])[0]
    assert "/archbot ask" in reply.blocks_text()
