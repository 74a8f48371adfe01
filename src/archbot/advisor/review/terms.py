"""Technology names and concern words: the vocabulary conflicts are decided on.

There is no product dictionary to maintain. A word counts as a technology name when it is written
like one (RabbitMQ, mTLS, S3, MSK) or is capitalised mid-sentence and never written in lower case in
the texts being compared (Kafka, Linkerd, Redis), which leaves out ordinary words in Title Case
headings. A few phrases built on a generic acronym ("API keys") are kept as terms of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from wordfreq import zipf_frequency

from archbot.kernel.vocabulary import FUNCTION_WORDS, stem_word

_CODE = re.compile(r"`[^`]*`")
_LINK = re.compile(r"\]\([^)]*\)")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_ACRONYM_PHRASE = re.compile(r"\b(API|SSH|JWT|HMAC|OAuth)\s+(keys?|tokens?|secrets?|cookies?)\b")

GENERIC = frozenset(
    """adr adrs api apis http https url urls json yaml id ids ui ux sla slo slos sli must should shall may
    not required rfc eu us uk utc ci cd cpu ram io os pr prs ok faq tbd todo q1 q2 q3 q4 p50 p95 p99 usd eur
    gb mb tb kb ms pci dss pii dpo sre cto ceo vp i we the a an this that it our these those
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split()
)
# Function words, and verbs and nouns of any architecture sentence ("use", "service") that name no topic.
STOPWORDS = FUNCTION_WORDS | frozenset(
    """via must could may might those all each every use uses used using adopt adopts introduce make
    keep run runs new one two per not no than also only both other services service system systems
    store stores manage record""".split()
)


def _visible(text: str) -> str:
    """Prose only: identifiers in code spans and link targets are not names of technologies."""
    return _LINK.sub("]", _CODE.sub(" ", text))


def lowercase_vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Words that appear in lower case somewhere: such a word is an ordinary word, not a product name."""
    return frozenset(t for text in texts for t in _TOKEN.findall(_visible(text)) if t.islower())


def _shaped_like_a_name(token: str) -> bool:
    inner = token[1:]
    return any(c.isupper() for c in inner) or (any(c.isdigit() for c in inner) and token[0].isupper())


def terms_in(text: str, ordinary: frozenset[str], initial: bool = False) -> set[str]:
    """Technology terms in `text`, lower-cased; `ordinary` is the lower-case vocabulary to rule out.

    A capitalised first word is usually just grammar, so it only counts with `initial` (list items
    naming options, "Istio service mesh.").
    """
    visible = _visible(text)
    found = {
        f"{m.group(1).lower()} {m.group(2).lower().rstrip('s')}" for m in _ACRONYM_PHRASE.finditer(visible)
    }
    for match in _TOKEN.finditer(visible):
        token = match.group(0)
        lowered = token.lower()
        if lowered in GENERIC or len(token) < 2:
            continue
        if _shaped_like_a_name(token):
            found.add(lowered)
            continue
        starts_sentence = (
            not visible[: match.start()].strip() or visible[: match.start()].rstrip()[-1] in ".!?:*#-|(>"
        )
        if (
            token[0].isupper()
            and (initial or not starts_sentence)
            and lowered not in ordinary
            and lowered not in STOPWORDS
            and not (starts_sentence and is_common_word(lowered))
        ):
            found.add(lowered)
    return found


# A capitalised word that starts a sentence is a name only if it is rare in English at large
# ("Kyverno", "Jsonnet", "Ruby"), not grammar ("Choosing", "However"); Zipf scale, see wordfreq.
COMMON_WORD_ZIPF = 4.0


def is_common_word(word: str) -> bool:
    return zipf_frequency(word, "en") >= COMMON_WORD_ZIPF


def _term_pattern(term: str) -> re.Pattern[str]:
    """Plural and short forms count: "API key" matches "API keys", "Postgres" matches "PostgreSQL"."""
    words = [re.escape(w) for w in term.split()]
    body = r"\s+".join(words) + r"s?"
    return re.compile(r"\b" + body + r"\b", re.I)


def mentions(text: str, term: str) -> re.Match[str] | None:
    """Where `term` (or a six-letter-plus prefix of it, like Postgres/PostgreSQL) appears in `text`."""
    visible = _visible(text)
    found = _term_pattern(term).search(visible)
    if found or " " in term:
        return found
    for match in _TOKEN.finditer(visible):
        word = match.group(0).lower()
        if (
            len(word) >= 6
            and word != term
            and (term.startswith(word) or word.startswith(term))
            and len(term) >= 6
        ):
            return match
    return None


def stem(word: str) -> str:
    """The Snowball stem, so "authenticate" meets "authentication" and "traces" meets "trace"."""
    return stem_word(word.lower())


def concern_stems(text: str, exclude: Iterable[str] = ()) -> set[str]:
    """The content words of a title or rule, stemmed: what the decision is about, minus the product names."""
    skip = {t for term in exclude for t in term.split()}
    return {
        stem(w)
        for w in re.findall(r"[a-z][a-z0-9]+", _visible(text).lower())
        if w not in STOPWORDS and w not in GENERIC and w not in skip and len(w) > 2
    }


def stems_meet(a: Iterable[str], b: Iterable[str]) -> bool:
    """Whether two stem sets share a word; a four-letter stem meets its longer forms (data/datastore)."""
    right = set(b)
    return any(
        x == y or (min(len(x), len(y)) >= 4 and (x.startswith(y) or y.startswith(x)))
        for x in a
        for y in right
    )
