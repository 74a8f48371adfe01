"""Serving the app over HTTP: every request type (events, commands, interactivity) at /slack/events."""

from __future__ import annotations

import logging
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

EVENTS_PATH = "/slack/events"
log = logging.getLogger(__name__)


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """One thread per request: an acknowledgement never waits behind another request."""

    daemon_threads = True


class _LoggingHandler(WSGIRequestHandler):
    """Access lines go to the log at debug level instead of stderr."""

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s " + format, self.address_string(), *args)


def make_http_server(app: App, host: str, port: int) -> WSGIServer:
    """A WSGI server for the app; port 0 picks a free one (see `server_port`)."""
    return make_server(
        host,
        port,
        SlackRequestHandler(app, path=EVENTS_PATH),
        server_class=_ThreadingWSGIServer,
        handler_class=_LoggingHandler,
    )
