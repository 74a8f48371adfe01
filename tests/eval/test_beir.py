"""BEIR-format benchmarks on a tiny dataset written here, through the real ingest and retrieval."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archbot.bot.cli import main
from archbot.eval.beir import beir_settings, load_beir, run_beir
from archbot.kernel.errors import InputError
from archbot.kernel.settings import Settings
from archbot.kernel.store import Store

CORPUS = {
    "d1": (
        "Glacier formation",
        "Glaciers form where snowfall accumulation exceeds ablation over many winters.",
    ),
    "d2": ("Volcanic islands", "Basaltic lava from hotspot volcanoes builds oceanic islands such as Hawaii."),
    "d3": ("Coral reefs", "Coral polyps secrete calcium carbonate skeletons that build tropical reefs."),
    "d4": ("Desert dunes", "Wind transports sand grains that pile into crescent barchan dunes."),
    "d5": ("River deltas", "Sediment deposited at a river mouth spreads into a fan shaped delta."),
}
QUERIES = {
    "q1": "how do glaciers form from snowfall accumulation",
    "q2": "hotspot volcanoes and basaltic lava islands",
    "q3": "crescent barchan sand dunes",
    "q4": "a query nobody judged",
}
QRELS = [("q1", "d1", 1), ("q2", "d2", 2), ("q3", "d4", 1), ("q3", "d5", 0), ("q9", "d3", 1)]


def write_beir(folder: Path) -> Path:
    (folder / "qrels").mkdir(parents=True)
    with (folder / "corpus.jsonl").open("w") as fh:
        for doc_id, (title, text) in CORPUS.items():
            fh.write(json.dumps({"_id": doc_id, "title": title, "text": text, "metadata": {}}) + "\n")
    with (folder / "queries.jsonl").open("w") as fh:
        for query_id, text in QUERIES.items():
            fh.write(json.dumps({"_id": query_id, "text": text}) + "\n")
    rows = ["query-id\tcorpus-id\tscore"] + [f"{q}\t{d}\t{s}" for q, d, s in QRELS]
    (folder / "qrels" / "test.tsv").write_text("\n".join(rows) + "\n")
    return folder


def test_loader_reads_the_three_files(tmp_path: Path) -> None:
    dataset = load_beir(write_beir(tmp_path / "tiny-geo"))
    assert dataset.name == "tiny-geo"
    assert [d.source for d in dataset.documents] == list(CORPUS)
    assert dataset.documents[0].title == "Glacier formation"
    assert dataset.qrels["q3"] == {"d4": 1.0, "d5": 0.0}
    with pytest.raises(InputError, match=r"qrels/dev.tsv is missing"):
        load_beir(tmp_path / "tiny-geo", split="dev")


def test_benchmark_scores_every_mode_on_judged_queries(settings: Settings, tmp_path: Path) -> None:
    result = run_beir(settings, write_beir(tmp_path / "tiny-geo"))
    assert set(result["modes"]) == {"dense", "bm25", "hybrid"}
    assert result["metrics"] == result["modes"]["hybrid"]["metrics"]
    for mode in result["modes"].values():
        # q4 has no judgements, q9 is not a query, and q3's d5 (score 0) is not relevant
        assert mode["queries"] == 3
        assert set(mode["metrics"]) == {"ndcg@10", "recall@10", "recall@100", "mrr@10"}
        assert all(0.0 <= v <= 1.0 for v in mode["metrics"].values())
    # every query shares its distinctive words with exactly its relevant document
    assert result["modes"]["bm25"]["metrics"] == {
        "ndcg@10": 1.0,
        "recall@10": 1.0,
        "recall@100": 1.0,
        "mrr@10": 1.0,
    }


def test_benchmark_has_its_own_index_and_is_incremental(settings: Settings, tmp_path: Path) -> None:
    folder = write_beir(tmp_path / "tiny-geo")
    run_beir(settings, folder, modes=("bm25",))
    again = run_beir(settings, folder, modes=("bm25",))
    assert again["ingest"]["unchanged"] == len(CORPUS) and again["ingest"]["chunks_embedded"] == 0
    local = beir_settings(settings, "tiny-geo")
    assert local.collection == "beir-tiny-geo"
    assert Store(local.db_path).document_count() == len(CORPUS)
    assert Store(settings.db_path).document_count() == 0


def test_cli_prints_the_contract_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHBOT_EMBEDDER", "hash")
    folder = write_beir(tmp_path / "tiny-geo")
    result = CliRunner().invoke(main, ["eval", "beir", str(folder), "--json", "--mode", "bm25"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["metrics"]["ndcg@10"] == 1.0 and data["metrics"]["recall@100"] == 1.0
    assert list(data["modes"]) == ["bm25"]
    human = CliRunner().invoke(main, ["eval", "beir", str(folder)])
    assert "ndcg@10" in human.stdout and "hybrid" in human.stdout
