"""Slack under a burst: acknowledgement and answer latency for 1, 30 and 100 concurrent mentions.

The real Bolt app (HTTP mode, the production executor and pool size) answers from the example corpus
with the real embedding model, its Web API client pointed at the fake Slack of the tests on loopback.
Mentions are signed as Slack signs them and sent from 10 threads at once. For each burst: the pool
size, acknowledgement p95 (the POST's round trip, which Slack wants under 3 s), and answer p50/p95
from sending the mention to archbot's chat.postMessage — next to one mention alone, measured in the
same run as the baseline. Mentions past the queue are told to retry; their count is reported.

    .venv/bin/python -m bench.slack_burst
"""

from __future__ import annotations

import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from archbot.bot.slack.app import build_app
from archbot.bot.slack.deps import Deps
from archbot.bot.slack.jobs import BUSY
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.settings import Settings
from bench.common import REPO, percentile, report
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack
from tests.slack.harness import SIGNING_SECRET, SlackBot

QUESTIONS = [
    "are we still on rabbitmq for events?",
    "how long do we keep application logs?",
    "how do services authenticate to each other?",
    "which database do we use for payments?",
    "what is our api versioning policy?",
]
BURSTS = (1, 30, 100)
SENDERS = 10


def _burst(bot: SlackBot, fake: FakeSlack, size: int, tag: str) -> dict:
    channels = [f"C{tag}{i:03d}" for i in range(size)]
    sent: dict[str, float] = {}
    acks: list[float] = []

    def send(i: int) -> None:
        started = time.perf_counter()
        sent[channels[i]] = started
        bot.mention(channels[i], QUESTIONS[i % len(QUESTIONS)])
        acks.append(time.perf_counter() - started)

    with ThreadPoolExecutor(SENDERS) as pool:
        list(pool.map(send, range(size)))
    answers, busy = [], 0
    for channel in channels:
        call = fake.wait_for("chat.postMessage", channel=channel, timeout=600)[0]
        if call.args.get("text") == BUSY:
            busy += 1
        else:
            answers.append(fake.received_at[id(call)] - sent[channel])
    return {
        "mentions": size,
        "ack_p95_ms": round(percentile(acks, 95) * 1000, 1),
        "answer_p50_s": round(percentile(answers, 50), 2) if answers else None,
        "answer_p95_s": round(percentile(answers, 95), 2) if answers else None,
        "answered": len(answers),
        "told_to_retry": busy,
    }


class TimedFakeSlack(FakeSlack):
    """The test fake, noting when each call arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.received_at: dict[int, float] = {}

    def _record(self, call):  # type: ignore[no-untyped-def]
        self.received_at[id(call)] = time.perf_counter()
        return super()._record(call)


def main() -> int:
    with tempfile.TemporaryDirectory() as home, TimedFakeSlack() as fake:
        settings = Settings.from_env({"ARCHBOT_HOME": home}).with_(
            slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET, slack_api_url=fake.api_url
        )
        ingest_paths(settings, [REPO / "examples" / "corpus"])
        deps = Deps(settings)
        readiness = deps.warm()
        bot = SlackBot(build_app(settings, deps), fake, deps)
        try:
            results = [_burst(bot, fake, size, f"B{size}") for size in BURSTS]
        finally:
            bot.close()
    rows = [
        ("pool", f"{settings.slack_workers} workers, queue {settings.slack_queue}"),
        ("index", f"{readiness.documents} documents, {readiness.chunks} chunks (example corpus)"),
    ]
    for r in results:
        rows.append(
            (
                f"{r['mentions']} mention(s)",
                f"ack p95 {r['ack_p95_ms']} ms; answer p50 {r['answer_p50_s']} s, p95 {r['answer_p95_s']} s; "
                f"{r['answered']} answered, {r['told_to_retry']} told to retry",
            )
        )
    alone = results[0]["answer_p50_s"] or 0.0
    for r in results[1:]:
        if r["answer_p95_s"] and alone:
            rows.append((f"{r['mentions']}-burst p95 / alone", f"{r['answer_p95_s'] / alone:.1f}×"))
    report(
        "Slack burst",
        rows,
        "slack_burst",
        {"workers": settings.slack_workers, "queue": settings.slack_queue, "bursts": results},
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
