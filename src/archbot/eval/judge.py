"""An optional LLM judge: faithfulness and answer relevance, only when a chat model is configured.

Kept apart from the deterministic metrics on purpose: a judge drifts between models and runs, so its
scores live under `judge` keys, never in `metrics`, and a gate on them is opt-in (`judge.NAME`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from archbot.eval.metrics import mean_defined
from archbot.eval.results import ItemResult
from archbot.kernel import prompts as kernel_prompts
from archbot.kernel.settings import Settings

JUDGE_METRICS = ("faithfulness", "answer_relevance")
PROMPT_FILE = "eval_judge.md"
_PLACEHOLDER = re.compile(r"\{(question|answer|sources)\}")
_JSON_OBJECT = re.compile(r"\{.*\}", re.DOTALL)

Progress = Callable[[int, int, ItemResult], None]


def load_prompt(settings: Settings) -> str:
    """`prompts/eval_judge.md`, or its override in ARCHBOT_PROMPTS_DIR."""
    return kernel_prompts.load_prompt(settings, PROMPT_FILE)


def render(template: str, question: str, answer: str, sources: list[dict]) -> str:
    """Fill the template in one pass, so braces inside an answer can never be taken for a placeholder.
    The answer keeps its `[n]` markers: they tell the judge which source each statement leans on."""
    listing = "\n\n".join(
        f"[{c['n']}] {c.get('title') or c['source']} ({c['source']})\n<<<\n{c.get('excerpt', '')}\n>>>"
        for c in sources
    )
    values = {"question": question, "answer": answer.strip(), "sources": listing or "(none)"}
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def reply_text(message: Any) -> str:
    """A chat model reply's text, whether its content is a string or a list of content blocks."""
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)


def parse_scores(text: str) -> dict:
    """The judge's JSON verdict, each score clamped to [0, 1]; an `error` entry when unusable."""
    match = _JSON_OBJECT.search(text)
    try:
        data = json.loads(match.group(0)) if match else None
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict):
        return {"error": f"the judge's reply is not a JSON object: {text[:120]!r}"}
    scores: dict = {}
    for name in JUDGE_METRICS:
        value = data.get(name)
        if not isinstance(value, int | float) or isinstance(value, bool):
            return {"error": f"the judge's reply has no numeric {name!r}"}
        scores[name] = round(min(max(float(value), 0.0), 1.0), 4)
    if isinstance(data.get("reason"), str):
        scores["reason"] = data["reason"]
    return scores


class Judge:
    """Grades answers with a LangChain chat model (`advisor.llm.make_chat_model`, as the answerer uses)."""

    def __init__(self, model: Any, prompt: str) -> None:
        self.model = model
        self.prompt = prompt

    @classmethod
    def from_settings(cls, settings: Settings) -> Judge | None:
        if not settings.llm:
            return None
        from archbot.advisor.llm import make_chat_model

        return cls(make_chat_model(settings), load_prompt(settings))

    def score(self, item: ItemResult) -> dict:
        """Scores for one answer; abstentions are not judged (there is no answer to be faithful)."""
        if item.abstained:
            return {"skipped": "abstained"}
        prompt = render(self.prompt, item.question, item.answer, item.citations)
        try:
            reply = self.model.invoke([("human", prompt)])
        except Exception as exc:  # any provider failure: the judge is optional, the run goes on
            return {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
        return parse_scores(reply_text(reply))

    def judge_all(self, items: list[ItemResult], progress: Progress | None = None) -> dict | None:
        for number, item in enumerate(items, start=1):
            item.judge = self.score(item)
            if progress:
                progress(number, len(items), item)
        return judge_summary(items)


def judge_summary(items: list[ItemResult]) -> dict | None:
    """The judge's means over the answers it scored, with counts; None when the run had no judge."""
    verdicts = [item.judge for item in items if item.judge is not None]
    if not verdicts:
        return None
    scored = [v for v in verdicts if all(name in v for name in JUDGE_METRICS)]
    summary: dict = {}
    for name in JUDGE_METRICS:
        value = mean_defined(v[name] for v in scored)
        if value is not None:
            summary[name] = round(value, 4)
    summary["judged"] = len(scored)
    summary["errors"] = sum(1 for v in verdicts if "error" in v)
    return summary
