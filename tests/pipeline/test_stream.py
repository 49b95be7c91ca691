"""Intake and the stages together (`run_stream`): the records of submitting everything and then running
the pipeline, with each file decoded once and its probe extracted by the intake reader."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from scomm.config import Settings
from scomm.pipeline import PipelineContext, run_pending, run_stream, submit
from scomm.pipeline import identify as identify_stage
from scomm.records import AuditEvent, Booking, BookingStage, MatchRecord, Response
from scomm.records.audit import verify_chain
from scomm.sim.world import World
from tests import worlds
from tests.worlds import submit_all


def _copy(built_world: Path, home: Path) -> tuple[PipelineContext, World]:
    shutil.copytree(built_world, home)
    settings = Settings(home=home)
    ctx = PipelineContext.open(settings)
    return ctx, World(ctx.db, settings.world_dir, worlds.SMALL)


@pytest.fixture
def two_copies(built_world: Path, tmp_path: Path) -> Iterator[tuple[tuple[PipelineContext, World], ...]]:
    copies = (_copy(built_world, tmp_path / "one"), _copy(built_world, tmp_path / "two"))
    yield copies
    for ctx, _world in copies:
        ctx.db.dispose()


def _outcome(ctx: PipelineContext) -> dict[str, tuple]:
    """Per TCN: what identification, determination and the responses made of the booking."""
    with ctx.db.session() as s:
        out = {}
        for b in s.scalars(select(Booking)):
            matches = [(m.gallery, m.rank, m.subject, round(m.score, 9), m.is_hit)
                       for m in s.scalars(select(MatchRecord).where(MatchRecord.booking_id == b.id)
                                          .order_by(MatchRecord.gallery, MatchRecord.rank))]
            kinds = sorted(r.kind for r in s.scalars(select(Response).where(Response.booking_id == b.id)))
            out[b.tcn] = (b.stage, b.criminal_hit, b.immigration_searched, b.immigration_hit, b.fin,
                          b.iar_status, b.level, b.fbi_number is not None, matches, kinds)
        return out


def _no_extraction_here(raw: bytes) -> None:
    raise AssertionError("the identify stage extracted a probe the intake reader should have given it")


def test_stream_gives_the_records_of_submit_then_run_and_decodes_once(two_copies, monkeypatch) -> None:
    (ctx_a, world_a), (ctx_b, world_b) = two_copies
    submit_all(ctx_a, world_a)
    assert run_pending(ctx_a, workers=1).failed == []

    files = [(f.read_bytes(), f.name) for f in world_b.booking_files()]
    monkeypatch.setattr(identify_stage, "extract_probe", _no_extraction_here)
    taken: list[int] = []
    results, stats = run_stream(ctx_b, files, workers=2, on_done=taken.append)

    assert stats.failed == [] and stats.completed == len(files) == len(taken)
    assert all(r.accepted and not r.duplicate for r in results)
    assert ctx_b.probes == {}  # every probe handed over was used
    assert _outcome(ctx_b) == _outcome(ctx_a)
    with ctx_b.db.session() as s:
        assert verify_chain(s) is None


def test_stream_finishes_earlier_bookings_first_and_answers_duplicates_from_the_store(world_ctx) -> None:
    ctx, world = world_ctx
    paths = world.booking_files()
    earlier = [submit(ctx, p.read_bytes(), p.name) for p in paths[:3]]  # received, never run
    files = [(p.read_bytes(), p.name) for p in paths]
    done: list[int] = []
    results, stats = run_stream(ctx, files, workers=2, on_done=done.append)

    assert stats.failed == []
    assert done[:3] == [r.booking_id for r in earlier]  # in the order they were received
    assert [r.duplicate for r in results] == [True] * 3 + [False] * (len(paths) - 3)
    assert sorted(done) == sorted({r.booking_id for r in results})
    with ctx.db.session() as s:
        assert all(b.stage == BookingStage.DONE for b in s.scalars(select(Booking)))
        completed = Counter((e.tcn, e.details["stage"]) for e in
                            s.scalars(select(AuditEvent).where(AuditEvent.action == "stage.completed")))
        assert max(completed.values()) == 1  # nothing answered twice
        assert verify_chain(s) is None
