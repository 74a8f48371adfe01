"""Slack's AI-app surface: assistant threads get suggested prompts, a status while archbot works,
and the same answers as a mention (every DM thread reply arrives here, assistant thread or not)."""

from __future__ import annotations

from slack_bolt import App, Assistant, BoltContext, Say, SetSuggestedPrompts
from slack_bolt.context.set_status import SetStatus
from slack_sdk import WebClient

from archbot.bot.slack import jobs
from archbot.bot.slack.deps import Deps
from archbot.bot.slack.listeners.acks import auto_ack
from archbot.bot.slack.listeners.events import handle_message

GREETING = (
    "Hi! I answer architecture questions from our ADRs, standards and design docs, with sources. "
    "Ask away, or share a design doc for a pre-review."
)
SUGGESTED_PROMPTS = [
    {"title": "Messaging", "message": "Which message broker do we use for domain events, and why?"},
    {"title": "Decision history", "message": "Which architecture decisions have been superseded?"},
    {"title": "Standards", "message": "What do our standards say about logging and log retention?"},
    {"title": "Pre-review", "message": "What should a design doc for a new service cover?"},
]


def register(app: App, deps: Deps) -> None:
    assistant = Assistant()

    def greet(say: Say, set_suggested_prompts: SetSuggestedPrompts) -> None:
        def work() -> None:
            say(GREETING)
            set_suggested_prompts(prompts=SUGGESTED_PROMPTS, title="Try asking")

        jobs.quietly("assistant greeting", work)

    def on_user_message(event: dict, client: WebClient, context: BoltContext, set_status: SetStatus) -> None:
        handle_message(deps, event, client, context, set_status=set_status)

    assistant.thread_started(lazy=[greet])(auto_ack)
    assistant.user_message(lazy=[on_user_message])(auto_ack)
    app.assistant(assistant)
