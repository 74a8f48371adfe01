"""Chunks read from the manifest as answers need them: the same chunks, hits and answers as when a
process held every chunk in memory."""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from archbot.advisor.core import Advisor
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.embedder import make_embedder
from archbot.kernel.index import VectorIndex
from archbot.kernel.settings import Settings
from archbot.kernel.store import Store
from archbot.kernel.types import Chunk, Filters, Turn
from tests.conftest import EXAMPLE_CORPUS
from tests.minicorpus import write_minicorpus

FILTERS = (Filters(), Filters(kinds=("adr",)), Filters(statuses=("accepted",)), Filters(visibilities=()))


class HeldStore(Store):
    """Answers chunk reads from every chunk read once when it was opened, in one list and by
    document, as each answering process did before chunks were fetched."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        held = super().chunks()
        self.by_id = {c.id: c for c in held}
        self.by_source: dict[str, list[Chunk]] = {}
        for chunk in held:
            self.by_source.setdefault(chunk.source, []).append(chunk)

    def chunks(self, ids: Iterable[str] | None = None) -> list[Chunk]:
        if ids is None:
            return list(self.by_id.values())
        return [self.by_id[i] for i in ids if i in self.by_id]

    def chunks_of(self, source: str) -> list[Chunk]:
        return list(self.by_source.get(source, []))


def advisors(settings: Settings) -> tuple[Advisor, Advisor]:
    """An advisor reading chunks from SQLite and one over the same index holding them all."""
    embedder = make_embedder(settings.embedder, settings.model_cache_dir)
    held = Advisor(
        settings, HeldStore(settings.db_path), embedder, VectorIndex(settings, embedder.name, embedder.dim)
    )
    return Advisor.open(settings), held


def questions() -> list[str]:
    found = []
    for name in ("example.jsonl", "example_blind.jsonl"):
        text = (resources.files("archbot.eval") / "datasets" / name).read_text(encoding="utf-8")
        found += [json.loads(line)["question"] for line in text.splitlines() if line.strip()]
    return found


def answered(advisor: Advisor, question: str, **kwargs) -> dict:
    answer = advisor.ask(question, **kwargs)
    data = answer.to_json()
    data.pop("latency_ms")
    data["excerpts"] = [c.excerpt for c in answer.citations]
    return data


def test_a_documents_chunks_are_those_held_in_reading_order(settings: Settings) -> None:
    ingest_paths(settings, [EXAMPLE_CORPUS])
    fetched, held = advisors(settings)
    assert set(fetched.documents) == set(held.store.by_source)  # type: ignore[attr-defined]
    for source in fetched.documents:
        chunks = fetched.chunks_of(source)
        assert chunks == held.chunks_of(source) and chunks
        assert [c.ord for c in chunks] == sorted(c.ord for c in chunks)
    assert fetched.chunks_of("adr/no-such-document.md") == []
    stored = fetched.retriever.chunks_by_source
    assert sorted(stored) == sorted(fetched.documents) and len(stored) == len(fetched.documents)


def test_each_lexical_row_knows_its_document(settings: Settings) -> None:
    ingest_paths(settings, [EXAMPLE_CORPUS])
    lexical = Advisor.open(settings).retriever.lexical
    of_row = {str(cid): lexical.sources[n] for cid, n in zip(lexical.ids, lexical.row_sources, strict=True)}
    assert of_row == {c.id: c.source for c in Store(settings.db_path).chunks()}


def test_answers_hits_and_follow_ups_are_those_of_held_chunks(minilm_settings: Settings) -> None:
    ingest_paths(minilm_settings, [EXAMPLE_CORPUS])
    fetched, held = advisors(minilm_settings)
    asked = questions()
    assert len(asked) > 40
    for question in asked:
        assert answered(fetched, question) == answered(held, question), question
        for filters in FILTERS:
            for mode in ("hybrid", "dense", "bm25"):
                assert fetched.retrieve(question, filters=filters, mode=mode) == held.retrieve(
                    question, filters=filters, mode=mode
                ), (question, filters, mode)
    assert answered(fetched, asked[0], filters=Filters(kinds=("design",))) == answered(
        held, asked[0], filters=Filters(kinds=("design",))
    )
    for first, second in zip(asked[::2], asked[1::2], strict=False):
        reply = fetched.ask(first)
        history = [
            Turn("user", first),
            Turn("assistant", reply.text, tuple(c.source for c in reply.citations)),
        ]
        assert answered(fetched, second, history=history) == answered(held, second, history=history)
        assert answered(fetched, "who decided that?", history=history) == answered(
            held, "who decided that?", history=history
        )


def test_a_chunk_removed_after_the_snapshot_is_left_out_not_an_error(
    settings: Settings, tmp_path: Path
) -> None:
    ingest_paths(settings, [write_minicorpus(tmp_path / "kb")])
    advisor = Advisor.open(settings)
    retriever = advisor.retriever
    before = retriever.search("sticky sessions", k=10)
    assert before
    gone = before[0].source
    Store(settings.db_path).apply_ingest([], [gone], [])  # another process's ingest removes it
    after = retriever.search("sticky sessions", k=10)
    assert gone not in [h.source for h in after]
    assert {h.source for h in before} - {gone} <= {h.source for h in after}
    assert retriever.chunks_by_source.get(gone) is None
