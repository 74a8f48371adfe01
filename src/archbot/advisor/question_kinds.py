"""Kinds of question answered from a part of a decision rather than from its best sentences: the
options it set aside, why it was made. The cues are data (`prompts/question_kinds.yaml`)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def _cues() -> dict[str, re.Pattern[str]]:
    data = yaml.safe_load(
        (resources.files("archbot.prompts") / "question_kinds.yaml").read_text(encoding="utf-8")
    )
    return {kind: re.compile(rf"\b(?:{'|'.join(patterns)})\b", re.I) for kind, patterns in data.items()}


def asks(kind: str, question: str) -> bool:
    """Whether the question is of this kind ("options", "rationale")."""
    return bool(_cues()[kind].search(question))
