"""Turning Slack messages into the question and thread history the advisor core takes."""

from __future__ import annotations

import re

from slack_sdk import WebClient

from archbot.kernel.types import Turn

# Enough context for a follow-up without drowning the question in an old discussion.
MAX_HISTORY_TURNS = 10
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_SLACK_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")
_BARE_LINK = re.compile(r"<(https?://[^|>]+)>")


def mentions(text: str | None, user_id: str | None) -> bool:
    return bool(text and user_id and any(m == user_id for m in _MENTION.findall(text)))


def plain_text(text: str | None) -> str:
    """A message's text as a person reads it: without @mentions, with Slack's link syntax undone."""
    text = _MENTION.sub("", text or "")
    text = _SLACK_LINK.sub(r"\2 (\1)", text)
    text = _BARE_LINK.sub(r"\1", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def thread_history(
    client: WebClient,
    channel: str,
    thread_ts: str,
    before_ts: str,
    bot_user_id: str | None,
    bot_id: str | None,
) -> list[Turn]:
    """The thread's messages before `before_ts`, oldest first, as user/assistant turns."""
    response = client.conversations_replies(channel=channel, ts=thread_ts, limit=200)
    turns: list[Turn] = []
    for message in response.get("messages", []):
        if float(message.get("ts", "0")) >= float(before_ts):
            continue
        from_bot = (bot_id and message.get("bot_id") == bot_id) or (
            bot_user_id and message.get("user") == bot_user_id
        )
        text = plain_text(message.get("text"))
        if text:
            turns.append(Turn("assistant" if from_bot else "user", text))
    return turns[-MAX_HISTORY_TURNS:]
