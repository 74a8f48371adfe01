"""Mentor questions from a chat model, through the real LangChain OpenAI client on a loopback server.

The model first judges the conflicts (tests/review/test_review_judge.py); here it finds none new."""

from __future__ import annotations

import pytest

from archbot.advisor.core import Advisor
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.review.judge_replies import is_judge, none_of_them

DOC = """# Receipts

## Proposal

We will publish ReceiptIssued events to the existing RabbitMQ exchange.
"""


def questions(advisor: Advisor) -> tuple[str, list[str]]:
    review = advisor.review(DOC, name="doc.md")
    return review.summary, [f.message for f in review.findings if f.kind == "question"]


def test_model_questions_are_used_with_invalid_citations_removed(
    llm_advisor: Advisor, fake: FakeOpenAI
) -> None:
    fake.script += [
        none_of_them(),
        Reply("Q1: What happens to in-flight receipts while you move to Kafka [1] [99]?"),
    ]
    summary, asked = questions(llm_advisor)
    assert asked[0] == "What happens to in-flight receipts while you move to Kafka [1]?"
    assert "phrased by the language model" in summary
    asking = [r["body"] for r in fake.requests if not is_judge(r["body"])]
    body = asking[0]["messages"][-1]["content"]
    assert "<source n=" in body and "RabbitMQ exchange" in body


def test_findings_the_model_skipped_keep_their_offline_question(
    llm_advisor: Advisor, fake: FakeOpenAI
) -> None:
    fake.script += [none_of_them(), Reply("Q1: Why RabbitMQ [1]?")]
    _, asked = questions(llm_advisor)
    assert asked[0] == "Why RabbitMQ [1]?"
    assert len(asked) > 1 and all(q.endswith("?") and "Why RabbitMQ" not in q for q in asked[1:])


@pytest.mark.parametrize("reply", [Reply(status=500), Reply("I refuse to answer in that format.")])
def test_model_failure_falls_back_to_templates_and_says_so(
    llm_advisor: Advisor, fake: FakeOpenAI, reply: Reply
) -> None:
    fake.script += [none_of_them(), reply, reply]  # the client retries once on errors
    summary, asked = questions(llm_advisor)
    assert "unavailable for the questions" in summary and "offline templates" in summary
    assert asked and "RabbitMQ" in asked[0]
