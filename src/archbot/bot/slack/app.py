"""Builds the Bolt app. Thin on purpose: listeners live in `bot.slack.listeners`."""

from __future__ import annotations

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError

from archbot.bot.slack.client import make_web_client
from archbot.bot.slack.deps import Deps
from archbot.bot.slack.executor import AdmissionExecutor
from archbot.bot.slack.listeners import register_listeners
from archbot.kernel.errors import ConfigError
from archbot.kernel.settings import Settings


def build_app(settings: Settings, deps: Deps | None = None) -> App:
    """The Bolt app, its Web API client pointed at SLACK_API_URL when set.

    `process_before_response=True` makes the request thread run only the acknowledgement, so a busy
    executor can never delay an ack past Slack's 3 seconds; the slow work (Bolt's lazy functions) runs on
    `settings.slack_workers` threads, sized for how many answers may be computed at once, with at most
    `settings.slack_queue` more waiting (see `AdmissionExecutor`).
    """
    try:
        app = App(
            client=make_web_client(settings),
            signing_secret=settings.slack_signing_secret or "",
            process_before_response=True,
            listener_executor=AdmissionExecutor(settings.slack_workers, settings.slack_queue),
        )
    except (BoltError, SlackApiError, OSError) as exc:
        # Bolt checks the token with auth.test at start-up; say what to check instead of a traceback.
        where = settings.slack_api_url or "https://slack.com/api/"
        raise ConfigError(
            f"Slack did not accept the bot token, or could not be reached at {where} ({type(exc).__name__}).",
            "Check SLACK_BOT_TOKEN (xoxb-…), SLACK_API_URL and the network, then run `archbot slack` again.",
        ) from exc
    register_listeners(app, deps or Deps(settings))
    return app
