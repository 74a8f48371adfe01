"""Markdown → Slack mrkdwn, and the Block Kit limits the renderer respects."""

from __future__ import annotations

from archbot.bot.slack.blocks import SECTION_LIMIT, answer_blocks, citation_line, context, text_blocks
from archbot.bot.slack.mrkdwn import to_mrkdwn
from archbot.kernel.types import Answer, Citation


def test_links_bold_italic_and_strike() -> None:
    out = to_mrkdwn("See **ADR 12** and *why* in [the ADR](https://wiki/adr?a=1&b=2) ~~not this~~.")
    assert out == "See *ADR 12* and _why_ in <https://wiki/adr?a=1&b=2|the ADR> ~not this~."


def test_headings_become_bold_lines() -> None:
    assert to_mrkdwn("## Decision **now**\n\nText") == "*Decision now*\n\nText"


def test_nested_and_ordered_lists() -> None:
    out = to_mrkdwn("- one\n  - inner\n- two\n\n3. third\n4. fourth")
    assert out.splitlines() == ["• one", "    ◦ inner", "• two", "", "3. third", "4. fourth"]


def test_code_is_kept_and_control_characters_escaped() -> None:
    out = to_mrkdwn("Use `a<b` & <tags>\n\n```\nif x > 1 and **y**:\n```")
    assert "`a&lt;b`" in out
    assert "&amp; &lt;tags&gt;" in out
    assert "```\nif x &gt; 1 and **y**:\n```" in out


def test_citation_markers_survive() -> None:
    assert to_mrkdwn("Kafka replaced RabbitMQ [1][2].") == "Kafka replaced RabbitMQ [1][2]."


def test_link_label_cannot_break_out_of_the_link() -> None:
    assert to_mrkdwn("[a|b](https://x/y)") == "<https://x/y|a¦b>"


def test_citation_line_links_the_title_when_the_url_is_known() -> None:
    linked = Citation(
        1, "adr/0012.md", "Adopt Kafka", "adr", "accepted", None, "https://wiki/0012", 0.9, "2024-03-05"
    )
    plain = Citation(2, "adr/0007.md", "Use RabbitMQ", "adr", "superseded", None, None, 0.5, "2022-03-14")
    assert citation_line(linked) == "[1] <https://wiki/0012|Adopt Kafka> · accepted · 2024-03-05"
    assert citation_line(plain) == "[2] *Use RabbitMQ* · `adr/0007.md` · superseded · 2022-03-14"


def test_long_text_is_split_into_sections_under_the_limit() -> None:
    text = "\n".join(f"line {i} " + "x" * 90 for i in range(100))
    sections = text_blocks(text)
    assert len(sections) > 1
    assert all(len(s["text"]["text"]) <= SECTION_LIMIT for s in sections)
    assert "".join(s["text"]["text"] for s in sections).count("line ") == 100


def test_context_folds_lines_beyond_ten_elements_without_dropping_any() -> None:
    block = context([f"source {i}" for i in range(23)])
    assert len(block["elements"]) == 10
    joined = "\n".join(e["text"] for e in block["elements"])
    assert all(f"source {i}" in joined for i in range(23))


def test_abstention_has_no_sources_block_but_keeps_feedback() -> None:
    blocks = answer_blocks(Answer("The documents do not say.", (), abstained=True), "a1")
    assert [b["type"] for b in blocks] == ["section", "actions"]
