"""The part of the corpus a question names: "what does the payments-gateway team use for queues?"
over the repositories of a whole organisation asks about one repository, and "are we allowed to use
Kafka in PG?" asks it by the repository's initials.

A folder of the corpus (a directory on the documents' paths: a repository mirrored into a folder, a
configured source) is named by its words in order ("payments gateway"), by its initials ("pg",
from three letters on) and, when a word of it is a name (rare in English, `salience.is_name`), by that
word alone ("kafka-adapters" by "kafka"). A word many folders share ("docs", "aws") names none of
them: the documents mentioning the name must lie mostly in the folders it names (SCOPE_SHARE).

The question is then ranked without the naming words, since every document in the folder is about the
repository, and the named folders' documents come first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from archbot.advisor.salience import INNER, WORD, Vocabulary, forms, is_name
from archbot.kernel.types import Document

# Of the documents mentioning a name, the share that must lie in the folders it names for it to name
# them. On the dev corpus (10 organisations) the repositories' own names had 0.69–0.98 of their
# mentions inside them; words of folder names that are topics too (a cloud provider, "api", the
# "adr" of ADR folders) had 0.29–0.58. Chosen on dev_questions.jsonl, checked on
# dev_questions_2.jsonl and dev_conversations.jsonl.
SCOPE_SHARE = 2 / 3
MIN_INITIALS = 3  # "bs" for "billing-service" is too short to be anyone's name for it
_WORDS = re.compile(r"[a-z0-9]+")
_TOKENS = re.compile(f"({WORD.pattern})", re.IGNORECASE)  # splits a question around its words
_SEGMENTS = re.compile(r"[_.]+")  # "owner__repository", "name.git"


@dataclass(frozen=True)
class Scope:
    names: tuple[str, ...]  # as the question wrote them
    sources: frozenset[str]  # the documents of the folders they name
    query: str  # the question without them


def _folders(documents: Mapping[str, Document]) -> dict[str, set[str]]:
    """Each directory on the documents' paths -> the documents under it."""
    out: dict[str, set[str]] = {}
    for source in documents:
        parts = source.split("/")[:-1]
        for end in range(1, len(parts) + 1):
            out.setdefault("/".join(parts[:end]), set()).add(source)
    return out


def _names(folder: str) -> tuple[set[str], set[str]]:
    """A folder's phrases (its hyphenated names' words in order, and their initials) and its words."""
    last = folder.rsplit("/", 1)[-1].lower()
    phrases, words = set(), set(_WORDS.findall(last))
    for segment in _SEGMENTS.split(last):
        parts = _WORDS.findall(segment)
        if len(parts) >= 2:
            phrases.add(" ".join(parts))
            if len(parts) >= MIN_INITIALS:
                phrases.add("".join(p[0] for p in parts))
    return phrases, words


class Folders:
    """The corpus's folders and their names, made once per retriever."""

    def __init__(self, documents: Mapping[str, Document]) -> None:
        self._documents = _folders(documents)
        self._total = len(documents)
        self._phrases: dict[str, set[str]] = {}
        self._words: dict[str, set[str]] = {}
        for folder in self._documents:
            phrases, words = _names(folder)
            for phrase in phrases:
                self._phrases.setdefault(phrase, set()).add(folder)
            for word in words:
                self._words.setdefault(word, set()).add(folder)

    def named(self, question: str, vocabulary: Vocabulary) -> Scope | None:
        """The folders the question names, or None when it names none."""
        text = f" {' '.join(_WORDS.findall(question.lower()))} "
        # Words as written ("acme.io") and joined ("acmeio"), and the parts of compounds ("acme-web").
        tokens = WORD.findall(question.lower())
        words = [w for t in tokens for w in (INNER.sub("", t), *INNER.split(t))]
        sources: set[str] = set()
        names: list[str] = []
        for phrase, folders in self._phrases.items():
            if f" {phrase} " in text and self._names_them(phrase, folders, vocabulary):
                sources |= self._under(folders)
                names.append(phrase)
        for word in dict.fromkeys(words):
            folders = self._words.get(word, set())
            if folders and is_name(word) and self._names_them(word, folders, vocabulary):
                sources |= self._under(folders)
                names.append(word)
        if not names or len(sources) == self._total:
            return None
        return Scope(tuple(names), frozenset(sources), _without_names(question, names))

    def _under(self, folders: set[str]) -> set[str]:
        return set().union(*(self._documents[f] for f in folders))

    def _names_them(self, name: str, folders: set[str], vocabulary: Vocabulary) -> bool:
        """Whether most documents mentioning the name (its rarest word) are in these folders."""
        rarest = min(name.split(), key=lambda w: len(vocabulary.sources_of(w)))
        mentioning = {s for f in forms(rarest) for s in vocabulary.sources_of(f)}
        if not mentioning:
            return False
        return len(mentioning & self._under(folders)) >= SCOPE_SHARE * len(mentioning)


def _without_names(question: str, names: list[str]) -> str:
    """The question without the words naming the folders: a phrase whatever joins its words
    ("Payments-Gateway's"), a word with the compound it is part of ("acme-web")."""
    for name in sorted(names, key=len, reverse=True):
        if " " in name:
            joined = r"[\W_]+".join(map(re.escape, name.split()))
            question = re.sub(rf"(?i)(?<!\w){joined}(?:['’]s)?(?!\w)", " ", question)
        else:
            question = "".join(
                " " if name in (INNER.sub("", token.lower()), *INNER.split(token.lower())) else token
                for token in _TOKENS.split(question)
            )
    return " ".join(question.split())
