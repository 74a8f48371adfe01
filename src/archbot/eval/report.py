"""A self-contained HTML report of one run: one file to attach to a pull request or open from CI.

Everything is inline (CSS and SVG charts); every value from the run is HTML-escaped, since answers
and documents are untrusted text.
"""

from __future__ import annotations

from html import escape

from archbot.eval.charts import grouped_bars, line_chart
from archbot.eval.metrics import LOWER_IS_BETTER, mean_defined
from archbot.eval.results import EvalRun, ItemResult

# The per-kind chart shows the metrics an architect reads first; the table below it shows them all.
KIND_CHART_METRICS = ("recall@10", "citation_recall", "abstention_accuracy", "answer_f1", "groundedness")
WORST_ITEMS = 10
_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1e293b;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}
h2{margin-top:2rem;border-bottom:1px solid #e2e8f0;padding-bottom:.2rem}
.meta{color:#64748b} table{border-collapse:collapse;margin:.5rem 0}
td,th{padding:3px 10px;border-bottom:1px solid #f1f5f9;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums} .grid{display:flex;flex-wrap:wrap;gap:12px}
.chart{background:#f8fafc;border:1px solid #e2e8f0;border-radius:6px}
.chart .title{font-weight:600;font-size:12px} .chart .tick{font-size:10px;fill:#64748b}
.chart .label{font-size:11px} .chart .axis{stroke:#cbd5e1}
.chart .line{fill:none;stroke:#2563eb;stroke-width:2} .chart .dot{fill:#2563eb} .chart .dot.last{fill:#db2777}
.item{border:1px solid #e2e8f0;border-radius:6px;padding:.6rem 1rem;margin:.8rem 0}
.answer{white-space:pre-wrap;background:#f8fafc;padding:.5rem;border-radius:4px}
.chip{display:inline-block;background:#f1f5f9;border-radius:10px;padding:0 8px;margin:2px;font-size:12px}
.bad{background:#fee2e2} .good{background:#dcfce7} .rel{font-weight:600;color:#16a34a}
details{margin:.2rem 0} summary{cursor:pointer} .excerpt{white-space:pre-wrap;color:#475569;font-size:12px}
"""


def item_score(item: ItemResult) -> float:
    """One number to rank items by: the mean of their quality metrics (latency excluded)."""
    return mean_defined(v for k, v in item.metrics.items() if k not in LOWER_IS_BETTER) or 0.0


def _value(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"


def _chip(name: str, value: float | None) -> str:
    tone = "" if value is None or name in LOWER_IS_BETTER else " bad" if value < 0.5 else " good"
    return f'<span class="chip{tone}">{escape(name)} {_value(value)}</span>'


def _header(run: EvalRun) -> str:
    config = run.config
    answerer = config.get("llm") or "offline answerer"
    return (
        f"<h1>archbot evaluation · {escape(run.dataset)}</h1>"
        f'<p class="meta">run <code>{escape(run.id)}</code> · {escape(run.created_at)} · commit '
        f"<code>{escape(run.git_commit or 'unknown')}</code> · dataset sha256 "
        f"<code>{escape(run.dataset_hash[:12])}</code> · {len(run.items)} items<br>"
        f"embedder <code>{escape(str(config.get('embedder')))}</code> · answerer "
        f"<code>{escape(str(answerer))}</code> · top_k {escape(str(config.get('top_k')))} · chunk_chars "
        f"{escape(str(config.get('chunk_chars')))}</p>"
    )


def _metrics_table(run: EvalRun, previous: dict | None) -> str:
    rows = []
    for name, value in run.metrics.items():
        before = previous["metrics"].get(name) if previous else None
        change = "" if before is None else f"{value - before:+.3f}"
        cells = f'<td class="num">{_value(value)}</td><td class="num">{change}</td>'
        rows.append(f"<tr><td>{escape(name)}</td>{cells}</tr>")
    head = "<tr><th>metric</th><th>value</th><th>vs previous run</th></tr>"
    return f"<h2>Metrics</h2><table>{head}{''.join(rows)}</table>"


def _judge(run: EvalRun) -> str:
    if not run.judge:
        return ""
    rows = "".join(
        f'<tr><td>{escape(k)}</td><td class="num">{escape(str(v))}</td></tr>' for k, v in run.judge.items()
    )
    model = escape(str(run.config.get("llm")))
    note = "<p class='meta'>Not deterministic; kept apart from the metrics.</p>"
    return f"<h2>LLM judge ({model})</h2>{note}<table>{rows}</table>"


def _history(run: EvalRun, history: list[dict]) -> str:
    if not history:
        return ""
    labels = [f"{h['id']} ({(h.get('git_commit') or '?')[:8]})" for h in history]
    charts = [line_chart(name, [h["metrics"].get(name) for h in history], labels) for name in run.metrics]
    return f"<h2>History on {escape(run.dataset)}</h2><div class='grid'>{''.join(charts)}</div>"


def _by_kind(run: EvalRun) -> str:
    by_kind = run.by_kind()
    kinds = list(by_kind)
    series = [m for m in KIND_CHART_METRICS if any(m in v for v in by_kind.values())]
    values = {(kind, m): by_kind[kind][m] for kind in kinds for m in series if m in by_kind[kind]}
    chart = grouped_bars("Per kind", kinds, series, values)
    names = list(run.metrics)
    counts = {kind: sum(1 for i in run.items if i.kind == kind) for kind in kinds}
    head = "<tr><th>metric</th>" + "".join(f"<th>{escape(k)} ({counts[k]})</th>" for k in kinds) + "</tr>"
    rows = "".join(
        f"<tr><td>{escape(n)}</td>"
        + "".join(f'<td class="num">{_value(by_kind[k].get(n))}</td>' for k in kinds)
        + "</tr>"
        for n in names
    )
    return f"<h2>Per kind</h2>{chart}<table>{head}{rows}</table>"


def _citation(c: dict) -> str:
    status = f" · {escape(c['status'])}" if c.get("status") else ""
    section = f" · {escape(c['section'])}" if c.get("section") else ""
    return (
        f"<details><summary>[{c['n']}] {escape(c.get('title') or '')} <code>{escape(c['source'])}</code>"
        f"{status}{section}</summary><div class='excerpt'>{escape(c.get('excerpt') or '')}</div></details>"
    )


def _item(item: ItemResult) -> str:
    relevant = set(item.relevant)
    retrieved = ", ".join(
        f"<span class='rel'>{escape(s)}</span>" if s in relevant else escape(s) for s in item.retrieved[:5]
    )
    chips = "".join(_chip(k, v) for k, v in item.metrics.items() if v is not None)
    if item.judge:
        chips += "".join(_chip(f"judge.{k}", v) for k, v in item.judge.items() if isinstance(v, float))
    gold = f"<p><b>Gold:</b> {escape(item.gold)}</p>" if item.gold else ""
    expected = ", ".join(escape(s) for s in item.relevant) or "<i>none: should abstain</i>"
    abstained = " · <b>abstained</b>" if item.abstained else ""
    return (
        f"<div class='item'><p><b>{escape(item.id)}</b> · {escape(item.kind)}{abstained} · score "
        f"{item_score(item):.2f}</p><p><b>Q:</b> {escape(item.question)}</p>{gold}"
        f"<div class='answer'>{escape(item.answer)}</div><p>{chips}</p>"
        f"<p><b>Relevant:</b> {expected}<br><b>Retrieved (top 5):</b> {retrieved}</p>"
        f"{''.join(_citation(c) for c in item.citations)}</div>"
    )


def render_report(run: EvalRun, history: list[dict]) -> str:
    """The whole page. `history` is the dataset's runs up to and including this one, oldest first."""
    earlier = [h for h in history if h["id"] != run.id]
    worst = sorted(run.items, key=lambda i: (item_score(i), i.id))[:WORST_ITEMS]
    body = (
        _header(run)
        + _metrics_table(run, earlier[-1] if earlier else None)
        + _judge(run)
        + _history(run, history)
        + _by_kind(run)
        + f"<h2>Worst {len(worst)} items</h2>"
        + "".join(_item(i) for i in worst)
    )
    title = escape(f"archbot eval {run.id}")
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style></head>'
        f"<body>{body}</body></html>"
    )
