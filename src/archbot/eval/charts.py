"""Tiny inline-SVG charts for the HTML report: no JavaScript, no CDN, readable in any browser or mail."""

from __future__ import annotations

from html import escape

PALETTE = ("#2563eb", "#16a34a", "#db2777", "#ea580c", "#7c3aed", "#0891b2", "#ca8a04", "#64748b")


def _fmt(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.3f}"


def line_chart(
    title: str, values: list[float | None], labels: list[str], width: int = 280, height: int = 130
) -> str:
    """One metric across runs (oldest left); gaps where a run did not report it. Scores in [0, 1] keep
    a fixed 0–1 axis so small wiggles do not look like cliffs; other metrics scale to their maximum."""
    left, right, top, bottom = 38, 10, 22, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    known = [v for v in values if v is not None]
    y_max = 1.0 if known and max(known) <= 1.0 else (max(known) * 1.1 if known else 1.0) or 1.0
    step = plot_w / max(len(values) - 1, 1)

    def x(i: int) -> float:
        return left + (i * step if len(values) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h - (v / y_max) * plot_h

    parts = [
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}">',
        f'<text x="{left}" y="14" class="title">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" class="axis"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" class="axis"/>',
        f'<text x="{left - 4}" y="{top + 4}" class="tick" text-anchor="end">{_fmt(y_max)}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" class="tick" text-anchor="end">0</text>',
    ]
    segment: list[str] = []
    for i, v in enumerate([*values, None]):
        if v is None:
            if len(segment) > 1:
                parts.append(f'<polyline points="{" ".join(segment)}" class="line"/>')
            segment = []
            continue
        segment.append(f"{x(i):.1f},{y(v):.1f}")
    for i, (v, label) in enumerate(zip(values, labels, strict=True)):
        if v is not None:
            last = " last" if i == len(values) - 1 else ""
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" class="dot{last}">'
                f"<title>{escape(label)}: {_fmt(v)}</title></circle>"
            )
    if values and values[-1] is not None:
        parts.append(
            f'<text x="{left + plot_w}" y="{height - 6}" class="tick" text-anchor="end">'
            f"latest {_fmt(values[-1])}</text>"
        )
    parts.append(f'<text x="{left}" y="{height - 6}" class="tick">{len(values)} run(s)</text>')
    parts.append("</svg>")
    return "".join(parts)


def grouped_bars(
    title: str, groups: list[str], series: list[str], values: dict[tuple[str, str], float], width: int = 720
) -> str:
    """Horizontal bars on a 0–1 scale: one block per group (e.g. question kind), one bar per series."""
    bar, gap, label_w, legend_h = 12, 14, 130, 22
    plot_w = width - label_w - 60
    height = legend_h + 20 + len(groups) * (len(series) * bar + gap)
    parts = [
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="14" class="title">{escape(title)}</text>',
    ]
    lx = label_w
    for s, name in enumerate(series):
        parts.append(f'<rect x="{lx}" y="22" width="10" height="10" fill="{PALETTE[s % len(PALETTE)]}"/>')
        parts.append(f'<text x="{lx + 14}" y="31" class="tick">{escape(name)}</text>')
        lx += 14 + 6 * len(name) + 16  # about 6 px per character at the tick font size
    y = legend_h + 20
    for group in groups:
        parts.append(
            f'<text x="{label_w - 8}" y="{y + len(series) * bar / 2 + 4:.0f}" class="label" '
            f'text-anchor="end">{escape(group)}</text>'
        )
        for s, name in enumerate(series):
            value = values.get((group, name))
            if value is not None:
                w = max(value, 0.0) * plot_w
                parts.append(
                    f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar - 2}" '
                    f'fill="{PALETTE[s % len(PALETTE)]}"><title>{escape(group)} · {escape(name)}: '
                    f"{_fmt(value)}</title></rect>"
                )
                parts.append(
                    f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 3}" class="tick">{_fmt(value)}</text>'
                )
            y += bar
        y += gap
    parts.append("</svg>")
    return "".join(parts)
