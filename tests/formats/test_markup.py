"""AsciiDoc and reStructuredText through pandoc into the one document model: fields from their own
forms (a metadata table, attributes, a field list), sections, chunks, and nothing read from outside."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from archbot.bot.cli import main
from archbot.ingest.chunking import chunk_document
from archbot.ingest.formats import Converter, Limits, load_document
from archbot.ingest.loaders import LoadedFile
from archbot.ingest.metadata import parse_document
from archbot.ingest.pipeline import ingest_paths
from archbot.kernel.doctree import parse_markdown
from archbot.kernel.settings import Settings
from tests.minicorpus import write_file

LIMITS = Limits.from_settings(Settings())
ENV = {"ARCHBOT_EMBEDDER": "hash"}

# One decision, superseded by decision 20, written the way three organisations write it.
ADOC_TABLE = """\
= RFC-0012: Queue jobs in the database

[cols="1,3"]
|===
|Status
|Superseded

|Date
|2019-04-02

|Superseded by
|xref:0020-use-a-managed-queue.adoc[RFC-0020]
|===

== Context

Jobs were lost when the worker restarted.

== Decision

We queue jobs in a table of the main database.
"""

RST_FIELDS = """\
=====================================
NEP 12 — Queue jobs in the database
=====================================

:Author: Ana Ortiz
:Status: Superseded
:Created: 2019-04-02
:Superseded-By: :doc:`0020-use-a-managed-queue`

Context
-------

Jobs were lost when the worker restarted.

Decision
--------

We queue jobs in a table of the main database.
"""

MD_FRONT_MATTER = """\
---
status: superseded
date: 2019-04-02
superseded_by: 0020-use-a-managed-queue.md
---
# 12. Queue jobs in the database

## Context

Jobs were lost when the worker restarted.

## Decision

We queue jobs in a table of the main database.
"""

SUCCESSOR = {
    "adoc": "= RFC-0020: Use a managed queue\n:status: accepted\n\n== Decision\n\nWe use the queue.\n",
    "rst": "Use a managed queue\n===================\n\n:Status: Accepted\n\nWe use the managed queue.\n",
    "md": "# 20. Use a managed queue\n\nStatus: Accepted\n\nWe use the managed queue.\n",
}


@pytest.fixture(scope="module")
def converter() -> Iterator[Converter]:
    with Converter(LIMITS) as running:
        yield running


@pytest.mark.parametrize(
    ("suffix", "text"), [("adoc", ADOC_TABLE), ("rst", RST_FIELDS), ("md", MD_FRONT_MATTER)]
)
def test_a_table_a_field_list_and_front_matter_give_the_same_lifecycle(
    suffix: str, text: str, settings: Settings, tmp_path: Path
) -> None:
    root = tmp_path / "decisions"
    write_file(root / f"0012-queue-jobs-in-the-database.{suffix}", text)
    write_file(root / f"0020-use-a-managed-queue.{suffix}", SUCCESSOR[suffix])
    report = ingest_paths(settings, [root])
    assert not report.skipped

    result = CliRunner().invoke(main, ["docs", "--json"], env=ENV)

    assert result.exit_code == 0, result.output
    docs = {d["source"]: d for d in json.loads(result.output)["documents"]}
    old, new = f"0012-queue-jobs-in-the-database.{suffix}", f"0020-use-a-managed-queue.{suffix}"
    assert (docs[old]["status"], docs[old]["date"], docs[old]["number"]) == ("superseded", "2019-04-02", "12")
    assert docs[old]["status_raw"].lower() == "superseded"
    assert docs[old]["superseded_by"] == [new]
    assert docs[new]["status"] == "accepted"
    assert docs[new]["supersedes"] == [old]


def test_docs_filters_by_prefix_and_status(settings: Settings, tmp_path: Path) -> None:
    root = tmp_path / "kb"
    write_file(root / "a/0012-queue-jobs-in-the-database.adoc", ADOC_TABLE)
    write_file(root / "a/0020-use-a-managed-queue.adoc", SUCCESSOR["adoc"])
    write_file(root / "b/0001-other.md", "# 1. Other\n\nStatus: Proposed\n\nText.\n")
    ingest_paths(settings, [root])

    proposed = CliRunner().invoke(main, ["docs", "--status", "proposed", "--json"], env=ENV)
    under_a = CliRunner().invoke(main, ["docs", "a/", "--json"], env=ENV)

    assert [d["source"] for d in json.loads(proposed.output)["documents"]] == ["b/0001-other.md"]
    assert [d["source"] for d in json.loads(under_a.output)["documents"]] == [
        "a/0012-queue-jobs-in-the-database.adoc",
        "a/0020-use-a-managed-queue.adoc",
    ]


def test_docs_before_any_ingest_says_what_to_do() -> None:
    result = CliRunner().invoke(main, ["docs"], env=ENV)
    assert result.exit_code != 0 and "archbot ingest" in result.output


def test_asciidoc_is_one_tree_of_sections_tables_items_and_code(tmp_path: Path, converter: Converter) -> None:
    text = (
        ADOC_TABLE
        + "\nNOTE: Retries are the caller's.\n\nTerm:: its definition\n\n"
        + "[source,sql]\n----\n= not a heading\nSELECT 1;\n----\n\n[#101]\n== {MUST} keep jobs idempotent\n"
    )
    loaded = load_document(write_file(tmp_path / "0012-q.adoc", text), "0012-q.adoc", LIMITS, converter)
    tree = parse_markdown(parse_document(loaded).document.text)

    assert [(s.level, s.title) for s in tree.sections] == [
        (1, "RFC-0012: Queue jobs in the database"),
        (2, "Context"),
        (2, "Decision"),
        (2, "{MUST} keep jobs idempotent (#101)"),
    ]
    kinds = [b.kind for b in tree.blocks()]
    assert kinds.count("table") == 1 and kinds.count("code") == 1
    table = next(b for b in tree.blocks() if b.kind == "table")
    assert table.rows[0] == ("Status", "Superseded")
    assert any(b.kind == "item" and b.text.startswith("**Term**:") for b in tree.blocks())
    assert any(b.quoted and "Retries" in b.text for b in tree.blocks())
    assert "= not a heading" in next(b.text for b in tree.blocks() if b.kind == "code")


def test_asciidoc_title_and_rules_make_a_standard(tmp_path: Path, converter: Converter) -> None:
    text = (
        "[[general-guidelines]]\n= General guidelines\n\n[#100]\n== {MUST} follow API first principle\n\n"
        "----\n= not a heading inside a listing block\n----\n\n== {SHOULD} provide API user manual\n\n"
        "== {MUST} write APIs using U.S. English\n"
    )
    loaded = load_document(write_file(tmp_path / "general.adoc", text), "api/general.adoc", LIMITS, converter)
    doc = parse_document(loaded).document
    assert (doc.title, doc.kind, doc.status) == ("General guidelines", "standard", None)


def test_asciidoc_chunks_are_its_sections(tmp_path: Path, converter: Converter) -> None:
    text = "= Guidelines\n\nIntro.\n\n[#100]\n== {MUST} use OpenAPI\n\n" + "Rule text. " * 30 + "\n"
    loaded = load_document(write_file(tmp_path / "general.adoc", text), "api/general.adoc", LIMITS, converter)
    parsed = parse_document(loaded)
    result = chunk_document(parsed.document, parsed.fmt, 300)
    assert result[0] == ("", "# Guidelines\n\nIntro.")
    assert {section for section, _ in result[1:]} == {"{MUST} use OpenAPI (#100)"}
    assert all(len(t) <= 300 for _, t in result)


def test_rst_sections_field_list_list_table_and_grid_table(tmp_path: Path, converter: Converter) -> None:
    text = RST_FIELDS + (
        "\n.. list-table::\n   :header-rows: 1\n\n"
        "   * - Option\n     - Verdict\n   * - Redis\n     - rejected\n"
        "\n+--------+---------+\n| Limit  | 30 s    |\n+--------+---------+\n"
        "\n.. code-block:: python\n\n   enqueue(job)\n"
    )
    loaded = load_document(write_file(tmp_path / "nep-0012.rst", text), "nep-0012.rst", LIMITS, converter)
    parsed = parse_document(loaded)
    tree = parse_markdown(parsed.document.text)

    assert parsed.document.title == "NEP 12 — Queue jobs in the database"
    assert [s.title for s in tree.sections[1:]] == ["Context", "Decision"]
    tables = [b.rows for b in tree.blocks() if b.kind == "table"]
    assert (("Option", "Verdict"), ("Redis", "rejected")) in tables
    assert any(("Limit", "30 s") in rows for rows in tables)
    assert "enqueue(job)" in next(b.text for b in tree.blocks() if b.kind == "code")
    assert parsed.document.deciders == () and parsed.document.status == "superseded"


def test_include_directives_read_nothing_from_outside(tmp_path: Path, converter: Converter) -> None:
    secret = write_file(tmp_path / "secret.txt", "TOKEN-4f9c2e")
    rst = f"Title\n=====\n\n.. include:: {secret}\n\n.. raw:: html\n   :file: {secret}\n\nBody.\n"
    adoc = f"= Title\n\ninclude::{secret}[]\n\nimage::{secret}[]\n\nBody.\n"
    for name, text in (("a.rst", rst), ("a.adoc", adoc)):
        loaded = load_document(write_file(tmp_path / "docs" / name, text), name, LIMITS, converter)
        assert "TOKEN-4f9c2e" not in loaded.text
        assert "Body." in loaded.text


# An enhancement-proposal preamble (RFC 822 header lines in a preformatted block), as one process
# writes it in MediaWiki and another in Markdown, and an XML specification's header elements.
WIKI_PREAMBLE = """\
<pre>
  XIP: 7
  Title: Compact block relay
  Authors: Ada Moss <ada@example.org>
           Ben Ng <ben@example.org>
  Status: Closed
  Replaces: 3
  Proposed-Replacement: 9
</pre>

== Abstract ==

Blocks are relayed as short ids so peers rebuild them from their own pools.
"""

MD_PREAMBLE = """\
    XIP: 3
    Title: Full block relay
    Status: Final/1.0 Implemented in release 1
    Created: 05-Aug-2019
    Post-History:
****
XIP 3: Full block relay
----

Blocks are relayed whole.
"""

XML_SPEC = """\
<?xml version='1.0' encoding='UTF-8'?>
<!DOCTYPE spec SYSTEM 'spec.dtd' [ <!ENTITY secret SYSTEM 'file:///etc/hostname'> ]>
<spec>
<header>
  <title>Presence probes</title>
  <number>0009</number>
  <status>Draft</status>
  <supersedes><spec>XIP-0007</spec></supersedes>
  <revision><version>0.1</version><date>2020-02-02</date><remark>First draft &secret;.</remark></revision>
</header>
<section1 topic="Introduction">
  <p>A client asks a server whether a contact is online without subscribing to its presence.</p>
  <example><![CDATA[<probe to='a@example.org'/>]]></example>
</section1>
</spec>
"""


def test_preformatted_preambles_and_xml_headers_are_fields(settings: Settings, tmp_path: Path) -> None:
    root = tmp_path / "xips"
    write_file(root / "xip-0007.mediawiki", WIKI_PREAMBLE)
    write_file(root / "xip-0003.md", MD_PREAMBLE)
    write_file(root / "xip-0009.xml", XML_SPEC)
    write_file(root / "pom.xml", "<project><version>1.0</version><name>x</name></project>")
    report = ingest_paths(settings, [root])

    result = CliRunner().invoke(main, ["docs", "--json"], env=ENV)
    docs = {d["source"]: d for d in json.loads(result.output)["documents"]}

    assert [s["source"] for s in report.skipped] == ["pom.xml"]
    assert (docs["xip-0007.mediawiki"]["title"], docs["xip-0007.mediawiki"]["status"]) == (
        "Compact block relay",
        "rejected",
    )
    # 7 says it replaces 3, but 7 was closed: 3 stands, and 7 lists what it would have superseded.
    assert (docs["xip-0003.md"]["status"], docs["xip-0003.md"]["superseded_by"]) == ("accepted", [])
    assert docs["xip-0003.md"]["date"] == "2019-08-05"
    assert docs["xip-0007.mediawiki"]["supersedes"] == ["xip-0003.md"]
    assert docs["xip-0007.mediawiki"]["superseded_by"] == ["xip-0009.xml"]
    assert (docs["xip-0009.xml"]["title"], docs["xip-0009.xml"]["status"]) == ("Presence probes", "proposed")
    assert docs["xip-0009.xml"]["number"] == "9"


def test_xml_reads_no_entity_or_dtd_and_keeps_sections_and_code(tmp_path: Path, converter: Converter) -> None:
    loaded = load_document(write_file(tmp_path / "xip-0009.xml", XML_SPEC), "xip-0009.xml", LIMITS, converter)
    tree = parse_markdown(loaded.text)
    assert [s.title for s in tree.sections] == ["Presence probes", "Introduction"]
    assert any(b.kind == "code" and "<probe" in b.text for b in tree.blocks())
    assert Path("/etc/hostname").read_text().strip() not in loaded.text


def test_a_record_whose_header_states_its_status_is_not_a_decision_log() -> None:
    """A process record that describes its own header fields in two sections is one decision."""
    text = (
        "```\n  XIP: 3\n  Title: Updated process\n  Status: Deployed\n  Replaces: 2\n```\n\n"
        "## Overview\n\n- Status: <Draft | Complete | Closed>\n- Type: <Process | Specification>\n\n"
        "## Header fields\n\n- Status: the stage of the proposal in the workflow below\n"
    )
    parsed = parse_document(LoadedFile("xip-0003.md", text, "h", "markdown"))
    assert (parsed.document.status, parsed.units) == ("accepted", ())
    assert parsed.document.title == "Updated process"


def test_asciidoc_under_jekyll_front_matter_and_includes_in_blocks(
    tmp_path: Path, converter: Converter
) -> None:
    text = (
        "---\ncategories:\n  - web\nstatus: proposed\n---\n= Obfuscate the session route\n:author: Flavia\n\n"
        "== Overview\n\n[source,yaml]\n----\ninclude::../models/money.yaml[]\n----\n\nThe route is hashed.\n"
    )
    loaded = load_document(write_file(tmp_path / "route.adoc", text), "route.adoc", LIMITS, converter)
    doc = parse_document(loaded).document
    assert loaded.fmt == "markdown"
    assert (doc.title, doc.status, doc.deciders) == ("Obfuscate the session route", "proposed", ())
    assert "The route is hashed." in doc.text and "include::" not in doc.text
