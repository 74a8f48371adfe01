"""Ingest benchmark on ../shared/corpora/dev: a first (full) run and a second (unchanged) run.

Baseline, in the same process: the embedding model alone encoding the very same chunk texts, so the
ratio says how much the pipeline (parsing, chunking, Chroma, SQLite) adds on top of the model. The
same texts through sentence-transformers on torch show which of the two runs ingest faster.
Run: .venv/bin/python -m bench.ingest_bench
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from archbot.ingest.pipeline import embedding_text, ingest_paths
from archbot.kernel.embedder import make_embedder
from archbot.kernel.settings import Settings
from archbot.kernel.store import Store
from bench.common import DEV_CORPUS, report, require_dev_corpus, timed


def main() -> None:
    require_dev_corpus()
    home = Path(tempfile.mkdtemp(prefix="archbot-bench-"))
    settings = Settings.from_env({"ARCHBOT_HOME": str(home)})
    embedder, load_s = timed(lambda: make_embedder(settings.embedder, settings.model_cache_dir))
    first, first_s = timed(lambda: ingest_paths(settings, [DEV_CORPUS]))
    second, second_s = timed(lambda: ingest_paths(settings, [DEV_CORPUS]))

    store = Store(settings.db_path)
    documents = store.documents()
    texts = [embedding_text(documents[c.source], c) for c in store.chunks()]
    _, baseline_s = timed(lambda: embedder.embed(texts))
    torch_model, torch_load_s = timed(lambda: make_embedder("minilm-torch", settings.model_cache_dir))
    _, torch_s = timed(lambda: torch_model.embed(texts))

    chunks = first.chunks
    data = {
        "documents": first.documents,
        "chunks": chunks,
        "model_load_s": round(load_s, 2),
        "first_run_s": round(first_s, 2),
        "first_run_chunks_per_s": round(chunks / first_s, 1),
        "second_run_s": round(second_s, 2),
        "second_run_chunks_embedded": second.chunks_embedded,
        "baseline_model_only_s": round(baseline_s, 2),
        "baseline_chunks_per_s": round(chunks / baseline_s, 1),
        "torch_model_load_s": round(torch_load_s, 2),
        "torch_model_only_s": round(torch_s, 2),
        "onnx_vs_torch_model_only": round(baseline_s / torch_s, 2),
        "first_run_vs_model_only": round(first_s / baseline_s, 2),
        "second_run_vs_first_run": round(second_s / first_s, 3),
        "skipped": len(first.skipped),
    }
    report(
        "ingest: ../shared/corpora/dev",
        [(k.replace("_", " "), str(v)) for k, v in data.items()],
        "ingest",
        data,
    )


if __name__ == "__main__":
    main()
