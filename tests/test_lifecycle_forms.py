"""Lifecycle read from where real repositories put it, in the forms they use (vocabulary in
`prompts/lifecycle.yaml`). Each case is a small corpus in the layout of one kind of repository — a
Nygard `docs/adr` folder, a MADR `docs/decisions` folder with front matter, a log4brains folder, a
standards folder — and asserts status, relations and the decision in force as structured facts."""

from __future__ import annotations

import pytest

from archbot.advisor.lifecycle import current_for, status_word
from archbot.ingest.links import resolve_links
from archbot.ingest.loaders import LoadedFile, format_of
from archbot.ingest.metadata import parse_document
from archbot.kernel.types import Document


def _resolve(files: dict[str, str]) -> dict[str, Document]:
    parsed = {s: parse_document(LoadedFile(s, t, "h", format_of(s))) for s, t in files.items()}
    documents, _ = resolve_links(parsed)
    return documents


def nygard(number: int, title: str, status: str) -> str:
    return (
        f"# {number}. {title}\n\nDate: 2021-03-04\n\n## Status\n\n{status}\n\n"
        "## Context\n\nWhy.\n\n## Decision\n\nWe will.\n"
    )


def madr(title: str, front: str, body_status: str = "") -> str:
    status = f"* Status: {body_status}\n\n" if body_status else ""
    return (
        f"---\n{front}\n---\n\n# {title}\n\n{status}## Context and Problem Statement\n\nWhy.\n\n"
        '## Decision Outcome\n\nChosen option: "A".\n'
    )


NYGARD = "team-a/docs/adr"
MADR = "team-b/docs/decisions"

# (what the form is, files, the old record, its expected status, the decision in force)
CASES = [
    (
        "superseded by a link",
        {
            f"{NYGARD}/0004-use-node.md": nygard(4, "Use Node", "Superseded by [ADR 19](0019-use-go.md)"),
            f"{NYGARD}/0019-use-go.md": nygard(19, "Use Go", "Accepted"),
        },
        f"{NYGARD}/0004-use-node.md",
        "superseded",
        f"{NYGARD}/0019-use-go.md",
    ),
    (
        "a bare link after an hourglass and the word superseded",
        {
            f"{NYGARD}/0004-use-node.md": nygard(4, "Use Node", "⌛️ Superseded [0019](0019-use-go.md)"),
            f"{NYGARD}/0019-use-go.md": nygard(19, "Use Go", "✅ Accepted"),
        },
        f"{NYGARD}/0004-use-node.md",
        "superseded",
        f"{NYGARD}/0019-use-go.md",
    ),
    (
        "an hourglass alone before a bare link",
        {
            f"{MADR}/0002-queue.md": madr("Use a queue", "date: 2022-01-01", "⌛ [0007](0007-stream.md)"),
            f"{MADR}/0007-stream.md": madr("Use a stream", "status: accepted"),
        },
        f"{MADR}/0002-queue.md",
        "superseded",
        f"{MADR}/0007-stream.md",
    ),
    (
        "invalidated by",
        {
            f"{NYGARD}/0005-vms.md": nygard(5, "Run on VMs", "Invalidated by [ADR 18](0018-k8s.md)"),
            f"{NYGARD}/0018-k8s.md": nygard(18, "Run on Kubernetes", "Accepted"),
        },
        f"{NYGARD}/0005-vms.md",
        "superseded",
        f"{NYGARD}/0018-k8s.md",
    ),
    (
        "replaced by a number",
        {
            f"{MADR}/0003-rest.md": madr("Use REST", "status: replaced by ADR 9"),
            f"{MADR}/0009-grpc.md": madr("Use gRPC", "status: accepted"),
        },
        f"{MADR}/0003-rest.md",
        "superseded",
        f"{MADR}/0009-grpc.md",
    ),
    (
        "amended by",
        {
            f"{NYGARD}/0010-tree.md": nygard(
                10, "Directory tree", "Accepted\n\nAmended by [17. Data](0017-data.md)"
            ),
            f"{NYGARD}/0017-data.md": nygard(
                17, "Data structure", "Accepted\n\nAmends [10. Tree](0010-tree.md)"
            ),
        },
        f"{NYGARD}/0010-tree.md",
        "superseded",
        f"{NYGARD}/0017-data.md",
    ),
    (
        "obsoleted by",
        {
            f"{MADR}/0001-xml.md": madr("Use XML", "status: obsoleted by ADR-0006"),
            f"{MADR}/0006-json.md": madr("Use JSON", "status: accepted"),
        },
        f"{MADR}/0001-xml.md",
        "superseded",
        f"{MADR}/0006-json.md",
    ),
    (
        "a deprecated guideline pointing at the one in favour of it",
        {
            "handbook/standards/logging-v1.md": (
                "# Logging\n\n**Deprecated** in favour of [Logging v2](logging-v2.md).\n\n"
                "## Rules\n\nLogs MUST be JSON.\n"
            ),
            "handbook/standards/logging-v2.md": (
                "# Logging v2\n\n## Rules\n\nLogs MUST be JSON with a trace id.\n"
            ),
        },
        "handbook/standards/logging-v1.md",
        None,
        "handbook/standards/logging-v2.md",
    ),
    (
        "front-matter superseded_by",
        {
            f"{MADR}/0004-ci.md": madr("Use Jenkins", "status: accepted\nsuperseded_by: [0011-actions.md]"),
            f"{MADR}/0011-actions.md": madr("Use GitHub Actions", "status: accepted"),
        },
        f"{MADR}/0004-ci.md",
        "superseded",
        f"{MADR}/0011-actions.md",
    ),
    (
        "a table row",
        {
            f"{NYGARD}/0002-db.md": (
                "# 2. Use MySQL\n\n| Field | Value |\n|---|---|\n"
                "| Status | Superseded by ADR-0003 |\n| Date | 2019-01-01 |\n\n## Context\n\nWhy.\n"
            ),
            f"{NYGARD}/0003-postgres.md": nygard(3, "Use Postgres", "Accepted"),
        },
        f"{NYGARD}/0002-db.md",
        "superseded",
        f"{NYGARD}/0003-postgres.md",
    ),
]


@pytest.mark.parametrize(("form", "files", "old", "status", "current"), CASES, ids=[c[0] for c in CASES])
def test_relations_and_the_decision_in_force(
    form: str, files: dict[str, str], old: str, status: str | None, current: str
) -> None:
    documents = _resolve(files)
    if status is not None:
        assert documents[old].status == status
    assert documents[old].superseded_by == (current,)
    assert [d.source for d in current_for(old, documents)] == [current]
    assert current_for(current, documents) == []


@pytest.mark.parametrize(
    ("front", "status", "shown"),
    [
        ("status: on hold", "proposed", "on hold (proposed)"),
        ("status: Pending", "proposed", "pending (proposed)"),
        ("layout: withdrawn", "rejected", "withdrawn (rejected)"),
        ("layout: standard-page\nstate: archived", "deprecated", "archived (deprecated)"),
        ("status: accepted", "accepted", "accepted"),
    ],
)
def test_status_from_front_matter_fields_keeps_the_authors_word(front: str, status: str, shown: str) -> None:
    documents = _resolve({f"{MADR}/0003-tooling.md": madr("Own tooling", front)})
    doc = documents[f"{MADR}/0003-tooling.md"]
    assert doc.status == status
    assert status_word(doc) == shown


def test_a_layout_that_is_not_a_status_word_is_no_status() -> None:
    documents = _resolve(
        {"guides/source/page.md": "---\nlayout: core\ntitle: A guide\n---\n\n# A guide\n\nText.\n"}
    )
    assert documents["guides/source/page.md"].status is None


@pytest.mark.parametrize(
    "line",
    [
        "![status](https://img.shields.io/badge/status-deprecated-red)",
        "Status: Deprecated",
        "🗑️ Deprecated",
    ],
)
def test_badges_lines_and_emoji_mark_a_deprecated_record(line: str) -> None:
    text = f"# 7. Use FTP\n\n{line}\n\n## Context\n\nWhy.\n"
    documents = _resolve({f"{NYGARD}/0007-ftp.md": text})
    assert documents[f"{NYGARD}/0007-ftp.md"].status == "deprecated"


def test_a_link_in_an_accepted_status_is_not_a_successor() -> None:
    documents = _resolve(
        {
            f"{NYGARD}/0008-cache.md": nygard(
                8, "Use a cache", "Accepted, see [the runbook](0009-runbook.md)"
            ),
            f"{NYGARD}/0009-runbook.md": nygard(9, "Runbook", "Accepted"),
        }
    )
    assert documents[f"{NYGARD}/0008-cache.md"].superseded_by == ()
    assert documents[f"{NYGARD}/0008-cache.md"].status == "accepted"


def test_a_superseded_status_that_names_what_it_supersedes_keeps_the_direction() -> None:
    documents = _resolve(
        {
            f"{NYGARD}/0012-new.md": nygard(12, "New way", "Accepted. Supersedes [ADR 3](0003-old.md)"),
            f"{NYGARD}/0003-old.md": nygard(3, "Old way", "Superseded"),
        }
    )
    assert documents[f"{NYGARD}/0012-new.md"].supersedes == (f"{NYGARD}/0003-old.md",)
    assert documents[f"{NYGARD}/0012-new.md"].superseded_by == ()


def test_a_status_that_only_adds_a_relation_is_shown_as_the_status() -> None:
    documents = _resolve(
        {
            f"{NYGARD}/0001-sites.md": nygard(1, "Sites", "Superseded by [the revisit](0007-missing.md)"),
        }
    )
    assert status_word(documents[f"{NYGARD}/0001-sites.md"]) == "superseded"
