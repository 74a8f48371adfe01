"""The saved lexical index: ranks exactly as one built in memory, and is rebuilt only when the manifest
changes."""

from __future__ import annotations

import math
from pathlib import Path

import bm25s
import numpy as np

from archbot.advisor.core import VOCABULARY_FILE, Advisor
from archbot.advisor.salience import Vocabulary
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.lexical import LexicalIndex, expand_query, lexical_text, open_lexical, tokenize
from archbot.kernel.settings import Settings
from archbot.kernel.store import Store
from archbot.kernel.vocabulary import split_sentences
from tests.conftest import EXAMPLE_CORPUS
from tests.minicorpus import write_minicorpus


def rebuilt(store: Store) -> tuple[LexicalIndex, list[list[str]]]:
    """The index as every process used to build it, and the token lists it was built from."""
    documents, chunks = store.documents(), store.chunks()
    texts = [lexical_text(documents[c.source].title, c) for c in chunks]
    return LexicalIndex.build([c.id for c in chunks], texts), [tokenize(t) for t in texts]


def test_the_saved_index_ranks_exactly_as_a_rebuilt_one(settings: Settings) -> None:
    ingest_paths(settings, [EXAMPLE_CORPUS])
    store = Store(settings.db_path)
    saved = open_lexical(store, settings.lexical_path)
    assert isinstance(saved.ids, np.memmap)  # loaded from the ingest's files, not built again
    fresh, corpus = rebuilt(store)
    assert list(saved.ids) == fresh.ids

    queries = [d.title for d in store.documents().values()]
    queries += [s for c in store.chunks() for s in split_sentences(c.text)[:1]]
    queries += ["are we still on rabbitmq for events?", "k8s prod db auth", "10.13.0.0/16", "zzz unknown"]
    assert len(queries) > 200
    mask = (np.arange(len(fresh.ids)) % 3 != 0).astype(np.float32)
    reference = bm25s.BM25.load(str(saved.folder), mmap=True, show_progress=False)
    for query in queries:
        assert saved.search(query, 80) == fresh.search(query, 80), query
        assert saved.search(query, 80, mask) == fresh.search(query, 80, mask), query
        tokens = expand_query(tokenize(query))
        if tokens:  # the scores bm25s itself gives, to the last bit
            ours = saved.postings.scores(tokens, len(saved.ids))
            assert np.array_equal(ours, reference.get_scores(tokens)), query

    # document frequencies as the in-memory index counted them, from the token lists
    df: dict[str, int] = {}
    for tokens in corpus:
        for token in set(tokens or ["_empty_"]):
            df[token] = df.get(token, 0) + 1
    n = len(fresh.ids)
    for token in [*df, "neverseen"]:
        expected = math.log(1 + (n + 1) / (df.get(token, 0) + 0.5))
        assert saved.idf(token) == fresh.idf(token) == np.float64(expected), token


def test_the_index_is_rebuilt_only_when_the_manifest_changes(settings: Settings, tmp_path: Path) -> None:
    kb = write_minicorpus(tmp_path / "kb")
    ingest_paths(settings, [kb])
    store = Store(settings.db_path)
    first = store.manifest_digest()
    folders = sorted(p.name for p in settings.lexical_path.iterdir())
    assert folders == [first]
    inode = (settings.lexical_path / first).stat().st_ino

    ingest_paths(settings, [kb])  # nothing changed: same digest, same files
    assert store.manifest_digest() == first
    assert (settings.lexical_path / first).stat().st_ino == inode

    advisor = Advisor.open(settings)
    assert not advisor.retrieve("zeppelin airship", mode="bm25")
    (kb / "standards" / "airships.md").write_text("# Airships\n\nZeppelin airships carry the mail.\n")
    ingest_paths(settings, [kb])
    second = store.manifest_digest()
    assert second != first
    assert sorted(p.name for p in settings.lexical_path.iterdir()) == [second]
    assert [h.source for h in advisor.retrieve("zeppelin airship", mode="bm25")] == ["standards/airships.md"]


def test_a_database_from_before_the_digest_gets_one_computed(settings: Settings, tmp_path: Path) -> None:
    ingest_paths(settings, [write_minicorpus(tmp_path / "kb")])
    store = Store(settings.db_path)
    recorded = store.manifest_digest()
    store.db.table("state").delete("manifest_digest")
    assert store.state("manifest_digest") is None
    assert store.manifest_digest() == recorded


def test_the_saved_vocabulary_is_the_built_one(settings: Settings) -> None:
    ingest_paths(settings, [EXAMPLE_CORPUS])
    advisor = Advisor.open(settings)
    retriever = advisor.retriever
    built = Vocabulary.build(retriever.documents, retriever.chunks_by_source)
    advisor.prepare()  # what `archbot ingest` runs
    saved = retriever.lexical.folder / VOCABULARY_FILE
    assert saved.is_file()
    loaded = Advisor.open(settings).vocabulary(Advisor.open(settings).retriever)
    assert dict(loaded.sources_of) == dict(built.sources_of)
    assert {n: sorted(w) for n, w in loaded.by_length.items()} == {
        n: sorted(w) for n, w in built.by_length.items()
    }
