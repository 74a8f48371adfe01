"""Scale: archbot over 10k, 100k and 1M chunks in a `chroma run` server on loopback.

The chunks are varied text made from ../shared/corpora/dev: each mixes the sentences of three dev
chunks, under a document title carrying a name of its own (`system417`), so the vocabulary grows with
the corpus as a real one does. Vectors are made cheaply: a real MiniLM vector of one of the mixed
chunks plus Gaussian noise, renormalised, so the ANN index sees a realistic spread without embedding
a million texts on two cores. Ingest throughput is therefore measured without the model, and the
model's own rate (measured in the same run) is given beside it, with the two combined. Each chunk's
quotable sentences get stored vectors as an ingest stores them (ADR 17), random unit vectors here:
the answerer only looks them up.

For each size, in a new archbot process (the memory figure is that process alone, as a Slack replica
would hold it): the first question (loading the lexical index and the manifest), then warm p50/p95
over the dev questions, beside a bare dense Chroma query in that same process as the baseline.
Sizes grow cumulatively in one server. Sizes that do not fit: `--sizes 10000,100000`. `--keep`
leaves the index and the Chroma data behind, to profile the largest size afterwards.
Run: .venv/bin/python -m bench.scale_bench [--sizes N,N,...] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from archbot.advisor.core import Advisor
from archbot.ingest.formats import Limits
from archbot.ingest.pipeline import IngestReport, chunk_id, collect, embedding_text, make_chunks
from archbot.kernel.config import Config
from archbot.kernel.embedder import make_embedder
from archbot.kernel.index import VectorIndex, chunk_metadata
from archbot.kernel.lexical import LexicalIndex, open_lexical, saved_name
from archbot.kernel.sentence_vectors import STORED_DTYPE, digest
from archbot.kernel.settings import Settings
from archbot.kernel.store import SentenceRow, Store
from archbot.kernel.text import embedded, quotable
from archbot.kernel.types import Chunk, Document
from archbot.kernel.vocabulary import split_sentences
from bench import common
from bench.common import percentile, timed

SIZES = (10_000, 100_000, 1_000_000)
CHUNKS_PER_DOC = 8
SEED_VECTORS = 400  # real embeddings the synthetic vectors are perturbed from
NOISE = 0.35  # per-dimension noise relative to a unit vector's per-dimension scale
BATCH = 2_000
KINDS = ("adr", "standard", "design", "other")
STATUSES = ("accepted", "superseded", "proposed", None)


def seed_chunks() -> list[tuple[Document, Chunk]]:
    report_ = IngestReport()
    files = collect([common.DEV_CORPUS], Config(), Limits.from_settings(Settings.from_env({})), report_)
    return [
        (f.parsed.document, c)
        for f in files.values()
        for c in make_chunks(f.parsed.document, f.parsed.fmt, 1000)
    ]


def synthetic(start: int, end: int, seeds, vectors: np.ndarray, rng: random.Random):
    """Documents [start, end) of the synthetic corpus with their chunks and vectors."""
    dim = vectors.shape[1]
    noise = np.random.default_rng(start)
    for n in range(start, end):
        base_doc, _ = seeds[rng.randrange(len(seeds))]
        source = f"scale/{KINDS[n % 4]}/{n:07d}.md"
        title = f"{base_doc.title} (system{n})"
        doc = Document(
            source=source, title=title, kind=KINDS[n % 4], text="", number=n, status=STATUSES[n % 4]
        )
        chunks, picks = [], []
        for ord_ in range(CHUNKS_PER_DOC):
            # the first chunk mixed in is one of those with a real vector, which the noise is added to
            mixed = [rng.randrange(len(vectors)), rng.randrange(len(seeds)), rng.randrange(len(seeds))]
            sentences = [s for i in mixed for s in split_sentences(seeds[i][1].text)]
            rng.shuffle(sentences)
            text = f"system{n} " + " ".join(sentences[:8])
            section = seeds[mixed[0]][1].section
            chunks.append(Chunk(chunk_id(source, section, text, ord_), source, ord_, section, text))
            picks.append(mixed[0])
        raw = vectors[picks] + noise.normal(0, NOISE / np.sqrt(dim), (len(picks), dim)).astype(np.float32)
        yield doc, chunks, raw / np.linalg.norm(raw, axis=1, keepdims=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_chroma(path: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    chroma = str(Path(sys.executable).parent / "chroma")
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("chroma run did not start within a minute")


def sentence_rows(chunks: list[Chunk], model: str, dim: int) -> Iterator[SentenceRow]:
    """The stored sentence vectors of `chunks`, made as they are written (a million chunks' do not
    fit in memory at once)."""
    noise = np.random.default_rng(len(chunks))
    for chunk in chunks:
        texts = list(dict.fromkeys(embedded(s) for s in quotable(chunk.text)))
        raw = noise.normal(0, 1, (len(texts), dim)).astype(np.float32)
        unit = raw / np.linalg.norm(raw, axis=1, keepdims=True)
        yield SentenceRow(chunk.id, model, tuple(map(digest, texts)), unit.astype(STORED_DTYPE).tobytes())


def grow(store: Store, index: VectorIndex, docs: range, seeds, vectors, rng, model: str) -> float:
    """Writes documents `docs` to Chroma in batches, then to the manifest with their sentence vectors
    in one commit, as an ingest run does; the seconds it took."""
    started = time.perf_counter()
    manifest: list = []
    pending: list = []
    for doc, chunks, vecs in synthetic(docs.start, docs.stop, seeds, vectors, rng):
        pending.append((doc, chunks, vecs))
        manifest.append((doc, "scale", doc.source, chunks))
        if len(pending) * CHUNKS_PER_DOC >= BATCH or doc.number == docs.stop - 1:
            chunks_all = [c for _, cs, _ in pending for c in cs]
            index.upsert(
                [c.id for c in chunks_all],
                np.concatenate([v for _, _, v in pending]),
                [chunk_metadata(d) for d, cs, _ in pending for _ in cs],
            )
            pending = []
    written = [c for _, _, _, chunks in manifest for c in chunks]
    store.apply_ingest(manifest, [], [], sentences=sentence_rows(written, model, vectors.shape[1]))
    return time.perf_counter() - started


def peak_mib(pid: int | str = "self") -> float:
    """A process's own peak resident memory (Linux `VmHWM`). `getrusage`'s would count the size of
    the benchmark process it was forked from, which a forked child keeps through `exec` as its peak."""
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    return int(next(ln for ln in status if ln.startswith("VmHWM:")).split()[1]) / 1024


def measure_process(settings: Settings) -> dict:
    """Runs in the archbot process being measured: opens the advisor, asks the dev questions."""
    questions = [
        json.loads(line)["question"] for line in common.DEV_QUESTIONS.read_text().splitlines() if line
    ]
    advisor, open_s = timed(lambda: Advisor.open(settings))
    _, first_s = timed(lambda: advisor.ask(questions[0]))
    answers, dense = common.warm_latencies(advisor, questions)
    return {
        "open_s": round(open_s, 2),
        "first_answer_s": round(first_s, 2),
        "warm_p50_ms": round(percentile(answers, 50), 1),
        "warm_p95_ms": round(percentile(answers, 95), 1),
        "dense_query_p50_ms": round(percentile(dense, 50), 1),
        "peak_rss_mib": round(peak_mib(), 1),
    }


def settings_env(settings: Settings) -> dict[str, str]:
    return {
        "ARCHBOT_HOME": str(settings.home),
        "ARCHBOT_CHROMA_URL": settings.chroma_url or "",
        "ARCHBOT_MODEL_CACHE": str(settings.model_cache_dir),
    }


def in_new_process(settings: Settings) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.scale_bench", "--measure", json.dumps(settings_env(settings))],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the settings of the process to measure
    parser.add_argument(
        "--keep", action="store_true", help="keep the work directory (index and Chroma data) to profile it"
    )
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_process(Settings.from_env(json.loads(args.measure)))))
        return
    common.require_dev_corpus()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    work = Path(tempfile.mkdtemp(prefix="archbot-scale-"))
    chroma, url = start_chroma(work / "chroma")
    try:
        env = {"ARCHBOT_HOME": str(work / "home"), "ARCHBOT_CHROMA_URL": url}
        settings = Settings.from_env(
            {**env, "ARCHBOT_MODEL_CACHE": os.environ.get("ARCHBOT_MODEL_CACHE", "")}
        )
        rng = random.Random(13)
        seeds = seed_chunks()
        rng.shuffle(seeds)  # the first SEED_VECTORS get real vectors
        embedder = make_embedder("minilm", settings.model_cache_dir)
        sample = [embedding_text(d, c) for d, c in seeds[:SEED_VECTORS]]
        vectors, embed_s = timed(lambda: embedder.embed(sample))
        embed_rate = SEED_VECTORS / embed_s
        store = Store(settings.db_path)
        index = VectorIndex(settings, embedder.name, embedder.dim)
        rows, done = [], 0
        for size in sizes:
            docs = range(done, size // CHUNKS_PER_DOC)
            write_s = grow(store, index, docs, seeds, vectors, rng, embedder.name)
            added = size - done * CHUNKS_PER_DOC
            done = size // CHUNKS_PER_DOC
            shutil.rmtree(settings.lexical_path, ignore_errors=True)
            _, build_s = timed(lambda: open_lexical(store, settings.lexical_path))
            _, load_s = timed(lambda: LexicalIndex.load(settings.lexical_path / saved_name(store)))
            _, vocabulary_s = timed(lambda: Advisor.open(settings).prepare())  # as `archbot ingest` does
            lexical_mib = (
                sum(f.stat().st_size for f in settings.lexical_path.rglob("*") if f.is_file()) / 2**20
            )
            write_rate = added / write_s
            row = {
                "chunks": store.chunk_count(),
                "ingest_chunks_per_s_without_model": round(write_rate, 1),
                "ingest_chunks_per_s_with_model": round(1 / (1 / write_rate + 1 / embed_rate), 1),
                "lexical_build_s": round(build_s, 2),
                "lexical_load_s": round(load_s, 3),
                "lexical_files_mib": round(lexical_mib, 1),
                "vocabulary_build_s": round(vocabulary_s, 2),
                **in_new_process(settings),
                "chroma_server_peak_mib": round(peak_mib(chroma.pid), 1),
            }
            rows.append(row)
            print(json.dumps(row), file=sys.stderr)
        data = {"model_chunks_per_s": round(embed_rate, 1), "sizes": rows}
        if len(rows) > 1:
            first, last = rows[0], rows[-1]
            growth = last["chunks"] / first["chunks"]
            data["growth"] = {
                k: round(last[k] / first[k], 2) if first[k] else None
                for k in (
                    "warm_p95_ms",
                    "peak_rss_mib",
                    "lexical_build_s",
                    "lexical_load_s",
                    "first_answer_s",
                )
            } | {"chunks": round(growth, 1)}
        table = [
            (f"{r['chunks']:,} chunks", json.dumps({k: v for k, v in r.items() if k != "chunks"}))
            for r in rows
        ]
        common.report("scale: chroma run on loopback", table, "scale", data)
    finally:
        chroma.terminate()
        chroma.wait(timeout=30)
        if args.keep:
            print(
                f"kept {work} (chroma run --path {work / 'chroma'}; ARCHBOT_HOME={work / 'home'})",
                file=sys.stderr,
            )
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
