"""The lifecycle vocabulary (`prompts/lifecycle.yaml`): status words, emoji, relation words, fields,
shared by ingest (reading statuses) and the answerer (sentences that say where things stand).

Compiled once. Code holds the mechanisms (where a status is written, which references follow a
relation word); every phrasing lives in the data file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from archbot.kernel.types import INACTIVE_STATUSES


def _any_of(patterns: list[str]) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{'|'.join(patterns)})\b", re.I)


def field_name(label: str) -> str:
    """A field's name as compared: lowercased, runs of spaces, hyphens and underscores one `_`."""
    cleaned = "".join(c if c.isalnum() else " " for c in label.lower())
    return "_".join(cleaned.split())


def _names(labels: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(field_name(label) for label in labels))


@dataclass(frozen=True)
class LifecycleVocabulary:
    statuses: tuple[tuple[str, re.Pattern[str]], ...]
    emoji: tuple[tuple[str, str], ...]
    negation: re.Pattern[str]
    successor: re.Pattern[str]
    status_successor: re.Pattern[str]
    predecessor: re.Pattern[str]
    bare_successor_statuses: frozenset[str]
    banner_labels: re.Pattern[str]
    banner_forms: re.Pattern[str]
    banner_max_words: int
    status_fields: tuple[str, ...]
    predecessor_fields: tuple[str, ...]
    successor_fields: tuple[str, ...]
    date_fields: tuple[str, ...]
    decider_fields: tuple[str, ...]
    tag_fields: tuple[str, ...]
    title_fields: tuple[str, ...]
    updated_fields: tuple[str, ...]
    # A sentence that says where a document or practice stands now (moved, replaced, deprecated).
    standing_note: re.Pattern[str]
    removal: re.Pattern[str]

    @property
    def field_names(self) -> frozenset[str]:
        """Every name a lifecycle field is written under."""
        return frozenset(
            self.status_fields
            + self.predecessor_fields
            + self.successor_fields
            + self.date_fields
            + self.decider_fields
            + self.tag_fields
            + self.title_fields
            + self.updated_fields
        )


@lru_cache(maxsize=1)
def lifecycle() -> LifecycleVocabulary:
    data = yaml.safe_load((resources.files("archbot.prompts") / "lifecycle.yaml").read_text(encoding="utf-8"))
    return LifecycleVocabulary(
        statuses=tuple((status, _any_of(words)) for status, words in data["statuses"].items()),
        emoji=tuple((str(mark), status) for mark, status in data["emoji"].items()),
        negation=re.compile("|".join(rf"\b{n}" for n in data["negations"]), re.I),
        successor=_any_of(data["successor"]),
        status_successor=_any_of(data["status_successor"]),
        predecessor=_any_of(data["predecessor"]),
        bare_successor_statuses=frozenset(data["bare_successor_statuses"]),
        banner_labels=re.compile(rf"^(?:{'|'.join(data['banner_labels'])})\b\W*", re.I),
        banner_forms=re.compile(rf"^(?:{'|'.join(data['banner_forms'])})", re.I),
        banner_max_words=int(data["banner_max_words"]),
        status_fields=_names(data["status_fields"]),
        predecessor_fields=_names(data["predecessor_fields"]),
        successor_fields=_names(data["successor_fields"]),
        date_fields=_names(data["date_fields"]),
        decider_fields=_names(data["decider_fields"]),
        tag_fields=_names(data["tag_fields"]),
        title_fields=_names(data["title_fields"]),
        updated_fields=_names(data["updated_fields"]),
        removal=_any_of(data["removal_words"]),
        standing_note=_any_of(
            [
                *data["state_notes"],
                *data["successor"],
                *data["status_successor"],
                *(w for status in INACTIVE_STATUSES for w in data["statuses"][status]),
            ]
        ),
    )


def says_where_it_stands(sentence: str) -> bool:
    """Whether a sentence states a lifecycle fact: moved, replaced, deprecated, no longer used."""
    return bool(lifecycle().standing_note.search(sentence))


def removes_something(text: str) -> bool:
    """Whether a text removes, retires or deprecates something ("we will remove the AMP variant")."""
    return bool(lifecycle().removal.search(text))
