"""Supersession resolved across documents, both directions, nearest number first; the lint report."""

from __future__ import annotations

from archbot.ingest.links import LintIssue, resolve_links
from archbot.ingest.loaders import LoadedFile, format_of
from archbot.ingest.metadata import Parsed, parse_document


def corpus(files: dict[str, str]) -> dict[str, Parsed]:
    return {s: parse_document(LoadedFile(s, text, "h", format_of(s))) for s, text in files.items()}


def adr(number: int, title: str, status: str, extra: str = "", date: str = "2020-01-01") -> str:
    return (
        f"# {number}. {title}\n\nDate: {date}\n\n## Status\n\n{status}\n\n## Context\n\n{extra or 'Why.'}\n"
    )


def problems(issues: list[LintIssue], source: str) -> list[str]:
    return [i.problem for i in issues if i.source == source]


def test_superseded_by_link_fills_both_sides_and_marks_the_old_record() -> None:
    docs, issues = resolve_links(
        corpus(
            {
                "adr/0004-dns.md": adr(
                    4, "DNS", "Superseded by [DNS Infrastructure](0015-dns-infrastructure.md)"
                ),
                "adr/0015-dns-infrastructure.md": adr(15, "DNS infrastructure", "Accepted"),
            }
        )
    )
    old, new = docs["adr/0004-dns.md"], docs["adr/0015-dns-infrastructure.md"]
    assert old.superseded_by == ("adr/0015-dns-infrastructure.md",)
    assert new.supersedes == ("adr/0004-dns.md",)
    assert (old.status, new.status) == ("superseded", "accepted")
    assert problems(issues, "adr/0015-dns-infrastructure.md") == [
        "one-way link (informational): 'adr/0004-dns.md' says it is superseded by this document, "
        "but this document does not say it supersedes it"
    ]


def test_supersedes_in_prose_of_the_new_record_updates_the_old_one() -> None:
    docs, issues = resolve_links(
        corpus(
            {
                "adr/0003-networking.md": adr(3, "Networking", "Partly superseded"),
                "adr/0033-ip-ranges.md": adr(
                    33, "IP ranges", "Pending", "This ADR in part supersedes ADR 3."
                ),
            }
        )
    )
    old = docs["adr/0003-networking.md"]
    assert old.superseded_by == ("adr/0033-ip-ranges.md",)
    assert (old.status, old.status_raw) == ("superseded", "Partly superseded")
    assert docs["adr/0033-ip-ranges.md"].status == "proposed"
    assert any("one-way link" in p for p in problems(issues, "adr/0003-networking.md"))


def test_a_draft_that_would_replace_a_record_in_force_leaves_it_standing() -> None:
    docs, _ = resolve_links(
        corpus(
            {
                "standards/scs-0102-v1-image-metadata.md": adr(102, "Image metadata", "Stable"),
                "standards/scs-0102-v2-image-metadata.md": adr(
                    102, "Image metadata v2", "Draft", "Replaces [v1](scs-0102-v1-image-metadata.md)."
                ),
                "adr/0003-networking.md": adr(3, "Networking", "Accepted"),
                "adr/0033-ip-ranges.md": adr(33, "IP ranges", "Proposed", "This ADR supersedes ADR 3."),
            }
        )
    )
    for old, new in (
        ("standards/scs-0102-v1-image-metadata.md", "standards/scs-0102-v2-image-metadata.md"),
        ("adr/0003-networking.md", "adr/0033-ip-ranges.md"),
    ):
        assert (docs[old].status, docs[old].superseded_by) == ("accepted", ())
        assert (docs[new].status, docs[new].supersedes) == ("proposed", (old,))


def test_both_sides_stated_is_not_reported_and_not_duplicated() -> None:
    docs, issues = resolve_links(
        corpus(
            {
                "docs/adr/20200926-use-number.md": "# Use number\n\n- Status: superseded by "
                "[20201016-use-slug](20201016-use-slug.md)\n- Date: 2020-09-26\n",
                "docs/adr/20201016-use-slug.md": "# Use slug\n\n- Status: accepted\n- Date: 2020-10-16\n\n"
                "## Links\n\n- Supersedes [20200926-use-number](20200926-use-number.md#context)\n",
            }
        )
    )
    assert docs["docs/adr/20201016-use-slug.md"].supersedes == ("docs/adr/20200926-use-number.md",)
    assert docs["docs/adr/20200926-use-number.md"].superseded_by == ("docs/adr/20201016-use-slug.md",)
    assert issues == []


def test_deprecated_stays_deprecated_when_superseded() -> None:
    docs, _ = resolve_links(
        corpus(
            {
                "adr/0001-a.md": adr(1, "A", "Deprecated", "Superseded by ADR 2."),
                "adr/0002-b.md": adr(2, "B", "Accepted"),
            }
        )
    )
    assert docs["adr/0001-a.md"].status == "deprecated"
    assert docs["adr/0001-a.md"].superseded_by == ("adr/0002-b.md",)


def test_same_number_in_different_folders_resolves_to_the_nearest() -> None:
    docs, issues = resolve_links(
        corpus(
            {
                "repo-a/adr/0003-queue.md": adr(3, "Queue", "Accepted"),
                "repo-a/adr/0009-new-queue.md": adr(9, "New queue", "Accepted", "This supersedes ADR-0003."),
                "repo-b/adr/0003-other.md": adr(3, "Other", "Accepted"),
            }
        )
    )
    assert docs["repo-a/adr/0009-new-queue.md"].supersedes == ("repo-a/adr/0003-queue.md",)
    assert docs["repo-b/adr/0003-other.md"].superseded_by == ()
    assert docs["repo-b/adr/0003-other.md"].status == "accepted"
    assert not any("matches no document" in i.problem for i in issues)


def test_number_shared_by_unrelated_folders_is_not_guessed() -> None:
    _, issues = resolve_links(
        corpus(
            {
                "notes.md": "# Notes\n\nThe old thing was superseded by ADR 3.\n",
                "repo-a/adr/0003-x.md": adr(3, "X", "Accepted"),
                "repo-b/adr/0003-y.md": adr(3, "Y", "Accepted"),
            }
        )
    )
    assert problems(issues, "notes.md") == ["is superseded by 'ADR 3' which matches no document"]


def test_relative_link_with_parent_folder_and_anchor() -> None:
    docs, _ = resolve_links(
        corpus(
            {
                "docs/historic/016-context.md": adr(
                    16, "Context", "Superseded by [new](../028-context.md#decision)"
                ),
                "docs/028-context.md": adr(28, "Context", "Approved"),
            }
        )
    )
    assert docs["docs/028-context.md"].supersedes == ("docs/historic/016-context.md",)


def test_bare_filename_in_another_folder_resolves() -> None:
    docs, _ = resolve_links(
        corpus(
            {
                "docs/historic-adrs/016-context.md": adr(16, "Context", "Superseded by 028-context.md"),
                "docs/028-context.md": adr(28, "Context", "Approved"),
            }
        )
    )
    assert docs["docs/historic-adrs/016-context.md"].superseded_by == ("docs/028-context.md",)


def test_unresolved_refs_are_reported() -> None:
    _, issues = resolve_links(corpus({"adr/0001-a.md": adr(1, "A", "Accepted", "This supersedes ADR 9.")}))
    assert problems(issues, "adr/0001-a.md") == ["supersedes 'ADR 9' which matches no document"]


def test_adr_hygiene_issues() -> None:
    _, issues = resolve_links(
        corpus(
            {
                "adr/0001-a.md": "# 1. A\n\n## Context\n\nC\n\n## Decision\n\nD\n",
                "adr/0002-b.md": adr(2, "B", "Accepted"),
                "adr/0002-c.md": adr(2, "C", "Banana"),
                "other/0002-d.md": adr(2, "D", "Accepted"),
            }
        )
    )
    assert problems(issues, "adr/0001-a.md") == ["ADR without status", "ADR without date"]
    assert problems(issues, "adr/0002-c.md") == [
        "ADR without status (status 'Banana' is not recognised)",
        "duplicate ADR number 2 in this folder: 0002-b.md, 0002-c.md",
    ]
    assert problems(issues, "other/0002-d.md") == []


def test_contradictory_supersession_is_reported() -> None:
    _, issues = resolve_links(
        corpus(
            {
                "adr/0001-a.md": adr(1, "A", "Accepted", "This supersedes ADR 2."),
                "adr/0002-b.md": adr(2, "B", "Accepted", "This supersedes ADR 1."),
            }
        )
    )
    assert "this document and 'adr/0002-b.md' each claim to supersede the other" in problems(
        issues, "adr/0001-a.md"
    )


def test_returns_new_documents_and_leaves_input_untouched() -> None:
    parsed = corpus(
        {"adr/0001-a.md": adr(1, "A", "Superseded by ADR 2"), "adr/0002-b.md": adr(2, "B", "Accepted")}
    )
    docs, _ = resolve_links(parsed)
    assert parsed["adr/0001-a.md"].document.superseded_by == ()
    assert docs["adr/0001-a.md"].superseded_by == ("adr/0002-b.md",)
    assert set(docs) == set(parsed)
