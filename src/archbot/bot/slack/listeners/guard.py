"""Requests that lack what a listener needs are acknowledged and dropped with one log line.

A payload without a channel, a timestamp or a user cannot be answered anyway; letting it reach a
listener would only end in a KeyError on a worker thread. The fields each kind needs are data here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App, BoltResponse

log = logging.getLogger(__name__)

# Dotted paths into the request body that must be present, by what the request is.
REQUIRED: dict[str, tuple[str, ...]] = {
    "event:app_mention": ("event.channel", "event.ts"),  # answered in the mention's thread
    "event:message": ("event.channel", "event.ts"),  # DMs and thread follow-ups
    "command": ("channel_id", "user_id", "response_url"),  # slash commands reply via response_url
    "block_actions": ("user.id", "actions"),  # feedback buttons
    "message_action": ("channel.id", "message.ts", "user.id"),  # "Review with archbot" shortcut
}


def _kind(body: dict) -> str | None:
    if body.get("type") == "event_callback":
        return f"event:{(body.get('event') or {}).get('type')}"
    if body.get("command"):
        return "command"
    return body.get("type")


def _present(body: dict, path: str) -> bool:
    value: object = body
    for key in path.split("."):
        if not isinstance(value, dict) or value.get(key) in (None, "", []):
            return False
        value = value[key]
    return True


def register(app: App) -> None:
    @app.middleware
    def drop_incomplete_requests(body: dict, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        kind = _kind(body)
        missing = [p for p in REQUIRED.get(kind or "", ()) if not _present(body, p)]
        if missing:
            log.info("ignoring a %s request without %s", kind, ", ".join(missing))
            return BoltResponse(status=200, body="")
        return next()
