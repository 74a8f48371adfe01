"""Socket Mode for real on loopback: apps.connections.open hands out a ws:// URL to a fake Socket Mode
server speaking Slack's protocol (hello, envelopes, envelope acks)."""

from __future__ import annotations

import json
import queue
import socket
import threading
from collections.abc import Iterator

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from archbot.bot.slack.app import build_app
from archbot.bot.slack.deps import Deps
from archbot.kernel.settings import Settings
from tests.slack.fake_slack import BOT_USER_ID, TEAM_ID, FakeSlack

APP_TOKEN = "xapp-1-test-app-token"


class FakeSocketMode:
    """Sends each queued envelope to the connected client and collects its acknowledgements."""

    def __init__(self) -> None:
        self.envelopes: queue.Queue[dict | None] = queue.Queue()
        self.acks: queue.Queue[dict] = queue.Queue()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._server: Server = serve(self._handle, sock=self._sock, compression=None)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._sock.getsockname()[1]}/link/?ticket=test"

    def close(self) -> None:
        self.envelopes.put(None)
        self._server.shutdown()

    def _handle(self, ws: ServerConnection) -> None:
        ws.send(
            json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0ARCHBOT"}})
        )
        threading.Thread(target=self._receive, args=(ws,), daemon=True).start()
        while True:
            envelope = self.envelopes.get()
            if envelope is None:
                return
            try:
                ws.send(json.dumps(envelope))
            except ConnectionClosed:
                return

    def _receive(self, ws: ServerConnection) -> None:
        try:
            for message in ws:
                self.acks.put(json.loads(message))
        except ConnectionClosed:
            return


@pytest.fixture
def socket_mode(fake: FakeSlack) -> Iterator[FakeSocketMode]:
    server = FakeSocketMode()
    fake.socket_mode_url = server.url
    yield server
    server.close()


def test_mention_over_socket_mode_is_acknowledged_and_answered(
    slack_settings: Settings, deps: Deps, fake: FakeSlack, socket_mode: FakeSocketMode
) -> None:
    app = build_app(slack_settings.with_(slack_app_token=APP_TOKEN), deps)
    handler = SocketModeHandler(app, app_token=APP_TOKEN)
    ts = fake.next_ts()
    event = {
        "type": "app_mention",
        "user": "UALICE",
        "text": f"<@{BOT_USER_ID}> are we still on rabbitmq for domain events?",
        "ts": ts,
        "channel": "CPUBLIC",
        "event_ts": ts,
    }
    socket_mode.envelopes.put(
        {
            "envelope_id": "env-1",
            "type": "events_api",
            "accepts_response_payload": False,
            "retry_attempt": 0,
            "retry_reason": "",
            "payload": {
                "type": "event_callback",
                "team_id": TEAM_ID,
                "api_app_id": "A0ARCHBOT",
                "event": event,
                "event_id": "EvSOCKET1",
                "event_time": 1,
            },
        }
    )
    handler.connect()
    try:
        ack = socket_mode.acks.get(timeout=15)
        answer = fake.wait_for("chat.postMessage", thread_ts=ts)[0]
    finally:
        handler.close()
        app.listener_runner.listener_executor.shutdown(wait=True)

    assert ack["envelope_id"] == "env-1"
    assert "Adopt Kafka for event streaming" in answer.blocks_text()
    opened = fake.calls_to("apps.connections.open")[0]
    assert opened.headers["authorization"] == f"Bearer {APP_TOKEN}"
