"""Slack redelivers an event it thinks was missed (X-Slack-Retry-Num), and may deliver one twice.

Every event delivery claims its `event_id` in SQLite before any listener sees it; a delivery whose id is
already claimed is acknowledged and dropped, so a retry can never produce a second answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App, BoltRequest, BoltResponse

from archbot.bot.slack.deps import Deps

log = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    @app.middleware
    def skip_duplicate_deliveries(
        body: dict, request: BoltRequest, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not deps.state.claim(f"event:{event_id}"):
            retry = _header(request, "x-slack-retry-num")
            reason = _header(request, "x-slack-retry-reason")
            log.info("dropping a repeated delivery of %s (retry %s, %s)", event_id, retry, reason)
            return BoltResponse(status=200, body="")
        return next()


def _header(request: BoltRequest, name: str) -> str | None:
    values = request.headers.get(name) or []
    return values[0] if values else None
