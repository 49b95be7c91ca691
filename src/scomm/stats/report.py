"""The HTML report of a run: one self-contained file, charts inline, readable offline."""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path

from scomm.stats.charts import bar_chart
from scomm.stats.summary import ProgramSummary

STYLE = """body{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px;color:#1b1b1b}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #999;padding:.3rem .6rem;text-align:left;
vertical-align:top}th{background:#eee}.num{text-align:right}figure{display:inline-block;margin:0 1rem 1rem 0}"""


def _table(headers: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th scope='col'>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td{' class=num' if isinstance(c, int) else ''}>{escape(str(c))}</td>"
                                    for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_report(summary: ProgramSummary, accuracy: dict[str, object] | None = None,
                  generated: datetime | None = None) -> str:
    s = summary
    overview = [["Submissions received", s.received], ["Accepted", s.accepted], ["Rejected", s.rejected],
                ["Bookings completed", s.bookings_done], ["Bookings failed", s.bookings_failed],
                ["Criminal-history identifications", s.criminal_idents],
                ["Criminal-history non-identifications (new records)", s.criminal_non_idents],
                ["Searched against the immigration repository", s.immigration_searched],
                ["Not searched (jurisdiction not activated)", s.immigration_not_searched],
                ["Immigration matches", s.immigration_matches],
                ["Holds honored", s.holds_honored], ["Holds declined", s.holds_declined],
                ["Audit events", s.audit_events]]
    jrows = [[j.code, j.name, j.activated_on, j.submissions, j.immigration_matches, j.detainers, j.holds_honored,
              j.holds_declined, "; ".join(f"{r} ×{n}" for r, n in j.rules.most_common())] for j in s.jurisdictions]
    charts = [bar_chart("Immigration matches by level", s.match_levels),
              bar_chart("IAR status determinations", s.iar_statuses),
              bar_chart("ICE issuance decisions", s.detainer_actions),
              bar_chart("Detainer outcomes", s.detainer_states),
              bar_chart("Removals by level", s.removals_by_level or {"none": 0})]
    acc = ""
    if accuracy:
        acc = "<h2>Identification against the synthetic ground truth</h2>" + _table(
            ["measure", "value"], [[k, v] for k, v in accuracy.items()])
    when = (generated or datetime.now()).strftime("%Y-%m-%d %H:%M")
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>scomm run report</title>
<style>{STYLE}</style></head><body><h1>scomm run report</h1><p>Generated {when}. Synthetic data only.</p>
<h2>Overview</h2>{_table(["measure", "count"], overview)}
<h2>Charts</h2>{"".join(f"<figure>{c}</figure>" for c in charts)}
<h2>By jurisdiction</h2>{_table(["code", "jurisdiction", "activated", "submissions", "imm. matches", "detainers",
                                 "holds honored", "holds declined", "deciding rules"], jrows)}
{acc}</body></html>"""


def write_report(path: Path, summary: ProgramSummary, accuracy: dict[str, object] | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(summary, accuracy), encoding="utf-8")
    return path
