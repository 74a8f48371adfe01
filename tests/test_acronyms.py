"""Abbreviations a corpus defines for itself, learned at index time and used by the lexical leg."""

from __future__ import annotations

from pathlib import Path

from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.acronyms import definitions, learn
from archbot.kernel.lexical import LexicalIndex, open_lexical
from archbot.kernel.settings import Settings
from archbot.kernel.store import Store
from tests.minicorpus import write_files


def test_definitions_are_found_in_the_ways_documents_write_them() -> None:
    text = (
        "Instances run in an Auto-scaling Group's (ASG) launch template.\n"
        "We adopt the Open Policy Agent (OPA) for admission control.\n"
        "Targets are set as Service Level Objectives (SLOs) per journey.\n"
        "Work in progress (WIP) limits apply."
    )
    assert dict(definitions(text)) == {
        "asg": ("auto", "scaling", "group"),
        "opa": ("open", "policy", "agent"),
        "slo": ("service", "level", "objectives"),
        "wip": ("work", "in", "progress"),
    }


def test_parentheses_that_define_nothing_are_not_definitions() -> None:
    text = (
        "The decision was revisited later (see below).\n"  # no capital: not a short form
        "It shipped in the spring release (2021).\n"  # no letters
        "We chose the hosted queue (SQS) over running our own.\n"  # the words before do not spell it
        "Links are listed in acl.html (ACL).\n"  # its own name is not its long form
        "The team (Platform) owns it."  # a word, not spelled by the words before it
    )
    assert list(definitions(text)) == []


def test_the_most_frequent_long_form_wins() -> None:
    texts = [
        "An Architecture Decision Record (ADR) captures one decision.",
        "Each Architecture Decision Record (ADR) has a status.",
        "An Architectural Decision Record (ADR) is short.",
        "No definition here.",
    ]
    assert learn(texts) == {"adr": ("architecture", "decision", "record")}


def _index(texts: list[str]) -> LexicalIndex:
    ids = [f"c{n}" for n in range(len(texts))]
    return LexicalIndex.build(ids, texts, [f"{i}.md" for i in ids])


def test_a_short_form_finds_the_documents_that_spell_it_out() -> None:
    """One organisation's infrastructure records define a short form once and spell it out elsewhere;
    another's streaming records do the same. A question using the short form finds both kinds of
    chunk, and a chunk holding only some of the long form's words is not taken for it."""
    index = _index(
        [
            "Web servers run in an Auto Scaling Group (ASG) behind the load balancer.",
            "If an Auto Scaling Group replaces the instance, its signed certificate is lost.",
            "Certificates are renewed by a scheduled job every group of weeks.",
            "Events flow through Change Data Capture (CDC) from the orders database.",
            "We run change data capture with Debezium connectors.",
            "We change the data retention of the orders table every year.",
        ]
    )
    assert index.acronyms["asg"] == ("auto", "scaling", "group")
    asg = [cid for cid, _ in index.search("what happens to the certificate when the asg replaces it?", 6)]
    assert asg[0] == "c1"  # spells it out, and is about certificates
    cdc = [cid for cid, _ in index.search("which connectors does cdc use?", 6)]
    assert cdc[:2] == ["c4", "c3"]
    assert "c5" not in cdc  # "change" and "data" without "capture" are not the long form


def test_a_short_form_and_its_long_form_count_as_one_concept() -> None:
    """The long form is another way to write the short form, not extra words: a question using the
    short form scores a chunk holding both spellings by the better one, not by their sum (which
    would give a common short form three more terms' weight), and a chunk holding only the long
    form's words still matches it."""
    index = _index(
        [
            "An Architecture Decision Record (ADR) captures one decision.",
            "ADR status values: proposed, accepted, superseded.",
            "Every decision record lists the architecture it affects.",
            "Retention for logs is thirty days.",
        ]
    )
    short = dict(index.search("adr", 4))
    typed_out = dict(index.search("adr architecture decision record", 4))
    assert short["c0"] < typed_out["c0"]
    assert set(short) == {"c0", "c1", "c2"}
    assert index.search("adr status", 4)[0][0] == "c1"


def test_learned_short_forms_are_saved_with_the_index(settings: Settings, tmp_path: Path) -> None:
    record = "# 1. Use OPA\n\n## Status\n\nAccepted\n\n## Decision\n\nWe adopt Open Policy Agent (OPA).\n"
    ingest_paths(settings, [write_files(tmp_path / "kb", {"0001-use-opa.md": record})])
    loaded = open_lexical(Store(settings.db_path), settings.lexical_path)
    assert loaded.folder is not None  # loaded from the files the ingest saved
    assert loaded.acronyms == {"opa": ("open", "policy", "agent")}
