"""The rubric as data and the deterministic addressed / thin / missing assessment."""

from __future__ import annotations

from pathlib import Path

import pytest

from archbot.advisor.review.doc import parse_design_doc
from archbot.advisor.review.rubric import assess, load_rubric
from archbot.kernel.errors import ConfigError
from archbot.kernel.settings import Settings

IDS = {
    "problem_and_context",
    "goals_and_non_goals",
    "alternatives",
    "decision_and_tradeoffs",
    "data_and_storage",
    "security_and_privacy",
    "observability",
    "failure_modes",
    "rollout_and_rollback",
    "cost",
    "ownership",
    "adr_links",
}

DOC = """---
title: Example
---
# Payout options

## Problem

Merchants wait three days for payouts today and support gets two hundred tickets a month about
late money, which costs us merchants and support time every single week.

## Rollout

Flag.

## Proposal

We will add a retry with a timeout. If the bank fails we retry; failures page the on-call engineer.
Payouts are idempotent, so a retry never pays twice, and a failure never loses a payout.
"""


def states(text: str, settings: Settings) -> dict[str, tuple[str, str | None]]:
    return {a.item.id: (a.state, a.evidence) for a in assess(parse_design_doc(text), load_rubric(settings))}


def test_shipped_rubric_has_every_item_with_questions(settings: Settings) -> None:
    rubric = load_rubric(settings)
    assert {item.id for item in rubric} == IDS
    assert all(item.questions and item.why and item.severity in ("high", "medium", "low") for item in rubric)


def test_heading_with_enough_words_is_addressed_and_quotes_its_line(settings: Settings) -> None:
    state, evidence = states(DOC, settings)["problem_and_context"]
    assert state == "addressed"
    assert evidence.startswith("line 6: Problem — Merchants wait three days")


def test_short_section_is_thin(settings: Settings) -> None:
    assert states(DOC, settings)["rollout_and_rollback"] == ("thin", "line 11: Rollout — Flag.")


def test_cue_words_without_a_heading_are_thin_with_the_sentence(settings: Settings) -> None:
    state, evidence = states(DOC, settings)["failure_modes"]
    assert state == "thin"
    assert evidence.startswith("line 17: We will add a retry")


def test_absent_concern_is_missing(settings: Settings) -> None:
    assert states(DOC, settings)["cost"] == ("missing", None)


def test_a_lone_title_heading_does_not_count_as_a_section(settings: Settings) -> None:
    """ "# Payout options" is the title; it must not make "alternatives" addressed."""
    assert states(DOC, settings)["alternatives"][0] == "missing"


def test_adr_reference_in_the_text_addresses_links(settings: Settings) -> None:
    assert states(DOC + "\nThis follows ADR 12.\n", settings)["adr_links"][0] == "addressed"


def test_rubric_can_be_overridden_by_teams(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "review_rubric.yaml").write_text(
        "items:\n  - id: runbook\n    title: Runbook\n    headings: [runbook]\n    severity: high\n",
        encoding="utf-8",
    )
    rubric = load_rubric(settings.with_(prompts_dir=tmp_path))
    assert [item.id for item in rubric] == ["runbook"]


@pytest.mark.parametrize(
    "text",
    [
        "items: [",
        "items:\n  - title: no id\n",
        "items:\n  - id: x\n    title: X\n    severity: urgent\n",
        "{}",
    ],
)
def test_broken_rubric_is_a_config_error(settings: Settings, tmp_path: Path, text: str) -> None:
    (tmp_path / "review_rubric.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError):
        load_rubric(settings.with_(prompts_dir=tmp_path))


def test_sections_keep_file_line_numbers_after_front_matter() -> None:
    doc = parse_design_doc(DOC)
    assert doc.title == "Payout options"
    assert [(s.heading, s.line) for s in doc.sections[1:]] == [
        ("Payout options", 4),
        ("Problem", 6),
        ("Rollout", 11),
        ("Proposal", 15),
    ]


def test_shipped_rubric_and_questions_are_domain_neutral() -> None:
    """Every organisation gets the same rubric: no industry's words in what every review says."""
    from importlib import resources

    for name in ("review_rubric.yaml", "review_questions.yaml"):
        text = (resources.files("archbot.prompts") / name).read_text(encoding="utf-8").lower()
        for word in ("merchant", "payment", "card data", "pci"):
            assert word not in text, f"{name} mentions {word!r}"
