"""Append-only schema migrations for archbot's SQLite database. Never edit one that has shipped."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("archbot")


@migrations()
def m001_manifest(db: Database) -> None:
    db.table("documents").create(
        {
            "source": str,
            "root": str,
            "hash": str,
            "kind": str,
            "title": str,
            "number": int,
            "status": str,
            "status_raw": str,
            "date": str,
            "deciders": str,
            "tags": str,
            "supersedes": str,
            "superseded_by": str,
            "visibility": str,
            "url": str,
            "chars": int,
            "ingested_at": str,
        },
        pk="source",
    )
    db.table("chunks").create(
        {"id": str, "source": str, "ord": int, "section": str, "text": str},
        pk="id",
        foreign_keys=[("source", "documents", "source")],
    )
    db.table("chunks").create_index(["source"])
    db.table("state").create({"key": str, "value": str}, pk="key")


@migrations()
def m002_ingest_runs(db: Database) -> None:
    db.table("ingest_runs").create(
        {"id": int, "started_at": str, "finished_at": str, "paths": str, "summary": str},
        pk="id",
    )


@migrations()
def m003_feedback(db: Database) -> None:
    db.table("feedback").create(
        {
            "id": int,
            "created_at": str,
            "user": str,
            "channel": str,
            "thread_ts": str,
            "question": str,
            "answer": str,
            "citations": str,
            "vote": str,
        },
        pk="id",
    )


@migrations()
def m004_slack_events(db: Database) -> None:
    db.table("slack_events").create({"key": str, "received_at": str}, pk="key")


@migrations()
def m005_eval_runs(db: Database) -> None:
    db.table("eval_runs").create(
        {
            "id": str,
            "created_at": str,
            "dataset": str,
            "dataset_hash": str,
            "git_commit": str,
            "config": str,
            "metrics": str,
        },
        pk="id",
    )
    db.table("eval_items").create(
        {"run_id": str, "item_id": str, "kind": str, "data": str, "metrics": str},
        pk=("run_id", "item_id"),
        foreign_keys=[("run_id", "eval_runs", "id")],
    )


@migrations()
def m006_slack_answers(db: Database) -> None:
    """Answers the Slack app posted: feedback buttons point at a row, and a thread with a row is one
    archbot takes part in (follow-ups there need no @mention)."""
    db.table("slack_answers").create(
        {
            "id": str,
            "created_at": str,
            "channel": str,
            "thread_ts": str,
            "message_ts": str,
            "user": str,
            "question": str,
            "answer": str,
            "citations": str,
        },
        pk="id",
    )
    db.table("slack_answers").create_index(["channel", "thread_ts"])
    db.table("feedback").add_column("answer_id", str)
    db.table("feedback").create_index(["answer_id", "user"], unique=True)
    db.table("slack_events").create_index(["received_at"])


@migrations()
def m007_sources(db: Database) -> None:
    """Git history with each document, which configured source owns it (empty: `archbot ingest`),
    and the commit each source was last synced at."""
    for column in ("updated", "created", "authors", "origin"):
        db.table("documents").add_column(column, str)
    db.table("documents").create_index(["origin"])
    db.table("sources").create(
        {"name": str, "location": str, "paths": str, "commit": str, "synced_at": str},
        pk="name",
    )


@migrations()
def m008_decision_frames(db: Database) -> None:
    """What each decision decided (see kernel.types.DecisionFrame), one row per decision: a document,
    or one entry (`unit`) of a decision log. Rewritten on every ingest from the documents."""
    db.table("frames").create(
        {
            "source": str,
            "unit": str,
            "title": str,
            "number": int,
            "subject": str,
            "choice": str,
            "chosen": str,
            "considered": str,
            "constraints": str,
            "removes": str,
            "status": str,
            "status_raw": str,
            "date": str,
            "superseded_by": str,
            "may_be_replaced_by": str,
        },
        pk=("source", "unit"),
    )


@migrations()
def m009_sentence_vectors(db: Database) -> None:
    """The vectors of the sentences an answer may quote (kernel.sentence_vectors), one row per chunk:
    the model that made them, the digests of the embedded texts in order (space-separated) and the
    vectors as one float32 array of as many rows. Written with the chunks, in the same transaction."""
    db.table("sentence_vectors").create(
        {"chunk": str, "model": str, "digests": str, "vectors": bytes},
        pk="chunk",
        foreign_keys=[("chunk", "chunks", "id")],
    )
