"""/archbot ask|review|help: acknowledged at once, answered through the command's response_url."""

from __future__ import annotations

import json

from tests.slack.fake_slack import FakeSlack
from tests.slack.harness import SlackBot


def test_ask_acknowledges_then_answers_via_response_url(bot: SlackBot, fake: FakeSlack) -> None:
    status, body = bot.command("ask are we still on rabbitmq for domain events?", response="ask1")

    assert status == 200
    assert "Looking" in _shown(body)
    answer = fake.wait_for("response_url", name="ask1")[0]
    assert answer.args["replace_original"] is True
    assert "Adopt Kafka for event streaming" in answer.blocks_text()


def test_review_of_pasted_text(bot: SlackBot, fake: FakeSlack) -> None:
    text = "review We will publish PaymentCaptured domain events to RabbitMQ topic exchanges."
    status, _ = bot.command(text, response="rev1")

    assert status == 200
    review = fake.wait_for("response_url", name="rev1")[0]
    assert "Pre-review of `pasted text`" in review.blocks_text()


def test_review_of_a_slack_file_link(bot: SlackBot, fake: FakeSlack) -> None:
    fake.add_file(
        "F0LINKED", "search.md", "markdown", b"# Search\n\nWe will use OpenSearch.\n", "text/markdown"
    )
    bot.command("review https://acme.slack.com/files/UALICE/F0LINKED/search.md", response="rev2")

    review = fake.wait_for("response_url", name="rev2")[0]
    assert "Pre-review of `search.md`" in review.blocks_text()
    assert fake.calls_to("files.info", file="F0LINKED")


def test_review_of_a_web_link_explains_what_is_read(bot: SlackBot, fake: FakeSlack) -> None:
    bot.command("review https://wiki.example.com/design/search", response="rev3")

    reply = fake.wait_for("response_url", name="rev3")[0]
    assert "not web pages" in reply.blocks_text()
    assert fake.calls_to("download") == []


def test_help_and_unknown_subcommands_answer_in_the_acknowledgement(bot: SlackBot, fake: FakeSlack) -> None:
    for text in ("help", "", "deploy prod"):
        status, body = bot.command(text)
        assert status == 200
        assert "/archbot ask" in _shown(body)
    assert "I don't know `deploy`" in _shown(bot.command("deploy prod")[1])
    bot.drain()
    assert fake.calls_to("response_url") == []


def _shown(body: str) -> str:
    """What Slack shows for an acknowledgement body: plain text, or a JSON message's text."""
    return json.loads(body)["text"] if body.startswith("{") else body
