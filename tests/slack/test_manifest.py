"""The app manifest asks for what the code uses: its command, shortcut and events."""

from __future__ import annotations

import json

from archbot.bot.slack.listeners.commands import COMMAND
from archbot.bot.slack.listeners.shortcuts import CALLBACK_ID
from tests.conftest import REPO


def test_manifest_matches_the_listeners() -> None:
    manifest = json.loads((REPO / "slack" / "manifest.json").read_text(encoding="utf-8"))
    features = manifest["features"]
    assert [c["command"] for c in features["slash_commands"]] == [COMMAND]
    assert [(s["type"], s["callback_id"]) for s in features["shortcuts"]] == [("message", CALLBACK_ID)]
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert events == {
        "app_home_opened",
        "app_mention",
        "assistant_thread_started",
        "message.channels",
        "message.groups",
        "message.im",
        "message.mpim",
    }
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    # conversations.replies reads thread history in every kind of conversation archbot answers in
    assert {"assistant:write", "channels:history", "groups:history", "im:history", "mpim:history"} <= scopes
    assert features["app_home"]["home_tab_enabled"] is True
