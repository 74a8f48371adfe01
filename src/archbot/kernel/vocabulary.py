"""Shared vocabulary (`prompts/vocabulary.yaml`) and the text facts every layer reads the same way.

One definition each: the function words and claimless words, where a sentence ends, which
headings hold a decision and which list its options.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from importlib import resources

import Stemmer
import yaml


@lru_cache(maxsize=1)
def _vocabulary() -> dict:
    return yaml.safe_load(
        (resources.files("archbot.prompts") / "vocabulary.yaml").read_text(encoding="utf-8")
    )


FUNCTION_WORDS: frozenset[str] = frozenset(_vocabulary()["function_words"].split())
# Function words and the other words that state nothing on their own (groundedness ignores both).
CLAIMLESS_WORDS: frozenset[str] = FUNCTION_WORDS | frozenset(_vocabulary()["claimless_words"].split())

# A sentence ends at . ! or ? before a capital, a digit, a quote, a bracket or markup, but not after a
# heading number ("# 2. Title").
SENTENCE_END = re.compile(r"(?<=[.!?])(?<!#\s\d\.)(?<!#\s\d\d\.)\s+(?=[A-Z0-9\"'(`*\[])")

# "Date: 2019-05-09", "RFC PR: rust-lang/rfcs#2": a header field with a short value, which states
# nothing a question could be answered with.
FIELD_SENTENCE = re.compile(r"^[A-Z][\w ()/-]{0,30}:\s*\S+(?:\s+\S+){0,3}$")

# Where a page of a converted PDF begins: a Markdown comment (a link reference definition, which renders
# as nothing) on a line of its own, so page numbers travel with the text through every reader.
PAGE_MARK = re.compile(r"^\[//\]: # \(page (\d+)\)$")

_DECISION_HEADING = re.compile("|".join(_vocabulary()["decision_headings"]), re.I)
_NOT_DECISION_HEADING = re.compile("|".join(_vocabulary()["not_decision_headings"]), re.I)
_OPTION_HEADING = re.compile("|".join(_vocabulary()["option_headings"]), re.I)
_RATIONALE_HEADING = re.compile("|".join(_vocabulary()["rationale_headings"]), re.I)
_SECTION_PARTS = re.compile(r", | > ")
# A list is a list of options when every item is a name of at most this many words.
OPTION_ITEM_WORDS = int(_vocabulary()["option_item_words"])


def page_mark(number: int) -> str:
    """The line `PAGE_MARK` matches: converters write it at the top of each page."""
    return f"[//]: # (page {number})"


def split_sentences(text: str) -> list[str]:
    """Sentences of one paragraph of plain text, stripped; empty pieces dropped."""
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def is_decision_heading(heading: str) -> bool:
    """Whether a section with this heading states what was decided (not its drivers or context)."""
    return bool(_DECISION_HEADING.search(heading)) and not _NOT_DECISION_HEADING.search(heading)


def section_headings(section: str) -> list[str]:
    """The headings a chunk's section names: a path ("Decision > Details") or several sections one
    chunk spans ("Status, Context")."""
    return _SECTION_PARTS.split(section) if section else []


def is_rationale_heading(section: str) -> bool:
    """Whether a section says why the decision was needed or made (its context, problem statement or
    drivers), not a rejected option's "Why not X". A chunk's section may name several headings
    ("Context and Problem Statement, Decision Drivers"); one of them is enough."""
    return any(
        _RATIONALE_HEADING.search(part) and not is_option_heading(part) for part in section_headings(section)
    )


def is_option_heading(heading: str) -> bool:
    """Whether a section with this heading lists or discusses options, most of them not chosen."""
    return bool(_OPTION_HEADING.search(heading))


def without_option_cues(heading: str) -> str:
    """An option heading without its cue words ("Option 2: Concourse on EC2" -> "2: Concourse on
    EC2"): what is left names the option, if anything."""
    return _OPTION_HEADING.sub(" ", heading)


_WORD = re.compile(r"[a-z][a-z0-9+#.-]*[a-z0-9+#]|[a-z]")


_local = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    """This thread's Snowball (English) stemmer: a PyStemmer object must not be shared by threads."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("english")
    return stemmer


def stem_word(word: str) -> str:
    """One word's Snowball (English) stem."""
    return _stemmer().stemWord(word)


def stem_words(words: list[str]) -> list[str]:
    return _stemmer().stemWords(words)


def subject_stems(text: str) -> frozenset[str]:
    """The content words of a subject, stemmed (Snowball): how two decisions' subjects are compared."""
    words = [w for w in _WORD.findall(text.lower()) if w not in FUNCTION_WORDS]
    return frozenset(_stemmer().stemWords(words))


def names_subject(subject: str, text: str) -> bool:
    """Whether `text` names `subject`: more than half of its content words, stemmed, in a row (function
    words between them do not break it). "contract tests for the API" names "consumer-driven contract
    tests for APIs"; a lone "integrations" does not name "continuous integration", nor "a container"
    "container images for build agents"."""
    wanted = subject_stems(subject)
    run: set[str] = set()
    best = 0
    words = [w for w in _WORD.findall(text.lower()) if w not in FUNCTION_WORDS]
    for stem in _stemmer().stemWords(words):
        run = run | {stem} if stem in wanted else set()
        best = max(best, len(run))
    return bool(wanted) and best * 2 > len(wanted)


PREFIX_STEM = 4  # "auth" names "authentication": a stem this long may stand for a longer one


def stems_named(wanted: frozenset[str], said: frozenset[str]) -> bool:
    """Every wanted stem is said, or abbreviated ("auth" for "authent")."""
    return bool(wanted) and all(
        w in said or (len(w) >= PREFIX_STEM and any(s.startswith(w) for s in said)) for w in wanted
    )
