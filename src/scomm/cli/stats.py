"""`scomm stats …`: the interoperability report, the transparency indicators and the researcher export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from scomm.stats.exports import FORMATS as EXPORT_FORMATS
from scomm.stats.exports import ExportError, export_detainers
from scomm.stats.interoperability import FIRST_ACTIVATION, interoperability_report
from scomm.stats.publish import FORMATS, render_interoperability, render_transparency
from scomm.stats.transparency import transparency_indicators

app = typer.Typer(help="Published statistics: interoperability report, transparency indicators, exports.",
                  no_args_is_help=True)


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{option} must be a date YYYY-MM-DD, got {text!r}") from exc


def _format(fmt: str, allowed: tuple[str, ...]) -> str:
    if fmt not in allowed:
        raise typer.BadParameter(f"--format must be one of {', '.join(allowed)}, got {fmt!r}")
    return fmt


def _open():  # type: ignore[no-untyped-def]
    from scomm.pipeline import PipelineContext  # the pipeline is heavy: imported only when a command runs

    return PipelineContext.open().db


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text, nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    typer.echo(f"written to {out}")


@app.command()
def report(through: str = typer.Option(..., "--through", help="last day counted, YYYY-MM-DD (a month-end)"),
           start: str = typer.Option(FIRST_ACTIVATION.isoformat(), "--start", help="first day counted"),
           state: str | None = typer.Option(None, "--state", help="two-letter state: its state and county rows"),
           fmt: str = typer.Option("csv", "--format", help="csv, html or json"),
           out: Path | None = typer.Option(None, "--out", help="file to write (default: standard output)"),
           public: bool = typer.Option(False, "--public", help="suppress cells under 10")) -> None:
    """Cumulative IDENT/IAFIS interoperability statistics: national, by state, by county."""
    fmt = _format(fmt, FORMATS)
    db = _open()
    with db.session() as s:
        rep = interoperability_report(s, _date(through, "--through"), _date(start, "--start"), state)
    _emit(render_interoperability(rep, fmt, public), out)


@app.command()
def transparency(through: str | None = typer.Option(None, "--through", help="last day counted, YYYY-MM-DD"),
                 state: str | None = typer.Option(None, "--state", help="two-letter state"),
                 fmt: str = typer.Option("csv", "--format", help="csv, html or json"),
                 out: Path | None = typer.Option(None, "--out", help="file to write (default: standard output)"),
                 public: bool = typer.Option(False, "--public", help="suppress cells under 10")) -> None:
    """Transparency indicators per jurisdiction and month."""
    fmt = _format(fmt, FORMATS)
    until = _date(through, "--through") if through else None
    db = _open()
    with db.session() as s:
        rows = transparency_indicators(s, through=until, state=state)
    _emit(render_transparency(rows, fmt, public), out)


@app.command()
def export(fmt: str = typer.Option("csv", "--format", help="csv or parquet"),
           out: Path = typer.Option(..., "--out", help="file to write")) -> None:
    """Person-free table of detainers and outcomes for researchers (fields: docs/exports.md)."""
    fmt = _format(fmt, EXPORT_FORMATS)
    db = _open()
    try:
        with db.session() as s:
            n = export_detainers(s, out, fmt)
    except ExportError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"{n} detainer rows written to {out}")
