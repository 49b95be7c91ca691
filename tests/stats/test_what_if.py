"""`simulate_policy` and `scomm policy simulate`: re-deciding stored bookings under another policy."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from scomm.cli.policy import app
from scomm.config import Settings
from scomm.errors import RecordNotFound
from scomm.pipeline import PipelineContext
from scomm.pipeline.decide import policy_for
from scomm.records import AuditEvent, Booking, Detainer, Jurisdiction, LocalDecisionRecord, Submission
from scomm.rules.levels import Level
from scomm.rules.policies import LOCAL_DIR, load_policy
from scomm.stats.what_if import simulate_policy

ALL_TIME = (date(2008, 1, 1), date(2020, 12, 31))
COOK_2011 = (date(2011, 9, 7), date(2020, 12, 31))  # cook_county_2011 in force: every hold declined


@pytest.fixture(scope="module")
def processed_home(processed_world: Path) -> Path:
    return processed_world


@pytest.fixture
def world_db(processed_home: Path) -> Iterator[PipelineContext]:
    ctx = PipelineContext.open(Settings(home=processed_home))
    yield ctx
    ctx.db.dispose()


def test_honoring_all_where_holds_were_declined_adds_holds(world_db: PipelineContext) -> None:
    with world_db.db.session() as s:
        result = simulate_policy(s, load_policy("honor_all"), "IL-COOK", *COOK_2011)
    assert result.total.bookings > 0, "the small world should lodge detainers in Cook County"
    assert result.actual_policies == ["cook_county_2011"]
    assert result.total.alternative_holds >= result.total.actual_holds
    assert (result.total.actual_holds, result.total.alternative_holds) == (0, result.total.bookings)
    assert len(result.flips) == result.total.bookings
    assert all(f.alternative_hold and not f.actual_hold and f.actual_policy == "cook_county_2011"
               for f in result.flips)
    assert result.total.alternative_hours >= result.total.actual_hours == 0


def test_simulating_the_policy_in_force_flips_nothing(world_db: PipelineContext) -> None:
    with world_db.db.session() as s:
        jurisdictions = {j.id: j for j in s.scalars(select(Jurisdiction))}
        rows = s.execute(select(Booking, LocalDecisionRecord)
                         .join(LocalDecisionRecord, LocalDecisionRecord.booking_id == Booking.id)).all()
        assert rows, "the small world should decide some detainers"
        for booking, stored in rows:
            j, day = jurisdictions[booking.jurisdiction_id], booking.booked_at.date()
            result = simulate_policy(s, policy_for(j, day), j.code, day, day)
            assert result.flips == [] and result.total.bookings >= 1
            assert result.total.actual_holds == result.total.alternative_holds
            assert result.total.actual_hours == result.total.alternative_hours
            assert (result.total.actual_holds > 0) == stored.hold  # the same decision the pipeline stored


def test_the_date_range_selects_bookings_by_booking_date(world_db: PipelineContext) -> None:
    with world_db.db.session() as s:
        booked = sorted(b.booked_at.date() for b in s.scalars(
            select(Booking).join(Detainer, Detainer.booking_id == Booking.id)
            .join(Jurisdiction, Jurisdiction.id == Booking.jurisdiction_id)
            .where(Jurisdiction.code == "IL-COOK", Detainer.action == "lodge")))
        honor = load_policy("honor_all")
        assert simulate_policy(s, honor, "IL-COOK", *ALL_TIME).total.bookings == len(booked)
        first = simulate_policy(s, honor, "IL-COOK", booked[0], booked[0])
        assert first.total.bookings == booked.count(booked[0])
        before = booked[0] - timedelta(days=1)
        assert simulate_policy(s, honor, "IL-COOK", date(2008, 1, 1), before).total.bookings == 0
        with pytest.raises(ValueError, match="before it starts"):
            simulate_policy(s, honor, "IL-COOK", booked[0], before)
        with pytest.raises(RecordNotFound):
            simulate_policy(s, honor, "XX-NOWHERE", *ALL_TIME)


def test_json_shape(world_db: PipelineContext) -> None:
    with world_db.db.session() as s:
        out = simulate_policy(s, load_policy("honor_all"), "IL-COOK", *ALL_TIME).to_dict()
    json.dumps(out)
    assert set(out) == {"jurisdiction", "alternative_policy", "start", "end", "actual_policies", "total",
                        "by_level", "by_criminality", "no_release_recorded", "assumed_to_deadline", "flips"}
    assert set(out["by_level"]) == {lv.value for lv in Level}
    assert set(out["by_criminality"]) == {"criminal", "non_criminal"}
    assert set(out["total"]) == {"bookings", "actual_holds", "alternative_holds", "actual_hours",
                                 "alternative_hours", "holds_difference", "hours_difference"}
    assert out["total"]["bookings"] == sum(t["bookings"] for t in out["by_level"].values())
    assert out["total"]["bookings"] == sum(t["bookings"] for t in out["by_criminality"].values())
    assert all(set(f) == {"tcn", "level", "pathway", "actual_policy", "actual_rule", "actual_hold",
                          "alternative_rule", "alternative_hold"} for f in out["flips"])


def test_a_simulation_writes_only_its_audit_event(world_db: PipelineContext) -> None:
    tables = (Booking, Detainer, LocalDecisionRecord, AuditEvent)
    with world_db.db.session() as s:
        before = [s.scalar(select(func.count()).select_from(t)) for t in tables]
        simulate_policy(s, load_policy("honor_all"), "IL-COOK", *ALL_TIME, actor="analyst:kim")
    with world_db.db.session() as s:
        after = [s.scalar(select(func.count()).select_from(t)) for t in tables]
        event = s.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    assert after == [*before[:3], before[3] + 1]
    assert (event.actor, event.action, event.subject) == ("analyst:kim", "policy.simulated", "IL-COOK")
    assert {"policy": "honor_all", "start": "2008-01-01", "end": "2020-12-31"}.items() <= event.details.items()


def test_cli_simulate(processed_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    shutil.copytree(processed_home, home)
    monkeypatch.setenv("SCOMM_HOME", str(home))
    runner = CliRunner()
    args = ["simulate", "--policy", "honor_all", "--jurisdiction", "IL-COOK", "--from", "2011-09-07",
            "--to", "2014-12-31"]
    table = runner.invoke(app, [*args, "--chart", str(tmp_path / "c.html")])
    assert table.exit_code == 0, table.output
    assert "cook_county_2011 → honor_all" in table.output and "whose hold decision flips" in table.output
    html = (tmp_path / "c.html").read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and html.count("<svg") == 2
    as_json = runner.invoke(app, [*args, "--json", "--chart", str(tmp_path / "c.svg")])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output)["total"]["alternative_holds"] > 0
    assert (tmp_path / "c.svg").read_text(encoding="utf-8").startswith("<svg")
    for bad in (["--from", "2011-13-01"], ["--jurisdiction", "XX-NOWHERE"], ["--chart", "c.png"],
                ["--policy", "no_such_policy"]):
        failed = runner.invoke(app, [*args, *bad])
        assert failed.exit_code == 2 and "error:" in failed.output


# Hand-built records: exact counted hours.

MONDAY = datetime(2012, 3, 5, 10, 0)  # no federal holiday that week


def _honor_24(tmp_path: Path) -> Path:
    """honor_all with a 24-hour clock, as a policy file of its own."""
    text = (LOCAL_DIR / "honor_all.yaml").read_text(encoding="utf-8")
    path = tmp_path / "honor_24.yaml"
    path.write_text(text.replace("name: honor_all", "name: honor_24").replace("hold_hours: 48", "hold_hours: 24"),
                    encoding="utf-8")
    return path


def _detained(ctx: PipelineContext, n: int, level: Level, **detainer: object) -> None:
    with ctx.db.session() as s:
        j = s.scalar(select(Jurisdiction).where(Jurisdiction.code == "XX-TEST"))
        if j is None:
            j = Jurisdiction(code="XX-TEST", name="Test County", state="XX", county="Test", activated_on=None,
                             policy_names=["honor_all"])
            s.add(j)
            s.flush()
        sub = Submission(sha256="0" * 64, tcn=f"TWI{n}", ori="XX0000000", raw=b"", accepted=True)
        s.add(sub)
        s.flush()
        booking = Booking(tcn=f"TWI{n}", submission_id=sub.id, ori="XX0000000", jurisdiction_id=j.id, tot="CAR",
                          booked_at=MONDAY - timedelta(days=1), stage="done", pob="MX", citizenship=["MX"],
                          level=level.value)
        s.add(booking)
        s.flush()
        s.add(Detainer(booking_id=booking.id, action="lodge", basis="notice_to_appear", policy="ice_2011",
                       rule_id="r", reason="r", level=level.value, **detainer))


def test_counted_hold_hours_actual_and_alternative(ctx: PipelineContext, tmp_path: Path) -> None:
    deadline_48 = datetime(2012, 3, 7, 10, 0)
    _detained(ctx, 1, Level.LEVEL_1, state="released", release_at=MONDAY, hold_deadline=deadline_48,
              closed_at=deadline_48)  # ICE never came: 48 h; under 24 h, assumed to its deadline: 24 h
    _detained(ctx, 2, Level.NON_CRIMINAL, state="removed", release_at=MONDAY, hold_deadline=deadline_48,
              transferred_at=MONDAY + timedelta(hours=30), closed_at=MONDAY + timedelta(days=45))  # 30 h; 24 h
    _detained(ctx, 3, Level.NON_CRIMINAL, state="lodged")  # no release recorded
    with ctx.db.session() as s:
        result = simulate_policy(s, load_policy(_honor_24(tmp_path)), "XX-TEST", *ALL_TIME)
    assert result.flips == [] and result.total.bookings == 3
    assert (result.total.actual_holds, result.total.alternative_holds) == (3, 3)
    assert (result.total.actual_hours, result.total.alternative_hours) == (78.0, 48.0)
    assert (result.no_release_recorded, result.assumed_to_deadline) == (1, 1)
    assert result.by_level["level_1"].hours_difference == -24.0
    assert result.by_criminality["non_criminal"].bookings == 2
    assert (result.by_criminality["non_criminal"].actual_hours, result.by_criminality["non_criminal"]
            .alternative_hours) == (30.0, 24.0)
    with ctx.db.session() as s:
        declined = simulate_policy(s, load_policy("cook_county_2011"), "XX-TEST", *ALL_TIME)
    assert [f.tcn for f in declined.flips] == ["TWI1", "TWI2", "TWI3"]
    assert declined.total.alternative_hours == 0 and declined.total.holds_difference == -3
