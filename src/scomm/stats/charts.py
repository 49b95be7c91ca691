"""Inline SVG bar charts: no scripts, no external assets, readable without colour (values are printed)."""

from __future__ import annotations

from html import escape


def bar_chart(title: str, values: dict[str, int], width: int = 520, bar_height: int = 22) -> str:
    """A horizontal bar chart with a text label and the value on every bar."""
    label_w, gap = 190, 6
    top = max(values.values(), default=0) or 1
    height = len(values) * (bar_height + gap) + 30
    parts = [f'<svg role="img" aria-label="{escape(title)}" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             f'<title>{escape(title)}</title>',
             f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>']
    for i, (label, value) in enumerate(values.items()):
        y = 26 + i * (bar_height + gap)
        w = int((width - label_w - 60) * value / top)
        parts.append(f'<text x="0" y="{y + bar_height - 6}" font-size="12">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_height}" fill="#4a6fa5" '
                     f'stroke="#1d2f4a"/>')
        parts.append(f'<text x="{label_w + w + 4}" y="{y + bar_height - 6}" font-size="12">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def grouped_bar_chart(title: str, groups: dict[str, dict[str, float]], width: int = 560,
                      bar_height: int = 16) -> str:
    """Horizontal bars grouped by label, one bar per series (e.g. actual vs alternative), with a legend.

    ``groups`` maps each group label to its series values; series are told apart by fill *and* by the
    series name printed beside every value, so the chart reads without colour.
    """
    fills = ("#4a6fa5", "#d9a441", "#6b9e5a", "#a55a4a")
    series = list(dict.fromkeys(name for values in groups.values() for name in values))
    label_w, gap, legend_h = 190, 10, 22
    top = max((v for values in groups.values() for v in values.values()), default=0) or 1
    group_h = len(series) * bar_height + gap
    height = 30 + legend_h + len(groups) * group_h
    parts = [f'<svg role="img" aria-label="{escape(title)}" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             f'<title>{escape(title)}</title>',
             f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>']
    for i, name in enumerate(series):
        x = label_w + i * 120
        parts.append(f'<rect x="{x}" y="24" width="12" height="12" fill="{fills[i % len(fills)]}" stroke="#1d2f4a"/>')
        parts.append(f'<text x="{x + 16}" y="34" font-size="12">{escape(name)}</text>')
    for g, (label, values) in enumerate(groups.items()):
        y0 = 30 + legend_h + g * group_h
        parts.append(f'<text x="0" y="{y0 + len(series) * bar_height / 2 + 4:.0f}" font-size="12">'
                     f'{escape(label)}</text>')
        for i, name in enumerate(series):
            value = values.get(name, 0)
            y = y0 + i * bar_height
            w = int((width - label_w - 150) * value / top)
            parts.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_height - 2}" '
                         f'fill="{fills[i % len(fills)]}" stroke="#1d2f4a"/>')
            parts.append(f'<text x="{label_w + w + 4}" y="{y + bar_height - 4}" font-size="11">'
                         f'{escape(name)}: {value:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def share_chart(title: str, shares: dict[str, float | None], width: int = 520, bar_height: int = 22) -> str:
    """Horizontal bars of shares (0–1) on a fixed 0–100 % scale; a withheld share is labelled, not drawn."""
    label_w, gap = 190, 6
    height = len(shares) * (bar_height + gap) + 30
    parts = [f'<svg role="img" aria-label="{escape(title)}" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             f'<title>{escape(title)}</title>',
             f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>']
    for i, (label, value) in enumerate(shares.items()):
        y = 26 + i * (bar_height + gap)
        w = int((width - label_w - 70) * (value or 0.0))
        text = "withheld" if value is None else f"{100 * value:.1f} %"
        parts.append(f'<text x="0" y="{y + bar_height - 6}" font-size="12">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_height}" fill="#4a6fa5" '
                     f'stroke="#1d2f4a"/>')
        parts.append(f'<text x="{label_w + w + 4}" y="{y + bar_height - 6}" font-size="12">{text}</text>')
    parts.append("</svg>")
    return "".join(parts)
