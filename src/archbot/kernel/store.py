"""The SQLite store: the ingest manifest (the source of truth for what is indexed) and app state."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archbot.kernel.migrations import migrations
from archbot.kernel.types import Chunk, DecisionFrame, Document

_LIST_FIELDS = ("deciders", "tags", "supersedes", "superseded_by", "authors")
_FRAME_LISTS = ("considered", "constraints", "removes", "superseded_by", "may_be_replaced_by")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class ManifestEntry:
    """A document row with the content hash ingest compares against."""

    document: Document
    root: str
    hash: str
    chunk_ids: tuple[str, ...]
    origin: str = ""  # the configured source that owns the document; empty for `archbot ingest`


@dataclass(frozen=True)
class SourceState:
    """Where a configured source was last synced: its location (credentials redacted), the paths
    read and the commit."""

    name: str
    location: str
    paths: tuple[str, ...]
    commit: str | None
    synced_at: str


@dataclass(frozen=True)
class SentenceRow:
    """The stored sentence vectors of one chunk (see kernel.sentence_vectors for what they hold)."""

    chunk: str
    model: str
    digests: tuple[str, ...]
    vectors: bytes


def _doc_row(doc: Document, root: str, content_hash: str, origin: str = "") -> dict:
    row = {
        "source": doc.source,
        "root": root,
        "hash": content_hash,
        "kind": doc.kind,
        "title": doc.title,
        "number": doc.number,
        "status": doc.status,
        "status_raw": doc.status_raw,
        "date": doc.date,
        "visibility": doc.visibility,
        "url": doc.url,
        "updated": doc.updated,
        "created": doc.created,
        "origin": origin,
        "chars": len(doc.text),
        "ingested_at": now_iso(),
    }
    for name in _LIST_FIELDS:
        row[name] = json.dumps(list(getattr(doc, name)))
    return row


def _row_doc(row: dict, text: str = "") -> Document:
    lists = {name: tuple(json.loads(row[name] or "[]")) for name in _LIST_FIELDS}
    return Document(
        source=row["source"],
        title=row["title"],
        kind=row["kind"],
        text=text,
        number=row["number"],
        status=row["status"],
        status_raw=row["status_raw"],
        date=row["date"],
        visibility=row["visibility"] or "public",
        url=row["url"],
        updated=row["updated"],
        created=row["created"],
        **lists,
    )


def _row_chunk(row: dict) -> Chunk:
    return Chunk(row["id"], row["source"], row["ord"], row["section"] or "", row["text"])


class Store:
    """sqlite-utils database under ARCHBOT_HOME; migrations are applied on open.

    One `Store` may be shared by threads: a sqlite3 connection belongs to the thread that opened it, so
    each thread gets its own connection to the same file on first use (WAL lets readers overlap a
    writer). An in-memory database is one connection, for the thread that made it.
    """

    def __init__(self, path: Path | str) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._local = threading.local()
        self._memory = Database(memory=True) if str(path) == ":memory:" else None
        migrations.apply(self.db)

    @property
    def db(self) -> Database:
        if self._memory is not None:
            return self._memory
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = Database(self._path)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA busy_timeout=5000")
        return db

    def close(self) -> None:
        """Closes this thread's connection (others close when their threads end)."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # -- manifest ---------------------------------------------------------------------------------

    def manifest(self) -> dict[str, ManifestEntry]:
        chunk_ids: dict[str, list[str]] = {}
        for row in self.db.query("select id, source from chunks order by source, ord"):
            chunk_ids.setdefault(row["source"], []).append(row["id"])
        return {
            row["source"]: ManifestEntry(
                _row_doc(row),
                row["root"],
                row["hash"],
                tuple(chunk_ids.get(row["source"], ())),
                row["origin"] or "",
            )
            for row in self.db.table("documents").rows
        }

    def documents(self) -> dict[str, Document]:
        return {row["source"]: _row_doc(row) for row in self.db.table("documents").rows}

    def document_count(self) -> int:
        return self.db.table("documents").count

    def chunks(self, ids: Iterable[str] | None = None) -> list[Chunk]:
        if ids is None:
            rows = self.db.query("select * from chunks order by source, ord")
        else:
            wanted = list(ids)
            if not wanted:
                return []
            marks = ",".join("?" * len(wanted))
            rows = self.db.query(f"select * from chunks where id in ({marks})", wanted)
        return [_row_chunk(r) for r in rows]

    def chunks_of(self, source: str) -> list[Chunk]:
        """One document's chunks in reading order."""
        rows = self.db.query("select * from chunks where source = ? order by ord", [source])
        return [_row_chunk(r) for r in rows]

    def chunk_sources(self) -> list[str]:
        """The documents that have chunks."""
        return [row["source"] for row in self.db.query("select distinct source from chunks order by source")]

    def frames(self) -> dict[str, list[DecisionFrame]]:
        """Decision frames by source, the whole-document frame first, then log entries in order."""
        found: dict[str, list[DecisionFrame]] = {}
        for row in self.db.query("select * from frames order by source, unit = '' desc, rowid"):
            values: dict[str, Any] = {
                k: tuple(tuple(x) if isinstance(x, list) else x for x in json.loads(v or "[]"))
                if k in _FRAME_LISTS
                else v
                for k, v in row.items()
            }
            found.setdefault(row["source"], []).append(DecisionFrame(**values))
        return found

    def kind_counts(self) -> dict[str, int]:
        """How many documents of each kind are indexed."""
        return {
            r["kind"]: r["n"]
            for r in self.db.query("select kind, count(*) as n from documents group by kind")
        }

    def chunk_count(self) -> int:
        return self.db.table("chunks").count

    def chunk_ids(self) -> set[str]:
        return {row["id"] for row in self.db.query("select id from chunks")}

    def sentence_rows(self, chunk_ids: Iterable[str], model: str) -> list[SentenceRow]:
        """The sentence vectors `model` made for these chunks, where the ingest stored them."""
        wanted = list(chunk_ids)
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        rows = self.db.execute(
            f"select chunk, digests, vectors from sentence_vectors where model = ? and chunk in ({marks})",
            [model, *wanted],
        )
        return [SentenceRow(chunk, model, tuple(digests.split()), blob) for chunk, digests, blob in rows]

    def chunks_without_sentences(self, model: str) -> list[Chunk]:
        """Chunks whose sentences `model` has not embedded: indexed before sentence vectors were
        stored, or by another model."""
        rows = self.db.query(
            "select c.* from chunks c left join sentence_vectors s on s.chunk = c.id and s.model = ? "
            "where s.chunk is null order by c.source, c.ord",
            [model],
        )
        return [_row_chunk(r) for r in rows]

    def apply_ingest(
        self,
        upserts: Iterable[tuple[Document, str, str, list[Chunk]]],
        removed: Iterable[str],
        refreshed: Iterable[Document],
        origin: str = "",
        synced: SourceState | None = None,
        frames: Mapping[str, Iterable[DecisionFrame]] | None = None,
        sentences: Iterable[SentenceRow] = (),
    ) -> None:
        """One transaction: new and changed documents with their chunks, removals, refreshed metadata,
        the decision frames of the documents given (replacing theirs; removed ones lose theirs), the
        sentence vectors of chunks (those of replaced chunks go with them), and (for `archbot sync`)
        the commit the source is now at."""
        removed = list(removed)
        frames = frames or {}
        with self.db.atomic():
            for source in [*removed, *frames]:
                self.db.table("frames").delete_where("source = ?", [source])
            if frames:
                self.db.table("frames").insert_all(
                    [
                        {
                            **{k: v for k, v in asdict(f).items() if k not in _FRAME_LISTS},
                            **{name: json.dumps(list(getattr(f, name))) for name in _FRAME_LISTS},
                        }
                        for items in frames.values()
                        for f in items
                    ],
                    pk=("source", "unit"),
                    replace=True,
                )
            for source in removed:
                self._delete_chunks(source)
                self.db.table("documents").delete_where("source = ?", [source])
            for doc, root, content_hash, chunks in upserts:
                self._delete_chunks(doc.source)
                self.db.table("documents").upsert(_doc_row(doc, root, content_hash, origin), pk="source")
                self.db.table("chunks").insert_all(
                    [
                        {"id": c.id, "source": c.source, "ord": c.ord, "section": c.section, "text": c.text}
                        for c in chunks
                    ],
                    pk="id",
                    replace=True,
                )
            self.db.table("sentence_vectors").insert_all(
                (
                    {"chunk": r.chunk, "model": r.model, "digests": " ".join(r.digests), "vectors": r.vectors}
                    for r in sentences
                ),
                pk="chunk",
                replace=True,
            )
            for doc in refreshed:
                row = _doc_row(doc, "", "")
                update = {
                    k: v
                    for k, v in row.items()
                    if k not in ("source", "root", "hash", "chars", "ingested_at", "origin")
                }
                self.db.table("documents").update(doc.source, update)
            if synced is not None:
                self.record_sync(synced)
            self.set_state("generation", str(int(self.state("generation") or 0) + 1))
            self.set_state("manifest_digest", self._digest())
            self.set_state("last_ingest", now_iso())

    def _delete_chunks(self, source: str) -> None:
        """A document's chunks and their sentence vectors."""
        self.db.execute(
            "delete from sentence_vectors where chunk in (select id from chunks where source = ?)", [source]
        )
        self.db.table("chunks").delete_where("source = ?", [source])

    # -- configured sources -------------------------------------------------------------------------

    def source_state(self, name: str) -> SourceState | None:
        rows = list(self.db.query("select * from sources where name = ?", [name]))
        if not rows:
            return None
        row = rows[0]
        paths = tuple(json.loads(row["paths"] or "[]"))
        return SourceState(row["name"], row["location"], paths, row["commit"], row["synced_at"])

    def record_sync(self, state: SourceState) -> None:
        """The commit a source's documents now reflect; written with them, in the same transaction."""
        self.db.table("sources").upsert(
            {
                "name": state.name,
                "location": state.location,
                "paths": json.dumps(list(state.paths)),
                "commit": state.commit,
                "synced_at": state.synced_at,
            },
            pk="name",
        )

    def origin_count(self, origin: str) -> int:
        """How many documents a configured source owns."""
        return self.db.table("documents").count_where("origin = ?", [origin])

    def record_ingest_run(self, started_at: str, paths: list[str], summary: dict) -> None:
        """A history of ingest runs, so "what changed and when" can be answered after the fact."""
        self.db.table("ingest_runs").insert(
            {
                "started_at": started_at,
                "finished_at": now_iso(),
                "paths": json.dumps(paths),
                "summary": json.dumps(summary),
            }
        )

    # -- small key/value state ----------------------------------------------------------------------

    def state(self, key: str) -> str | None:
        rows = list(self.db.query("select value from state where key = ?", [key]))
        return rows[0]["value"] if rows else None

    def set_state(self, key: str, value: str) -> None:
        self.db.table("state").upsert({"key": key, "value": value}, pk="key")

    def manifest_digest(self) -> str:
        """A digest of everything the lexical index is built from (chunk ids, which hash their text and
        section, in order, and their documents' titles): equal digests, equal indexes. Each ingest
        records it; a database written before that gets it computed."""
        return self.state("manifest_digest") or self._digest()

    def _digest(self) -> str:
        digest = hashlib.sha256()
        rows = self.db.execute(
            "select c.id, d.title from chunks c join documents d on d.source = c.source "
            "order by c.source, c.ord"
        )
        for chunk_id, title in rows:
            digest.update(f"{chunk_id}\0{title}\n".encode())
        return digest.hexdigest()[:32]

    @property
    def generation(self) -> int:
        return int(self.state("generation") or 0)
