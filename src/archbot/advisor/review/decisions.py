"""What a decision or standard chose and what it explicitly ruled out.

A conflict needs the decision to *name* the thing a design proposes as rejected, replaced or
forbidden; being merely about the same topic is never enough. So a profile records, per technology
term, the sentence that rules it out, and everything the decision itself adopts is never counted as
ruled out (ADR 14 mentions Vault in its rejected options but also uses Vault in its decision).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from archbot.advisor.review.doc import parse_design_doc
from archbot.advisor.review.terms import STOPWORDS, concern_stems, lowercase_vocabulary, stem, terms_in
from archbot.kernel.text import plain
from archbot.kernel.types import Chunk, Document
from archbot.kernel.vocabulary import (
    OPTION_ITEM_WORDS,
    is_decision_heading,
    is_option_heading,
    without_option_cues,
)


@lru_cache(maxsize=1)
def _vocabulary() -> dict:
    return yaml.safe_load(
        (resources.files("archbot.prompts") / "review_vocabulary.yaml").read_text(encoding="utf-8")
    )


# How highly retrieval must rank a decision for one of its unchosen options to count (see the YAML).
OPTION_RANK = int(_vocabulary()["option_rank"])
_PREFERENCE = re.compile(rf"\b(?:{'|'.join(_vocabulary()['preference_verbs'])})\b.*?\bover\b", re.I)
_PARENTHESES = re.compile(r"\([^)]*\)")
_METADATA_LINE = re.compile(rf"^\W*(?:{'|'.join(_vocabulary()['metadata_fields'])})\W*:", re.I)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?P<item>\S.*)$")
_CHOSEN_LINE = re.compile(r"\b(chosen option|we will use|we will adopt|we chose|we decided)\b", re.I)
_OPTIONS_LINE = re.compile(r"^\s*(options considered|considered options|alternatives)\b", re.I)
# Names after these words are being ruled out. Contrastive ones ("instead of X") reach to the next
# comma; prohibitions ("no new X", "MUST NOT use X") cover the whole clause.
_CONTRAST = re.compile(
    r"\b(instead of|rather than|in place of|away from|replac(?:e|es|ing)\b(?!\s+by)|migrat\w*\s+(?:off|from)|"
    r"mov\w*\s+(?:off|from))\b",
    re.I,
)
_CONDITION = re.compile(rf"\b(?:{'|'.join(_vocabulary()['contrast_conditions'])})\b", re.I)
_PROHIBIT = re.compile(
    r"\b(stop using|no new|no longer use|(?:must|shall|may) not(?: be)?(?: \w+)?|never use|"
    r"not allowed to use)\b",
    re.I,
)
# Names before these words are being ruled out: "Amazon MQ is decommissioned", "GraphQL MUST NOT be exposed".
_SUFFIX = re.compile(
    r"\b((?:is|are|was|were|will be|must be|shall be)\s+(?:deprecated|decommissioned|retired|removed|"
    r"rejected|migrated|replaced|superseded|forbidden|prohibited|not (?:approved|allowed|permitted))|"
    r"(?:must|shall|may) not be\b|not allowed)",
    re.I,
)
# "Caches (for example Redis) are allowed when the data can be rebuilt": a use the decision permits.
_ALLOWS = re.compile(
    r"\b(?:is|are)\s+(?:allowed|permitted|acceptable|fine)\b|\b(?:may|can)\s+(?:use|be used)\b", re.I
)
_CLAUSE = re.compile(r"[;:]|\.\s|\bbut\b|\bexcept\b|\bwithout\b|\bunless\b|\bother than\b", re.I)
_POSITIVE_RULE = re.compile(r"\b(must|shall|required?)\b(?!\s+not)", re.I)


@dataclass(frozen=True)
class RuledOut:
    """`explicit` when a sentence rules the term out; otherwise it was only an option not chosen, which
    is weaker evidence, so its `concern` is the decision's title alone and must meet the doc's sentence."""

    term: str
    sentence: str
    concern: frozenset[str]
    explicit: bool
    # Named by an item of a list of options beside the chosen one: retrieval ties it to a sentence.
    listed: bool = False


@dataclass(frozen=True)
class Practice:
    """A way of doing something that a rule forbids: "Secrets MUST NOT be passed as environment
    variables" forbids `environment variables` for what the rule is about (`secre`). Only phrases of
    two or more words count: "baked into images" or "committed to Git" alone would match too much."""

    phrase: str
    stems: tuple[str, ...]
    subject: frozenset[str]
    sentence: str
    # Set when the rule also names the way it requires ("… using X and not Y"): the practice is then
    # matched in any order, and a sentence naming any of these stems follows the required way instead.
    required: frozenset[str] = frozenset()
    # Set when the rule names the excluded way by its head noun alone ("publish to a Kafka topic (and
    # not a queue)"): such a practice counts only where retrieval also ranks the rule among the closest.
    retrieved: bool = False


@dataclass(frozen=True)
class Exclusive:
    """A rule that permits some ways of doing a thing and forbids every other way: `ways` holds, per
    permitted way, the words that set it apart (where or how), `subject` what the rule is about, and
    `exempt` the words of an exception the rule makes ("other than for vendor tags")."""

    subject: frozenset[str]
    ways: tuple[frozenset[str], ...]
    exempt: frozenset[str]
    sentence: str  # the permitted ways and the prohibition, as the rule states them


@dataclass(frozen=True)
class Requirement:
    """A positive rule for a subject ("Every API endpoint must be protected …"): `needs` holds the
    words of its section's rules and recommendations, how the requirement is met."""

    subject: frozenset[str]
    needs: frozenset[str]
    sentence: str


@dataclass(frozen=True)
class Profile:
    document: Document
    title_terms: frozenset[str]
    chosen: frozenset[str]
    ruled_out: dict[str, RuledOut] = field(default_factory=dict)
    # Terms a rule explicitly permits, with what for: the concern stems of the permitting sentence.
    allowed: dict[str, frozenset[str]] = field(default_factory=dict)
    practices: tuple[Practice, ...] = ()
    exclusive: tuple[Exclusive, ...] = ()
    requirements: tuple[Requirement, ...] = ()


def _sentences(chunks: list[Chunk]) -> list[tuple[str, str]]:
    """(section path, sentence) for every sentence of the document, sub-headings included."""
    out = []
    for chunk in chunks:
        parsed = parse_design_doc(chunk.text)
        for sentence in parsed.sentences:
            inner = " > ".join(parsed.path(sentence.section))
            out.append((f"{chunk.section} > {inner}" if inner else chunk.section, sentence.text))
    return out


_RULE_KEYWORD = re.compile(r"(?<![\w{])\{?(?:MUST|SHALL)\}?(?!\w)")


def _rule_headings(chunks: list[Chunk]) -> list[str]:
    """Headings that are rules themselves ("{MUST} not expose stack traces"), as standards written
    one rule per section do."""
    found = [part for chunk in chunks for part in chunk.section.split(" > ") if _RULE_KEYWORD.search(part)]
    return list(dict.fromkeys(found))


def option_lists(chunks: list[Chunk]) -> Iterator[tuple[str, list[str]]]:
    """(the line introducing a list, its items) for every bulleted or numbered list."""
    for chunk in chunks:
        intro, previous = "", ""
        items: list[str] = []
        for line in [*chunk.text.splitlines(), ""]:
            match = _LIST_ITEM.match(line)
            if match:
                if not items:
                    intro = previous
                items.append(match.group("item"))
                continue
            if items and (not line.strip() or not line.startswith((" ", "\t"))):
                yield intro, items
                items = []
            if line.strip():
                previous = line.strip()


def _clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE.split(sentence) if c and c.strip()]


def ruled_out_terms(sentence: str, ordinary: frozenset[str]) -> set[str]:
    """Terms this sentence rules out, clause by clause, by the position of the ruling words."""
    found: set[str] = set()
    for clause in _clauses(sentence):
        for contrast in _CONTRAST.finditer(clause):
            if not _CONDITION.search(sentence[sentence.find(clause) + contrast.end() :]):
                found |= terms_in(clause[contrast.end() :].split(",")[0], ordinary)
        if preference := _PREFERENCE.search(clause):
            found |= terms_in(clause[preference.end() :].split(",")[0], ordinary)
        if prohibit := _PROHIBIT.search(clause):
            found |= terms_in(clause[prohibit.end() :], ordinary)
        for suffix in _SUFFIX.finditer(clause):
            found |= terms_in(clause[: suffix.start()], ordinary)
    return found


_PREPOSITION = re.compile(r"\b(?:as|into|in|to|on|onto|with|via|through|from|by|using)\s+", re.I)
_ALTERNATIVES = re.compile(r",|\b(?:or|and|nor)\b", re.I)


def content_stems(text: str) -> list[str]:
    """The stems of a text's content words, in order."""
    return [stem(w) for w in re.findall(r"[a-z][a-z0-9]+", text.lower()) if w not in STOPWORDS and len(w) > 2]


# AsciiDoc guidelines write RFC 2119 keywords as attributes: "{MUST} not expose stack traces".
_KEYWORD_ATTRIBUTE = re.compile(r"\{(MUST|SHOULD|SHALL|MAY)\}")
_KEYWORD_ONLY = re.compile(r"^\W*(?:MUST|SHOULD|SHALL|MAY)\W*$")


def forbidden_practices(sentence: str, rule_heading: bool = False) -> list[Practice]:
    """Multi-word practices a prohibition names, with the subject it names them for. A rule written
    as a heading ("{MUST} not expose stack traces") names no subject: its practice has none, and
    retrieval must tie the rule to a sentence instead (see `ConflictFinder.check_practices`)."""
    found = []
    sentence = _KEYWORD_ATTRIBUTE.sub(r"\1", sentence)
    for clause in _clauses(sentence):
        prohibit = _PROHIBIT.search(clause)
        if prohibit is None:
            continue
        before = clause[: prohibit.start()]
        subject = frozenset(concern_stems(before))
        if not subject and not (rule_heading and (not before.strip() or _KEYWORD_ONLY.match(before))):
            continue
        for part in _ALTERNATIVES.split(clause[prohibit.end() :]):
            tail = _PREPOSITION.split(part)[-1]
            words = re.findall(r"[a-z][a-z0-9]+", tail.lower())
            stems = tuple(content_stems(tail))
            if 2 <= len(stems) <= 4:
                found.append(Practice(" ".join(words), stems, subject, sentence))
    return found


# Clauses of a rule; unlike `_CLAUSE`, "but" stays inside one, since "but not" opens the excluded way.
_RULE_CLAUSE = re.compile(r"[;:]|(?<!e\.g)(?<!i\.e)\.\s")  # "e.g. a queue" stays in its clause
_RULE_CONTRAST = re.compile("|".join(_vocabulary()["rule_contrasts"]), re.I)
_CONTRAST_FILLER = re.compile(rf"^\s*(?:(?:{'|'.join(_vocabulary()['contrast_fillers'])})\s+)+", re.I)


def contrasted_practices(sentence: str) -> list[Practice]:
    """The excluded way a positive rule names beside the way it requires ("<subject> must <do it> using
    <the required way> and not using <the excluded way>"), with its subject (the words before the rule
    word) and the required way's stems."""
    found = []
    sentence = _KEYWORD_ATTRIBUTE.sub(r"\1", sentence)
    for clause in _RULE_CLAUSE.split(sentence):
        rule = _POSITIVE_RULE.search(clause)
        contrast = _RULE_CONTRAST.search(clause, rule.end()) if rule else None
        if rule is None or contrast is None:
            continue
        subject = frozenset(concern_stems(clause[: rule.start()]))
        before = clause[rule.end() : contrast.start()]
        way = _PREPOSITION.split(_PARENTHESES.sub(" ", before))[-1]
        way_stems = content_stems(way)
        required = frozenset(way_stems)
        if not subject or not required:
            continue
        excluded = clause[contrast.end() :]
        if before.count("(") > before.count(")"):  # "(and not e.g. a queue)": the aside alone
            excluded = excluded.split(")")[0]
        for part in _ALTERNATIVES.split(_PARENTHESES.sub(" ", excluded)):
            tail = _CONTRAST_FILLER.sub("", part)
            stems = tuple(dict.fromkeys(content_stems(tail)))
            about = subject - set(stems)  # "accessing" is no subject of "an access key"
            if 2 <= len(stems) <= 4 and about and not set(stems) & required:
                words = re.findall(r"[a-z][a-z0-9]+", tail.lower())
                phrase = " ".join(w for w in words if w not in STOPWORDS)
                found.append(Practice(phrase, stems, about, sentence, required - subject))
            elif len(stems) == 1 and stems[0] not in required:
                whole = content_stems(_PARENTHESES.sub(" ", before))
                if len(whole) >= 3:
                    found.append(_elliptical(whole, stems[0], subject, sentence))
    return found


def _elliptical(way: list[str], head: str, subject: frozenset[str], sentence: str) -> Practice:
    """The excluded way named by its head noun alone stands for the required way with that noun in
    place of the required one: "publish to a Kafka topic (and not a queue)" excludes "Kafka queue",
    word for word, in a sentence about the rule's subject or doing what the required way does."""
    *doing, modifier, _ = way
    return Practice(f"{modifier} {head}", (modifier, head), subject | set(doing), sentence, retrieved=True)


def follows_practice(sentence: str, practice: Practice) -> bool:
    """The sentence names the practice word for word, and what the rule is about (a rule heading
    names no subject: then naming the practice is all the sentence can show). A practice set against
    a required way is named in any order, by a sentence that names nothing of the required way."""
    stems = content_stems(sentence)
    if practice.required:
        named = set(practice.stems) <= set(stems) and not practice.required & set(stems)
    else:
        n = len(practice.stems)
        named = any(tuple(stems[i : i + n]) == practice.stems for i in range(len(stems) - n + 1))
    return named and (not practice.subject or bool(practice.subject & set(stems)))


_EXCLUSIVE_OPENER = re.compile("|".join(_vocabulary()["exclusive_openers"]), re.I)
_EXCLUSIVE_PROHIBITION = re.compile("|".join(_vocabulary()["exclusive_prohibitions"]), re.I)
_WAY_WORDS = int(_vocabulary()["exclusive_way_words"])
_ALTERNATIVE_WAYS = re.compile(r",?\s+\bor\b\s+", re.I)


def exclusive_rule(permitted: str, sentence: str) -> Exclusive | None:
    """`sentence` forbids every way but those `permitted` (the sentence before it) names."""
    opener = _EXCLUSIVE_OPENER.search(sentence)
    prohibition = _EXCLUSIVE_PROHIBITION.search(sentence, opener.end()) if opener else None
    if opener is None or prohibition is None:
        return None
    rest = sentence[opener.end() : prohibition.start()]
    subject = frozenset(content_stems(_PARENTHESES.sub(" ", rest)))
    # An aside names the exception by the words before its head noun ("for vendor analytics tags").
    exempt = frozenset(s for aside in _PARENTHESES.findall(rest) for s in content_stems(aside)[:-1]) - subject
    ways = tuple(frozenset(content_stems(way)) - subject for way in _ALTERNATIVE_WAYS.split(permitted))
    if not subject or len(ways) < 2 or not all(ways):
        return None
    return Exclusive(subject, ways, exempt, f"{permitted.rstrip('.')}. {sentence}")


def deviates(sentence: str, rule: Exclusive) -> bool:
    """The sentence does what the rule is about partly as a permitted way does it (the same place)
    but follows none of the permitted ways, and is not the exception the rule makes."""
    stems = set(content_stems(sentence))
    if not rule.subject & stems or (rule.exempt and rule.exempt <= stems):
        return False
    followed = any(len(way & stems) >= min(len(way), _WAY_WORDS) for way in rule.ways)
    return not followed and any(way & stems for way in rule.ways)


_ABSENCE = re.compile(
    rf"\b(?:{'|'.join(_vocabulary()['absence_words'])})\s+(?:(?:a|an|the|any)\s+)?([a-z][a-z0-9]+)", re.I
)
_DENIED_BEFORE = re.compile(r"\bnot\s+$", re.I)  # "may not require" requires nothing
_GUIDANCE = re.compile(rf"\b(?:{'|'.join(_vocabulary()['absence_rule_words'])})\b", re.I)


def requirements(sentences: list[tuple[str, str]]) -> list[Requirement]:
    """Positive rules with a subject, each with the words its section's guidance names."""
    written = [(section, s, _KEYWORD_ATTRIBUTE.sub(r"\1", s)) for section, s in sentences]
    guidance: dict[str, set[str]] = {}
    for section, sentence, plain_rule in written:
        if _GUIDANCE.search(plain_rule):
            guidance.setdefault(section, set()).update(content_stems(sentence))
    found = []
    for section, sentence, plain_rule in written:
        rule = _POSITIVE_RULE.search(plain_rule)
        subject = frozenset(concern_stems(plain_rule[: rule.start()])) if rule else frozenset()
        if rule and subject and not _DENIED_BEFORE.search(plain_rule[: rule.start()]):
            needs = guidance.get(section, set()) | set(content_stems(sentence))
            found.append(Requirement(subject, frozenset(needs - subject), sentence))
    return found


def goes_without(sentence: str, requirement: Requirement) -> str | None:
    """What the sentence says it goes without ("without a certificate"), when the requirement needs it for
    a subject the sentence names."""
    stems = set(content_stems(sentence))
    if not requirement.subject & stems:
        return None
    for match in _ABSENCE.finditer(sentence):
        if stem(match.group(1).lower()) in requirement.needs:
            return match.group(0)
    return None


def allowed_terms(sentence: str, ordinary: frozenset[str]) -> set[str]:
    """Terms a sentence permits: named before "are allowed", after "may use"."""
    match = _ALLOWS.search(sentence)
    if match is None or _PROHIBIT.search(sentence):
        return set()
    if match.group(0).lower().startswith(("may", "can")):
        return terms_in(sentence[match.end() :], ordinary)
    return terms_in(sentence[: match.start()], ordinary)


def _adopted_terms(sentence: str, ordinary: frozenset[str]) -> set[str]:
    return terms_in(sentence, ordinary) - ruled_out_terms(sentence, ordinary)


def build_profile(document: Document, chunks: list[Chunk], extra_text: str = "") -> Profile:
    """Chosen and ruled-out terms of one ADR or standard (`extra_text` widens the ordinary vocabulary)."""
    sentences = _sentences(chunks)
    ordinary = lowercase_vocabulary([document.title, extra_text, *(s for _, s in sentences)])
    title_terms = frozenset(terms_in(f"x {document.title}", ordinary))
    is_standard = document.kind == "standard"
    chosen: set[str] = set(title_terms)
    options: list[tuple[str, frozenset[str]]] = []  # with the names its option's own heading gives
    ruled: dict[str, RuledOut] = {}
    has_choice = bool(title_terms)

    def rule_out(term: str, sentence: str, explicit: bool, listed: bool = False) -> None:
        held = ruled.get(term)
        # An explicit rule is never replaced by a weaker mention; among weak ones a listed option wins.
        if held is not None and (held.explicit or (not explicit and (held.listed or not listed))):
            return
        about = sentence if is_standard else f"{document.title} {sentence}"
        ruled[term] = RuledOut(
            term, sentence, frozenset(concern_stems(about, [term, *title_terms])), explicit, listed
        )

    allowed: dict[str, frozenset[str]] = {}
    practices: list[Practice] = []
    exclusive: list[Exclusive] = []
    ruling: list[tuple[str, str]] = []  # sentences of the decision, or of a standard
    previous = ("", "")
    for section, sentence in sentences:
        # A chunk's own section names every section it spans ("Status, Context, Decision"); the
        # heading a sentence sits under is the last one of its path.
        heading = section.split(" > ")[-1]
        in_decision = is_decision_heading(heading)
        in_options = is_option_heading(heading) or bool(_OPTIONS_LINE.match(sentence))
        if is_standard or in_decision:
            ruling.append((section, sentence))
            for term in ruled_out_terms(sentence, ordinary):
                rule_out(term, sentence, True)
            for term in allowed_terms(sentence, ordinary):
                allowed[term] = frozenset(concern_stems(sentence, [term]))
            practices.extend(forbidden_practices(sentence))
            practices.extend(contrasted_practices(sentence))
            if previous[0] == section and (permits := exclusive_rule(previous[1], sentence)):
                exclusive.append(permits)
        if in_decision or (is_standard and _POSITIVE_RULE.search(sentence)):
            adopted = _adopted_terms(sentence, ordinary)
            chosen |= adopted
            has_choice = has_choice or (bool(adopted) and bool(_CHOSEN_LINE.search(sentence)))
        elif in_options and not in_decision:
            option = without_option_cues(heading) if is_option_heading(heading) else ""
            options.append((sentence, frozenset(terms_in(f"x {option}", ordinary))))
        previous = (section, sentence)
    if is_standard:
        for rule in _rule_headings(chunks):
            practices.extend(forbidden_practices(rule, rule_heading=True))
    if has_choice and document.kind == "adr":
        # The chosen option's own description, the one naming what the title names, says more than
        # the choice ("Linkerd with automatic mTLS"): what it names is chosen too. A parenthesis
        # qualifies an option ("LaunchDarkly (SaaS)") rather than naming one; metadata lines
        # ("Deciders: …") name people, not options. Under a heading that names its option ("Option 5:
        # One Concourse on one cluster"), the body describes that option: another name there is an
        # analogy or a comparison ("similar to the way users of Heroku deploy"), not an option.
        described = [
            (sentence, terms_in(_PARENTHESES.sub(" ", sentence), ordinary, initial=True), headed)
            for sentence, headed in options
            if not _METADATA_LINE.match(sentence)
        ]
        for _, found, _ in described:
            if found & title_terms:  # the option the title names is the one chosen
                chosen |= found
        for sentence, found, headed in described:
            for term in (found & headed if headed else found) - chosen:
                rule_out(term, f"Considered and not chosen: {sentence}", False)
        # A list whose items name what was chosen beside other things lists the options considered
        # ("we chose to test two tools: Kyverno, OPA Gatekeeper"), wherever in the record it stands.
        # Only lists of names count: an option list gives each option a short item, prose bullets
        # ("Deployment logic is spread across 31 Jenkinsfiles") are reasons, not options.
        for intro, items in option_lists(chunks):
            names = [plain(item) for item in items]
            if any(len(name.split()) > OPTION_ITEM_WORDS for name in names):
                continue
            named = [terms_in(f"x {_PARENTHESES.sub(' ', name)}", ordinary) for name in names]
            if sum(1 for terms in named if terms) < 2 or not any(terms & chosen for terms in named):
                continue
            for name, terms in zip(names, named, strict=True):
                if terms and not terms & chosen:
                    why = f"Considered and not chosen: {intro} {name}".strip()
                    for term in terms:
                        rule_out(term, why, False, True)
    return Profile(
        document=document,
        title_terms=title_terms,
        chosen=frozenset(chosen),
        ruled_out={t: r for t, r in ruled.items() if t not in chosen},
        allowed=allowed,
        practices=tuple(practices),
        exclusive=tuple(exclusive),
        requirements=tuple(requirements(ruling)),
    )
