"""The message shortcut "Pre-review with archbot": reviews the message's file, or its text."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient

from archbot.bot.slack import jobs
from archbot.bot.slack.client import make_webhook
from archbot.bot.slack.conversation import plain_text
from archbot.bot.slack.deps import Deps
from archbot.bot.slack.listeners.acks import ack_only
from archbot.bot.slack.replies import PlaceholderReply

CALLBACK_ID = "prereview"


def register(app: App, deps: Deps) -> None:
    def prereview(body: dict, client: WebClient) -> None:
        message = body.get("message") or {}
        reply = PlaceholderReply(
            client,
            body["channel"]["id"],
            message["ts"],
            message.get("thread_ts"),
            body["user"]["id"],
            placeholder="📝 Pre-reviewing this message…",
            webhook=make_webhook(body["response_url"]) if body.get("response_url") else None,
        )
        files = message.get("files") or []
        if files:
            jobs.review_files(deps, client, reply, files)
        else:
            jobs.review_text(deps, reply, plain_text(message.get("text")), name="the shared message")

    app.shortcut(CALLBACK_ID)(ack=ack_only, lazy=[prereview])
