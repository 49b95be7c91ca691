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
