"""The saved lexical index: ranks exactly as one built in memory, and is rebuilt only when the manifest
changes."""

from __future__ import annotations

import math
from pathlib import Path

import bm25s
import numpy as np

from archbot.advisor.core import VOCABULARY_FOLDER, Advisor
from archbot.advisor.salience import Vocabulary
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.lexical import (
    FORMAT,
    LexicalIndex,
    expand_query,
    lexical_text,
    open_lexical,
    saved_name,
    terms,
    tokenize,
    top_rows,
)
from archbot.kernel.settings import Settings
from archbot.kernel.store import Store
from archbot.kernel.vocabulary import split_sentences, stem_word, stem_words
from tests.conftest import EXAMPLE_CORPUS
from tests.minicorpus import write_minicorpus


def rebuilt(store: Store) -> tuple[LexicalIndex, list[list[str]]]:
    """The index as every process used to build it, and the texts it was built from."""
    documents, chunks = store.documents(), store.chunks()
    texts = [lexical_text(documents[c.source].title, c) for c in chunks]
    return LexicalIndex.build([c.id for c in chunks], texts, [c.source for c in chunks]), texts


def test_the_saved_index_ranks_exactly_as_a_rebuilt_one(settings: Settings) -> None:
    ingest_paths(settings, [EXAMPLE_CORPUS])
    store = Store(settings.db_path)
    saved = open_lexical(store, settings.lexical_path)
    assert isinstance(saved.ids, np.memmap)  # loaded from the ingest's files, not built again
    fresh, corpus = rebuilt(store)
    assert list(saved.ids) == fresh.ids
    assert [saved.sources[n] for n in saved.row_sources] == [c.source for c in store.chunks()]

    queries = [d.title for d in store.documents().values()]
    queries += [s for c in store.chunks() for s in split_sentences(c.text)[:1]]
    queries += ["are we still on rabbitmq for events?", "k8s prod db auth", "10.13.0.0/16", "zzz unknown"]
    assert len(queries) > 200
    mask = (np.arange(len(fresh.ids)) % 3 != 0).astype(np.float32)
    reference = bm25s.BM25.load(str(saved.folder), mmap=True, show_progress=False)
    for query in queries:
        assert saved.search(query, 80) == fresh.search(query, 80), query
        assert saved.search(query, 80, mask) == fresh.search(query, 80, mask), query
        tokens = stem_words(expand_query(tokenize(query)))
        if tokens:  # the scores bm25s itself gives, to the last bit
            ours = saved.postings.scores(tokens, len(saved.ids))
            assert np.array_equal(ours, reference.get_scores(tokens)), query

    # document frequencies of each word's stem, counted from the texts
    df: dict[str, int] = {}
    for text in corpus:
        for term in set(terms(text) or ["_empty_"]):
            df[term] = df.get(term, 0) + 1
    n = len(fresh.ids)
    words = {word for text in corpus for word in tokenize(text)}
    for word in [*sorted(words), "neverseen"]:
        expected = math.log(1 + (n + 1) / (df.get(stem_word(word), 0) + 0.5))
        assert saved.idf(word) == fresh.idf(word) == np.float64(expected), word


def test_the_index_is_rebuilt_only_when_the_manifest_changes(settings: Settings, tmp_path: Path) -> None:
    kb = write_minicorpus(tmp_path / "kb")
    ingest_paths(settings, [kb])
    store = Store(settings.db_path)
    first = store.manifest_digest()
    folders = sorted(p.name for p in settings.lexical_path.iterdir())
    assert folders == [f"{first}-{FORMAT}"]
    inode = (settings.lexical_path / folders[0]).stat().st_ino

    ingest_paths(settings, [kb])  # nothing changed: same digest, same files
    assert store.manifest_digest() == first
    assert (settings.lexical_path / folders[0]).stat().st_ino == inode

    advisor = Advisor.open(settings)
    assert not advisor.retrieve("zeppelin airship", mode="bm25")
    (kb / "standards" / "airships.md").write_text("# Airships\n\nZeppelin airships carry the mail.\n")
    ingest_paths(settings, [kb])
    second = store.manifest_digest()
    assert second != first
    assert sorted(p.name for p in settings.lexical_path.iterdir()) == [f"{second}-{FORMAT}"]
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
    saved = retriever.lexical.folder / VOCABULARY_FOLDER
    assert saved.is_dir()
    loaded = Advisor.open(settings).vocabulary(Advisor.open(settings).retriever)
    assert isinstance(loaded.postings, np.memmap)  # mapped from the saved file, not read into memory
    assert loaded.sources == built.sources and dict(loaded.rows) == dict(built.rows)
    assert all(loaded.sources_of(w) == built.sources_of(w) for w in built.rows)
    assert set(built.sources_of("kafka")) >= {"adr/0012-adopt-kafka-for-event-streaming.md"}
    assert {n: sorted(w) for n, w in loaded.by_length.items()} == {
        n: sorted(w) for n, w in built.by_length.items()
    }


def test_an_index_saved_in_an_older_format_is_rebuilt_not_loaded(settings: Settings, tmp_path: Path) -> None:
    ingest_paths(settings, [write_minicorpus(tmp_path / "kb")])
    store = Store(settings.db_path)
    current = settings.lexical_path / saved_name(store)
    older = settings.lexical_path / store.manifest_digest()  # how an archbot without stemming named it
    current.rename(older)
    loaded = open_lexical(store, settings.lexical_path)
    assert loaded.folder == current
    assert sorted(p.name for p in settings.lexical_path.iterdir()) == [current.name]


def test_words_meet_their_inflections_and_shorthand_its_spelling() -> None:
    index = LexicalIndex.build(
        ["alerts", "cluster", "other"],
        [
            "Do not page anyone when a single container instance is dying.",
            "The Kubernetes clusters run in three availability zones.",
            "Lunch is served at noon in the cafeteria.",
        ],
        ["alerts.md", "cluster.md", "other.md"],
    )
    assert [cid for cid, _ in index.search("paged when a pod dies", 3)] == ["alerts"]
    assert [cid for cid, _ in index.search("k8s cluster", 3)] == ["cluster"]
    assert index.idf("dies") == index.idf("dying") < index.idf("neverseen")
    # the evidence test reads words as written
    assert index.weighted_overlap("carry over", "carried over") < 1.0


def test_the_best_rows_are_the_full_sort_of_the_positive_scores() -> None:
    """Partial selection ranks as sorting everything would: best first, ties in row order, only
    positive scores, however the ties fall on the cut."""
    rng = np.random.default_rng(7)
    for _ in range(200):
        size, n = int(rng.integers(1, 300)), int(rng.integers(1, 90))
        scores = (rng.integers(0, 4, size) * (rng.random(size) < 0.6)).astype(np.float32)
        expected = [i for i in sorted(range(size), key=lambda i: (-scores[i], i)) if scores[i] > 0][:n]
        assert top_rows(scores, n).tolist() == expected


def test_a_shorthand_and_its_spelling_out_score_as_one_term() -> None:
    """A rare spelling ("k8s" in one chunk) carries the IDF of the word it spells, not its own: the
    chunk saying only "k8s" and "pods" does not outrank the chunks about the question's lifecycle,
    as it did when the two spellings were summed as separate terms."""
    texts = [f"Kubernetes note {n}: every pod has a lifecycle." for n in range(20)]
    texts += [
        "k8s quota review: each team gets ten pods.",
        "Kubernetes pod lifecycle hooks run before a pod stops.",
    ]
    ids = [f"c{n}" for n in range(len(texts))]
    index = LexicalIndex.build(ids, texts, [f"{i}.md" for i in ids])
    scores = dict(index.search("what is the k8s pod lifecycle?", len(ids)))
    assert all(scores["c20"] < scores[cid] for cid in ids if "lifecycle" in texts[ids.index(cid)])
    assert "kubernetes" in expand_query(["k8s"])
    assert expand_query(["ci"]) == ["ci", "continuous", "integration"]  # a phrase adds its words
