"""The hold clock's alarm in the pipeline: a hold running past its deadline is raised once in the audit log,
reported every time it is still found, and never for a hold still within its deadline."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from scomm.pipeline import PipelineContext
from scomm.pipeline.outcomes import HOLD_ALARM, raise_hold_alarms
from scomm.records import AuditEvent
from scomm.records.audit import verify_chain
from tests.stats import factories as f

DEADLINE = datetime(2012, 3, 7, 17, 0)


def _held(ctx: PipelineContext) -> str:
    with ctx.db.session() as s:
        j = f.jurisdiction(s, "MA-SUFFOLK", "MA")
        b = f.booking(s, j, datetime(2012, 3, 1, 9), hit=True, level="level_2")
        d = f.detainer(s, b, state="held", release=datetime(2012, 3, 5, 17), deadline=DEADLINE)
        f.decision(s, b, d, hold=True)
        return b.tcn


def _alarms(ctx: PipelineContext) -> list[AuditEvent]:
    with ctx.db.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == HOLD_ALARM)))


def test_a_hold_within_its_deadline_raises_nothing(ctx: PipelineContext) -> None:
    _held(ctx)
    assert raise_hold_alarms(ctx, DEADLINE - timedelta(minutes=1)) == []
    assert _alarms(ctx) == []


def test_an_overdue_hold_is_alarmed_once_and_reported_while_it_lasts(ctx: PipelineContext, caplog) -> None:
    tcn = _held(ctx)
    first = raise_hold_alarms(ctx, DEADLINE + timedelta(hours=3))
    again = raise_hold_alarms(ctx, DEADLINE + timedelta(hours=5))
    assert [o.tcn for o in first] == [tcn] and [o.tcn for o in again] == [tcn]
    assert again[0].overdue_by == timedelta(hours=5)
    events = _alarms(ctx)
    assert [(e.tcn, e.actor, e.details["overdue_hours"]) for e in events] == [(tcn, "scomm:hold-clock", 3.0)]
    assert sum("past its deadline" in r.getMessage() for r in caplog.records) == 2
    with ctx.db.session() as s:
        assert verify_chain(s) is None
