"""An advisor over the review test corpus whose chat model is the loopback OpenAI server."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from archbot.advisor.core import Advisor
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.settings import Settings
from tests.fakes.openai_server import FakeOpenAI
from tests.minicorpus import write_files
from tests.review.corpus import FILES


@pytest.fixture
def open_llm_advisor(settings: Settings, tmp_path: Path, fake: FakeOpenAI) -> Callable[..., Advisor]:
    """Indexes `files` (the review test corpus unless told) and opens the advisor with the given model
    timeout (short ones test the timeout fallback)."""

    def open_advisor(timeout_s: float = 2.0, files: dict[str, str] = FILES) -> Advisor:
        ingest_paths(settings, [write_files(tmp_path / "kb", files)])
        return Advisor.open(
            settings.with_(llm="openai:fake-model", llm_base_url=fake.base_url, llm_timeout_s=timeout_s)
        )

    return open_advisor


@pytest.fixture
def llm_advisor(open_llm_advisor: Callable[..., Advisor]) -> Advisor:
    return open_llm_advisor()
