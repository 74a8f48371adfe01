"""The parsing half of ingest over ../shared/corpora/dev: real ADRs from ten organisations."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from archbot.ingest.chunking import chunk_document
from archbot.ingest.formats import Converter, Limits, load_document
from archbot.ingest.links import LintIssue, resolve_links
from archbot.ingest.loaders import SkipRecord, discover
from archbot.ingest.metadata import Parsed, parse_document
from archbot.kernel.settings import Settings
from archbot.kernel.types import STATUSES, Document

pytestmark = pytest.mark.integration

GOVUK_AWS = "alphagov__govuk-aws/docs/architecture/decisions/"
DCR = "guardian__dotcom-rendering/dotcom-rendering/docs/architecture/"
LOG4BRAINS = "thomvaill__log4brains/docs/adr/"

# ADRs whose status is truly absent from the file, so None is the right answer (and a lint issue).
NO_STATUS_WRITTEN = {
    DCR + "018-react-hooks.md",  # "## Status" followed only by "..."
    DCR + "029-scaling-policy-decision-record.md",  # Context and Decision, no status at all
}
# Status questions whose answer is not a stated supersession: ADR 30 removes AMP without naming ADR 11.
NOT_A_STATED_SUPERSESSION = {"dev-006"}


@pytest.fixture(scope="module")
def parsed(dev_corpus: Path) -> dict[str, Parsed]:
    found = {}
    limits = Limits.from_settings(Settings())
    with Converter(limits) as converter:
        for item in discover(dev_corpus):
            assert not isinstance(item, SkipRecord), item
            path, source = item
            found[source] = parse_document(load_document(path, source, limits, converter))
    return found


@pytest.fixture(scope="module")
def resolved(parsed: dict[str, Parsed]) -> tuple[dict[str, Document], list[LintIssue]]:
    return resolve_links(parsed)


@pytest.fixture(scope="module")
def docs(resolved: tuple[dict[str, Document], list[LintIssue]]) -> dict[str, Document]:
    return resolved[0]


def test_every_adr_has_a_normalised_status(docs: dict[str, Document]) -> None:
    adrs = {s: d for s, d in docs.items() if d.kind == "adr"}
    missing = sorted(s for s, d in adrs.items() if d.status is None)
    for source in missing:
        print("ADR without status:", source, repr(adrs[source].status_raw))
    assert set(missing) == NO_STATUS_WRITTEN
    assert all(d.status in STATUSES for s, d in adrs.items() if s not in NO_STATUS_WRITTEN)


def test_kinds_are_sensible(docs: dict[str, Document]) -> None:
    by_kind = Counter(d.kind for d in docs.values())
    print("documents by kind:", dict(by_kind))
    print("ADRs by status:", dict(Counter(d.status for d in docs.values() if d.kind == "adr")))

    def kinds(prefix: str) -> set[str]:
        return {d.kind for s, d in docs.items() if s.startswith(prefix)}

    assert kinds("zalando__restful-api-guidelines/") == {"standard"}
    assert kinds("rust-lang__rfcs/") == {"design"}
    assert kinds("alphagov__gds-way/source/standards/") == {"standard"}
    assert kinds("google__eng-practices/review/") == {"standard"}
    assert kinds("adr__madr/template/") == {"other"}
    assert kinds(GOVUK_AWS) == {"adr"}
    assert kinds("LBHackney-IT__report-a-defect/") == {"adr"}
    in_adr_folders = r"(?i)/(adr|decisions|template)/(readme|index|[^/]*template[^/]*)\.md$"
    not_records = [s for s in docs if re.search(in_adr_folders, s)]
    assert len(not_records) >= 6 and all(docs[s].kind == "other" for s in not_records)
    assert docs[DCR + "historic-adrs/dotenv.md"].kind == "other"


def test_titles_numbers_and_dates(docs: dict[str, Document]) -> None:
    nygard = docs[GOVUK_AWS + "0015-dns-infrastructure.md"]
    assert (nygard.title, nygard.number, nygard.date) == ("DNS infrastructure", 15, "2018-03-06")
    log4brains = docs[LOG4BRAINS + "20201016-use-the-adr-slug-as-its-unique-id.md"]
    assert (log4brains.number, log4brains.date) == (None, "2020-10-16")
    erb = docs["alphagov__gds-way/source/standards/logging.html.md.erb"]
    assert erb.title == "How to store and query logs" and "<%" not in erb.text
    adoc = docs["zalando__restful-api-guidelines/chapters/general-guidelines.adoc"]
    assert adoc.title == "General guidelines"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (GOVUK_AWS + "0003-aws-networking-outline.md", GOVUK_AWS + "0033-ip-ranges.md"),
        (
            GOVUK_AWS + "0004-dns-definitions-for-hosts-and-services.md",
            GOVUK_AWS + "0015-dns-infrastructure.md",
        ),
        (
            LOG4BRAINS + "20200926-use-the-adr-number-as-its-unique-id.md",
            LOG4BRAINS + "20201016-use-the-adr-slug-as-its-unique-id.md",
        ),
        (DCR + "historic-adrs/016-react-context-api.md", DCR + "028-react-context-api.md"),
    ],
)
def test_known_supersessions_resolve_both_ways(docs: dict[str, Document], old: str, new: str) -> None:
    assert new in docs[old].superseded_by
    assert old in docs[new].supersedes
    assert docs[old].status == "superseded"


def test_status_questions_supersessions_resolve(docs: dict[str, Document], dev_questions: Path) -> None:
    items = [json.loads(line) for line in dev_questions.read_text().splitlines() if line.strip()]
    checked = 0
    for item in items:
        if item["kind"] != "status" or item["id"] in NOT_A_STATED_SUPERSESSION:
            continue
        current = item["current"]
        for old in (s for s in item["relevant"] if s != current):
            assert current in docs[old].superseded_by, (item["id"], old)
            assert old in docs[current].supersedes, (item["id"], current)
            checked += 1
    assert checked >= 4


def test_deprecated_without_successor(docs: dict[str, Document]) -> None:
    doc = docs[
        "alphagov__govuk-infrastructure/docs/architecture/decisions/"
        "0007-use-fluentbit-elasticsearch-and-kibana-for-application-logs.md"
    ]
    assert (doc.status, doc.status_raw) == ("deprecated", "Deprecated (no superseding ADR)")
    assert doc.superseded_by == ()


def test_partial_supersession_keeps_what_was_written(docs: dict[str, Document]) -> None:
    old, new = docs[GOVUK_AWS + "0003-aws-networking-outline.md"], docs[GOVUK_AWS + "0033-ip-ranges.md"]
    assert (old.status, old.status_raw) == ("superseded", "Partly superseded")
    assert (new.status, new.status_raw) == ("proposed", "Pending")


def test_lint_reports_no_false_supersession_refs(
    resolved: tuple[dict[str, Document], list[LintIssue]],
) -> None:
    unresolved = sorted((i.source, i.problem) for i in resolved[1] if "matches no document" in i.problem)
    for issue in unresolved:
        print("unresolved:", *issue)
    assert {source for source, _ in unresolved} <= {
        "SOURCES.md",  # mentions "superseded by 028" when describing the corpus
        DCR + "historic-adrs/multiple-sites.md",  # links 007-multiple-sites-revisited.md, not in the snapshot
        "rust-lang__rfcs/text/0505-api-comment-conventions.md",  # amended by RFC 1574, not in the snapshot
    }


def test_every_document_chunks_within_limits_without_bare_headings(
    parsed: dict[str, Parsed], docs: dict[str, Document]
) -> None:
    heading_lines = re.compile(r"(?m)^(#{1,6}|={1,6}) .*$|^\[[^\n]*\]\s*$")
    for source, doc in docs.items():
        pieces = chunk_document(doc, parsed[source].fmt, 1000)
        assert pieces, source
        for section, text in pieces:
            assert 0 < len(text) <= 1000, (source, section)
            assert heading_lines.sub("", text).strip() or len(pieces) == 1, (source, section)
