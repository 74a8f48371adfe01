"""Chunk text in Chroma or not: the same chunks written to two `chroma run` servers on loopback, one
collection given each chunk's text as its Chroma document (what `VectorIndex.upsert` did before) and
one given only vectors and metadata (what it does now; answers read chunk text from the manifest).
Reports write throughput, the servers' disk and peak memory, and dense query latency, both in the
same process.

Run: .venv/bin/python -m bench.chroma_text_bench [--chunks N]
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from archbot.kernel.index import VectorIndex, chunk_metadata
from archbot.kernel.settings import Settings
from bench import common
from bench.common import percentile, timed
from bench.scale_bench import CHUNKS_PER_DOC, SEED_VECTORS, peak_mib, seed_chunks, start_chroma, synthetic

DIM = 384
BATCH = 1000
QUERIES = 200


def _size_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def _arm(work: Path, name: str, batches: list, with_text: bool) -> dict:
    proc, url = start_chroma(work / name)
    try:
        index = VectorIndex(
            Settings.from_env({"ARCHBOT_HOME": str(work / f"{name}-home"), "ARCHBOT_CHROMA_URL": url}),
            "bench",
            DIM,
        )
        started = time.perf_counter()
        for ids, vectors, texts, metadatas in batches:
            if with_text:
                index._collection.upsert(ids=ids, embeddings=vectors, documents=texts, metadatas=metadatas)
            else:
                index.upsert(ids, vectors, metadatas)
        write_s = time.perf_counter() - started
        queries = np.random.default_rng(1).normal(size=(QUERIES, DIM)).astype(np.float32)
        latencies = [timed(lambda q=q: index.query(q, 80))[1] * 1000 for q in queries]
        chunks = sum(len(b[0]) for b in batches)
        return {
            "chunks_per_s": round(chunks / write_s, 1),
            "disk_mib": round(_size_mib(work / name), 1),
            "server_peak_mib": round(peak_mib(proc.pid), 1),
            "query_p50_ms": round(percentile(latencies, 50), 2),
        }
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=20_000)
    args = parser.parse_args()
    common.require_dev_corpus()
    rng = random.Random(13)
    seeds = seed_chunks()
    raw = np.random.default_rng(0).normal(size=(SEED_VECTORS, DIM)).astype(np.float32)
    vectors = raw / np.linalg.norm(raw, axis=1, keepdims=True)
    batches, pending = [], []
    for doc, chunks, vecs in synthetic(0, args.chunks // CHUNKS_PER_DOC, seeds, vectors, rng):
        pending += [(c, v, chunk_metadata(doc)) for c, v in zip(chunks, vecs, strict=True)]
        if len(pending) >= BATCH:
            batches.append(
                (
                    [c.id for c, _, _ in pending],
                    np.stack([v for _, v, _ in pending]),
                    [c.text for c, _, _ in pending],
                    [m for _, _, m in pending],
                )
            )
            pending = []
    work = Path(tempfile.mkdtemp(prefix="archbot-chroma-text-"))
    try:
        before = _arm(work, "with-text", batches, with_text=True)
        after = _arm(work, "vectors-only", batches, with_text=False)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    data = {"chunks": sum(len(b[0]) for b in batches), "with_text": before, "vectors_only": after}
    rows = [
        (key, f"{before[key]} -> {after[key]} ({after[key] / before[key]:.2f}x)")
        for key in ("chunks_per_s", "disk_mib", "server_peak_mib", "query_p50_ms")
    ]
    common.report(
        f"Chroma with chunk text -> vectors and metadata only ({data['chunks']:,} chunks)",
        rows,
        "chroma_text",
        data,
    )


if __name__ == "__main__":
    main()
