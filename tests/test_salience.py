"""Abstention that names what the documents lack, and follow-ups that carry the conversation."""

from __future__ import annotations

from pathlib import Path

import pytest

from archbot.advisor.conversation import cited_in
from archbot.advisor.core import Advisor
from archbot.advisor.salience import Vocabulary, forms, is_name, missing_names
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.settings import Settings
from archbot.kernel.types import Chunk, Document, Filters, Turn
from tests.minicorpus import write_minicorpus


@pytest.fixture
def advisor(settings: Settings, tmp_path: Path) -> Advisor:
    ingest_paths(settings, [write_minicorpus(tmp_path / "kb")])
    return Advisor.open(settings)


def _vocabulary(texts: dict[str, str]) -> Vocabulary:
    documents = {s: Document(source=s, title=s, kind="adr", text=t) for s, t in texts.items()}
    chunks = {s: [Chunk(id=s, source=s, ord=0, section="", text=t)] for s, t in texts.items()}
    return Vocabulary.build(documents, chunks)


def everyone(source: str) -> bool:
    return True


def test_rare_names_are_told_from_common_words() -> None:
    assert is_name("traefik") and is_name("okta") and is_name("grpc")
    assert not is_name("pizza") and not is_name("weekend") and not is_name("lumped")
    assert not is_name("authenticate")  # rare itself, but "authentication" is common


def test_corpus_forms_cover_case_punctuation_plurals_and_line_breaks() -> None:
    text = "We use gRPC with\nprotobuf schemas, pre-signed URLs on GOV.UK and Argo\nRollouts policies."
    vocabulary = _vocabulary({"a.md": text})
    for word in ("grpc", "protobuf", "presigned", "pre-signed", "govuk", "rollout", "policy", "argo"):
        assert vocabulary.contains(word, everyone), word
    assert "policy" in forms("policies")
    question = "how do we version grpc services behind Traefik with Argo Rollouts?"
    assert missing_names(question, vocabulary, everyone) == ["Traefik"]


def test_misspelt_words_and_shorthand_are_not_missing_names() -> None:
    vocabulary = _vocabulary({"a.md": "Every transaction was considered by the platform team."})
    assert missing_names("was it ever considred for a txn?", vocabulary, everyone) == []


def test_only_documents_the_asker_may_see_count() -> None:
    vocabulary = _vocabulary({"secret.md": "Breaches go to Splunk.", "open.md": "Logs go to Loki."})
    assert missing_names("do we use splunk?", vocabulary, lambda s: s == "open.md") == ["splunk"]
    assert missing_names("do we use splunk?", vocabulary, everyone) == []


def test_near_miss_abstains_and_names_the_missing_product(advisor: Advisor) -> None:
    answer = advisor.ask("how do we configure pulsar for domain events?")
    assert answer.abstained
    assert "pulsar" in answer.text.splitlines()[0]


def test_a_covered_question_is_answered(advisor: Advisor) -> None:
    answer = advisor.ask("are we still on rabbitmq for domain events?")
    assert not answer.abstained
    assert answer.citations[0].source == "adr/0012-adopt-kafka.md"


def test_a_name_only_restricted_documents_mention_is_missing_in_public(advisor: Advisor) -> None:
    assert advisor.ask("who holds the hsm master keys?", filters=Filters()).abstained
    allowed = advisor.ask(
        "who holds the hsm master keys?", filters=Filters(visibilities=("public", "restricted"))
    )
    assert not allowed.abstained


def test_follow_up_cites_the_document_the_conversation_cited(advisor: Advisor) -> None:
    first = advisor.ask("where do we keep web session state?")
    assert first.citations[0].source == "adr/0003-signed-cookie-sessions.md"
    history = [
        Turn("user", "where do we keep web session state?"),
        Turn("assistant", first.text, tuple(c.source for c in first.citations)),
    ]
    follow_up = advisor.ask("who decided that?", history=history)
    assert not follow_up.abstained
    assert "adr/0003-signed-cookie-sessions.md" in [c.source for c in follow_up.citations]


def test_cited_sources_are_recovered_from_an_answer_text(advisor: Advisor) -> None:
    documents = advisor.documents
    turn = Turn("assistant", "ADR 12 (Adopt Kafka for event streaming) [1] replaced it.")
    assert cited_in(turn, documents) == ["adr/0012-adopt-kafka.md"]
