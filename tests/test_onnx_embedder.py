"""The ONNX export of all-MiniLM-L6-v2: equal to sentence-transformers, checked by hash, and the only
model `ask`, `chat` and the Slack app load (torch is never imported on those paths)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from archbot.ingest.pipeline import ingest_paths
from archbot.kernel import minilm
from archbot.kernel.settings import Settings
from archbot.kernel.vocabulary import split_sentences
from tests.conftest import EXAMPLE_CORPUS, REPO
from tests.minicorpus import write_minicorpus

pytestmark = pytest.mark.integration

# Modules that mean the process loaded the torch stack.
TORCH_STACK = ("torch", "sentence_transformers", "transformers")


def varied_texts() -> list[str]:
    """A few hundred texts of every shape a question or chunk takes: sentences, headings, tables,
    code, one word, non-English, and texts far past the 256-token limit."""
    texts: list[str] = []
    for path in sorted(EXAMPLE_CORPUS.rglob("*.md")):
        body = path.read_text(encoding="utf-8")
        texts += [s for s in split_sentences(body) if s.strip()][:8]
        texts.append(body)  # whole documents: truncated at 256 tokens by both
    texts += [
        "k8s?",
        "Kafka",
        "are we still on rabbitmq for events?",
        "Wie lange bewahren wir Anwendungsprotokolle auf?",
        "日志保留多久？",
        "| data class | retention |\n|---|---|\n| logs | 30 days |",
        "```python\nfor chunk in chunks:\n    index.upsert(chunk)\n```",
        "10.13.0.0/16 oauth2 $service_name X-Api-Key",
        "  leading and trailing whitespace  ",
        "word " * 600,
    ]
    return texts


def test_onnx_embeddings_equal_sentence_transformers(model_cache: Path) -> None:
    texts = varied_texts()
    assert len(texts) >= 300
    onnx = minilm.OnnxMiniLM(model_cache).embed(texts)
    reference = minilm.TorchMiniLM().embed(texts)
    assert onnx.shape == reference.shape == (len(texts), 384) and onnx.dtype == np.float32
    cosine = (onnx * reference).sum(axis=1) / np.linalg.norm(onnx, axis=1) / np.linalg.norm(reference, axis=1)
    assert float(cosine.min()) >= 0.9999
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    # one text alone (no padding) embeds as it does inside a batch of longer ones
    assert float(minilm.OnnxMiniLM(model_cache).embed([texts[0]])[0] @ onnx[0]) >= 0.99999


def test_the_export_is_checked_by_hash_and_redone_when_it_changed(model_cache: Path, tmp_path: Path) -> None:
    exported = minilm.onnx_model(model_cache)
    record = json.loads(exported.with_suffix(".json").read_text())
    assert record == {
        "source_sha256": minilm.MINILM_SHA256,
        "onnx_sha256": minilm.sha256(exported),
        "opset": 17,
    }

    cache = tmp_path / "models"
    shutil.copytree(model_cache, cache)
    with (cache / minilm.ONNX_FILE).open("ab") as fh:
        fh.write(b"tampered")
    redone = minilm.onnx_model(cache)
    assert minilm.sha256(redone) == json.loads(redone.with_suffix(".json").read_text())["onnx_sha256"]
    assert not redone.read_bytes().endswith(b"tampered")


def imported_modules(stderr: str) -> set[str]:
    """Every module `python -X importtime` reports, by its full dotted name."""
    return {
        m.group(1).strip() for m in re.finditer(r"^import time:\s+\d+ \|\s+\d+ \|(.+)$", stderr, re.MULTILINE)
    }


def torch_stack(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in TORCH_STACK}


@pytest.fixture
def indexed(minilm_settings: Settings, tmp_path: Path) -> dict[str, str]:
    """The minicorpus indexed with the real model; the environment a subprocess needs to read it."""
    ingest_paths(minilm_settings, [write_minicorpus(tmp_path / "kb")])
    return {
        **os.environ,
        "ARCHBOT_HOME": str(minilm_settings.home),
        "ARCHBOT_MODEL_CACHE": str(minilm_settings.model_cache_dir),
        "PYTHONPATH": str(REPO),
    }


def test_ask_and_chat_never_import_torch(indexed: dict[str, str]) -> None:
    ask = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "archbot",
            "ask",
            "how are web sessions stored?",
            "--json",
        ],
        env=indexed,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    answer = json.loads(ask.stdout)
    assert not answer["abstained"] and answer["citations"]
    modules = imported_modules(ask.stderr)
    assert {"onnxruntime", "tokenizers", "archbot.kernel.minilm"} <= modules
    assert torch_stack(modules) == set()

    chat = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "archbot", "chat"],
        input="how are web sessions stored?\nand why?\n",
        env=indexed,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert "Sources" in chat.stdout
    assert torch_stack(imported_modules(chat.stderr)) == set()


# What `archbot slack` runs before it listens: its command module, the app, and the warmed advisor.
SLACK_START = """
from archbot.bot.slack import cli, app
from archbot.bot.slack.deps import Deps
from archbot.kernel.settings import Settings
print(Deps(Settings.from_env()).warm().chunks)
"""


def test_the_slack_app_never_imports_torch(indexed: dict[str, str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", SLACK_START],
        env=indexed,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert int(proc.stdout) > 0
    assert torch_stack(imported_modules(proc.stderr)) == set()


def test_ingest_leaves_the_export_for_the_first_question(minilm_settings: Settings, tmp_path: Path) -> None:
    settings = minilm_settings.with_(model_cache=tmp_path / "fresh-cache")
    ingest_paths(settings, [write_minicorpus(tmp_path / "kb")])
    exported = settings.model_cache_dir / minilm.ONNX_FILE
    assert minilm.onnx_model(settings.model_cache_dir) == exported and exported.is_file()
