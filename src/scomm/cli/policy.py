"""`scomm policy …`: list, evaluate, explain and simulate jurisdiction detainer policies."""

from __future__ import annotations

import getpass
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from scomm.errors import PolicyError, RecordNotFound
from scomm.rules.facts_json import local_facts_from_json
from scomm.rules.policies import list_policies, load_policy

if TYPE_CHECKING:  # the simulation pulls in the pipeline: imported only when `simulate` runs
    from scomm.stats.what_if import Tally, WhatIf

app = typer.Typer(help="Jurisdiction detainer policies (rules/policies/local).", no_args_is_help=True)


@app.command("list")
def list_() -> None:
    """List the bundled policies: name, jurisdiction, dates, hold hours, title."""
    for p in list_policies():
        s = p.spec
        typer.echo(f"{s.name:28} {s.jurisdiction:34} {s.effective_from} – {str(s.effective_to or 'open'):10} "
                   f"{s.hold_hours:2}h  {s.title}")


@app.command()
def evaluate(policy: str = typer.Option(..., "--policy", help="policy name or path to a YAML file"),
             facts: Path = typer.Option(..., "--facts", exists=True, dir_okay=False, help="facts JSON file")) -> None:
    """Evaluate POLICY on FACTS and print the four decisions as JSON."""
    try:
        local = local_facts_from_json(json.loads(facts.read_text(encoding="utf-8")))
        decision = load_policy(policy).evaluate(local)
    except json.JSONDecodeError as exc:
        raise _fail(f"{facts}: not JSON: {exc}") from exc
    except PolicyError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(json.dumps(decision.to_dict(), indent=2))


@app.command()
def explain(name: str = typer.Argument(..., help="policy name or path to a YAML file")) -> None:
    """Print a policy's rules in words."""
    try:
        typer.echo(load_policy(name).explain())
    except PolicyError as exc:
        raise _fail(str(exc)) from exc


@app.command()
def simulate(policy: str = typer.Option(..., "--policy", help="alternative policy: name or path to a YAML file"),
             jurisdiction: str = typer.Option(..., "--jurisdiction", help="jurisdiction code, e.g. IL-COOK"),
             start: str = typer.Option(..., "--from", help="first booking date, YYYY-MM-DD"),
             end: str = typer.Option(..., "--to", help="last booking date, YYYY-MM-DD"),
             as_json: bool = typer.Option(False, "--json", help="print the result as JSON"),
             chart: Path | None = typer.Option(None, "--chart", dir_okay=False,
                                               help="write a chart: FILE.svg, or FILE.html with the table")) -> None:
    """Re-decide the stored bookings of JURISDICTION under POLICY and report what would change."""
    from scomm.config import Settings
    from scomm.pipeline import PipelineContext
    from scomm.stats.what_if import simulate_policy

    if chart is not None and chart.suffix not in (".svg", ".html"):
        raise _fail(f"--chart must end in .svg or .html, got {chart.name!r}")
    try:
        alternative = load_policy(policy)
        first, last = _date("--from", start), _date("--to", end)
        ctx = PipelineContext.open(Settings())
        try:
            with ctx.db.session() as session:
                result = simulate_policy(session, alternative, jurisdiction, first, last, actor=_actor())
        finally:
            ctx.db.dispose()
    except (PolicyError, RecordNotFound, ValueError) as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2))
    else:
        _print_what_if(result)
    if chart is not None:
        chart.write_text(_what_if_chart(result, html=chart.suffix == ".html"), encoding="utf-8")
        if not as_json:
            typer.echo(f"chart: {chart}")


def _date(option: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{option}: expected a date YYYY-MM-DD, got {text!r}") from exc


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"[:60]
    except (KeyError, OSError):
        return "cli:unknown"


def _groups(result: WhatIf) -> list[tuple[str, Tally]]:
    rows = [("all bookings", result.total)]
    rows += [(level, t) for level, t in result.by_level.items() if t.bookings]
    rows += [(name.replace("_", "-"), t) for name, t in result.by_criminality.items()]
    return rows


def _print_what_if(result: WhatIf) -> None:
    console = Console()
    table = Table(title=f"{result.jurisdiction} {result.start} – {result.end}: "
                        f"{', '.join(result.actual_policies) or 'no policy'} → {result.alternative_policy}",
                  box=box.SIMPLE_HEAD)
    table.add_column("group", no_wrap=True)
    for heading in ("bookings", "holds\nactual", "holds\nalt.", "Δ\nholds", "hours\nactual", "hours\nalt.",
                    "Δ\nhours"):
        table.add_column(heading, justify="right", no_wrap=True)
    for label, t in _groups(result):
        table.add_row(label, str(t.bookings), str(t.actual_holds), str(t.alternative_holds),
                      f"{t.holds_difference:+d}", f"{t.actual_hours:g}", f"{t.alternative_hours:g}",
                      f"{t.hours_difference:+g}")
    console.print(table)
    console.print(f"No release recorded (holds counted, hours not): {result.no_release_recorded}. "
                  f"Alternative hold assumed to run to its deadline (no ICE pickup recorded): "
                  f"{result.assumed_to_deadline}.")
    if not result.flips:
        console.print("No booking's hold decision flips.")
        return
    flips = Table(title=f"{len(result.flips)} booking(s) whose hold decision flips", box=box.SIMPLE_HEAD)
    for heading in ("TCN", "level", "via", "actual rule", "alternative rule", "hold"):
        flips.add_column(heading, no_wrap=heading in ("TCN", "level", "via", "hold"), overflow="fold")
    for f in result.flips:
        flips.add_row(f.tcn, f.level, f.pathway, f"{f.actual_policy}/{f.actual_rule}", f.alternative_rule,
                      "gained" if f.alternative_hold else "lost")
    console.print(flips)


def _what_if_chart(result: WhatIf, html: bool) -> str:
    from html import escape

    from scomm.stats.charts import grouped_bar_chart

    groups = _groups(result)
    holds = grouped_bar_chart(f"Holds: actual vs {result.alternative_policy}",
                              {label: {"actual": t.actual_holds, "alternative": t.alternative_holds}
                               for label, t in groups})
    if not html:
        return holds
    hours = grouped_bar_chart(f"Counted hold-hours: actual vs {result.alternative_policy}",
                              {label: {"actual": t.actual_hours, "alternative": t.alternative_hours}
                               for label, t in groups})
    rows = "".join(f"<tr><td>{escape(f.tcn)}</td><td>{escape(f.level)}</td><td>{escape(f.actual_rule)}</td>"
                   f"<td>{escape(f.alternative_rule)}</td></tr>" for f in result.flips)
    title = escape(f"What if {result.jurisdiction} had followed {result.alternative_policy} "
                   f"({result.start} – {result.end})")
    return (f"<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>{title}</title><body>"
            f"<h1>{title}</h1>{holds}{hours}<h2>Flipped decisions ({len(result.flips)})</h2>"
            f"<table><tr><th>TCN</th><th>level</th><th>actual rule</th><th>alternative rule</th></tr>{rows}"
            f"</table></body></html>")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)
