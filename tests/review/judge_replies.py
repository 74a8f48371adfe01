"""Replies of a chat model judging a review's candidate pairs, made from the prompt it was sent."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from tests.fakes.openai_server import Reply

_PAIR = re.compile(r"^P(\d+) \(line (\d+)[^)]*\) with source \[(\d+)\]: (.*)$", re.M)
_SOURCE = re.compile(r'<source n="(\d+)"[^>]* source="([^"]+)"')


@dataclass(frozen=True)
class Pair:
    k: int
    line: int
    n: int  # the source's number in the prompt
    source: str
    statement: str


def prompt(body: dict) -> str:
    return body["messages"][-1]["content"]


def is_judge(body: dict) -> bool:
    """The judging call, told apart from the questions call by its system prompt."""
    return "checking, before its review meeting, whether statements" in body["messages"][0]["content"]


def pairs_in(body: dict) -> list[Pair]:
    sources = {int(n): source for n, source in _SOURCE.findall(prompt(body))}
    return [
        Pair(int(k), int(line), int(n), sources[int(n)], statement)
        for k, line, n, statement in _PAIR.findall(prompt(body))
    ]


def judge(rule: Callable[[Pair], dict | None]) -> Reply:
    """A reply judging every pair: `rule`'s verdict fields, or "none" where it gives None."""

    def answer(body: dict) -> str:
        return json.dumps([{"pair": p.k, **(rule(p) or {"verdict": "none"})} for p in pairs_in(body)])

    return Reply(answer=answer)


def none_of_them() -> Reply:
    return judge(lambda pair: None)
