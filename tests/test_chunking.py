"""Heading-aware chunking: section paths, size limits, no bare headings, nothing dropped."""

from __future__ import annotations

import re

from archbot.ingest.chunking import chunk_document, split_text
from archbot.ingest.loaders import LoadedFile, format_of
from archbot.ingest.metadata import parse_document
from archbot.kernel.types import Document


def chunks(source: str, text: str, max_chars: int = 1000) -> list[tuple[str, str]]:
    parsed = parse_document(LoadedFile(source, text, "h", format_of(source)))
    return chunk_document(parsed.document, parsed.fmt, max_chars)


OPTIONS = """\
# 12. Use Kafka

## Status

Accepted

## Context

{context}

## Options

### Kafka

{kafka}

### RabbitMQ

{rabbit}

## Decision

```python
# not a heading
publish(event)
```

| Option | Cost |
|--------|------|
| Kafka  | high |
"""


def _options(**sizes: int) -> str:
    words = {name: " ".join(f"{name}{i}." for i in range(n)) for name, n in sizes.items()}
    return OPTIONS.format(**words)


def test_section_paths_omit_the_title_and_nest() -> None:
    result = chunks("adr/0012-use-kafka.md", _options(context=30, kafka=30, rabbit=30), max_chars=600)
    assert [section for section, _ in result] == [
        "Status, Context",
        "Options > Kafka",
        "Options > RabbitMQ, Decision",
    ]


def test_a_bare_parent_heading_travels_with_its_first_child() -> None:
    result = dict(chunks("adr/0012-use-kafka.md", _options(context=30, kafka=30, rabbit=30), max_chars=600))
    assert result["Options > Kafka"].startswith("## Options\n\n### Kafka")
    assert not any(re.fullmatch(r"(#+ .*\s*)+", text) for text in result.values())


def test_code_and_tables_stay_as_text_and_hash_lines_in_code_are_not_headings() -> None:
    result = dict(chunks("adr/0012-use-kafka.md", _options(context=5, kafka=5, rabbit=5)))
    decision = next(text for section, text in result.items() if "Decision" in section)
    assert "# not a heading\npublish(event)" in decision
    assert "| Kafka  | high |" in decision


def test_tiny_neighbouring_sections_merge_into_one_labelled_chunk() -> None:
    small = chunks("adr/0012-use-kafka.md", _options(context=3, kafka=3, rabbit=3))
    assert [section for section, _ in small] == [
        "Status, Context, Options > Kafka, Options > RabbitMQ, Decision"
    ]


def test_long_sections_split_on_paragraphs_then_sentences_within_the_limit() -> None:
    paragraphs = "\n\n".join(" ".join(f"Sentence {p}.{i} is here." for i in range(20)) for p in range(6))
    result = chunks("design/big.md", f"# Big\n\n## Detail\n\n{paragraphs}\n", max_chars=300)
    assert len(result) > 6
    assert all(len(text) <= 300 for _, text in result)
    assert all(section == "Detail" for section, _ in result)
    assert all(text.rstrip().endswith(".") for _, text in result)
    rebuilt = re.sub(r"\s+", " ", " ".join(text for _, text in result))
    assert rebuilt == re.sub(r"\s+", " ", f"# Big ## Detail {paragraphs}")


def test_a_heading_never_ends_up_alone_when_its_body_is_split() -> None:
    pieces = split_text("## Decision\n\n" + "word " * 100, 200)
    assert pieces[0].startswith("## Decision\n\nword")
    assert all(len(p) <= 200 for p in pieces)


def test_split_text_hard_cuts_text_without_spaces() -> None:
    pieces = split_text("x" * 2500, 1000)
    assert [len(p) for p in pieces] == [1000, 1000, 500]
    assert split_text("  \n ", 1000) == []


def test_front_matter_and_erb_are_dropped() -> None:
    text = "---\ntitle: Logging\n---\n\n# <%= current_page.data.title %>\n\n<%= partial 'x' %>\nUse Splunk.\n"
    (result,) = chunks("gds/standards/logging.html.md.erb", text)
    assert result == ("", "# Logging\n\nUse Splunk.")


def test_heading_attribute_lists_are_markup_not_text() -> None:
    """kramdown and Pandoc anchors (`{#why}`, `{.unnumbered}`) close a heading; braces in prose stay."""
    text = (
        "# Small CLs\n\n## Why Write Small CLs? {#why}\n\nReviews go faster {#not-an-anchor}.\n\n"
        "## Setup {.unnumbered #setup}\n\nRun it.\n"
    )
    result = chunks("eng-practices/review/small-cls.md", text)
    sections = ", ".join(section for section, _ in result)
    body = "\n".join(chunk for _, chunk in result)
    assert "Why Write Small CLs?" in sections and "Setup" in sections and "{" not in sections
    assert "## Why Write Small CLs?\n" in body and "## Setup\n" in body
    assert "Reviews go faster {#not-an-anchor}." in body


def test_raw_document_text_is_cleaned_too() -> None:
    doc = Document(
        source="x.html.md.erb", title="T", kind="other", text="---\ntitle: T\n---\n<% end %>Body.\n"
    )
    assert chunk_document(doc, "markdown", 1000) == [("", "Body.")]


def test_plain_text_paragraphs() -> None:
    text = "\n\n".join(f"Paragraph {i} " + "word " * 40 for i in range(5))
    result = chunks("notes/meeting.txt", text, max_chars=500)
    assert all(section == "" for section, _ in result)
    assert all(len(t) <= 500 for _, t in result)
    assert result[0][1].startswith("Paragraph 0") and "Paragraph 4" in result[-1][1]


def test_only_headings_still_gives_one_chunk_and_nothing_is_ever_empty() -> None:
    assert chunks("t/bare.md", "# Title\n\n## Context\n\n## Decision\n") == [
        ("", "# Title\n\n## Context\n\n## Decision")
    ]


def test_deterministic() -> None:
    text = _options(context=50, kafka=200, rabbit=10)
    assert chunks("adr/0012-use-kafka.md", text, 400) == chunks("adr/0012-use-kafka.md", text, 400)
