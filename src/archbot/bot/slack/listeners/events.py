"""Messages archbot answers: @mentions, direct messages, and follow-ups in threads it answered in.

A message with files attached is a document to pre-review; any other message is a question.
"""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_bolt.context.set_status import SetStatus
from slack_sdk import WebClient

from archbot.bot.slack import jobs
from archbot.bot.slack.conversation import mentions, plain_text, thread_history
from archbot.bot.slack.deps import Deps
from archbot.bot.slack.listeners.acks import auto_ack
from archbot.bot.slack.replies import PlaceholderReply, ThreadReply
from archbot.kernel.types import Turn

# Subtypes that are someone writing to archbot; edits, joins and bot posts are not.
_USER_SUBTYPES = (None, "file_share")


def register(app: App, deps: Deps) -> None:
    def on_message(event: dict, client: WebClient, context: BoltContext) -> None:
        handle_message(deps, event, client, context)

    def is_follow_up_or_dm(event: dict, context: BoltContext) -> bool:
        """DMs, and thread replies without a mention in a thread archbot answered in (the mention
        itself arrives as app_mention)."""
        if event.get("subtype") not in _USER_SUBTYPES or event.get("bot_id"):
            return False
        if event.get("channel_type") == "im":
            return True
        thread_ts = event.get("thread_ts")
        return bool(
            thread_ts
            and thread_ts != event.get("ts")
            and not mentions(event.get("text"), context.bot_user_id)
            and deps.state.answered_in(event["channel"], thread_ts)
        )

    def ignore() -> None:
        """Other channel chatter: acknowledged so Slack does not retry it."""

    app.event("app_mention")(ack=auto_ack, lazy=[on_message])
    app.event("message", matchers=[is_follow_up_or_dm])(ack=auto_ack, lazy=[on_message])
    app.event("message")(ignore)


def handle_message(
    deps: Deps, event: dict, client: WebClient, context: BoltContext, set_status: SetStatus | None = None
) -> None:
    """Answers or reviews one message, once: an @mention in a thread arrives both as app_mention
    and as a message event, and only the first to claim it replies."""
    channel, ts = event["channel"], event["ts"]
    if not deps.state.claim(f"message:{channel}:{ts}"):
        return
    thread_ts = event.get("thread_ts")
    user = event.get("user")
    files = event.get("files") or []
    if files:
        reply = PlaceholderReply(client, channel, ts, thread_ts, user, placeholder="📝 Reading the document…")
        jobs.review_files(deps, client, reply, files)
        return
    reply = ThreadReply(client, channel, ts, thread_ts, user, set_status=set_status)
    question = plain_text(event.get("text"))
    if not question:
        jobs.post_help(reply)
        return

    def history() -> list[Turn]:
        if not thread_ts or thread_ts == ts:
            return []
        return thread_history(client, channel, thread_ts, ts, context.bot_user_id, context.bot_id)

    jobs.answer_question(deps, reply, question, history)
