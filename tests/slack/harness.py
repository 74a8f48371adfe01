"""Drives the real Bolt app over real HTTP with requests signed exactly as Slack signs them."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

from slack_bolt import App

from archbot.bot.slack.deps import Deps
from archbot.bot.slack.server import EVENTS_PATH, make_http_server
from tests.slack.fake_slack import BOT_USER_ID, TEAM_ID, FakeSlack

SIGNING_SECRET = "test-signing-secret-0123456789"
USER = "UALICE"


def signature(secret: str, timestamp: str, body: str) -> str:
    """Slack's v0 scheme: HMAC-SHA256 over `v0:{timestamp}:{body}` with the signing secret."""
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


class SlackBot:
    """The app served on 127.0.0.1 at a random port, and helpers to send it what Slack would."""

    def __init__(self, app: App, fake: FakeSlack, deps: Deps, *, max_body_bytes: int | None = None) -> None:
        self.app = app
        self.fake = fake
        self.deps = deps
        self._server = make_http_server(
            app,
            "127.0.0.1",
            0,
            signing_secret=SIGNING_SECRET,
            max_body_bytes=max_body_bytes or deps.settings.slack_max_body_bytes,
            ready=deps.not_ready,
        )
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        self._event_ids = itertools.count(1)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def url(self) -> str:
        return f"{self.base}{EVENTS_PATH}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self.app.listener_runner.listener_executor.shutdown(wait=True)

    def drain(self) -> None:
        """Waits until every lazy job queued so far has finished (the tests run one worker, so a job
        submitted now runs after all of them): the way to assert that nothing else happened."""
        self.app.listener_runner.listener_executor.submit(lambda: None).result(timeout=60)

    # -- raw requests ----------------------------------------------------------------------------------

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        """(status, body) of a signed POST to /slack/events."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        request = urllib.request.Request(
            self.url,
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": signature(secret, ts, body),
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    # -- what Slack sends --------------------------------------------------------------------------------

    def envelope(self, event: dict, event_id: str | None = None) -> str:
        return json.dumps(
            {
                "token": "legacy-verification-token",
                "team_id": TEAM_ID,
                "api_app_id": "A0ARCHBOT",
                "event": event,
                "type": "event_callback",
                "event_id": event_id or f"Ev{next(self._event_ids):08d}",
                "event_time": int(time.time()),
                "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
            }
        )

    def event(self, event: dict, event_id: str | None = None, headers: dict | None = None) -> int:
        status, _ = self.post(self.envelope(event, event_id), "application/json", headers=headers)
        return status

    def user_message(
        self,
        channel: str,
        text: str,
        *,
        kind: str = "message",
        channel_type: str = "channel",
        thread_ts: str | None = None,
        files: list[dict] | None = None,
        event_id: str | None = None,
    ) -> dict:
        """A message by a person: recorded in the fake's conversation, then delivered as an event."""
        event = {
            "type": kind,
            "user": USER,
            "text": text,
            "ts": self.fake.next_ts(),
            "channel": channel,
            "event_ts": "0",
            "client_msg_id": f"msg-{time.monotonic_ns()}",
        }
        if kind == "message":
            event["channel_type"] = channel_type
        if thread_ts:
            event["thread_ts"] = thread_ts
        if files:
            event["files"] = files
            if kind == "message":
                event["subtype"] = "file_share"
        event["event_ts"] = event["ts"]
        self.fake.add_message(
            channel, {k: v for k, v in event.items() if k in ("ts", "text", "user", "thread_ts")}
        )
        assert self.event(event, event_id) == 200
        return event

    def mention(self, channel: str, question: str, **kwargs: object) -> dict:
        return self.user_message(channel, f"<@{BOT_USER_ID}> {question}", kind="app_mention", **kwargs)

    def command(self, text: str, channel: str = "CPUBLIC", response: str = "cmd") -> tuple[int, str]:
        body = urlencode(
            {
                "token": "legacy",
                "team_id": TEAM_ID,
                "channel_id": channel,
                "user_id": USER,
                "command": "/archbot",
                "text": text,
                "response_url": self.fake.response_url(response),
                "trigger_id": "trigger-1",
            }
        )
        return self.post(body, "application/x-www-form-urlencoded")

    def interact(self, payload: dict) -> int:
        status, _ = self.post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )
        return status
