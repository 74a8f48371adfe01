"""Decision frames: what each decision decided, read from the record's structure.

Structure first: the Decision / Decision Outcome section holds the decision statement, the
Considered Options (or Alternatives, Pros and Cons) sections list the options, a MADR "Chosen option"
line or a Y-statement names the choice outright. Sentence cues (`prompts/frames.yaml`) are used only
inside those sections, or, for a record without them, to find the one sentence that says "we will".
The title gives subject and choice ("Use bash and Go as core languages": bash and Go, for core
languages), which is how two decisions are found to decide the same thing.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

import yaml

from archbot.ingest.metadata.titles import split_title_number
from archbot.ingest.metadata.units import Unit
from archbot.ingest.structure import LIST_ITEM, Heading, clean_body, headings, plain, prose_lines
from archbot.kernel.lifecycle import lifecycle
from archbot.kernel.types import DecisionFrame, Document
from archbot.kernel.vocabulary import (
    FIELD_SENTENCE,
    FUNCTION_WORDS,
    OPTION_ITEM_WORDS,
    is_decision_heading,
    is_option_heading,
    split_sentences,
    subject_stems,
)


@dataclass(frozen=True)
class _Vocabulary:
    title_verb: re.Pattern[str]
    not_chosen: re.Pattern[str]
    subject_preposition: re.Pattern[str]
    head_end: re.Pattern[str]
    head_lead: re.Pattern[str]
    decision_cue: re.Pattern[str]
    chosen_option: re.Pattern[str]
    option_label: re.Pattern[str]
    y_statement: re.Pattern[str]
    constraint: re.Pattern[str]
    max_constraints: int


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    data = yaml.safe_load((resources.files("archbot.prompts") / "frames.yaml").read_text(encoding="utf-8"))
    return _Vocabulary(
        title_verb=re.compile(rf"^(?:{'|'.join(data['title_verbs'])})\s+", re.I),
        not_chosen=re.compile(rf"\s+(?:{'|'.join(data['not_chosen_markers'])})\s+", re.I),
        subject_preposition=re.compile(rf"\s+(?:{'|'.join(data['subject_prepositions'])})\s+", re.I),
        head_end=re.compile(
            rf"[,;:.()]|\s(?:{'|'.join([*data['head_ends'], *data['subject_prepositions']])})\s", re.I
        ),
        head_lead=re.compile(rf"^(?:(?:{'|'.join(data['head_leads'])})\s+)+", re.I),
        decision_cue=re.compile(rf"\b(?:{'|'.join(data['decision_cues'])})\b", re.I),
        chosen_option=re.compile(data["chosen_option"], re.I),
        option_label=re.compile(data["option_label"], re.I),
        y_statement=re.compile(data["y_statement"], re.I),
        constraint=re.compile(rf"(?<![\w{{])(?:{'|'.join(data['constraint_keywords'])})(?![\w}}])"),
        max_constraints=int(data["max_constraints"]),
    )


_QUOTES = "\"'“”‘’`*_ "


REMOVAL = "removal"  # the choice of a title that removes its subject ("AMP Removal")


def title_parts(title: str) -> tuple[str, str, str]:
    """(choice, subject, option not chosen) of a title: "Use bash and Go as core languages" ->
    ("bash and Go", "core languages", ""); "Use RDS instead of EC2 databases" -> ("RDS", "", "EC2
    databases"); "AMP Removal" -> ("removal", "AMP", ""); a title naming no choice is all subject."""
    title, _ = split_title_number(title)
    vocabulary = _vocabulary()
    if removal := lifecycle().removal.search(title):
        subject = f"{title[: removal.start()]} {title[removal.end() :]}"
        return REMOVAL, " ".join(subject.split()), ""
    verb = vocabulary.title_verb.match(title)
    if verb is None:
        return "", title.strip(), ""
    rest, *others = vocabulary.not_chosen.split(title[verb.end() :], maxsplit=1)
    over = others[0] if others else ""
    choice, subject = rest, ""
    if split := vocabulary.subject_preposition.search(rest):
        choice, subject = rest[: split.start()], rest[split.end() :]
    if split := vocabulary.subject_preposition.search(over):
        over, subject = over[: split.start()], subject or over[split.end() :]
    return choice.strip(), subject.strip(), over.strip()


@dataclass(frozen=True)
class _Section:
    heading: Heading
    lines: list[str]
    children: list[str]  # the titles of the sections directly inside this one


def _sections(lines: list[str], outline: list[Heading]) -> list[_Section]:
    """Each heading with the lines up to the next heading, and the titles of its sub-sections."""
    found = []
    for index, heading in enumerate(outline):
        end = outline[index + 1].line if index + 1 < len(outline) else len(lines)
        inside = []
        for later in outline[index + 1 :]:
            if later.level <= heading.level:
                break
            inside.append(later)
        top = min((h.level for h in inside), default=0)
        children = [h.title for h in inside if h.level == top]
        found.append(_Section(heading, lines[heading.end : end], children))
    return found


def _paragraph_sentences(lines: Iterable[str]) -> list[str]:
    """Sentences of the prose and list items of some lines, in order; a list item is one sentence."""
    out: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.extend(split_sentences(plain(" ".join(paragraph))))
            paragraph.clear()

    for line in lines:
        item = LIST_ITEM.match(line)
        if not line.strip() or item:
            flush()
            if item:
                out.extend(split_sentences(plain(item.group("item"))))
            continue
        paragraph.append(line.strip())
    flush()
    return out


def _list_items(lines: Iterable[str]) -> list[str]:
    return [plain(m.group("item")) for line in lines if (m := LIST_ITEM.match(line))]


def _clean_option(text: str) -> str:
    """An option as named, without quotes, emphasis or its number ("1, Kafka" is Kafka)."""
    text = plain(text).strip(_QUOTES).rstrip(".").strip(_QUOTES)
    return _vocabulary().option_label.sub("", text).strip(_QUOTES)


def _chosen(sections: list[_Section], lines: list[str]) -> tuple[str | None, list[str]]:
    """The decision statement, and options a Y-statement names as neglected."""
    vocabulary = _vocabulary()
    for sentence in _paragraph_sentences(lines):
        if match := vocabulary.chosen_option.search(sentence):
            return _clean_option(match.group("option")), []
        if match := vocabulary.y_statement.search(sentence):
            neglected = match.group("neglected")
            return _clean_option(match.group("chosen")), [_clean_option(neglected)] if neglected else []
    for section in sections:
        if is_decision_heading(section.heading.title):
            said = [s for s in _paragraph_sentences(section.lines) if not FIELD_SENTENCE.match(s)]
            cued = [s for s in said if vocabulary.decision_cue.search(s)]
            if cued or said:
                return (cued or said)[0], []
    cued = [s for s in _paragraph_sentences(lines) if vocabulary.decision_cue.search(s)]
    return (cued[0] if cued else None), []


def _considered(sections: list[_Section], chosen: str | None, choice: str) -> list[str]:
    """Options listed under option headings (short list items, or one sub-heading per option) that
    are not the chosen one."""
    options: list[str] = []
    for section in sections:
        title = section.heading.title
        if not is_option_heading(title) or is_decision_heading(title):
            continue
        items = [_clean_option(i) for i in _list_items(section.lines)]
        named = [i for i in items if 0 < len(i.split()) <= OPTION_ITEM_WORDS]
        options.extend(named if named and len(named) == len(items) else [])
        options.extend(_clean_option(c) for c in section.children if not is_option_heading(c))
    taken = subject_stems(f"{chosen or ''} {choice}")
    named = subject_stems(choice) if choice and choice != REMOVAL else frozenset()

    def is_chosen(option: str) -> bool:
        stems = subject_stems(option)
        return bool(stems) and (bool(stems & named) if named else stems <= taken)

    # A list of names one of which is the chosen option lists the options, wherever it stands ("we
    # chose to test two tools: Kyverno, OPA Gatekeeper").
    for section in sections:
        names = [_clean_option(i) for i in _list_items(section.lines)]
        if len(names) < 2 or any(len(n.split()) > OPTION_ITEM_WORDS for n in names):
            continue
        if any(is_chosen(n) for n in names):
            options.extend(names)
    return [o for o in dict.fromkeys(options) if o and not is_chosen(o) and not _is_placeholder(o)]


def _is_placeholder(option: str) -> bool:
    """Template placeholders ("[option 1]", "{title of option 1}") are not options."""
    return option.startswith(("[", "{", "<")) or option.lower() in {"…", "..."}


HEAD_WORDS = 4  # a removed thing is named in a few words ("basic auth", "GitHub topics")


def _head(phrase: str) -> str:
    """The thing a phrase names: up to the first preposition or clause break, without articles."""
    vocabulary = _vocabulary()
    phrase = vocabulary.head_lead.sub("", plain(phrase).strip(" `*_\"'"))
    phrase = vocabulary.head_end.split(phrase, maxsplit=1)[0].strip(" `*_\"'")
    words = phrase.split()
    return " ".join(words) if 0 < len(words) <= HEAD_WORDS and subject_stems(phrase) else ""


_NAME_BEFORE = re.compile(r"^[A-Za-z0-9][\w.' ]*$")
_NAMELIKE = re.compile(r"[A-Z0-9]|\w[-.]\w")
HEADING_NAME_WORDS = 3  # "Logit deprecation notice": a removal heading names its subject briefly


def _removes(title: str, sections: list[_Section], chosen: str | None) -> list[tuple[str, str]]:
    """What the decision removes: the subject of a removal title ("AMP Removal", "Retire use of
    GitHub topics"), the name before a removal word in a heading ("Logit deprecation notice"), or what
    its decision statement removes ("… and remove basic auth from production")."""
    removal = lifecycle().removal
    found: list[tuple[str, str]] = []
    if match := removal.search(title):
        before, after = title[: match.start()].strip(), title[match.end() :]
        named_before = bool(subject_stems(before))
        if named_before and not _NAME_BEFORE.match(before):
            before = ""  # "REST Design - Deprecation": a chapter about deprecation, not a removal
        if head := (_head(before) if named_before else _head(after)):
            found.append((head, title))
    for section in sections:
        line = section.heading.title
        match = removal.search(line)
        before = line[: match.start()].strip() if match else ""
        words = before.lower().split()
        named = words and len(words) <= HEADING_NAME_WORDS and _NAME_BEFORE.match(before)
        if named and words[-1] not in FUNCTION_WORDS and (head := _head(before)):
            found.append((head, line))
    for match in removal.finditer(chosen or ""):
        head = _head((chosen or "")[match.end() :])
        if head and (len(head.split()) >= 2 or _NAMELIKE.search(head)):
            found.append((head, chosen or ""))
    return list(dict.fromkeys(found))


def _constraints(lines: list[str]) -> list[str]:
    vocabulary = _vocabulary()
    found = [s for s in _paragraph_sentences(lines) if vocabulary.constraint.search(s)]
    return list(dict.fromkeys(found))[: vocabulary.max_constraints]


def frame_of(doc: Document, fmt: str, unit: str = "", body: str | None = None) -> DecisionFrame:
    """The frame of one decision: a whole document, or (`unit`, `body`) one entry of a log."""
    if body is None:
        _, body, _ = clean_body(doc.text, doc.source)
    lines = prose_lines(body, fmt)
    sections = _sections(lines, headings(body, fmt))
    title = unit or doc.title
    choice, subject, over = title_parts(title)
    chosen, neglected = _chosen(sections, lines)
    considered = [*([over] if over else []), *neglected, *_considered(sections, chosen, choice)]
    return DecisionFrame(
        source=doc.source,
        unit=unit,
        title=title,
        subject=subject,
        choice=choice,
        chosen=chosen,
        considered=tuple(dict.fromkeys(considered)),
        constraints=tuple(_constraints(lines)),
        removes=tuple(_removes(title, sections, chosen)),
        status=doc.status,
        status_raw=doc.status_raw,
        date=doc.date,
        superseded_by=doc.superseded_by,
    )


def decides(frame: DecisionFrame) -> bool:
    """A frame worth keeping: the document states a decision or rules."""
    return bool(frame.chosen or frame.constraints or frame.considered or frame.removes)


# --- decisions that may replace others without saying so ------------------------------------------


@dataclass(frozen=True)
class ImplicitReplacement:
    later: str
    earlier: str
    subject: str


def _order(doc: Document) -> tuple[str, int]:
    return (doc.date or "", doc.number if doc.number is not None else -1)


def implicit_replacements(
    frames: Iterable[DecisionFrame], documents: Mapping[str, Document]
) -> list[ImplicitReplacement]:
    """Pairs of accepted decisions of one folder that decide the same subject and chose differently,
    the later (by date, then number) after the earlier. Reported and mentioned, never asserted: the
    later one may only refine the earlier."""
    by_folder: dict[str, list[tuple[DecisionFrame, Document]]] = defaultdict(list)
    for frame in frames:
        doc = documents.get(frame.source)
        if doc is None or frame.unit or doc.status != "accepted" or not subject_stems(frame.subject):
            continue
        by_folder[posixpath.dirname(frame.source)].append((frame, doc))
    found = []
    for decisions in by_folder.values():
        decisions.sort(key=lambda pair: (_order(pair[1]), pair[0].source))
        for i, (earlier, earlier_doc) in enumerate(decisions):
            for later, later_doc in decisions[i + 1 :]:
                if _order(later_doc) == _order(earlier_doc) or later.source in earlier_doc.supersedes:
                    continue
                linked = earlier.source in later_doc.supersedes or later.source in earlier_doc.superseded_by
                same = subject_stems(earlier.subject) == subject_stems(later.subject)
                choices = subject_stems(earlier.choice), subject_stems(later.choice)
                differs = any(choices) and choices[0] != choices[1]
                if same and differs and not linked:
                    found.append(ImplicitReplacement(later.source, earlier.source, later.subject))
    return found


def with_replacements(
    frames: list[DecisionFrame], replacements: Iterable[ImplicitReplacement]
) -> list[DecisionFrame]:
    later: dict[str, list[str]] = defaultdict(list)
    for item in replacements:
        later[item.earlier].append(item.later)
    return [
        replace(f, may_be_replaced_by=tuple(later[f.source])) if f.source in later and not f.unit else f
        for f in frames
    ]


# --- every decision of a set of documents --------------------------------------------------------


def unit_frames(doc: Document, fmt: str, units: Iterable[Unit]) -> list[DecisionFrame]:
    """One frame per entry of a decision log. A relation naming another entry's number ("Superseded
    by 446") points at that entry; other references stay as written."""
    units = list(units)
    _, body, _ = clean_body(doc.text, doc.source)
    lines = body.splitlines()
    by_number = {u.number: u.heading for u in units if u.number is not None}
    frames = []
    for unit in units:
        entry = replace(doc, status=unit.status, status_raw=unit.status_raw, date=unit.date)
        successors = tuple(_sibling(ref, by_number) or ref for ref in unit.successor_refs)
        frame = frame_of(entry, fmt, unit.heading, "\n".join(lines[unit.start : unit.end]))
        frames.append(replace(frame, number=unit.number, superseded_by=successors))
    return frames


_REF_NUMBER = re.compile(r"(\d{1,5})\D*$")


def _sibling(ref: str, by_number: Mapping[int | None, str]) -> str | None:
    match = _REF_NUMBER.search(ref)
    return by_number.get(int(match.group(1))) if match else None


def frames_for(
    documents: Mapping[str, Document], formats: Mapping[str, str], units: Mapping[str, Iterable[Unit]]
) -> tuple[dict[str, list[DecisionFrame]], list[ImplicitReplacement]]:
    """The frames of every document that decides something, with decisions that may replace others."""
    frames: dict[str, list[DecisionFrame]] = {}
    for source, doc in documents.items():
        entries = unit_frames(doc, formats[source], units.get(source, ()))
        whole = replace(frame_of(doc, formats[source]), number=doc.number)
        found = entries or ([whole] if decides(whole) else [])
        if found:
            frames[source] = found
    replacements = implicit_replacements((f for fs in frames.values() for f in fs), documents)
    later = {r.earlier for r in replacements}
    return {
        source: with_replacements(fs, replacements) if source in later else fs
        for source, fs in frames.items()
    }, replacements
