"""Intake on the real EBTS files: accepted, stored whole, idempotent; damaged copies rejected precisely."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from scomm.formats import parse_transaction
from scomm.pipeline import submit
from scomm.pipeline.runner import run_booking
from scomm.records import AuditEvent, Booking, BookingStage, Response, Submission

CARS = ["transactions/openebts/NISTFile.ebts", "transactions/openebts/NISTFile2.ebts",
        "transactions/nbis-an2k/type_6_wvu.an2"]


@pytest.mark.parametrize("name", CARS)
def test_real_car_is_accepted_stored_whole_and_identified(ctx, shared_data, name) -> None:
    data = (shared_data / name).read_bytes()
    result = submit(ctx, data, name)
    assert result.accepted and not result.violations
    assert run_booking(ctx, result.booking_id)
    with ctx.db.session() as s:
        booking = s.get(Booking, result.booking_id)
        assert booking.stage == BookingStage.DONE
        assert s.get(Submission, result.submission_id).raw == data  # the original bytes are kept
        assert booking.fbi_number and booking.criminal_hit is False  # an empty gallery: a new record
        kinds = [r.kind for r in s.scalars(select(Response).where(Response.booking_id == booking.id))]
        assert kinds == ["SRE"]
        sre = s.scalar(select(Response.body).where(Response.booking_id == booking.id))
    assert parse_transaction(sre).tot == "SRE"


def test_same_tcn_twice_is_answered_from_the_store(ctx, shared_data) -> None:
    data = (shared_data / CARS[0]).read_bytes()
    first = submit(ctx, data)
    second = submit(ctx, data)
    assert second.duplicate and second.booking_id == first.booking_id
    with ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Booking)) == 1
        assert "intake.duplicate" in list(s.scalars(select(AuditEvent.action)))


@pytest.mark.parametrize("cut", [10, 200, 0.5, 0.9])
def test_truncated_transaction_is_rejected_and_the_rejection_stored(ctx, shared_data, cut) -> None:
    data = (shared_data / CARS[1]).read_bytes()
    damaged = data[: int(len(data) * cut) if isinstance(cut, float) else cut]
    result = submit(ctx, damaged, "damaged.ebts")
    assert not result.accepted and result.violations
    assert all(v.message for v in result.violations)
    assert parse_transaction(result.error_response).tot == "ERRT"
    with ctx.db.session() as s:
        stored = s.get(Submission, result.submission_id)
        assert stored.raw == damaged and not stored.accepted and stored.violations
        assert s.scalar(select(func.count()).select_from(Booking)) == 0  # nothing half-written


def test_corrupted_image_gets_a_violation_naming_the_record(ctx, shared_data) -> None:
    data = bytearray((shared_data / CARS[0]).read_bytes())
    start = data.find(b"\xff\xa0")  # the WSQ start-of-image marker inside the Type-4 record
    assert start > 0
    data[start + 40: start + 400] = bytes(360)
    result = submit(ctx, bytes(data))
    assert not result.accepted
    assert any(v.record.startswith("4") for v in result.violations)


def test_not_a_booking_tot_is_rejected_with_the_reason(ctx, shared_data) -> None:
    result = submit(ctx, (shared_data / "transactions/nbis-an2k/valid1.2.an2").read_bytes())
    assert not result.accepted
    assert any("NFUF is not a booking submission" in v.message for v in result.violations)


def test_ten_print_card_identification_request_is_searched_but_creates_no_record(ctx, shared_data) -> None:
    """NIST's Type-4 card (TOT AMN): fourteen WSQ images, searched against the criminal file only."""
    result = submit(ctx, (shared_data / "images/nist-wsq/nist__sample.an2").read_bytes())
    assert result.accepted
    assert run_booking(ctx, result.booking_id)
    with ctx.db.session() as s:
        booking = s.get(Booking, result.booking_id)
        assert booking.tot == "AMN" and booking.finger_count == 10
        assert booking.criminal_hit is False and booking.fbi_number is None
        assert booking.immigration_searched is False
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.tcn == booking.tcn)
                                 .order_by(AuditEvent.id)))
    assert actions[:3] == ["intake.accepted", "identify.templates", "identify.criminal_non_ident"]


def test_many_files_read_in_parallel_are_stored_as_one_by_one(ctx, shared_data) -> None:
    """Two readers, files out of step with the batch: a good file, a damaged one, the good one again."""
    from scomm.pipeline import submit_many

    good = (shared_data / CARS[0]).read_bytes()
    other = (shared_data / CARS[2]).read_bytes()
    damaged = good[:300]
    seen = []
    results = submit_many(ctx, [(good, "a.ebts"), (damaged, "b.ebts"), (good, "c.ebts"), (other, "d.an2")],
                          workers=2, on_each=seen.append)
    assert seen == results
    assert [r.accepted for r in results] == [True, False, True, True]
    assert results[2].duplicate and results[2].booking_id == results[0].booking_id
    assert results[1].violations and parse_transaction(results[1].error_response).tot == "ERRT"
    with ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Booking)) == 2
        assert [x.filename for x in s.scalars(select(Submission).order_by(Submission.id))] == ["a.ebts", "b.ebts",
                                                                                              "d.an2"]


def test_submit_command_takes_several_files_and_names_each_outcome(settings, shared_data, tmp_path,
                                                                   monkeypatch) -> None:
    import typer
    from typer.testing import CliRunner

    from scomm.cli.pipeline import register
    from scomm.pipeline import PipelineContext

    app = typer.Typer()
    register(app)
    monkeypatch.setenv("SCOMM_HOME", str(settings.home))
    damaged = tmp_path / "damaged.ebts"
    damaged.write_bytes((shared_data / CARS[1]).read_bytes()[:300])
    files = [str(shared_data / CARS[0]), str(damaged), str(shared_data / CARS[2]), str(shared_data / CARS[0])]
    result = CliRunner().invoke(app, ["submit", *files], catch_exceptions=False, env={"COLUMNS": "200"})
    assert result.exit_code == 1  # one file was rejected
    assert "REJECTED" in result.output and "3 accepted, 1 rejected" in result.output
    assert "[truncated] record 2: file truncated at byte 300" in result.output  # the rule, not eaten as markup
    assert "duplicate" in result.output and "2 bookings completed, 0 failed" in result.output
    ctx = PipelineContext.open(settings)
    with ctx.db.session() as s:
        assert [b.stage for b in s.scalars(select(Booking))] == [BookingStage.DONE] * 2
        assert s.scalar(select(func.count()).select_from(Submission)) == 3  # the rejection is stored too
