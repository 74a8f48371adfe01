"""Pre-reviews of shared design docs: a file with a mention, a file in a DM, the message shortcut."""

from __future__ import annotations

from tests.slack.fake_slack import BOT_TOKEN, FakeSlack
from tests.slack.harness import USER, SlackBot

DESIGN = b"""# Payments event pipeline

## Proposal

Payment services will publish PaymentCaptured domain events to RabbitMQ topic exchanges, as ADR 7 decided.
Web session state will be kept with sticky sessions on the load balancer.
"""


def test_shared_markdown_file_is_fetched_with_the_bot_token_and_reviewed(
    bot: SlackBot, fake: FakeSlack
) -> None:
    fake.add_file("F0DESIGN", "pipeline.md", "markdown", DESIGN, "text/markdown")
    question = bot.mention(
        "CPUBLIC", "please pre-review", files=[{"id": "F0DESIGN", "file_access": "check_file_info"}]
    )

    placeholder = fake.wait_for("chat.postMessage", thread_ts=question["ts"])[0]
    assert "Reading" in placeholder.args["text"]
    review = fake.wait_for("chat.update", channel="CPUBLIC")[0]
    assert "Pre-review of `pipeline.md`" in review.blocks_text()
    first_finding = review.args["blocks"][1]["text"]["text"]
    assert "*Conflict*" in first_finding and "ADR 12 (Adopt Kafka for event streaming)" in first_finding
    assert fake.calls_to("files.info", file="F0DESIGN")
    download = fake.calls_to("download")[0]
    assert download.headers["authorization"] == f"Bearer {BOT_TOKEN}"


def test_file_shared_in_a_dm_is_reviewed(bot: SlackBot, fake: FakeSlack) -> None:
    file = fake.add_file("F0NOTES", "notes.txt", "text", DESIGN, "text/plain")
    bot.user_message("DALICE", "", channel_type="im", files=[file])

    review = fake.wait_for("chat.update", channel="DALICE")[0]
    assert "Pre-review of `notes.txt`" in review.blocks_text()
    assert fake.calls_to("files.info") == [], "a complete file object needs no files.info"


def test_unreadable_file_type_gets_a_clear_reply(bot: SlackBot, fake: FakeSlack) -> None:
    file = fake.add_file("F0PNG", "architecture.png", "png", b"\x89PNG", "image/png")
    question = bot.mention("CPUBLIC", "thoughts?", files=[file])

    reply = fake.wait_for("chat.update", channel="CPUBLIC")[0]
    text = reply.blocks_text()
    assert "architecture.png" in text
    assert ".md" in text and ".txt" in text
    assert fake.calls_to("download") == []
    assert fake.calls_to("chat.postMessage", thread_ts=question["ts"]), "the placeholder went in the thread"


def test_message_shortcut_reviews_the_message_text(bot: SlackBot, fake: FakeSlack) -> None:
    ts = fake.next_ts()
    status = bot.interact(
        {
            "type": "message_action",
            "callback_id": "prereview",
            "trigger_id": "t1",
            "team": {"id": "T0TEAM"},
            "user": {"id": USER},
            "channel": {"id": "CPUBLIC"},
            "message": {"type": "message", "user": USER, "ts": ts, "text": DESIGN.decode()},
            "response_url": fake.response_url("shortcut"),
        }
    )

    assert status == 200
    placeholder = fake.wait_for("chat.postMessage", thread_ts=ts)[0]
    assert "Pre-reviewing" in placeholder.args["text"]
    review = fake.wait_for("chat.update", channel="CPUBLIC")[0]
    assert "Pre-review of `the shared message`" in review.blocks_text()
