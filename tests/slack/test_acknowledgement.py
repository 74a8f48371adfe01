"""Slack wants every request acknowledged within 3 s, whatever the work costs. Rather than time the
acknowledgement (a timed test fails on a slow machine and proves little on a fast one), these tests hold
the advisor's work until the acknowledgement has arrived: if acknowledging waited for the work, the
request would never return."""

from __future__ import annotations

import threading

import pytest

from archbot.advisor.core import Advisor
from archbot.bot.slack.deps import Deps
from archbot.kernel.settings import Settings
from tests.slack.fake_slack import FakeSlack
from tests.slack.harness import SlackBot


class GatedAdvisor:
    """The real advisor, whose `ask` waits until the test opens the gate."""

    def __init__(self, advisor: Advisor, gate: threading.Event) -> None:
        self._advisor = advisor
        self._gate = gate

    def ask(self, *args: object, **kwargs: object) -> object:
        assert self._gate.wait(timeout=30), "the test never opened the gate"
        return self._advisor.ask(*args, **kwargs)

    def __getattr__(self, name: str) -> object:
        return getattr(self._advisor, name)


@pytest.fixture
def gate() -> threading.Event:
    return threading.Event()


@pytest.fixture
def deps(slack_settings: Settings, gate: threading.Event) -> Deps:
    return Deps(slack_settings, open_advisor=lambda s: GatedAdvisor(Advisor.open(s), gate))  # type: ignore[arg-type, return-value]


def test_a_mention_is_acknowledged_before_the_answer_is_worked_out(
    bot: SlackBot, fake: FakeSlack, gate: threading.Event
) -> None:
    question = bot.mention("CPUBLIC", "are we still on rabbitmq for domain events?")

    assert not gate.is_set()
    assert fake.calls_to("chat.postMessage") == []
    gate.set()
    answer = fake.wait_for("chat.postMessage", thread_ts=question["ts"])[0]
    assert "Adopt Kafka for event streaming" in answer.blocks_text()


def test_a_slash_command_is_acknowledged_before_the_answer_is_worked_out(
    bot: SlackBot, fake: FakeSlack, gate: threading.Event
) -> None:
    status, _ = bot.command("ask are we still on rabbitmq for domain events?", response="gated")

    assert status == 200 and not gate.is_set()
    assert fake.calls_to("response_url", name="gated") == []
    gate.set()
    answer = fake.wait_for("response_url", name="gated")[0]
    assert "Adopt Kafka for event streaming" in answer.blocks_text()
