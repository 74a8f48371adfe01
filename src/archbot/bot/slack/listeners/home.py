"""The App Home tab: what is indexed (documents by kind, last ingest) and how to ask."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient

from archbot.bot.slack import blocks, jobs
from archbot.bot.slack.deps import Deps
from archbot.bot.slack.listeners.acks import auto_ack


def register(app: App, deps: Deps) -> None:
    def publish(event: dict, client: WebClient) -> None:
        if event.get("tab") != "home":
            return

        def work() -> None:
            stats = deps.advisor().stats()
            view = blocks.home_view(stats.documents, stats.by_kind, stats.last_ingest)
            client.views_publish(user_id=event["user"], view=view)

        jobs.quietly("App Home", work)

    app.event("app_home_opened")(ack=auto_ack, lazy=[publish])
