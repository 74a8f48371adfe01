"""Serving the app over HTTP: Slack's requests at /slack/events, probes at /healthz and /readyz.

Before Bolt sees a request, `GuardedApp` bounds it: a body over the limit is refused with 413 before it
is read, a forged one with 401 before it is parsed, and a signed body that is not the JSON or form
Slack sends gets 400 instead of an exception inside Bolt. Bolt then verifies and parses it again as
usual. The probes let a load balancer run several replicas (docs/slack.md).
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """One thread per request: an acknowledgement never waits behind another request."""

    daemon_threads = True


class _LoggingHandler(WSGIRequestHandler):
    """Access lines go to the log at debug level instead of stderr."""

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s " + format, self.address_string(), *args)


def _respond(start_response: StartResponse, status: str, text: str) -> list[bytes]:
    body = text.encode()
    start_response(
        status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    )
    return [body]


def _malformed(body: bytes, content_type: str) -> str | None:
    """Why a signed body is not what Slack sends, or None when it is."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8"
    if content_type.startswith("application/json"):
        try:
            return None if isinstance(json.loads(text), dict) else "JSON that is not an object"
        except ValueError:
            return "invalid JSON"
    if content_type.startswith("application/x-www-form-urlencoded"):
        form = parse_qs(text, keep_blank_values=True)
        if not form:
            return "an empty form"
        if "payload" in form:
            try:
                return (
                    None
                    if isinstance(json.loads(form["payload"][0]), dict)
                    else "a payload that is not an object"
                )
            except ValueError:
                return "a form whose payload is invalid JSON"
        return None
    return f"content type {content_type or 'missing'}"


# An oversized body is read and thrown away in small pieces, up to this much, so the client (still
# sending) receives the 413 rather than a broken connection; past it the connection is simply closed.
DISCARD_LIMIT = 16 * 1024 * 1024


def _discard(stream: io.BufferedIOBase, length: int) -> None:
    left = min(length, DISCARD_LIMIT)
    while left > 0:
        piece = stream.read(min(left, 64 * 1024))
        if not piece:
            return
        left -= len(piece)


class GuardedApp:
    """The WSGI application: probes, limits and checks in front of Bolt's handler."""

    def __init__(
        self, app: App, signing_secret: str, max_body_bytes: int, ready: Callable[[], str | None]
    ) -> None:
        self._bolt = SlackRequestHandler(app, path=EVENTS_PATH)
        self._verifier = SignatureVerifier(signing_secret)
        self._max = max_body_bytes
        self._ready = ready

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH:
            return _respond(start_response, "200 OK", "ok")
        if path == READY_PATH:
            problem = self._ready()
            if problem:
                return _respond(start_response, "503 Service Unavailable", problem)
            return _respond(start_response, "200 OK", "ready")
        if path != EVENTS_PATH or environ.get("REQUEST_METHOD") != "POST":
            return self._bolt(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _respond(start_response, "400 Bad Request", "bad Content-Length")
        if length > self._max:
            log.info("refusing a %d-byte request (limit %d)", length, self._max)
            _discard(environ["wsgi.input"], length)
            return _respond(start_response, "413 Payload Too Large", "request too large")
        body = environ["wsgi.input"].read(length) if length else b""
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not self._verifier.is_valid(body, timestamp, signature):
            return _respond(start_response, "401 Unauthorized", "invalid request")
        problem = _malformed(body, environ.get("CONTENT_TYPE", ""))
        if problem:
            log.info("refusing a signed request: %s", problem)
            return _respond(start_response, "400 Bad Request", "malformed request")
        environ["wsgi.input"] = io.BytesIO(body)
        return self._bolt(environ, start_response)


def make_http_server(
    app: App,
    host: str,
    port: int,
    *,
    signing_secret: str,
    max_body_bytes: int,
    ready: Callable[[], str | None] = lambda: None,
) -> WSGIServer:
    """A WSGI server for the app; port 0 picks a free one (see `server_port`). `ready` returns why the
    process is not ready to answer (for /readyz), or None."""
    return make_server(
        host,
        port,
        GuardedApp(app, signing_secret, max_body_bytes, ready),
        server_class=_ThreadingWSGIServer,
        handler_class=_LoggingHandler,
    )
