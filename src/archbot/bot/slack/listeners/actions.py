"""👍/👎 under an answer: stored with the question, answer and citations for the maintainers."""

from __future__ import annotations

import re

from slack_bolt import App
from slack_sdk import WebClient

from archbot.bot.slack import blocks, jobs
from archbot.bot.slack.deps import Deps
from archbot.bot.slack.listeners.acks import ack_only

VOTES = {blocks.FEEDBACK_UP: "up", blocks.FEEDBACK_DOWN: "down"}


def register(app: App, deps: Deps) -> None:
    def record(body: dict, action: dict, client: WebClient) -> None:
        user = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id")
        thread_ts = (body.get("message") or {}).get("thread_ts")
        posted = deps.state.answer(str(action.get("value")))
        if posted is None:
            text = "I no longer have a record of that answer, so I couldn't store your feedback."
        else:
            deps.state.record_feedback(posted, user, VOTES[action["action_id"]])
            text = "Thanks — noted. Feedback like this is how archbot's answers get better."
        if channel:
            jobs.quietly(
                "feedback thanks",
                lambda: client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, text=text),
            )

    pattern = re.compile(f"^({'|'.join(VOTES)})$")
    app.action(pattern)(ack=ack_only, lazy=[record])
