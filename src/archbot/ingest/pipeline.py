"""The ingest job: files → documents → chunks → vectors, kept in step with the SQLite manifest.

Crash safety comes from ordering, not from a distributed transaction:
1. new chunk vectors are upserted into Chroma under content-derived ids (idempotent);
2. the manifest (documents + chunk ids, with the vectors of the chunks' quotable sentences) is
   committed to SQLite in one transaction;
3. only then are vectors that the manifest no longer lists deleted from Chroma.
Retrieval only trusts chunk ids the manifest lists, so a run killed at any point leaves the previous
index answering, and the next run deletes whatever orphans the killed one left behind.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from archbot.ingest.chunking import chunk_document
from archbot.ingest.formats import Converter, Limits, load_document
from archbot.ingest.frames import frames_for
from archbot.ingest.git import work_tree
from archbot.ingest.history import FileHistory, file_histories
from archbot.ingest.links import LintIssue, replacement_issues, resolve_links
from archbot.ingest.loaders import SkipFile, SkipRecord, discover
from archbot.ingest.metadata import Parsed, parse_document
from archbot.kernel.config import Config
from archbot.kernel.embedder import Embedder, make_embedder
from archbot.kernel.errors import InputError
from archbot.kernel.index import VectorIndex, chunk_metadata
from archbot.kernel.lexical import open_lexical
from archbot.kernel.sentence_vectors import embed_sentences
from archbot.kernel.settings import Settings
from archbot.kernel.store import SentenceRow, SourceState, Store, now_iso
from archbot.kernel.types import Chunk, Document

EMBED_BATCH = 128
Progress = Callable[[int, int], None]
# A folder or file to walk and the prefix its documents' names get ("" for `archbot ingest PATH`).
Root = Path | tuple[Path, str]


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    refreshed: int = 0  # unchanged files whose metadata now reads differently
    rechunked: int = 0  # unchanged files whose chunks now come out differently (archbot or chunk size)
    removed: int = 0
    chunks_embedded: int = 0
    skipped: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    lint: list[LintIssue] = field(default_factory=list)
    documents: int = 0
    chunks: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "refreshed": self.refreshed,
            "rechunked": self.rechunked,
            "removed": self.removed,
            "chunks_embedded": self.chunks_embedded,
            "skipped": self.skipped,
            "seconds": round(self.seconds, 3),
            "warnings": self.warnings,
            "lint": [{"source": i.source, "problem": i.problem} for i in self.lint],
            "documents": self.documents,
            "chunks": self.chunks,
        }


@dataclass(frozen=True)
class SourceFile:
    """A document ready to index: parsed, with the root it was found under and its content hash."""

    parsed: Parsed
    root: str
    content_hash: str


def chunk_id(source: str, section: str, text: str, ord_: int) -> str:
    """Content-derived, so re-upserting after a crash is idempotent and a change gets new ids."""
    digest = hashlib.sha1(f"{source}\0{section}\0{text}".encode()).hexdigest()[:20]
    return f"{digest}-{ord_}"


def make_chunks(doc: Document, fmt: str, max_chars: int) -> list[Chunk]:
    pieces = chunk_document(doc, fmt, max_chars)
    return [Chunk(chunk_id(doc.source, s, t, i), doc.source, i, s, t) for i, (s, t) in enumerate(pieces)]


def embedding_text(doc: Document, chunk: Chunk) -> str:
    """Title and section give a chunk the context a bare paragraph lacks."""
    head = f"{doc.title} — {chunk.section}" if chunk.section else doc.title
    return f"{head}\n{chunk.text}"


def collect(
    paths: Iterable[Root], config: Config, limits: Limits, report: IngestReport
) -> dict[str, SourceFile]:
    """Walk every PATH, load and parse what can be read; record what cannot, with its reason. Files in
    a Git work tree carry their history."""
    with Converter(limits) as converter:
        return _collect(paths, config, limits, converter, report)


def _collect(
    paths: Iterable[Root], config: Config, limits: Limits, converter: Converter, report: IngestReport
) -> dict[str, SourceFile]:
    files: dict[str, SourceFile] = {}
    for item in paths:
        root, prefix = item if isinstance(item, tuple) else (item, "")
        if not root.exists():
            raise InputError(
                f"{root} does not exist.", "Pass a folder or file of ADRs, standards or design docs."
            )
        history = _history_of(root)
        for found in discover(root):
            if isinstance(found, SkipRecord):
                report.skipped.append({"source": prefix + found.source, "reason": found.reason})
                continue
            path, rel = found
            source = prefix + rel
            if source in files:
                report.skipped.append(
                    {"source": source, "reason": f"same source already found under {files[source].root}"}
                )
                continue
            try:
                loaded = load_document(path, source, limits, converter)
            except SkipFile as skip:
                report.skipped.append({"source": source, "reason": skip.reason})
                continue
            report.warnings.extend({"source": source, "reason": w} for w in loaded.warnings)
            parsed = _with_history(parse_document(loaded), history(path))
            visibility = config.visibility_for(source, parsed.document.visibility)
            if visibility != parsed.document.visibility:
                parsed = replace(parsed, document=replace(parsed.document, visibility=visibility))
            report.warnings.extend({"source": source, "reason": p} for p in parsed.problems)
            files[source] = SourceFile(parsed, str(root), loaded.content_hash)
    return files


def _history_of(root: Path) -> Callable[[Path], FileHistory | None]:
    """A lookup of each file's Git history under `root`, read in one pass; nothing outside a work tree."""
    top = work_tree(root)
    if top is None:
        return lambda path: None
    top = top.resolve()
    inside = root.resolve().relative_to(top).as_posix()
    histories = file_histories(top, [] if inside == "." else [inside])

    def lookup(path: Path) -> FileHistory | None:
        try:
            return histories.get(path.resolve().relative_to(top).as_posix())
        except ValueError:  # a symlink to a file outside the work tree
            return None

    return lookup


def _with_history(parsed: Parsed, history: FileHistory | None) -> Parsed:
    if history is None:
        return parsed
    doc = replace(
        parsed.document, updated=history.updated, created=history.created, authors=tuple(history.authors)
    )
    return replace(parsed, document=doc)


class Ingestor:
    """Syncs a set of source files into the manifest, Chroma and (via the manifest) the lexical index."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder | None = None,
        progress: Progress | None = None,
        index: VectorIndex | None = None,
    ):
        self.settings = settings
        self.store = Store(settings.db_path)
        self.embedder = embedder or make_embedder(settings.embedder, settings.model_cache_dir)
        self.index = index or VectorIndex(settings, self.embedder.name, self.embedder.dim)
        self.progress = progress

    def sync(
        self,
        files: dict[str, SourceFile],
        report: IngestReport,
        origin: str = "",
        synced: SourceState | None = None,
    ) -> IngestReport:
        """Index `files` as everything `origin` holds: `archbot ingest` ("") and each configured source
        prune only their own documents, and neither overwrites a document the other owns."""
        started = time.perf_counter()
        manifest = self.store.manifest()
        for source in [s for s in files if s in manifest and manifest[s].origin != origin]:
            owner = manifest[source].origin
            by = f"source {owner!r} (`archbot sync`)" if owner else "`archbot ingest`"
            report.skipped.append({"source": source, "reason": f"already indexed by {by}"})
            del files[source]
        documents, issues = resolve_links({s: f.parsed for s, f in files.items()})
        report.lint.extend(issues)
        frames, replacements = frames_for(
            documents,
            {s: f.parsed.fmt for s, f in files.items()},
            {s: f.parsed.units for s, f in files.items()},
        )
        report.lint.extend(replacement_issues(replacements, documents))

        upserts: list[tuple[Document, str, str, list[Chunk]]] = []
        refreshed: list[Document] = []
        for source, file in files.items():
            doc = documents[source]
            old = manifest.get(source)
            chunks = make_chunks(doc, file.parsed.fmt, self.settings.chunk_chars)
            if old is not None and old.hash == file.content_hash:
                if {c.id for c in chunks} != set(old.chunk_ids):
                    # The file is the same, its chunks are not: a newer archbot reads it differently
                    # or the chunk size changed. Its old chunks would answer until the file changed.
                    report.rechunked += 1
                    upserts.append((doc, file.root, file.content_hash, chunks))
                    continue
                report.unchanged += 1
                if _metadata(old.document) != _metadata(doc):
                    refreshed.append(doc)
                continue
            upserts.append((doc, file.root, file.content_hash, chunks))
            if old is None:
                report.added += 1
            else:
                report.updated += 1
        removed = [s for s, entry in manifest.items() if entry.origin == origin and s not in files]
        report.removed = len(removed)
        report.refreshed = len(refreshed)

        report.chunks_embedded = self._embed_and_upsert(upserts)
        sentences = self._embed_sentences(upserts, removed)
        self._refresh_metadata(refreshed, manifest)
        self.store.apply_ingest(
            upserts, removed, refreshed, origin, synced, {s: frames.get(s, []) for s in files}, sentences
        )
        open_lexical(self.store, self.settings.lexical_path)  # saved now, so no answer pays for it
        self._delete_orphans()
        report.documents = self.store.document_count()
        report.chunks = self.store.chunk_count()
        report.seconds += time.perf_counter() - started
        return report

    def _embed_and_upsert(self, upserts: list[tuple[Document, str, str, list[Chunk]]]) -> int:
        pending = [(doc, chunk) for doc, _, _, chunks in upserts for chunk in chunks]
        total = len(pending)
        for start in range(0, total, EMBED_BATCH):
            batch = pending[start : start + EMBED_BATCH]
            vectors = self.embedder.embed([embedding_text(d, c) for d, c in batch])
            self.index.upsert([c.id for _, c in batch], vectors, [chunk_metadata(d) for d, _ in batch])
            if self.progress:
                self.progress(min(start + EMBED_BATCH, total), total)
        return total

    def _embed_sentences(
        self, upserts: list[tuple[Document, str, str, list[Chunk]]], removed: list[str]
    ) -> list[SentenceRow]:
        """The sentence vectors of the new chunks, and of kept chunks that have none yet (indexed
        before they were stored), so answers look them up instead of embedding them."""
        replaced = {doc.source for doc, _, _, _ in upserts} | set(removed)
        missing = self.store.chunks_without_sentences(self.embedder.name)
        kept = [c for c in missing if c.source not in replaced]
        pending = [*(c for _, _, _, chunks in upserts for c in chunks), *kept]
        rows: list[SentenceRow] = []
        for start in range(0, len(pending), EMBED_BATCH):
            rows.extend(embed_sentences(pending[start : start + EMBED_BATCH], self.embedder))
        return rows

    def _refresh_metadata(self, refreshed: list[Document], manifest: dict) -> None:
        """Before the manifest commit, so a crash here is simply redone by the next run."""
        for doc in refreshed:
            ids = manifest[doc.source].chunk_ids
            self.index.update_metadata(ids, [chunk_metadata(doc)] * len(ids))

    def _delete_orphans(self) -> None:
        orphans = self.index.ids() - self.store.chunk_ids()
        self.index.delete(sorted(orphans))


def _metadata(doc: Document) -> Document:
    """What can change without the file changing: links stated in other files, path rules, and
    whatever a newer archbot reads differently (a title, a status style). Refreshed without re-embedding."""
    return replace(doc, text="")


def ingest_paths(settings: Settings, paths: Iterable[Path], progress: Progress | None = None) -> IngestReport:
    """`archbot ingest PATH...`: index every supported file; prune what disappeared."""
    started, started_at = time.perf_counter(), now_iso()
    roots = list(paths)
    report = IngestReport()
    files = collect(roots, Config.load(settings.config_file), Limits.from_settings(settings), report)
    report.seconds = time.perf_counter() - started
    ingestor = Ingestor(settings, progress=progress)
    ingestor.sync(files, report)
    ingestor.store.record_ingest_run(started_at, [str(r) for r in roots], report.to_json())
    return report


def sync_documents(settings: Settings, items: Iterable[tuple[Document, str, str]]) -> IngestReport:
    """Index documents that were not read from files (e.g. a BEIR corpus), with the same pipeline."""
    files = {
        doc.source: SourceFile(
            Parsed(document=doc, fmt=fmt, supersedes_refs=(), superseded_by_refs=(), problems=()), "", h
        )
        for doc, fmt, h in items
    }
    return Ingestor(settings).sync(files, IngestReport())
