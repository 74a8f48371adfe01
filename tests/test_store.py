"""The SQLite schema, built by the migrations from a blank database, and the embedder's safeguards."""

from __future__ import annotations

from pathlib import Path

import pytest

from archbot.ingest.pipeline import ingest_paths
from archbot.kernel import embedder as embedder_module
from archbot.kernel import minilm
from archbot.kernel.errors import ConfigError, ModelIntegrityError, ModelMismatchError
from archbot.kernel.index import VectorIndex
from archbot.kernel.settings import Settings
from archbot.kernel.store import Store
from tests.minicorpus import write_minicorpus

SCHEMA = {
    "_sqlite_migrations": ["id", "migration_set", "name", "applied_at"],
    "chunks": ["id", "source", "ord", "section", "text"],
    "documents": [
        "source", "root", "hash", "kind", "title", "number", "status", "status_raw", "date", "deciders",
        "tags", "supersedes", "superseded_by", "visibility", "url", "chars", "ingested_at", "updated",
        "created", "authors", "origin",
    ],
    "eval_items": ["run_id", "item_id", "kind", "data", "metrics"],
    "eval_runs": ["id", "created_at", "dataset", "dataset_hash", "git_commit", "config", "metrics"],
    "frames": [
        "source", "unit", "title", "number", "subject", "choice", "chosen", "considered", "constraints",
        "removes", "status", "status_raw", "date", "superseded_by", "may_be_replaced_by",
    ],
    "feedback": [
        "id", "created_at", "user", "channel", "thread_ts", "question", "answer", "citations", "vote",
        "answer_id",
    ],
    "ingest_runs": ["id", "started_at", "finished_at", "paths", "summary"],
    "slack_answers": [
        "id", "created_at", "channel", "thread_ts", "message_ts", "user", "question", "answer", "citations",
    ],
    "sentence_vectors": ["chunk", "model", "digests", "vectors"],
    "slack_events": ["key", "received_at"],
    "sources": ["name", "location", "paths", "commit", "synced_at"],
    "state": ["key", "value"],
}  # fmt: skip


def test_blank_database_migrates_to_the_exact_schema(tmp_path: Path) -> None:
    store = Store(tmp_path / "blank.db")
    assert {t: [c.name for c in store.db[t].columns] for t in store.db.table_names()} == SCHEMA
    names = [row["name"] for row in store.db["_sqlite_migrations"].rows]
    assert names == sorted(names) and all(n.startswith("m0") for n in names)
    Store(tmp_path / "blank.db")  # reopening applies nothing twice
    assert store.db["_sqlite_migrations"].count == len(names)


def test_ingest_runs_are_recorded(settings: Settings, tmp_path: Path) -> None:
    ingest_paths(settings, [write_minicorpus(tmp_path / "kb")])
    runs = list(Store(settings.db_path).db["ingest_runs"].rows)
    assert len(runs) == 1 and '"added": 8' in runs[0]["summary"]


def test_querying_with_another_model_says_how_to_reindex(settings: Settings, tmp_path: Path) -> None:
    ingest_paths(settings, [write_minicorpus(tmp_path / "kb")])
    with pytest.raises(ModelMismatchError, match="re-index"):
        VectorIndex(settings, "sentence-transformers/all-mpnet-base-v2", 768)


def test_unknown_embedder_lists_the_choices() -> None:
    with pytest.raises(ConfigError, match="minilm, minilm-torch, hash"):
        embedder_module.make_embedder("word2vec", Path("unused"))


def test_repackaged_model_weights_are_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(minilm, "MINILM_SHA256", "0" * 64)
    with pytest.raises(ModelIntegrityError, match="force-reinstall"):
        minilm.OnnxMiniLM(tmp_path)  # nothing exported yet: the export checks the weights first
    with pytest.raises(ModelIntegrityError, match="force-reinstall"):
        minilm.TorchMiniLM()
