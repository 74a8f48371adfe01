"""Names a question relies on that the visible corpus never mentions: "how do we configure Traefik?"
over documents about routing that never name Traefik is a question the documents do not answer,
however close the routing documents come.

A word is a *name* (of a product, tool or system) when it is rare in general English, by the word
frequencies `wordfreq` ships in its wheel; common words ("lunch", "weekend") are left to the usual
evidence test, since documents need not use them to answer a question. A name is *missing* when no
form of it occurs in any chunk text, title or path the filters let the asker see.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import yaml

from archbot.kernel.types import Chunk, Document
from archbot.kernel.vocabulary import FUNCTION_WORDS

# Zipf frequency (log10 of occurrences per billion words) under which a word counts as a name rather
# than common English: "tekton" 1.3, "okta" 1.6, "grpc" 1.2, "datadog" 0 are names; "lumped" 2.9 (its
# stem "lump" 3.3), "checklist" 3.5, "stash" 3.5 and "pizza" 4.4 are not. Names that are also English
# words ("Aurora", 3.7) are missed: a threshold that caught them flagged ordinary words in answerable
# questions. Chosen on dev_questions_2.jsonl (dev corpus), checked on example_blind.jsonl.
NAME_ZIPF = 3.0
# Words this short are abbreviations more often than names ("ad", "ui"): never flagged.
MIN_NAME_CHARS = 3
# Words, with the technical punctuation kept inside them ("gov.uk", "pre-signed", "log4brains").
WORD = re.compile(r"[a-z0-9]+(?:[.'’_+#/-][a-z0-9]+)*")
INNER = re.compile(r"[.'’_+#/-]")  # the punctuation inside such a word
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_INFLECTION = re.compile(r"(?:ed|ing|ion|er|ly)$")


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    """`prompts/abbreviations.yaml`: shorthand -> the word it stands for."""
    text = (resources.files("archbot.prompts") / "abbreviations.yaml").read_text(encoding="utf-8")
    return {str(k): str(v) for k, v in (yaml.safe_load(text) or {}).items()}


def _split_camel(text: str) -> str:
    """ "UUIDParser" -> "UUID-Parser", so an identifier matches documents naming its parts."""
    return " ".join(
        f"{token} {_CAMEL.sub('-', token)}" if _CAMEL.search(token) else token for token in text.split()
    )


def _singulars(word: str) -> set[str]:
    """The word and the singulars it may be the plural of: "policies" -> "policy", "rollouts" ->
    "rollout", "proxies", "buses"."""
    out = {word}
    if word.endswith("ies") and len(word) > 4:
        out.add(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        out.add(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        out.add(word[:-1])
    if word.endswith(("'s", "’s")):
        out.add(word[:-2])
    return out


def forms(token: str) -> set[str]:
    """Every form under which a token may be matched: itself, joined without its inner punctuation
    ("gov.uk" -> "govuk", "pre-signed" -> "presigned"), its parts, and their singulars."""
    parts = [p for p in INNER.split(token) if p]
    found = {token, "".join(parts), *parts}
    found |= {_INFLECTION.sub("", f) for f in found if len(f) > 5}
    return {s for f in found for s in _singulars(f)}


def _one_slip(typed: str, word: str) -> bool:
    """`typed` is `word` with a letter dropped, a letter doubled or two neighbours swapped. Substituted
    letters do not count on purpose: that is how product names are coined ("Karpenter")."""
    if len(typed) + 1 == len(word):
        return any(word[:i] + word[i + 1 :] == typed for i in range(len(word)))
    if len(typed) == len(word) + 1:
        return _one_slip(word, typed)
    if len(typed) == len(word) and typed != word:
        diff = [i for i in range(len(word)) if typed[i] != word[i]]
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and typed[diff[0]] == word[diff[1]]
            and typed[diff[1]] == word[diff[0]]
        )
    return False


# The files of a saved vocabulary: its words in row order, its documents in number order, and the
# arrays of `Vocabulary`.
WORDS_FILE, SOURCES_FILE = "words.json", "sources.json"
OFFSETS_FILE, POSTINGS_FILE = "offsets.npy", "postings.npy"

# A question word this long that is one slip away from a corpus word is that word misspelt
# ("considred"); shorter words are too often distinct names one letter apart.
TYPO_MIN_CHARS = 5


@dataclass(frozen=True)
class Vocabulary:
    """Every word form of the corpus, with the documents it occurs in (so filters can apply).

    Held compactly, as most of a process's memory at scale would otherwise be one set per word: the
    documents are numbered, and each word's documents are one slice of a shared int32 array, saved
    as a numpy file and memory-mapped by the processes that load it."""

    sources: tuple[str, ...]  # the documents, numbered
    rows: Mapping[str, int]  # word form -> its row
    offsets: np.ndarray  # row r's documents are postings[offsets[r]:offsets[r + 1]]
    postings: np.ndarray
    by_length: Mapping[int, tuple[str, ...]]  # long alphabetic words, for typo tolerance

    @classmethod
    def build(
        cls, documents: Mapping[str, Document], chunks_by_source: Mapping[str, list[Chunk]]
    ) -> Vocabulary:
        """One document at a time, its words numbered as first seen, into one (word, document) pair
        per occurrence: sets of documents per word would need several GiB at a million chunks."""
        known: dict[str, frozenset[str]] = {}  # token -> its forms; tokens repeat across documents
        numbers: dict[str, int] = {}
        sources: list[str] = []
        words_of: list[np.ndarray] = []
        for source in sorted(documents):
            texts = [
                source.replace("/", " "),
                documents[source].title,
                *(f"{c.section} {c.text}" for c in chunks_by_source.get(source, [])),
            ]
            words = set(_acronyms(source))
            for text in texts:
                for token in WORD.findall(_split_camel(text).lower()):
                    if token not in known:
                        known[token] = frozenset(forms(token))
                    words |= known[token]
            if not words:
                continue
            sources.append(source)
            words_of.append(
                np.fromiter((numbers.setdefault(w, len(numbers)) for w in words), np.int32, len(words))
            )
        ordered = sorted(numbers)
        rank = np.empty(len(ordered), dtype=np.int64)
        rank[np.fromiter((numbers[w] for w in ordered), np.int64, len(ordered))] = np.arange(len(ordered))
        # One sortable key per (word, document) pair: the word's row times the documents, plus the
        # document's number; sorted, they are the postings row by row, each row's documents in order.
        n = max(len(sources), 1)
        keys = rank[np.concatenate(words_of)] if words_of else np.empty(0, dtype=np.int64)
        keys *= n
        keys += np.repeat(np.arange(len(sources)), [len(w) for w in words_of])
        keys.sort()
        offsets = np.concatenate([[0], np.cumsum(np.bincount(keys // n, minlength=len(ordered)))])
        return cls._of(sources, ordered, offsets.astype(np.int64), (keys % n).astype(np.int32))

    @classmethod
    def _of(
        cls, sources: list[str], ordered: list[str], offsets: np.ndarray, postings: np.ndarray
    ) -> Vocabulary:
        by_length: dict[int, list[str]] = {}
        for word in ordered:
            if len(word) >= TYPO_MIN_CHARS - 1 and word.isalpha():
                by_length.setdefault(len(word), []).append(word)
        return cls(
            tuple(sources),
            {w: r for r, w in enumerate(ordered)},
            offsets,
            postings,
            {n: tuple(ws) for n, ws in by_length.items()},
        )

    def _numbers(self, word: str) -> np.ndarray:
        """The numbers of the documents containing this word form."""
        row = self.rows.get(word)
        if row is None:
            return self.postings[:0]
        return self.postings[self.offsets[row] : self.offsets[row + 1]]

    def sources_of(self, word: str) -> tuple[str, ...]:
        """The documents containing this word form."""
        return tuple(self.sources[n] for n in self._numbers(word).tolist())

    def save(self, folder: Path) -> None:
        """The words and documents as JSON, the offsets and postings as numpy files, written aside
        and renamed: building it reads every chunk, loading it does not."""
        partial = folder.with_name(f".{folder.name}.{os.getpid()}")
        partial.mkdir()
        try:
            (partial / WORDS_FILE).write_text(json.dumps(list(self.rows)), encoding="utf-8")
            (partial / SOURCES_FILE).write_text(json.dumps(list(self.sources)), encoding="utf-8")
            np.save(partial / OFFSETS_FILE, self.offsets)
            np.save(partial / POSTINGS_FILE, self.postings)
            partial.rename(folder)
        except OSError:
            shutil.rmtree(partial, ignore_errors=True)
            raise

    @classmethod
    def load(cls, folder: Path) -> Vocabulary:
        words = json.loads((folder / WORDS_FILE).read_text(encoding="utf-8"))
        sources = json.loads((folder / SOURCES_FILE).read_text(encoding="utf-8"))
        offsets = np.load(folder / OFFSETS_FILE)
        return cls._of(sources, words, offsets, np.load(folder / POSTINGS_FILE, mmap_mode="r"))

    def contains(self, token: str, visible: Callable[[str], bool]) -> bool:
        """Whether some visible document contains a form of the token or of what it abbreviates."""
        candidates = forms(token)
        if token in abbreviations():
            candidates |= forms(abbreviations()[token])
        return any(visible(self.sources[n]) for f in candidates for n in self._numbers(f))

    def mentions(self, token: str, visible: Callable[[str], bool]) -> bool:
        """`contains`, or a long word one keyboard slip away from a visible word (the typo of one)."""
        if self.contains(token, visible):
            return True
        if len(token) < TYPO_MIN_CHARS or not token.isalpha():
            return False
        near = (
            w
            for n in (len(token) - 1, len(token), len(token) + 1)
            for w in self.by_length.get(n, ())
            if _one_slip(token, w)
        )
        return any(visible(self.sources[n]) for w in near for n in self._numbers(w))


def _acronyms(source: str) -> set[str]:
    """Initials of a path's hyphenated names, as people shorten them: "report-a-defect" -> "rad"."""
    out = set()
    for segment in re.split(r"[/_.]+", source.lower()):
        words = [w for w in segment.split("-") if w]
        if len(words) >= 2:
            out.add("".join(w[0] for w in words))
    return out


# Endings that turn a word into a relative of it: "authenticate" is rare (2.7) but "authentication" is
# not, so it is English, not a name.
_RELATIVES = ("e", "s", "ed", "ing", "ion", "ation", "er", "ly")


def _family(word: str) -> set[str]:
    """The word, its stems, and the words formed from them with a common ending."""
    stems = _singulars(word) | {_INFLECTION.sub("", word)}
    bases = stems | {s[:-1] for s in stems if s.endswith("e")}
    return stems | {b + ending for b in bases for ending in _RELATIVES}


def is_name(word: str) -> bool:
    """Rare in general English, and so is every relative of it ("lumped" is "lump", "authenticate"
    is "authentication"): a product, tool, system or organisation more often than not.

    wordfreq is imported here, not with the module: most questions use only words the corpus has,
    and a cold `archbot ask` then never loads it (0.1–0.2 s)."""
    from wordfreq import zipf_frequency

    return (
        len(word) >= MIN_NAME_CHARS
        and not word.isdigit()
        and word not in FUNCTION_WORDS
        and any(ch.isalpha() for ch in word)
        and all(
            zipf_frequency(form, "en") < NAME_ZIPF for form in _family(word) if len(form) >= MIN_NAME_CHARS
        )
    )


def missing_names(question: str, vocabulary: Vocabulary, visible: Callable[[str], bool]) -> list[str]:
    """The question's names that no visible document mentions, in the question's own spelling."""
    missing: dict[str, str] = {}
    question = _CAMEL.sub("-", question)
    for match in re.finditer(WORD, question.lower()):
        token = match.group()
        if vocabulary.contains(token, visible):
            continue
        parts = [p for p in INNER.split(token) if p] or [token]
        for part in parts:
            if is_name(part) and not vocabulary.mentions(part, visible):
                start = match.start() + token.index(part)
                missing.setdefault(part, question[start : start + len(part)])
    return list(missing.values())
