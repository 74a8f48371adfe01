"""Ingest end to end: incremental sync, the JSON contract, bad inputs, kill -9, Chroma server mode."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from archbot.advisor.core import Advisor
from archbot.bot.cli import main
from archbot.ingest import pipeline
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.embedder import make_embedder
from archbot.kernel.index import VectorIndex
from archbot.kernel.settings import Settings
from archbot.kernel.store import Store
from tests.minicorpus import write_minicorpus

REPO = Path(__file__).resolve().parent.parent


def index_ids(settings: Settings) -> set[str]:
    embedder = make_embedder(settings.embedder, settings.model_cache_dir)
    return VectorIndex(settings, embedder.name, embedder.dim).ids()


def test_incremental_add_change_delete(settings: Settings, tmp_path: Path) -> None:
    kb = write_minicorpus(tmp_path / "kb")
    first = ingest_paths(settings, [kb])
    assert (first.added, first.updated, first.removed) == (8, 0, 0)
    assert first.chunks_embedded == first.chunks > 0

    second = ingest_paths(settings, [kb])
    assert (second.added, second.updated, second.unchanged, second.chunks_embedded) == (0, 0, 8, 0)

    (kb / "standards" / "data-retention.md").write_text(
        "# Data retention\n\nApplication logs are kept 90 days.\n"
    )
    (kb / "design" / "merchant-search.md").unlink()
    (kb / "adr" / "0013-new.md").write_text(
        "# 13. Use OpenTelemetry\n\n## Status\n\nAccepted\n\nWe use OTel.\n"
    )
    third = ingest_paths(settings, [kb])
    assert (third.added, third.updated, third.removed) == (1, 1, 1)
    assert 0 < third.chunks_embedded < first.chunks_embedded

    store = Store(settings.db_path)
    assert "design/merchant-search.md" not in store.documents()
    assert index_ids(settings) == store.chunk_ids()
    answer = Advisor.open(settings).ask("how long are application logs kept?")
    assert "90 days" in answer.text


def test_links_stated_in_a_changed_file_update_the_other_document(settings: Settings, tmp_path: Path) -> None:
    kb = write_minicorpus(tmp_path / "kb")
    ingest_paths(settings, [kb])
    assert Store(settings.db_path).documents()["adr/0007-use-rabbitmq-for-events.md"].status == "superseded"
    kafka = kb / "adr" / "0012-adopt-kafka.md"
    kafka.write_text(kafka.read_text().replace("supersedes: 0007-use-rabbitmq-for-events.md\n", ""))
    report = ingest_paths(settings, [kb])
    assert report.updated == 1
    rabbit = Store(settings.db_path).documents()["adr/0007-use-rabbitmq-for-events.md"]
    assert rabbit.status == "accepted" and rabbit.superseded_by == ()


def test_metadata_read_differently_by_a_newer_archbot_is_refreshed_without_re_embedding(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = write_minicorpus(tmp_path / "kb")
    ingest_paths(settings, [kb])
    original = pipeline.parse_document

    def newer_parser(loaded):  # the same files, read with a different title and an added tag
        parsed = original(loaded)
        doc = replace(parsed.document, title=parsed.document.title.upper(), tags=("reread",))
        return replace(parsed, document=doc)

    monkeypatch.setattr(pipeline, "parse_document", newer_parser)
    report = ingest_paths(settings, [kb])
    assert (report.unchanged, report.refreshed, report.chunks_embedded) == (8, 8, 0)
    kafka = Store(settings.db_path).documents()["adr/0012-adopt-kafka.md"]
    assert kafka.title == "ADOPT KAFKA FOR EVENT STREAMING" and kafka.tags == ("reread",)
    assert kafka.status == "accepted"


def test_unchanged_files_whose_chunks_come_out_differently_are_re_chunked(
    settings: Settings, tmp_path: Path
) -> None:
    """Another chunk size (or a newer archbot's chunker) changes the chunks of files that did not
    change: their old chunks must not keep answering; files whose chunks are the same embed nothing."""
    kb = write_minicorpus(tmp_path / "kb")
    first = ingest_paths(replace(settings, chunk_chars=300), [kb])
    store = Store(settings.db_path)
    before = {source: entry.chunk_ids for source, entry in store.manifest().items()}
    second = ingest_paths(settings, [kb])
    after = {source: entry.chunk_ids for source, entry in store.manifest().items()}
    changed = {source for source in after if set(after[source]) != set(before[source])}
    assert changed and second.rechunked == len(changed) and second.unchanged == 8 - len(changed)
    assert second.chunks_embedded == sum(len(after[s]) for s in changed) < first.chunks_embedded * 2
    assert index_ids(settings) == store.chunk_ids()
    third = ingest_paths(settings, [kb])
    assert (third.rechunked, third.unchanged, third.chunks_embedded) == (0, 8, 0)


def test_ingest_json_contract_and_bad_inputs(tmp_path: Path) -> None:
    kb = write_minicorpus(tmp_path / "kb")
    (kb / "binary.md").write_bytes(b"\x00\x01\x02PNG" * 100)
    (kb / "empty.md").write_text("")
    (kb / "latin1.md").write_bytes(
        "# Caf\xe9 decisions\n\nWe serve cr\xe8me br\xfbl\xe9e.\n".encode("latin-1")
    )
    (kb / "huge.md").write_text("# Huge\n\n" + "word " * 400_000)
    (kb / "broken.md").write_text(
        "---\ntitle: [unclosed\n---\n# Broken front matter\n\nStill readable text here.\n"
    )
    (kb / "loop").symlink_to(kb, target_is_directory=True)
    result = CliRunner().invoke(main, ["ingest", str(kb), "--json"], env={"ARCHBOT_EMBEDDER": "hash"})
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"added", "updated", "unchanged", "removed", "chunks_embedded", "skipped", "seconds"}
    reasons = {s["source"]: s["reason"] for s in data["skipped"]}
    assert {"binary.md", "empty.md", "huge.md"} <= set(reasons)
    assert "cap" in reasons["huge.md"]
    assert any("loop" in s for s in reasons), reasons
    assert data["added"] == 10  # the 8 corpus files, the latin-1 one and the broken-front-matter one


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "nope")], env={"ARCHBOT_EMBEDDER": "hash"})
    assert result.exit_code == 1
    assert "does not exist" in result.output and "Traceback" not in result.output


CRASH_SCRIPT = """
import os, signal, sys
from pathlib import Path
from archbot.kernel.settings import Settings
from archbot.kernel import store as store_module
from archbot.ingest import pipeline
target = sys.argv[2]
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
if target == "before-commit":
    store_module.Store.apply_ingest = die
elif target == "mid-commit":  # chunks and sentence vectors written, the transaction not committed
    store_module.Store._digest = die
else:
    pipeline.Ingestor._delete_orphans = die
pipeline.ingest_paths(Settings.from_env(), [Path(sys.argv[1])])
"""


def sentence_table(settings: Settings) -> dict[str, tuple[str, str, bytes]]:
    rows = Store(settings.db_path).db.execute("select chunk, model, digests, vectors from sentence_vectors")
    return {chunk: (model, digests, blob) for chunk, model, digests, blob in rows}


@pytest.mark.parametrize("moment", ["before-commit", "mid-commit", "before-cleanup"])
def test_kill_9_mid_ingest_keeps_the_old_index_and_repairs(
    settings: Settings, tmp_path: Path, archbot_home: Path, moment: str
) -> None:
    kb = write_minicorpus(tmp_path / "kb")
    ingest_paths(settings, [kb])
    before = Store(settings.db_path).chunk_ids()
    vectors_before = sentence_table(settings)
    (kb / "standards" / "data-retention.md").write_text(
        "# Data retention\n\nApplication logs are kept 90 days.\n"
    )
    (kb / "adr" / "0012-adopt-kafka.md").unlink()

    env = {
        **os.environ,
        "ARCHBOT_HOME": str(archbot_home),
        "ARCHBOT_EMBEDDER": "hash",
        "PYTHONPATH": str(REPO),
    }
    proc = subprocess.run([sys.executable, "-c", CRASH_SCRIPT, str(kb), moment], env=env, timeout=120)
    assert proc.returncode == -signal.SIGKILL

    store = Store(settings.db_path)
    if moment != "before-cleanup":
        assert store.chunk_ids() == before
        assert sentence_table(settings) == vectors_before
        answer = Advisor.open(settings).ask("how long are application logs kept?")
        assert "30 days" in answer.text
    assert index_ids(settings) >= store.chunk_ids()

    report = ingest_paths(settings, [kb])
    store = Store(settings.db_path)
    assert index_ids(settings) == store.chunk_ids()
    assert "adr/0012-adopt-kafka.md" not in store.documents()
    assert report.removed == (0 if moment == "before-cleanup" else 1)
    assert set(sentence_table(settings)) == store.chunk_ids()
    assert "90 days" in Advisor.open(settings).ask("how long are application logs kept?").text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path: Path):
    chroma = Path(sys.executable).parent / "chroma"
    port = _free_port()
    proc = subprocess.Popen(
        [str(chroma), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(tmp_path / "server")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma run did not start")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=20)


def test_server_mode_against_chroma_run(settings: Settings, tmp_path: Path, chroma_server: str) -> None:
    server_settings = settings.with_(chroma_url=chroma_server)
    kb = write_minicorpus(tmp_path / "kb")
    report = ingest_paths(server_settings, [kb])
    assert report.added == 8
    assert not (server_settings.chroma_path).exists(), "nothing embedded locally in server mode"
    answer = Advisor.open(server_settings).ask("are we still on rabbitmq for domain events?")
    assert answer.citations[0].source == "adr/0012-adopt-kafka.md"
    assert ingest_paths(server_settings, [kb]).chunks_embedded == 0
