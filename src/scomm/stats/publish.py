"""Rendering the interoperability report and the transparency indicators as CSV, JSON or HTML.

HTML is one self-contained file: inline SVG charts (no scripts, no external assets), tables with a caption
and header scopes, every value printed so nothing depends on colour. ``public=True`` renders the public
view: small cells suppressed and shares built on them withheld (scomm.stats.disclosure).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from html import escape

from scomm.stats.charts import bar_chart, share_chart
from scomm.stats.interoperability import InteroperabilityReport, InteroperabilityRow
from scomm.stats.transparency import TransparencyRow

FORMATS = ("csv", "html", "json")
STYLE = """body{font-family:system-ui,sans-serif;margin:2rem;max-width:1300px;color:#1b1b1b}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}caption{text-align:left;font-weight:bold;padding:.3rem 0}
th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#eee}
td.num{text-align:right}figure{display:inline-block;margin:0 1rem 1rem 0}"""


def _records(rows: Sequence[InteroperabilityRow | TransparencyRow], public: bool) -> list[dict[str, object]]:
    return [r.public_dict() if public else r.as_dict() for r in rows]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def to_csv(records: list[dict[str, object]]) -> str:
    if not records:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _cell(v) for k, v in r.items()} for r in records)
    return out.getvalue()


def _html_table(caption: str, records: list[dict[str, object]], row_header: str) -> str:
    if not records:
        return f"<p>{escape(caption)}: no rows.</p>"
    cols = list(records[0])
    head = "".join(f"<th scope='col'>{escape(c.replace('_', ' '))}</th>" for c in cols)
    body = []
    for r in records:
        cells = []
        for c in cols:
            text = escape(_cell(r[c]) if not isinstance(r[c], float) else f"{100 * r[c]:.1f} %")
            num = " class='num'" if isinstance(r[c], int | float) and not isinstance(r[c], bool) else ""
            cells.append(f"<th scope='row'>{text}</th>" if c == row_header else f"<td{num}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def _page(title: str, intro: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1><p>{escape(intro)}</p>{body}</body></html>")


def render_interoperability(report: InteroperabilityReport, fmt: str, public: bool = False) -> str:
    records = _records(list(report.rows()), public)
    if fmt == "csv":
        return to_csv(records)
    if fmt == "json":
        return json.dumps({"start": report.start.isoformat(), "through": report.through.isoformat(),
                           "state": report.state_filter, "public": public, "rows": records}, indent=1)
    n = report.national.tally
    charts = [bar_chart("Removals by level (national)", {k.replace("_", " "): v for k, v in n.removals.items()}),
              share_chart("Removal shares (national)", {
                  "Level 1": records[0]["removals_level_1_share"],  # type: ignore[dict-item]
                  "non-criminal": records[0]["removals_non_criminal_share"]})]  # type: ignore[dict-item]
    if public:
        charts = charts[1:]  # the count chart would show suppressed cells
    nat, states, counties = records[:1], records[1:1 + len(report.states)], records[1 + len(report.states):]
    scope = f" — state {report.state_filter}" if report.state_filter else ""
    body = ("".join(f"<figure>{c}</figure>" for c in charts)
            + _html_table("National summary", nat, "name") + _html_table("By state", states, "name")
            + _html_table("By county (jurisdiction), with activation date", counties, "name"))
    intro = (f"Cumulative from {report.start} through {report.through}{scope}. Shares are of the row's own "
             "totals. Synthetic data only." + (" Counts from 1 to 9 are shown as <10." if public else ""))
    return _page("IDENT/IAFIS interoperability statistics", intro, body)


def render_transparency(rows: list[TransparencyRow], fmt: str, public: bool = False) -> str:
    records = _records(rows, public)
    if fmt == "csv":
        return to_csv(records)
    if fmt == "json":
        return json.dumps({"public": public, "rows": records}, indent=1)
    totals: dict[str, int] = {}
    for r in rows:
        for name in ("citizen_detainers", "holds_past_deadline", "traffic_only_matches"):
            totals[name.replace("_", " ")] = totals.get(name.replace("_", " "), 0) + getattr(r, name)
    charts = "" if public else f"<figure>{bar_chart('Indicators, all jurisdictions and months', totals)}</figure>"
    intro = "Per jurisdiction and month. Synthetic data only." + (
        " Counts from 1 to 9 are shown as <10; shares built on them are withheld." if public else "")
    return _page("Transparency indicators", intro, charts + _html_table("Indicators", records, "jurisdiction"))
