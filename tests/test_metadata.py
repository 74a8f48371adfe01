"""Metadata from every ADR style we meet in the wild, plus kinds, dates and supersession refs."""

from __future__ import annotations

import datetime as dt

import pytest

from archbot.ingest.loaders import LoadedFile, format_of
from archbot.ingest.metadata import Parsed, parse_document
from archbot.ingest.metadata.dates import iso_date
from archbot.ingest.metadata.status import normalise_status
from archbot.ingest.metadata.titles import split_title_number


def parse(source: str, text: str) -> Parsed:
    return parse_document(LoadedFile(source, text, "hash", format_of(source)))


NYGARD = """\
# 4. DNS definitions for hosts and services

Date: 2017-07-14

## Status

Superseded by [DNS Infrastructure](0015-dns-infrastructure.md)

## Context

We need Icinga to reach hosts.

## Decision

Each stack will have an internal zone.
"""


def test_nygard_adr() -> None:
    parsed = parse("docs/architecture/decisions/0004-dns-definitions.md", NYGARD)
    doc = parsed.document
    assert (doc.title, doc.number, doc.kind) == ("DNS definitions for hosts and services", 4, "adr")
    assert (doc.status, doc.status_raw) == ("superseded", "Superseded by DNS Infrastructure")
    assert doc.date == "2017-07-14"
    assert parsed.superseded_by_refs == ("0015-dns-infrastructure.md",)
    assert parsed.supersedes_refs == ()
    assert doc.supersedes == doc.superseded_by == ()  # resolved later, in ingest.links
    assert parsed.problems == ()


MADR = """\
---
status: accepted
date: 2023-05-02
decision-makers: [Ann Lee, Bo Chan]
tags: messaging, events
supersedes: ["0007-use-rabbitmq.md", "ADR-0003"]
visibility: Security-Team
url: https://adr.example.com/0012
---
# Use Kafka for domain events

## Context and Problem Statement

We need durable events.

## Considered Options

* Kafka
* RabbitMQ

## Decision Outcome

Chosen option: "Kafka", because it keeps history.
"""


def test_madr_front_matter() -> None:
    parsed = parse("adr/0012-use-kafka.md", MADR)
    doc = parsed.document
    assert (doc.title, doc.number, doc.kind) == ("Use Kafka for domain events", 12, "adr")
    assert (doc.status, doc.status_raw, doc.date) == ("accepted", "accepted", "2023-05-02")
    assert doc.deciders == ("Ann Lee", "Bo Chan")
    assert doc.tags == ("messaging", "events")
    assert doc.visibility == "security-team"
    assert doc.url == "https://adr.example.com/0012"
    assert parsed.supersedes_refs == ("0007-use-rabbitmq.md", "ADR 3")
    assert not doc.text.startswith("---") and "status: accepted" not in doc.text


def test_madr_without_status_is_taken_as_decided_and_says_so() -> None:
    parsed = parse(
        "docs/decisions/0005-use-dashes.md", "---\nparent: Decisions\n---\n" + MADR.split("---\n", 2)[2]
    )
    assert (parsed.document.status, parsed.document.status_raw) == ("accepted", None)
    assert any("no status written" in p for p in parsed.problems)


LOG4BRAINS = """\
# Use the ADR number as its unique ID

- Status: superseded by [20201016-use-the-slug-as-id](20201016-use-the-slug-as-id.md)
- Deciders: Thomas Vaillant, Jane Roe
- Date: 2020-09-26
- Tags: id, naming

## Context and Problem Statement

We need to identify ADRs.

## Decision Outcome

Chosen option: "ADR number".
"""


def test_log4brains_bullets_and_date_prefixed_filename() -> None:
    parsed = parse("docs/adr/20200926-use-the-adr-number-as-its-unique-id.md", LOG4BRAINS)
    doc = parsed.document
    assert doc.number is None
    assert (doc.status, doc.date) == ("superseded", "2020-09-26")
    assert doc.status_raw == "superseded by 20201016-use-the-slug-as-id"
    assert doc.deciders == ("Thomas Vaillant", "Jane Roe")
    assert doc.tags == ("id", "naming")
    assert parsed.superseded_by_refs == ("20201016-use-the-slug-as-id.md",)


def test_date_comes_from_a_log4brains_filename_when_no_date_line() -> None:
    doc = parse(
        "docs/adr/20201103-use-lunr.md", "# Use Lunr\n\n- Status: accepted\n\n## Decision\n\nLunr.\n"
    ).document
    assert (doc.date, doc.number, doc.kind) == ("2020-11-03", None, "adr")


STATUS_AT_END = """\
# React Context API

## Context

Props are drilled everywhere.

## Decision

Avoid context for now.

## Status

Superseded by 028-react-context-api.md
"""


def test_status_section_at_the_end_and_bare_filename_ref() -> None:
    parsed = parse("dotcom-rendering/docs/architecture/historic-adrs/016-react-context-api.md", STATUS_AT_END)
    assert parsed.document.kind == "adr"
    assert parsed.document.number == 16
    assert parsed.document.status == "superseded"
    assert parsed.superseded_by_refs == ("028-react-context-api.md",)


def test_status_heading_with_a_non_breaking_space() -> None:
    text = "# AMP Removal\n\n## Context\n\nAMP is slow.\n\n##\u00a0Status\n\nApproved\n"
    doc = parse("docs/architecture/030-amp-removal.md", text).document
    assert (doc.kind, doc.status, doc.status_raw) == ("adr", "accepted", "Approved")


@pytest.mark.parametrize(
    ("block", "status", "raw"),
    [
        ("## Status\n\n✅ Accepted", "accepted", "✅ Accepted"),
        ("![status](https://img.shields.io/badge/status-accepted-green)", "accepted", "accepted"),
        ("[![Status: deprecated](https://example.com/b.svg)](x)", "deprecated", "deprecated"),
        ("| Status | Date |\n|---|---|\n| Rejected | 2021-01-01 |", "rejected", "Rejected"),
        ("| **Status** | Proposed |\n|---|---|", "proposed", "Proposed"),
        ("## Status: Proposed", "proposed", "Proposed"),
        ("**Status:** Draft", "proposed", "Draft"),
        ("* Status: Partly superseded", "superseded", "Partly superseded"),
    ],
)
def test_status_styles(block: str, status: str, raw: str) -> None:
    text = f"# Use a thing\n\n{block}\n\n## Context\n\nWhy.\n\n## Decision\n\nWe will.\n"
    doc = parse("decisions/0001-use-a-thing.md", text).document
    assert (doc.status, doc.status_raw) == (status, raw)


def test_status_in_a_code_block_or_example_is_not_the_status() -> None:
    text = "# Add Status\n\n## Context\n\n```markdown\nStatus: accepted\n```\n\n## Decision\n\nWe will.\n"
    doc = parse("decisions/0008-add-status.md", text).document
    assert doc.status is None and doc.status_raw is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Accepted", "accepted"),
        ("Approved/Merged", "accepted"),
        ("Complete", "accepted"),
        ("Adopted", "accepted"),
        ("Pending", "proposed"),
        ("In progress", "proposed"),
        ("on hold", "proposed"),
        ("RFC", "proposed"),
        ("Declined", "rejected"),
        ("Withdrawn", "rejected"),
        ("Deprecated (no superseding ADR)", "deprecated"),
        ("No longer relevant", "deprecated"),
        ("Partly superseded", "superseded"),
        ("Replaced by ADR 9", "superseded"),
        ("Amended by 17. Terraform Data Structure", "superseded"),
        ("Accepted, superseded by ADR 5", "superseded"),
        ("Proposed → Accepted", "accepted"),
        ("Banana", None),
    ],
)
def test_normalise_status(raw: str, expected: str | None) -> None:
    assert normalise_status(raw) == expected


def test_unrecognised_status_is_kept_raw_and_reported() -> None:
    parsed = parse("adr/0001-x.md", "# X\n\n## Status\n\nBanana\n\n## Context\n\nC\n")
    assert (parsed.document.status, parsed.document.status_raw) == (None, "Banana")
    assert parsed.problems == ("unrecognised status 'Banana'",)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("7. Use Kafka", ("Use Kafka", 7)),
        ("ADR-007: Use Kafka", ("Use Kafka", 7)),
        ("ADR 12 - Pick a cloud", ("Pick a cloud", 12)),
        ("0016) Ship it", ("Ship it", 16)),
        ("10 things we learned", ("10 things we learned", None)),
        ("2FA for admins", ("2FA for admins", None)),
    ],
)
def test_title_number_prefixes(title: str, expected: tuple[str, int | None]) -> None:
    assert split_title_number(title) == expected


def test_number_from_title_when_the_filename_has_none() -> None:
    doc = parse(
        "adr/use-kafka.md", "# ADR-0021: Use Kafka\n\n## Status\n\nAccepted\n\n## Decision\n\nK.\n"
    ).document
    assert (doc.number, doc.title) == (21, "Use Kafka")


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("# 9. use-sidekiq-and-redis-for-asynchronous-tasks", "Use sidekiq and redis for asynchronous tasks"),
        ("# 11. use-auth0", "use-auth0"),  # two words could be a name
        ("# 4. Use x-ray-style tracing", "Use x-ray-style tracing"),
    ],
)
def test_a_heading_that_is_a_file_slug_reads_as_words(heading: str, title: str) -> None:
    doc = parse("adr/0009-x.md", f"{heading}\n\n## Status\n\nAccepted\n\n## Decision\n\nK.\n").document
    assert doc.title == title


def test_filename_number_disagreeing_with_title_is_reported() -> None:
    parsed = parse(
        "decisions/0033-ip-ranges.md", "# 3. Networking Outline\n\n## Status\n\nPending\n\n## Context\n\nC\n"
    )
    assert parsed.document.number == 33
    assert parsed.problems == ("title says number 3 but the file name says 33",)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-01-01", "2018-01-01"),
        ("2018/1/5", "2018-01-05"),
        ("17/08/2020", "2020-08-17"),
        ("08/17/2020", "2020-08-17"),
        ("16 August 2021", "2021-08-16"),
        ("Aug 3rd, 2021", "2021-08-03"),
        ("March 2019", "2019-03"),
        ("2019-03", "2019-03"),
        (dt.date(2020, 2, 29), "2020-02-29"),
        ("{YYYY-MM-DD when decided}", None),
        ("2019-13-45", None),
    ],
)
def test_iso_date(value: object, expected: str | None) -> None:
    assert iso_date(value) == expected


def test_unparseable_date_is_reported() -> None:
    parsed = parse("adr/0001-x.md", "# X\n\nDate: someday\n\n## Status\n\nAccepted\n\n## Context\n\nC\n")
    assert parsed.document.date is None
    assert parsed.problems == ("date 'someday' is not a recognisable date",)


ERB = """\
---
title: How to store and query logs
last_reviewed_on: 2024-10-21
---

# <%= current_page.data.title %>

<% content_for :sidebar do %>
<ul><li>nav</li></ul>
<% end %>

Use Splunk. <%= warning_text('Do not log secrets') %>
<%= partial 'partials/site-banner' %>
"""


def test_middleman_erb_page() -> None:
    doc = parse("gds-way/source/standards/logging.html.md.erb", ERB).document
    assert doc.title == "How to store and query logs"
    assert doc.kind == "standard"
    assert "<%" not in doc.text and "nav" not in doc.text
    assert doc.text.startswith("# How to store and query logs")
    assert "Use Splunk. Do not log secrets" in doc.text


def test_plain_text_file() -> None:
    doc = parse("notes/0003-meeting_notes.txt", "We met.\n\n# not a heading in text\n").document
    assert (doc.title, doc.kind, doc.number, doc.status) == ("Meeting notes", "other", 3, None)
    assert doc.text == "We met.\n\n# not a heading in text\n"


def test_broken_front_matter_does_not_crash_and_keeps_the_text() -> None:
    text = "---\ntitle: [unclosed\nstatus: accepted\n---\n# Real title\n\nBody.\n"
    parsed = parse("docs/broken.md", text)
    assert parsed.document.title == "Real title"
    assert "title: [unclosed" in parsed.document.text
    (problem,) = parsed.problems
    assert problem.startswith("broken front matter: ") and problem.endswith("; read as plain text")


def test_a_leading_thematic_break_is_not_front_matter() -> None:
    parsed = parse("docs/x.md", "---\n\nIntro paragraph.\n\n---\n\n# Title\n")
    assert parsed.problems == ()
    assert "Intro paragraph." in parsed.document.text


@pytest.mark.parametrize(
    ("sentence", "supersedes", "superseded_by"),
    [
        ("This replaces the decision in ADR 4.", ("ADR 4",), ()),
        (
            "This ADR in part supersedes [0003](0003-aws-networking-outline.md).",
            ("0003-aws-networking-outline.md",),
            (),
        ),
        ("It supersedes ADR-0007 and ADR 8.", ("ADR 7", "ADR 8"), ()),
        ("- Supersedes [RFC](../rfcs/0002-x.md#motivation)", ("../rfcs/0002-x.md#motivation",), ()),
        ("This was replaced by [the new approach](../x.md).", (), ("../x.md",)),
        ("Superseded by 28", (), ("28",)),
        (
            "**These ranges have been superseded by [ADR #0033](0033-ip-ranges.md).**",
            (),
            ("0033-ip-ranges.md",),
        ),
        (
            "Amended by [17. Terraform Data Structure](0017-terraform-data-structure.md)",
            (),
            ("0017-terraform-data-structure.md",),
        ),
        ("We replaced the cache with Redis last year.", (), ()),
        ("The cache was replaced by Redis, see [the post](https://blog.example.com/redis).", (), ()),
        ("The library will be replaced by serde eventually.", (), ()),
        ("Many badges (superseeded-by-ADR-0006) are needed.", (), ()),
    ],
)
def test_supersession_refs_in_prose(sentence: str, supersedes: tuple, superseded_by: tuple) -> None:
    parsed = parse("adr/0010-x.md", f"# X\n\n## Status\n\nAccepted\n\n## Context\n\n{sentence}\n")
    assert (parsed.supersedes_refs, parsed.superseded_by_refs) == (supersedes, superseded_by)


def test_supersession_in_code_is_ignored() -> None:
    parsed = parse("adr/0010-x.md", "# X\n\n```\nSuperseded by ADR 5\n```\n")
    assert parsed.superseded_by_refs == ()


@pytest.mark.parametrize("key", ["superseded_by", "superseded-by", "replaced_by"])
def test_front_matter_superseded_by_keys(key: str) -> None:
    parsed = parse("adr/0001-x.md", f"---\n{key}: '[new](0009-new.md)'\n---\n# X\n")
    assert parsed.superseded_by_refs == ("0009-new.md",)


@pytest.mark.parametrize(
    ("source", "text", "kind"),
    [
        ("api-guidelines/chapters/urls.adoc", "= URLs\n\nUse kebab-case.\n", "standard"),
        ("gds-way/source/standards/logging.html.md.erb", "# Logging\n\nLog.\n", "standard"),
        ("eng/principles/performance.md", "# Budgets\n\nBe fast.\n", "standard"),
        ("docs/contributing/code-style.md", "# Code style\n\nUse prettier.\n", "standard"),
        (
            "rust-lang__rfcs/text/2436-style-guide.md",
            "- Start Date: 2018-05-04\n\n## Summary\n\nS.\n",
            "design",
        ),
        ("team/proposals/new-queue.md", "# New queue\n\nIdea.\n", "design"),
        ("docs/adr/README.md", "# ADRs\n\n## Status\n\nAccepted\n\n## Context\n\nC\n", "other"),
        (
            "docs/adr/template.md",
            "# [short title]\n\n- Status: [draft | accepted]\n\n## Context\n\n[c]\n",
            "other",
        ),
        ("madr/template/0000-use-madr.md", MADR, "other"),
        ("docs/decisions/adr-template.md", MADR, "other"),
        ("docs/adr/dotenv.md", "# .env file\n\nHow to set it up.\n", "other"),
        ("docs/architecture/007-css-in-js.md", "# CSS\n\n## Context\n\nC\n\n## Status\n\nApproved\n", "adr"),
        ("docs/adr/rendering-type.md", "# Rendering\n\n## Status: Proposed\n\n## Context\n\nC\n", "adr"),
        ("docs/guide.md", "---\nkind: design\n---\n# Guide\n", "design"),
        ("docs/guide.md", "---\ntype: post\n---\n# Guide\n", "other"),
    ],
)
def test_kind(source: str, text: str, kind: str) -> None:
    assert parse(source, text).document.kind == kind


def test_templates_get_no_status_and_no_refs() -> None:
    text = "# [title]\n\n- Status: [draft | rejected | superseded by [xxx](yyyymmdd-xxx.md)]\n"
    parsed = parse("docs/adr/template.md", text)
    assert parsed.document.status is None
    assert parsed.superseded_by_refs == ()


def test_visibility_from_audience_and_default_public() -> None:
    assert parse("a.md", "---\naudience: restricted\n---\n# A\n").document.visibility == "restricted"
    assert parse("b.md", "# B\n").document.visibility == "public"
