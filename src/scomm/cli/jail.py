"""`scomm jail …`: the 287(g) jail pathway, where designated officers screen sentenced inmates before release."""

from __future__ import annotations

import json
from datetime import date

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from scomm.errors import RecordNotFound

app = typer.Typer(help="Jail-side pathways: 287(g) screening of sentenced inmates (domain.md §9).",
                  no_args_is_help=True)


@app.callback()
def jail() -> None:
    """Jail-side pathways: 287(g) screening of sentenced inmates (domain.md §9)."""  # keeps `jail` a group


@app.command("screen-287g")
def screen_287g(jurisdiction: str = typer.Option(..., "--jurisdiction", help="jurisdiction code, e.g. MA-SUFFOLK"),
                on: str = typer.Option(..., "--on", help="screening date, YYYY-MM-DD"),
                agency: str = typer.Option(..., "--agency", help="the agency holding the 287(g) MOA"),
                officer: str = typer.Option(..., "--officer", help="the designated officer screening"),
                signed: str | None = typer.Option(None, "--signed",
                                                  help="MOA signing date, YYYY-MM-DD (default: the --on date)"),
                expires: str | None = typer.Option(None, "--expires", help="MOA expiry date, YYYY-MM-DD"),
                as_json: bool = typer.Option(False, "--json", help="print the results as JSON")) -> None:
    """Screen JURISDICTION's sentenced inmates due for release and lodge 287(g) detainers where warranted."""
    from scomm.config import Settings
    from scomm.pipeline import PipelineContext
    from scomm.pipeline.screening_287g import screen_sentenced_inmates
    from scomm.rules.jail_287g import Agreement287g

    try:
        day = _date("--on", on)
        agreement = Agreement287g(agency=agency, signed=_date("--signed", signed) if signed else day,
                                  expires=_date("--expires", expires) if expires else None)
        ctx = PipelineContext.open(Settings())
        try:
            results = screen_sentenced_inmates(ctx, jurisdiction, day, agreement, officer)
        finally:
            ctx.db.dispose()
    except (RecordNotFound, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in results], indent=2))
        return
    if not agreement.in_force(day):
        typer.echo(f"No 287(g) MOA of {agency} in force on {day}: nothing screened.")
        return
    table = Table(title=f"287(g) screening, {jurisdiction}, {day}, officer {officer} ({agency})", box=box.SIMPLE_HEAD)
    for heading in ("TCN", "action", "basis", "level", "release", "reasons"):
        table.add_column(heading, no_wrap=heading != "reasons")
    for r in results:
        table.add_row(r.tcn, r.action, r.basis or "-", r.level, r.expected_release.isoformat(), "; ".join(r.reasons))
    Console().print(table)
    lodged = sum(r.action == "lodge" for r in results)
    typer.echo(f"{len(results)} inmate(s) screened, {lodged} detainer(s) lodged.")


def _date(option: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{option}: expected a date YYYY-MM-DD, got {text!r}") from exc
