"""Commands that run the pipeline: demo, submit, run, show, audit."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import select

from scomm.config import Settings
from scomm.errors import RecordNotFound
from scomm.pipeline import PipelineContext, run_pending, run_stream, submit
from scomm.pipeline.outcomes import OverdueHold, raise_hold_alarms
from scomm.pipeline.runner import pending_ids, run_booking
from scomm.pipeline.timeline import booking_timeline
from scomm.records import Booking
from scomm.records.audit import verify_chain
from scomm.records.base import utcnow
from scomm.stats.report import write_report
from scomm.stats.summary import ProgramSummary, program_summary

console = Console(soft_wrap=True)  # long audit lines stay whole when piped to a file


def register(app: typer.Typer) -> None:
    app.command()(demo)
    app.command(name="submit")(submit_file)
    app.command()(run)
    app.command()(show)
    app.command()(audit)
    app.command()(alarms)


def demo(people: int = typer.Option(540, help="People in the synthetic population."),
         bookings: int = typer.Option(205, help="Bookings in the stream."),
         fresh: bool = typer.Option(False, help="Delete the existing state under SCOMM_HOME first.")) -> None:
    """Build (or reuse) the synthetic world, push its booking stream through the pipeline, summarise."""
    from scomm.sim.outcomes import play_outcomes
    from scomm.sim.stream import StreamParameters
    from scomm.sim.truth import identification_accuracy
    from scomm.sim.world import World, WorldParameters

    settings = Settings()
    if fresh and settings.home.exists():
        shutil.rmtree(settings.home)
    started = time.monotonic()
    ctx = PipelineContext.open(settings)
    world = World(ctx.db, settings.world_dir, WorldParameters(people=people, stream=StreamParameters(bookings=bookings)))
    from scomm.cli.progress import progress_bars

    with progress_bars(console) as bars:
        if world.is_built():
            console.print(f"Reusing the world in {settings.world_dir} (use --fresh to rebuild).")
        info = world.build(bars)
        console.print(f"World: {info.criminal_identities} criminal-history identities, "
                      f"{info.immigration_identities} immigration identities ({info.in_both} people in both), "
                      f"{info.templates} templates, {info.bookings} booking files.")
        files = world.booking_files()
        with ctx.db.session() as s:
            seen = set(s.scalars(select(Booking.tcn)))
        todo = [f for f in files if f.stem not in seen]
        # each booking goes through the stages as soon as intake has stored it, while workers read ahead
        advance = bars("Intake (parse + validate CAR, extract probe)", len(todo))
        advance_run = bars("Pipeline (identify → determine → detain → decide)", len(pending_ids(ctx)) + len(todo))
        _results, stats = run_stream(ctx, ((f.read_bytes(), f.name) for f in todo),
                                     on_intake=lambda _result: advance(1), on_done=lambda _booking: advance_run(1))
    played = play_outcomes(ctx, world.plan())
    overdue = raise_hold_alarms(ctx, utcnow())
    with ctx.db.session() as s:
        summary = program_summary(s)
    accuracy = identification_accuracy(ctx.db, world.plan(), world.params.seed, world.params.population)
    report = write_report(settings.reports_dir / "demo.html", summary, accuracy)
    print_summary(summary, accuracy)
    console.print(f"Processed {stats.completed} bookings this run ({len(stats.failed)} failed), "
                  f"{played} detainer outcomes played out, in {time.monotonic() - started:.0f} s.")
    print_alarms(overdue)
    console.print(f"Holds past their legal deadline: {len(overdue)}" + (" (see `scomm alarms`)" if overdue else ""))
    console.print(f"HTML report: {report}")


def print_summary(s: ProgramSummary, accuracy: dict[str, object] | None = None) -> None:
    t = Table(title="Program summary", show_header=False)
    for label, value in [("submissions received", s.received), ("rejected", s.rejected),
                         ("criminal-history identifications", s.criminal_idents),
                         ("criminal-history non-idents (new FBI records)", s.criminal_non_idents),
                         ("immigration searches", s.immigration_searched),
                         ("not searched (jurisdiction not activated)", s.immigration_not_searched),
                         ("immigration hits", s.immigration_matches),
                         ("IAR statuses", _fmt(s.iar_statuses)), ("levels of immigration hits", _fmt(s.match_levels)),
                         ("ICE decisions", _fmt(s.detainer_actions)), ("detainer outcomes", _fmt(s.detainer_states)),
                         ("removals by level", _fmt(s.removals_by_level)), ("audit events", s.audit_events)]:
        t.add_row(label, str(value))
    console.print(t)
    j = Table(title="Holds by jurisdiction (rule that decided)")
    for col in ("jurisdiction", "activated", "bookings", "imm. hits", "detainers", "honored", "declined", "rules"):
        j.add_column(col)
    for row in s.jurisdictions:
        j.add_row(row.code, row.activated_on, str(row.submissions), str(row.immigration_matches), str(row.detainers),
                  str(row.holds_honored), str(row.holds_declined),
                  "\n".join(f"{r} ×{n}" for r, n in row.rules.most_common()))
    console.print(j)
    if accuracy:
        console.print("Identification vs ground truth: " + _fmt(accuracy))


def _fmt(d: dict[str, object]) -> str:
    return ", ".join(f"{k} {v}" for k, v in d.items()) or "none"


def submit_file(files: list[Path] = typer.Argument(..., help="ANSI/NIST-ITL transaction files.")) -> None:
    """Process transaction files end to end: one file prints its responses, several a line each.

    Several files are read (parsed, decoded, validated, probe extracted) by one worker per core while
    each booking already stored goes through the stages. Exit 1 when any file is rejected.
    """
    missing = [f for f in files if not f.is_file()]
    if missing:
        console.print(f"[red]no such file: {', '.join(map(str, missing))}[/red]")
        raise typer.Exit(2)
    ctx = PipelineContext.open()
    if len(files) > 1:
        _submit_files(ctx, files)
        return
    file = files[0]
    result = submit(ctx, file.read_bytes(), file.name)
    if not result.accepted:
        console.print(f"[red]REJECTED[/red] {file.name} (TCN {result.tcn or 'unreadable'}): "
                      f"{len(result.violations)} violation(s)")
        for v in result.violations:
            console.print(escape(f"  - [{v.rule}] {v.message}"))
        console.print(f"Error response (ERRT) stored with submission {result.submission_id}.")
        raise typer.Exit(1)
    if result.duplicate:
        console.print(f"TCN {result.tcn} was received before: answering from the store.")
    assert result.booking_id is not None
    run_booking(ctx, result.booking_id)
    print_timeline(result.tcn or "", ctx, events=False)


def _submit_files(ctx: PipelineContext, files: list[Path]) -> None:
    from scomm.cli.progress import progress_bars

    with progress_bars(console) as bars:
        advance = bars("Intake + pipeline", len(files))
        results, stats = run_stream(ctx, ((f.read_bytes(), f.name) for f in files), on_intake=lambda _r: advance(1))
    table = Table(title=f"{len(files)} files")
    for col in ("file", "TCN", "intake", "criminal history", "immigration", "stage"):
        table.add_column(col)
    with ctx.db.session() as s:
        for file, result in zip(files, results):
            if not result.accepted:
                first = result.violations[0] if result.violations else None
                more = f" (+{len(result.violations) - 1} more)" if len(result.violations) > 1 else ""
                why = escape(f"[{first.rule}] {first.message}{more}") if first else ""  # rules look like markup
                table.add_row(file.name, result.tcn or "unreadable", "[red]REJECTED[/red]", why, "", "")
                continue
            b = s.get(Booking, result.booking_id)
            assert b is not None
            crim = ("" if b.criminal_hit is None else f"ident {b.fbi_number}" if b.criminal_hit
                    else f"non-ident, new record {b.fbi_number}" if b.fbi_number else "non-ident")
            imm = ("not searched" if not b.immigration_searched
                   else f"hit {b.fin}: {b.iar_status or ''}" if b.immigration_hit else "no match")
            table.add_row(file.name, b.tcn, "duplicate" if result.duplicate else "accepted", crim, imm,
                          b.stage + (f" ({b.error})" if b.error else ""))
    console.print(table)
    rejected = sum(not r.accepted for r in results)
    console.print(f"{len(results) - rejected} accepted, {rejected} rejected (ERRT stored); "
                  f"{stats.completed} bookings completed, {len(stats.failed)} failed {stats.failed or ''}")
    if rejected:
        raise typer.Exit(1)


def run() -> None:
    """Advance every unfinished booking (after a crash, or bookings received without processing)."""
    ctx = PipelineContext.open()
    stats = run_pending(ctx)
    console.print(f"{stats.completed} bookings completed, {len(stats.failed)} failed {stats.failed or ''}")
    print_alarms(raise_hold_alarms(ctx, utcnow()))


def print_alarms(found: list[OverdueHold]) -> None:
    for o in found:
        console.print(f"[red]ALARM[/red] {o.tcn} ({o.ori}) held past deadline {o.deadline} by {o.overdue_by}")


def show(tcn: str = typer.Argument(..., help="Transaction control number.")) -> None:
    """Everything known about a booking, with each step's audit events in order."""
    ctx = PipelineContext.open()
    try:
        print_timeline(tcn, ctx, events=True)
    except RecordNotFound as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc


def print_timeline(tcn: str, ctx: PipelineContext, events: bool) -> None:
    with ctx.db.session() as s:
        timeline = booking_timeline(s, tcn)
    console.print(timeline.render(events=events), highlight=False)


def audit() -> None:
    """Verify the audit log's hash chain."""
    ctx = PipelineContext.open()
    with ctx.db.session() as s:
        broken = verify_chain(s)
    if broken is None:
        console.print("audit chain intact")
    else:
        console.print(f"[red]audit chain broken at event {broken}[/red]")
        sys.exit(1)


def alarms(now: str = typer.Option("", help="ISO time to check against (default: now).")) -> None:
    """Holds still running past their legal deadline."""
    from datetime import datetime

    ctx = PipelineContext.open()
    found = raise_hold_alarms(ctx, datetime.fromisoformat(now) if now else utcnow())
    print_alarms(found)
    if not found:
        console.print("no hold past its deadline")
    raise typer.Exit(1 if found else 0)
