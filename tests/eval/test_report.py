"""The HTML report: self-contained, well-formed charts, untrusted text escaped, worst items first."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

from archbot.eval.report import render_report
from archbot.eval.store import RunStore
from archbot.kernel.store import Store
from tests.eval.factories import make_item, make_run

HOSTILE = "<script>alert('x')</script>"


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def stored_history(tmp_path: Path) -> RunStore:
    runs = RunStore(Store(tmp_path / "eval.db"))
    for n, score in enumerate([0.5, 0.75, 1.0]):
        items = [
            make_item("good", score=1.0),
            make_item("bad", kind="standard", score=score / 4, answer=f"Nothing useful {HOSTILE}"),
            make_item("menu", kind="abstain", score=score, relevant=[], abstained=True),
        ]
        runs.save(make_run(f"run-{n}", items, created_at=f"2025-01-0{n + 1}T00:00:00+00:00"))
    return runs


def test_report_is_self_contained_and_escapes_answers(tmp_path: Path) -> None:
    runs = stored_history(tmp_path)
    html = render_report(runs.load("run-2"), runs.history("example.jsonl", until="run-2"))
    parsed = Collector()
    parsed.feed(html)
    assert "script" not in parsed.tags
    assert not [v for k, v in parsed.attrs if k in ("src", "href") and v and "://" in v]
    assert HOSTILE in "".join(parsed.text)  # shown as text, not run
    assert html.startswith("<!doctype html>")


def test_report_charts_are_well_formed_svg(tmp_path: Path) -> None:
    runs = stored_history(tmp_path)
    html = render_report(runs.load("run-2"), runs.history("example.jsonl", until="run-2"))
    charts = re.findall(r"<svg.*?</svg>", html, flags=re.DOTALL)
    history_charts = [ET.fromstring(svg) for svg in charts if 'aria-label="recall@10"' in svg]
    assert len(history_charts) == 1
    dots = history_charts[0].findall(".//circle")
    assert [d.find("title").text.split(": ")[-1] for d in dots] == [
        "0.542",
        "0.646",
        "0.750",
    ]  # (1 + s/4 + s) / 3
    kind_chart = next(ET.fromstring(svg) for svg in charts if 'aria-label="Per kind"' in svg)
    labels = {t.text for t in kind_chart.iter("{http://www.w3.org/2000/svg}text")} | {
        t.text for t in kind_chart.iter("text")
    }
    assert {"status", "standard", "abstain"} <= labels


def test_report_history_stops_at_the_reported_run_and_worst_item_comes_first(tmp_path: Path) -> None:
    runs = stored_history(tmp_path)
    html = render_report(runs.load("run-1"), runs.history("example.jsonl", until="run-1"))
    assert "2 run(s)" in html
    worst = html.index("Worst 3 items")
    assert html.index("<b>bad</b>", worst) < html.index("<b>good</b>", worst)
    assert "Adopt Kafka for event streaming" in html
    assert "vs previous run" in html and "+0.104" in html
