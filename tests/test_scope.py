"""Questions that name a repository of the corpus: by its name, its initials or a rare word of it."""

from __future__ import annotations

from pathlib import Path

from archbot.advisor.core import Advisor
from archbot.advisor.salience import Vocabulary
from archbot.advisor.scope import Folders
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.settings import Settings
from archbot.kernel.types import Chunk, Document

# Two organisations' repositories, mirrored as `owner__repository` folders, and a flat folder.
TEXTS = {
    "acme__payments-gateway/docs/adr/0001-use-kafka.md": "We will publish payment events to Kafka.",
    "acme__payments-gateway/docs/adr/0002-use-postgres.md": "Payments are stored in PostgreSQL.",
    "globex__fleet-tracker-service/decisions/0001-use-mysql.md": "Vehicle positions are stored in MySQL.",
    "globex__fleet-tracker-service/decisions/0002-logging.md": "Services log JSON to stdout for Kafka.",
    "globex__zorbulator/adr/0001-queues.md": "The zorbulator reads jobs from SQS.",
    "initech__kafka-adapters/docs/0001-retries.md": "Kafka consumers retry three times.",
    "standards/logging.md": "Every service logs JSON. Kafka topics carry no personal data.",
}


def _folders() -> tuple[Folders, Vocabulary]:
    documents = {
        s: Document(source=s, title=s.rsplit("/", 1)[-1], kind="adr", text=t) for s, t in TEXTS.items()
    }
    chunks = {s: [Chunk(id=s, source=s, ord=0, section="", text=t)] for s, t in TEXTS.items()}
    return Folders(documents), Vocabulary.build(documents, chunks)


def _under(prefix: str) -> frozenset[str]:
    return frozenset(s for s in TEXTS if s.startswith(prefix))


def test_a_repository_named_by_its_words_or_initials_is_the_scope() -> None:
    folders, vocabulary = _folders()
    by_words = folders.named("what queue does the Payments-Gateway's ledger use?", vocabulary)
    assert by_words is not None and by_words.sources == _under("acme__payments-gateway/")
    assert by_words.query == "what queue does the ledger use?"
    by_initials = folders.named("where does FTS store positions?", vocabulary)
    assert by_initials is not None and by_initials.sources == _under("globex__fleet-tracker-service/")
    assert by_initials.names == ("fts",) and "FTS" not in by_initials.query


def test_a_rare_word_of_a_folder_names_it_only_when_its_mentions_lie_there() -> None:
    folders, vocabulary = _folders()
    scope = folders.named("does the zorbulator use sqs?", vocabulary)
    assert scope is not None and scope.sources == _under("globex__zorbulator/")
    # "kafka" names the kafka-adapters folder, but most documents saying Kafka are elsewhere: a topic.
    assert folders.named("do we retry kafka consumers?", vocabulary) is None


def test_common_words_and_generic_folders_name_nothing() -> None:
    folders, vocabulary = _folders()
    for question in (
        "what do the docs say about logging?",
        "which service logs JSON?",
        "what are the standards?",
    ):
        assert folders.named(question, vocabulary) is None, question


def test_two_named_repositories_are_one_scope() -> None:
    folders, vocabulary = _folders()
    scope = folders.named("do payments gateway and the zorbulator share a queue?", vocabulary)
    assert scope is not None
    assert scope.sources == _under("acme__payments-gateway/") | _under("globex__zorbulator/")


def test_an_answer_about_a_named_repository_cites_that_repository(
    minilm_settings: Settings, tmp_path: Path
) -> None:
    settings = minilm_settings
    root = tmp_path / "org"
    for name, text in {
        "north__billing-engine-api/adr/0001-use-postgres.md": "# 1. Use PostgreSQL\n\n## Status\n\nAccepted"
        "\n\n## Decision\n\nWe will store invoices and their line items in PostgreSQL.",
        "south__route-planner/adr/0001-use-mongodb.md": "# 1. Use MongoDB\n\n## Status\n\nAccepted"
        "\n\n## Decision\n\nWe will store invoices of routes and their stops in MongoDB.",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    ingest_paths(settings, [root])
    advisor = Advisor.open(settings)
    for question, repository in (
        ("where does billing engine api store invoices?", "north__billing-engine-api/"),
        ("where does the route planner store invoices?", "south__route-planner/"),
        ("where does BEA store invoices?", "north__billing-engine-api/"),
    ):
        answer = advisor.ask(question)
        assert answer.retrieved[0].startswith(repository), question
        # and from it alone: the other repository's decision on invoices answers for another system
        assert not answer.abstained and all(c.source.startswith(repository) for c in answer.citations), (
            answer.text
        )
