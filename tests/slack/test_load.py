"""Slack under load and hostile input: the real app over HTTP, a fake Slack Web API on loopback.

A burst of concurrent mentions gets one answer each and no error; requests that are too big, malformed
or incomplete get their status code and nothing is posted; a full queue turns users away politely; the
probes report liveness and readiness. None of it may leave a traceback in the log.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from archbot.advisor.core import Advisor
from archbot.bot.slack.app import build_app
from archbot.bot.slack.deps import Deps
from archbot.bot.slack.jobs import BUSY
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.settings import Settings
from tests.minicorpus import write_minicorpus
from tests.slack.fake_slack import BOT_USER_ID, FakeSlack
from tests.slack.harness import SlackBot

BURST = 30
QUESTIONS = [
    "are we still on rabbitmq for domain events?",
    "how do services authenticate to each other?",
    "how long do we keep application logs?",
]


def _no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []
    assert "Traceback" not in caplog.text


@pytest.fixture
def busy_bot(slack_settings: Settings, fake: FakeSlack) -> Iterator[SlackBot]:
    """Four workers, as production defaults to, so jobs really run at the same time."""
    settings = slack_settings.with_(slack_workers=4)
    deps = Deps(settings)
    deps.warm()
    running = SlackBot(build_app(settings, deps), fake, deps)
    yield running
    running.close()


def test_a_burst_of_concurrent_mentions_gets_one_answer_each(
    busy_bot: SlackBot, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    channels = [f"CLOAD{i:02d}" for i in range(BURST)]
    with ThreadPoolExecutor(10) as senders:
        sent = list(
            senders.map(lambda i: busy_bot.mention(channels[i], QUESTIONS[i % len(QUESTIONS)]), range(BURST))
        )

    for event in sent:
        replies = fake.wait_for("chat.postMessage", channel=event["channel"], timeout=60)
        assert len(replies) == 1
        assert "Sorry" not in replies[0].args["text"] and "⚠️" not in replies[0].args["text"]
        assert replies[0].args.get("blocks"), "an answer carries its sources in blocks"
    busy_bot.drain()
    assert sorted(c.args["channel"] for c in fake.calls_to("chat.postMessage")) == sorted(channels)
    deadline = time.monotonic() + 30  # each job logs its timing just after posting
    while caplog.text.count("from event to reply") < BURST and time.monotonic() < deadline:
        time.sleep(0.05)
    assert caplog.text.count("from event to reply") == BURST
    _no_tracebacks(caplog)


def test_one_advisor_opened_and_used_from_many_threads_at_once(
    minilm_settings: Settings, tmp_path: Path
) -> None:
    """The first-use race: many threads open the index and ask in the same moment."""
    ingest_paths(minilm_settings, [write_minicorpus(tmp_path / "kb")])
    start = threading.Barrier(8)

    def open_and_ask(i: int) -> bool:
        start.wait()
        advisor = Advisor.open(minilm_settings)
        return not advisor.ask(QUESTIONS[i % len(QUESTIONS)]).abstained

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(open_and_ask, range(8)))

    shared = Advisor.open(minilm_settings)
    barrier = threading.Barrier(16)

    def ask(i: int) -> int:
        barrier.wait()
        return len(shared.ask(QUESTIONS[i % len(QUESTIONS)]).citations)

    with ThreadPoolExecutor(16) as pool:
        assert all(n > 0 for n in pool.map(ask, range(16)))


def test_a_body_over_the_limit_is_refused_before_it_is_read(
    bot: SlackBot, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    event = {"type": "app_mention", "user": "UALICE", "channel": "CPUBLIC", "ts": fake.next_ts()}
    event["text"] = f"<@{BOT_USER_ID}> " + "why kafka? " * 200_000  # about 2 MB, signed
    status, _ = bot.post(bot.envelope(event), "application/json")
    assert status == 413
    bot.drain()
    assert fake.calls_to("chat.postMessage") == []
    _no_tracebacks(caplog)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"type": "event_callback", "event": ', "application/json"),
        ("[1, 2, 3]", "application/json"),
        ("payload=%7Bnot-json", "application/x-www-form-urlencoded"),
        ("", "application/x-www-form-urlencoded"),
        ("\xff\xfe", "application/json"),
        ("hello", "text/plain"),
    ],
)
def test_a_signed_malformed_body_gets_400_and_nothing_is_posted(
    bot: SlackBot, fake: FakeSlack, caplog: pytest.LogCaptureFixture, body: str, content_type: str
) -> None:
    caplog.set_level(logging.INFO)
    status, _ = bot.post(body, content_type)
    assert status == 400
    bot.drain()
    assert fake.calls_to("chat.postMessage") == []
    _no_tracebacks(caplog)


def test_a_forged_malformed_body_gets_401_before_it_is_parsed(bot: SlackBot, fake: FakeSlack) -> None:
    status, _ = bot.post('{"broken": ', "application/json", secret="not-the-secret")
    assert status == 401


@pytest.mark.parametrize("missing", ["channel", "ts"])
def test_a_mention_missing_what_the_listener_needs_is_acknowledged_and_ignored(
    bot: SlackBot, fake: FakeSlack, caplog: pytest.LogCaptureFixture, missing: str
) -> None:
    caplog.set_level(logging.INFO)
    event = {
        "type": "app_mention",
        "user": "UALICE",
        "text": f"<@{BOT_USER_ID}> why kafka?",
        "ts": fake.next_ts(),
        "channel": "CPUBLIC",
    }
    del event[missing]
    assert bot.event(event) == 200
    bot.drain()
    assert fake.calls_to("chat.postMessage") == []
    assert [r.getMessage() for r in caplog.records if "ignoring" in r.getMessage()] == [
        f"ignoring a event:app_mention request without event.{missing}"
    ]
    _no_tracebacks(caplog)


def test_a_command_without_a_response_url_is_ignored(bot: SlackBot, fake: FakeSlack) -> None:
    status, _ = bot.post(
        "command=%2Farchbot&text=ask+why+kafka&channel_id=CPUBLIC&user_id=UALICE",
        "application/x-www-form-urlencoded",
    )
    assert status == 200
    bot.drain()
    assert fake.calls_to("chat.postMessage") == []


class HeldAdvisor:
    """The real advisor whose answers wait for the test, so the one worker stays busy."""

    def __init__(self, advisor: Advisor, gate: threading.Event) -> None:
        self._advisor, self._gate = advisor, gate

    def ask(self, *args: object, **kwargs: object) -> object:
        assert self._gate.wait(timeout=30)
        return self._advisor.ask(*args, **kwargs)

    def __getattr__(self, name: str) -> object:
        return getattr(self._advisor, name)


def test_when_every_worker_and_queue_slot_is_taken_users_are_told_to_retry(
    slack_settings: Settings, fake: FakeSlack
) -> None:
    gate = threading.Event()
    settings = slack_settings.with_(slack_workers=1, slack_queue=1)
    deps = Deps(settings, open_advisor=lambda s: HeldAdvisor(Advisor.open(s), gate))  # type: ignore[arg-type, return-value]
    running = SlackBot(build_app(settings, deps), fake, deps)
    try:
        held = [running.mention(f"CHELD{i}", QUESTIONS[0]) for i in range(2)]  # one working, one queued
        turned_away = running.mention("CLATE", QUESTIONS[0])
        busy = fake.wait_for("chat.postMessage", channel=turned_away["channel"])[0]
        assert busy.args["text"] == BUSY
        assert all(fake.calls_to("chat.postMessage", channel=e["channel"]) == [] for e in held)
        gate.set()
        for event in held:
            answer = fake.wait_for("chat.postMessage", channel=event["channel"], timeout=30)[0]
            assert answer.args["text"] != BUSY
    finally:
        gate.set()
        running.close()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_health_and_readiness_probes(bot: SlackBot) -> None:
    assert _get(f"{bot.base}/healthz") == (200, "ok")
    status, why = _get(f"{bot.base}/readyz")
    assert status == 503 and "warming up" in why
    readiness = bot.deps.warm()
    assert readiness.documents > 0 and readiness.chunks >= readiness.documents
    assert _get(f"{bot.base}/readyz") == (200, "ready")


def test_readiness_fails_while_nothing_is_indexed(
    settings: Settings, fake: FakeSlack, slack_settings: Settings, tmp_path: Path
) -> None:
    empty = slack_settings.with_(home=tmp_path / "empty-home")
    deps = Deps(empty)
    deps.warm()
    running = SlackBot(build_app(empty, deps), fake, deps)
    try:
        status, why = _get(f"{running.base}/readyz")
        assert status == 503 and "archbot ingest" in why
    finally:
        running.close()


def test_the_limit_and_pool_come_from_settings() -> None:
    settings = Settings.from_env(
        {"ARCHBOT_SLACK_WORKERS": "3", "ARCHBOT_SLACK_QUEUE": "7", "ARCHBOT_SLACK_MAX_BODY_BYTES": "1024"}
    )
    assert (settings.slack_workers, settings.slack_queue, settings.slack_max_body_bytes) == (3, 7, 1024)
    assert json.loads(json.dumps({"ok": True}))  # settings parse without touching the network
