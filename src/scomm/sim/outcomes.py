"""Playing out what happens after each decision in the synthetic world: release, ICE pickup, removal.

The plan says how long each person would stay in custody and when ICE would come; the pipeline's
outcome functions decide what is lawful (a hold never outlives its deadline).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from scomm.pipeline.context import PipelineContext
from scomm.pipeline.outcomes import (record_jail_release, record_release, record_removal, record_review,
                                     record_transfer)
from scomm.records import Booking, Detainer, DetainerState, LocalDecisionRecord
from scomm.sim.stream import PlannedBooking

REMOVABLE = {"removable_criminal", "removable_noncriminal", "lpr_removable_by_conviction"}


@dataclass(frozen=True)
class OutcomeParameters:
    removal_rate: float = 0.85  # share of transfers of removable people that end in removal
    days_to_removal: int = 45


def play_outcomes(ctx: PipelineContext, plan: list[PlannedBooking],
                  params: OutcomeParameters = OutcomeParameters()) -> int:
    """Apply the planned events to every booking whose detainer has no outcome yet; returns how many."""
    by_tcn = {p.tcn: p for p in plan}
    with ctx.db.session() as s:
        rows = s.execute(select(Booking.tcn, Detainer.state, Booking.iar_status)
                         .join(Detainer, Detainer.booking_id == Booking.id)
                         .where(Detainer.state.in_([DetainerState.LODGED, DetainerState.HUMAN_REVIEW]))).all()
    played = 0
    for tcn, state, status in rows:
        planned = by_tcn.get(tcn)
        if planned is None:
            continue
        if state == DetainerState.HUMAN_REVIEW:
            record_review(ctx, tcn, "reviewer confirmed the safeguard evidence; no detainer", lodge=False,
                          reviewer="sim")
        else:
            _play(ctx, planned, status, params)
        played += 1
    return played


def _play(ctx: PipelineContext, planned: PlannedBooking, status: str | None, params: OutcomeParameters) -> None:
    release = planned.booked_datetime + timedelta(hours=planned.custody_hours)
    with ctx.db.session() as s:
        decided = s.scalar(select(LocalDecisionRecord.id).join(Booking, Booking.id == LocalDecisionRecord.booking_id)
                           .where(Booking.tcn == planned.tcn))
    if decided is None:
        return
    detainer = record_release(ctx, planned.tcn, release)
    if detainer.state != DetainerState.HELD or detainer.hold_deadline is None:
        return  # hold declined: the person walks out at the otherwise-release time
    pickup = None if planned.ice_pickup_hours is None else release + timedelta(hours=planned.ice_pickup_hours)
    if pickup is None or pickup > detainer.hold_deadline:
        record_jail_release(ctx, planned.tcn, detainer.hold_deadline, "hold deadline reached without ICE pickup")
        return
    record_transfer(ctx, planned.tcn, pickup)
    if status in REMOVABLE and planned.removal_rate_key < params.removal_rate:
        record_removal(ctx, planned.tcn, pickup + timedelta(days=params.days_to_removal))
