"""The whole path on a small synthetic world: bookings in, decisions and outcomes out."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from scomm.records import AuditEvent, Booking, BookingStage, Detainer, DetainerState, Jurisdiction, Response
from scomm.records.audit import verify_chain
from scomm.sim.truth import identification_accuracy
from scomm.stats.summary import program_summary
from tests.worlds import SMALL


@pytest.fixture
def processed(processed_ctx):
    ctx, world = processed_ctx
    return ctx, world, None


def test_every_booking_completes_with_one_identification_response(processed) -> None:
    ctx, world, _ = processed
    with ctx.db.session() as s:
        bookings = list(s.scalars(select(Booking)))
        assert len(bookings) == SMALL.stream.bookings
        assert all(b.stage == BookingStage.DONE for b in bookings)
        kinds = Counter((r.booking_id, r.kind) for r in s.scalars(select(Response)))
        assert all(kinds[(b.id, "SRE")] == 1 for b in bookings)
        for b in bookings:
            if b.immigration_hit:
                assert kinds[(b.id, "IAQ")] == 1 and kinds[(b.id, "IAR")] == 1 and b.iar_status


def test_identification_matches_the_ground_truth(processed) -> None:
    ctx, world, _ = processed
    acc = identification_accuracy(ctx.db, world.plan(), SMALL.seed)
    crim_total = sum(v for k, v in acc.items() if k.startswith("criminal"))
    assert acc["criminal false_ident"] == 0 and acc["criminal wrong"] == 0
    assert acc["criminal correct"] >= 0.85 * crim_total
    assert acc["immigration false_match"] == 0


def test_immigration_search_only_where_activated_on_the_booking_date(processed) -> None:
    ctx, _, _ = processed
    with ctx.db.session() as s:
        for b in s.scalars(select(Booking)):
            j = s.get(Jurisdiction, b.jurisdiction_id)
            assert b.immigration_searched == j.is_activated(b.booked_at.date())
            if not b.immigration_searched:
                reasons = s.scalars(select(AuditEvent.action).where(AuditEvent.tcn == b.tcn))
                assert "identify.immigration_not_searched" in list(reasons)


def test_no_detainer_is_lodged_on_evidence_of_citizenship(processed) -> None:
    ctx, _, _ = processed
    with ctx.db.session() as s:
        rows = s.execute(select(Booking.iar_status, Detainer.action).join(Detainer, Detainer.booking_id == Booking.id))
        for status, action in rows:
            if status and status.startswith("usc"):
                assert action != "lodge"


def test_no_hold_outlives_its_deadline(processed) -> None:
    ctx, _, _ = processed
    with ctx.db.session() as s:
        for d in s.scalars(select(Detainer).where(Detainer.hold_deadline.is_not(None))):
            end = d.transferred_at or d.closed_at
            assert end is not None and end <= d.hold_deadline
            assert d.state in (DetainerState.TRANSFERRED, DetainerState.REMOVED, DetainerState.RELEASED)


def test_summary_and_audit_chain(processed) -> None:
    ctx, _, _ = processed
    with ctx.db.session() as s:
        summary = program_summary(s)
        assert verify_chain(s) is None
    assert summary.accepted == SMALL.stream.bookings and summary.rejected == 0
    assert summary.criminal_idents + summary.criminal_non_idents == SMALL.stream.bookings
    assert summary.immigration_matches > 0
    assert sum(summary.match_levels.values()) == summary.immigration_matches
