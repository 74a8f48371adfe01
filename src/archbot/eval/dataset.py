"""Evaluation datasets: JSONL, one question per line, in the shape CONTRACTS.md fixes.

`{"id", "question", "answer", "relevant": [source, ...], "kind"}`; `answer` and `kind` are optional,
unknown fields are ignored, and `relevant: []` means the right behaviour is to abstain. Status items
may add `current` (the decision in force, which a good answer cites) and `must_say` (a regular
expression for the outcome a good answer states).

A line may instead be a conversation, `{"id", "turns": [{"question", "relevant", ...}, ...]}`: each
turn is an item of its own (`turn` 1, 2, ...) that is asked with the turns before it as history.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from archbot.kernel.errors import InputError

ABSTAIN_KIND = "abstain"
UNSPECIFIED_KIND = "unspecified"
# Conversation turns without a `kind` of their own are broken down as the opening question or a follow-up.
FIRST_TURN_KIND = "conversation-start"
FOLLOW_UP_KIND = "follow-up"


@dataclass(frozen=True)
class EvalItem:
    id: str
    question: str
    relevant: tuple[str, ...]
    answer: str | None = None
    kind: str | None = None
    current: str | None = None
    must_say: str | None = None
    conversation: str | None = None  # the conversation's id, for the turns of one
    turn: int | None = None  # 1 for a conversation's first question

    @property
    def should_abstain(self) -> bool:
        return not self.relevant

    @property
    def group(self) -> str:
        """The per-kind breakdown bucket: the item's kind, or `abstain` for unlabelled abstain items."""
        return self.kind or (ABSTAIN_KIND if self.should_abstain else UNSPECIFIED_KIND)


@dataclass(frozen=True)
class Dataset:
    path: Path
    sha256: str
    items: tuple[EvalItem, ...]

    def conversations(self) -> list[list[EvalItem]]:
        """The items grouped as they are asked: a single question alone, a conversation's turns in order."""
        groups: list[list[EvalItem]] = []
        for item in self.items:
            if (
                item.turn is not None
                and item.turn > 1
                and groups
                and groups[-1][0].conversation == item.conversation
            ):
                groups[-1].append(item)
            else:
                groups.append([item])
        return groups

    @property
    def name(self) -> str:
        return self.path.name


def _optional_str(data: dict, key: str, where: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value or None
    raise InputError(f"{where}: `{key}` must be a string.", "Fix the dataset line.")


def parse_line(data: object, where: str) -> list[EvalItem]:
    """One dataset line: a single item, or a conversation's turns as items `<id>#<turn>`."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected a JSON object.", "Each line must be one JSON object.")
    if "turns" not in data:
        return [parse_item(data, where)]
    item_id, turns = data.get("id"), data.get("turns")
    if not isinstance(item_id, str | int) or not str(item_id):
        raise InputError(f"{where}: missing `id`.", "Give every conversation a unique string id.")
    if not isinstance(turns, list) or not turns:
        raise InputError(f"{where}: `turns` must be a non-empty list.", "List the conversation's questions.")
    items = []
    for number, turn in enumerate(turns, start=1):
        if not isinstance(turn, dict):
            raise InputError(f"{where} turn {number}: expected a JSON object.")
        kind = turn.get("kind") or data.get("kind") or (FIRST_TURN_KIND if number == 1 else FOLLOW_UP_KIND)
        item = parse_item({**turn, "kind": kind, "id": f"{item_id}#{number}"}, f"{where} turn {number}")
        items.append(replace(item, conversation=str(item_id), turn=number))
    return items


def parse_item(data: object, where: str) -> EvalItem:
    """One dataset item; errors name the line so a broken dataset is quick to fix."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected a JSON object.", "Each line must be one JSON object.")
    item_id, question = data.get("id"), data.get("question")
    if not isinstance(item_id, str | int) or not str(item_id):
        raise InputError(f"{where}: missing `id`.", "Give every item a unique string id.")
    if not isinstance(question, str) or not question.strip():
        raise InputError(f"{where}: missing `question`.", "Give every item the question to ask.")
    relevant = data.get("relevant", [])
    if not isinstance(relevant, list) or not all(isinstance(s, str) for s in relevant):
        raise InputError(
            f"{where}: `relevant` must be a list of sources.", "Use [] for items that must abstain."
        )
    must_say = _optional_str(data, "must_say", where)
    if must_say is not None:
        try:
            re.compile(must_say)
        except re.error as exc:
            raise InputError(f"{where}: `must_say` is not a valid regular expression ({exc}).") from exc
    return EvalItem(
        id=str(item_id),
        question=question.strip(),
        relevant=tuple(relevant),
        answer=_optional_str(data, "answer", where),
        kind=_optional_str(data, "kind", where),
        current=_optional_str(data, "current", where),
        must_say=must_say,
    )


def load_dataset(path: Path) -> Dataset:
    """Read and validate a JSONL dataset; its sha256 ties each stored run to the exact questions asked."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"Cannot read the dataset {path}: {exc.strerror}.", "Pass a JSONL file.") from exc
    items: list[EvalItem] = []
    seen: set[str] = set()
    for number, line in enumerate(raw.decode("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where} is not valid JSON ({exc.msg}).", "One JSON object per line.") from exc
        for item in parse_line(data, where):
            if item.id in seen:
                raise InputError(f"{where}: duplicate id {item.id!r}.", "Item ids must be unique.")
            seen.add(item.id)
            items.append(item)
    if not items:
        raise InputError(f"The dataset {path} has no items.", "Add one JSON object per line.")
    return Dataset(path=path, sha256=hashlib.sha256(raw).hexdigest(), items=tuple(items))
