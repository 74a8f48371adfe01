"""A fake Slack Web API on 127.0.0.1: records every call and answers like Slack for what archbot uses.

It also serves `url_private` file downloads and slash-command `response_url`s, keeps threads so that
conversations.replies returns what was posted, and can be told to fail a method (HTTP 500, or 429
`ratelimited` with Retry-After) a number of times. Modelled on bolt-python's tests/mock_web_api_server.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0TEAM"
BOT_TOKEN = "xoxb-test-archbot-token"


@dataclass
class Call:
    method: str
    http_method: str
    path: str
    headers: dict[str, str]
    args: dict

    def blocks_text(self) -> str:
        """All text in the call's blocks (and `text`), for assertions about what a user would see."""
        blocks = self.args.get("blocks") or []
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        return json.dumps(blocks, ensure_ascii=False) + "\n" + str(self.args.get("text") or "")


@dataclass
class Failure:
    status: int
    body: dict
    headers: dict[str, str] = field(default_factory=dict)


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.files: dict[str, dict] = {}
        self.downloads: dict[str, tuple[bytes, str]] = {}
        self.messages: dict[str, list[dict]] = {}
        self.socket_mode_url: str | None = None
        self._failures: dict[str, list[Failure]] = {}
        self._changed = threading.Condition()
        self._ts = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> FakeSlack:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/response/{name}"

    def next_ts(self) -> str:
        """Message timestamps, increasing like Slack's, shared by the test's users and the bot."""
        return f"1700000000.{next(self._ts):06d}"

    # -- scripting -----------------------------------------------------------------------------------

    def fail(self, method: str, times: int = 1, status: int = 500) -> None:
        self._failures.setdefault(method, []).extend(
            [Failure(status, {"ok": False, "error": "fatal_error"})] * times
        )

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 0) -> None:
        failure = Failure(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)})
        self._failures.setdefault(method, []).extend([failure] * times)

    def add_file(self, file_id: str, name: str, filetype: str, content: bytes, mimetype: str) -> dict:
        path = f"/files-pri/{TEAM_ID}-{file_id}/{name}"
        self.downloads[path] = (content, mimetype)
        self.files[file_id] = {
            "id": file_id,
            "name": name,
            "title": name,
            "filetype": filetype,
            "mimetype": mimetype,
            "size": len(content),
            "url_private": self.url + path,
            "url_private_download": self.url + path + "?download=1",
        }
        return self.files[file_id]

    def add_message(self, channel: str, message: dict) -> None:
        """A message in a conversation, as conversations.replies will return it."""
        self.messages.setdefault(channel, []).append(message)

    # -- observing -----------------------------------------------------------------------------------

    def calls_to(self, method: str, **match: object) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method == method and _matches(c.args, match)]

    def wait_for(self, method: str, count: int = 1, timeout: float = 15.0, **match: object) -> list[Call]:
        """Blocks until `count` calls to `method` with args matching `match` were made; bounded."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self.calls if c.method == method and _matches(c.args, match)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(c.method, c.args.get("thread_ts")) for c in self.calls]
                    raise AssertionError(f"expected {count} x {method} {match}; calls so far: {seen}")
                self._changed.wait(remaining)

    # -- serving -------------------------------------------------------------------------------------

    def _record(self, call: Call) -> Failure | None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
            queue = self._failures.get(call.method)
            return queue.pop(0) if queue else None

    def _answer(self, call: Call) -> dict:
        args = call.args
        method = call.method
        if method == "auth.test":
            return {
                "ok": True,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "team_id": TEAM_ID,
                "user": "archbot",
            }
        if method == "apps.connections.open" and self.socket_mode_url:
            return {"ok": True, "url": self.socket_mode_url}
        if method == "chat.postMessage":
            message = {
                "ts": self.next_ts(),
                "text": args.get("text", ""),
                "user": BOT_USER_ID,
                "bot_id": BOT_ID,
            }
            if args.get("thread_ts"):
                message["thread_ts"] = args["thread_ts"]
            self.add_message(args["channel"], message)
            return {"ok": True, "channel": args["channel"], "ts": message["ts"], "message": message}
        if method == "chat.update":
            return {"ok": True, "channel": args["channel"], "ts": args["ts"], "text": args.get("text", "")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self.next_ts()}
        if method == "conversations.replies":
            thread = [
                m
                for m in self.messages.get(args["channel"], [])
                if m["ts"] == args["ts"] or m.get("thread_ts") == args["ts"]
            ]
            return {"ok": True, "messages": sorted(thread, key=lambda m: float(m["ts"])), "has_more": False}
        if method == "files.info":
            file = self.files.get(args.get("file", ""))
            return {"ok": True, "file": file} if file else {"ok": False, "error": "file_not_found"}
        if method in (
            "reactions.add",
            "reactions.remove",
            "views.publish",
            "assistant.threads.setStatus",
            "assistant.threads.setSuggestedPrompts",
            "assistant.threads.setTitle",
        ):
            return {"ok": True}
        return {"ok": False, "error": "unknown_method"}


def _matches(args: dict, match: dict) -> bool:
    return all(args.get(k) == v for k, v in match.items())


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the test output should show only failures."""

        def do_GET(self) -> None:
            self._handle()

        def do_POST(self) -> None:
            self._handle()

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8") if length else ""
            args = dict(parse_qsl(parts.query))
            if "json" in (self.headers.get("Content-Type") or ""):
                args.update(json.loads(raw or "{}"))
            elif raw:
                args.update(parse_qsl(raw))
            headers = {k.lower(): v for k, v in self.headers.items()}
            if parts.path.startswith("/api/"):
                method = parts.path.removeprefix("/api/")
            elif parts.path.startswith("/response/"):
                method = "response_url"
                args["name"] = parts.path.removeprefix("/response/")
            else:
                method = "download"
            call = Call(method, self.command, parts.path, headers, args)
            failure = fake._record(call)
            if failure is not None:
                self._send(
                    failure.status, json.dumps(failure.body).encode(), "application/json", failure.headers
                )
            elif method == "download":
                self._download(parts.path, headers)
            elif method == "response_url":
                self._send(200, b"ok", "text/plain")
            else:
                self._send(200, json.dumps(fake._answer(call)).encode(), "application/json")

        def _download(self, path: str, headers: dict[str, str]) -> None:
            if headers.get("authorization") != "Bearer " + BOT_TOKEN:
                self._send(403, b"<html>sign in</html>", "text/html")
            elif path not in fake.downloads:
                self._send(404, b"not found", "text/plain")
            else:
                content, mimetype = fake.downloads[path]
                self._send(200, content, mimetype)

        def _send(
            self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler
