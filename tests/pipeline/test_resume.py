"""A pipeline killed mid-stream resumes with no booking lost and none answered twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter

from sqlalchemy import func, select

from scomm.pipeline import determine, run_pending
from scomm.pipeline.runner import STAGES, pending_ids
from scomm.records import AuditEvent, Booking, BookingStage, Response
from scomm.records.audit import verify_chain
from tests.worlds import submit_all


def _done(ctx) -> int:
    with ctx.db.session() as s:
        return s.scalar(select(func.count()).select_from(Booking).where(Booking.stage == BookingStage.DONE))


def _assert_each_stage_committed_once(ctx) -> None:
    with ctx.db.session() as s:
        completed = Counter((e.tcn, e.details["stage"]) for e in
                            s.scalars(select(AuditEvent).where(AuditEvent.action == "stage.completed")))
        assert completed and max(completed.values()) == 1
        responses = Counter((r.booking_id, r.kind) for r in s.scalars(select(Response)))
        assert max(responses.values()) == 1
        assert all(b.stage == BookingStage.DONE for b in s.scalars(select(Booking)))
        assert verify_chain(s) is None


def test_killed_process_resumes_without_loss_or_duplicates(world_ctx) -> None:
    ctx, world = world_ctx
    submit_all(ctx, world)
    total = len(pending_ids(ctx))
    env = {**os.environ, "SCOMM_HOME": str(ctx.settings.home)}
    proc = subprocess.Popen([sys.executable, "-c", "from scomm.cli import main; main()", "run"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while _done(ctx) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole group, as a crash of the machine would: its workers too
    proc.wait()
    interrupted_at = _done(ctx)
    assert 0 < interrupted_at < total, "the kill must land mid-stream for this test to mean anything"
    stats = run_pending(ctx)
    assert stats.failed == []
    assert _done(ctx) == total
    _assert_each_stage_committed_once(ctx)


def test_crash_inside_a_stage_rolls_the_stage_back(world_ctx, monkeypatch) -> None:
    ctx, world = world_ctx
    submit_all(ctx, world)
    real = determine.run
    crashed: list[str] = []

    def crash_after_writing(session, context, booking):
        real(session, context, booking)  # writes the SRE and the level ...
        if not crashed:
            crashed.append(booking.tcn)
            raise KeyboardInterrupt("power cut")  # ... then the process dies before commit
        return []

    monkeypatch.setitem(STAGES, BookingStage.DETERMINE, crash_after_writing)
    try:
        run_pending(ctx)
    except KeyboardInterrupt:
        pass
    with ctx.db.session() as s:
        b = s.scalar(select(Booking).where(Booking.tcn == crashed[0]))
        assert b.stage == BookingStage.DETERMINE
        assert not list(s.scalars(select(Response).where(Response.booking_id == b.id)))
    monkeypatch.setitem(STAGES, BookingStage.DETERMINE, real)
    run_pending(ctx)
    _assert_each_stage_committed_once(ctx)
