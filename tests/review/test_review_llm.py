"""Mentor questions from a chat model, through the real LangChain OpenAI client on a loopback server."""

from __future__ import annotations

from pathlib import Path

import pytest

from archbot.advisor.core import Advisor
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.settings import Settings
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.review.corpus import write_corpus

DOC = """# Receipts

## Proposal

We will publish ReceiptIssued events to the existing RabbitMQ exchange.
"""


@pytest.fixture
def llm_advisor(settings: Settings, tmp_path: Path, fake: FakeOpenAI) -> Advisor:
    ingest_paths(settings, [write_corpus(tmp_path / "kb")])
    return Advisor.open(
        settings.with_(llm="openai:fake-model", llm_base_url=fake.base_url, llm_timeout_s=2.0)
    )


def questions(advisor: Advisor) -> tuple[str, list[str]]:
    review = advisor.review(DOC, name="doc.md")
    return review.summary, [f.message for f in review.findings if f.kind == "question"]


def test_model_questions_are_used_with_invalid_citations_removed(
    llm_advisor: Advisor, fake: FakeOpenAI
) -> None:
    fake.script.append(Reply("Q1: What happens to in-flight receipts while you move to Kafka [1] [99]?"))
    summary, asked = questions(llm_advisor)
    assert asked[0] == "What happens to in-flight receipts while you move to Kafka [1]?"
    assert "phrased by the language model" in summary
    body = fake.requests[0]["body"]["messages"][-1]["content"]
    assert "<source n=" in body and "RabbitMQ exchange" in body


def test_findings_the_model_skipped_keep_their_offline_question(
    llm_advisor: Advisor, fake: FakeOpenAI
) -> None:
    fake.script.append(Reply("Q1: Why RabbitMQ [1]?"))
    _, asked = questions(llm_advisor)
    assert asked[0] == "Why RabbitMQ [1]?"
    assert len(asked) > 1 and all(q.endswith("?") and "Why RabbitMQ" not in q for q in asked[1:])


@pytest.mark.parametrize("reply", [Reply(status=500), Reply("I refuse to answer in that format.")])
def test_model_failure_falls_back_to_templates_and_says_so(
    llm_advisor: Advisor, fake: FakeOpenAI, reply: Reply
) -> None:
    fake.script.extend([reply, reply])  # the client retries once on errors
    summary, asked = questions(llm_advisor)
    assert "unavailable" in summary and "offline templates" in summary
    assert asked and "RabbitMQ" in asked[0]
