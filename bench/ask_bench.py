"""Answer latency: warm p50/p95 on the dev corpus and on a corpus 10× larger, and the cold start of
`archbot ask` as a new process.

Baselines, measured in the same process: a bare dense Chroma query (the floor any answer pays) for
warm latency, and `archbot --version` (interpreter + CLI start, no index, no model) for cold start.
Targets (issue 13): warm p95 ≤ 150 ms on the dev index, cold `ask` ≤ 6× `--version` and ≤ 400 MiB.
The 10× corpus is ten copies of the dev corpus under different folders; its chunk vectors are
reused from the first copy (same text, same vector), which measures search at 10× the size
without ten times the embedding work.
Run: .venv/bin/python -m bench.ask_bench
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from archbot.advisor.core import Advisor
from archbot.ingest.formats import Limits
from archbot.ingest.pipeline import Ingestor, IngestReport, collect
from archbot.kernel.config import Config
from archbot.kernel.embedder import make_embedder
from archbot.kernel.settings import Settings
from bench.common import (
    DEV_CORPUS,
    DEV_QUESTIONS,
    percentile,
    report,
    require_dev_corpus,
    timed,
    warm_latencies,
)

COPIES = 10
COLD_RUNS = 3


class ReusingEmbedder:
    """Embeds each distinct text once; copies of the corpus get the vectors of the first copy."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name, self.dim = inner.name, inner.dim
        self.evidence_floor, self.min_similarity = inner.evidence_floor, inner.min_similarity
        self._cache: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            self._cache.update(zip(missing, self.inner.embed(missing), strict=True))
        return np.stack([self._cache[t] for t in texts]) if texts else self.inner.embed([])


def build(home: Path, roots: list[Path], embedder) -> Settings:
    settings = Settings.from_env({"ARCHBOT_HOME": str(home)})
    report_ = IngestReport()
    files = collect(roots, Config(), Limits.from_settings(settings), report_)
    Ingestor(settings, embedder=embedder).sync(files, report_)
    return settings


def open_and_measure(settings: Settings, questions: list[str]) -> tuple[list[float], list[float]]:
    return warm_latencies(Advisor.open(settings), questions)


def cold_start(home: Path, question: str) -> tuple[float, float, float]:
    """Median seconds of `ask` and of `--version` as new processes, and the largest peak MiB of the
    asks (each child's own, from `wait4`). Run from a small process (`in_small_process`): a forked
    child's peak starts at its parent's size."""
    archbot = str(Path(sys.executable).parent / "archbot")
    env = {**os.environ, "ARCHBOT_HOME": str(home)}

    def run(args: list[str]) -> tuple[float, float]:
        started = time.perf_counter()
        proc = subprocess.Popen([archbot, *args], env=env, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            raise SystemExit(f"archbot {' '.join(args)} exited with {proc.returncode}")
        return seconds, usage.ru_maxrss / 1024

    asks = [run(["ask", question, "--json"]) for _ in range(COLD_RUNS)]
    versions = [run(["--version"]) for _ in range(COLD_RUNS)]
    median = COLD_RUNS // 2
    return sorted(s for s, _ in asks)[median], sorted(s for s, _ in versions)[median], max(m for _, m in asks)


def in_small_process(home: Path, question: str) -> tuple[float, float, float]:
    """`cold_start` in a new interpreter, far smaller than this process once it holds two indexes."""
    args = [sys.executable, "-m", "bench.ask_bench", "--cold", str(home), question]
    proc = subprocess.run(args, capture_output=True, text=True, check=True)
    ask, version, peak = json.loads(proc.stdout.splitlines()[-1])
    return ask, version, peak


def main() -> None:
    if sys.argv[1:2] == ["--cold"]:  # the measuring process of `in_small_process`
        print(json.dumps(cold_start(Path(sys.argv[2]), sys.argv[3])))
        return
    require_dev_corpus()
    questions = [json.loads(line)["question"] for line in DEV_QUESTIONS.read_text().splitlines() if line]
    work = Path(tempfile.mkdtemp(prefix="archbot-bench-"))
    embedder = ReusingEmbedder(make_embedder("minilm", work / "models"))

    dev = build(work / "dev", [DEV_CORPUS], embedder)
    dev_ms, dense_ms = open_and_measure(dev, questions)

    big_root = work / "corpus10x"
    for i in range(COPIES):
        shutil.copytree(DEV_CORPUS, big_root / f"copy{i}")
    big, build_s = timed(lambda: build(work / "big", [big_root], embedder))
    big_ms, big_dense_ms = open_and_measure(big, questions)
    cold_s, version_s, cold_mib = in_small_process(work / "dev", questions[0])

    data = {
        "questions": len(questions),
        "dev_chunks": Advisor.open(dev).stats().chunks,
        "dev_warm_p50_ms": round(percentile(dev_ms, 50), 1),
        "dev_warm_p95_ms": round(percentile(dev_ms, 95), 1),
        "dev_dense_query_p50_ms": round(percentile(dense_ms, 50), 1),
        "dev_answer_vs_dense_query_p50": round(percentile(dev_ms, 50) / percentile(dense_ms, 50), 1),
        "10x_chunks": Advisor.open(big).stats().chunks,
        "10x_build_s": round(build_s, 1),
        "10x_warm_p50_ms": round(percentile(big_ms, 50), 1),
        "10x_warm_p95_ms": round(percentile(big_ms, 95), 1),
        "10x_dense_query_p50_ms": round(percentile(big_dense_ms, 50), 1),
        "10x_vs_dev_p50": round(percentile(big_ms, 50) / percentile(dev_ms, 50), 2),
        "cold_ask_s": round(cold_s, 2),
        "cold_version_s": round(version_s, 2),
        "cold_ask_vs_version": round(cold_s / version_s, 1),
        "cold_ask_peak_mib": round(cold_mib, 1),
    }
    report("ask latency", [(k.replace("_", " "), str(v)) for k, v in data.items()], "ask", data)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
