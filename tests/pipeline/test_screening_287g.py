"""The 287(g) jail pathway on hand-built records: sentenced inmates due for release, screened by an officer."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from scomm.cli.jail import app
from scomm.config import Settings
from scomm.pipeline import PipelineContext, run_pending
from scomm.pipeline.screening_287g import screen_sentenced_inmates, sentenced_inmates_due
from scomm.records import (Arrest, ArrestCharge, AuditEvent, Booking, BookingStage, CriminalIdentity, Detainer,
                           DetainerState, Encounter, ImmigrationIdentity, Jurisdiction, LocalDecisionRecord,
                           Response, Submission)
from scomm.records.audit import verify_chain
from scomm.rules.jail_287g import Agreement287g

MOA = Agreement287g("Massachusetts Department of Correction", signed=date(2007, 3, 1))
BOOKED = datetime(2011, 2, 1, 9, 0)
SENTENCED = date(2011, 4, 1)
SCREEN_ON = date(2011, 7, 20)  # 170 days after booking; a 180-day sentence ends 2011-07-31


def _jurisdiction(session: Session) -> Jurisdiction:
    j = session.scalar(select(Jurisdiction).where(Jurisdiction.code == "MA-DOC"))
    if j is None:
        j = Jurisdiction(code="MA-DOC", name="Massachusetts DOC", state="MA", county="Suffolk",
                         activated_on=None, policy_names=["honor_all"], ice_office="ERO Boston")
        session.add(j)
        session.flush()
    return j


def inmate(ctx: PipelineContext, n: int, encounters: tuple[str, ...] = ("entry_without_inspection",),
           sentence_days: int | None = 180, pob: str = "MX", claim: str = "MX") -> str:
    """A finished booking of MA-DOC whose person was convicted in this custody, with immigration history."""
    tcn = f"T287G{n:06d}"
    with ctx.db.session() as s:
        j = _jurisdiction(s)
        sub = Submission(sha256="0" * 64, tcn=tcn, ori="MA0000000", raw=b"", accepted=True)
        s.add(sub)
        s.flush()
        fin = f"FIN{n:05d}" if encounters else None
        s.add(Booking(tcn=tcn, submission_id=sub.id, ori="MA0000000", jurisdiction_id=j.id, tot="CAR",
                      booked_at=BOOKED, stage=BookingStage.DONE, name=f"INMATE,{n}", dob=date(1980, 1, 1),
                      sex="M", pob=pob, citizenship=[claim], fbi_number=f"FBI{n:05d}", criminal_hit=True,
                      immigration_searched=False, fin=fin))
        person = CriminalIdentity(fbi_number=f"FBI{n:05d}", name=f"INMATE,{n}", dob=date(1980, 1, 1), sex="M",
                                  pob=pob)
        arrest = Arrest(identity=person, date=BOOKED.date(), ori="MA0000000", tcn=tcn)
        arrest.charges.append(ArrestCharge(ncic_code="1313", literal="ASSAULT", offense_class="felony",
                                           disposition="convicted", disposition_date=SENTENCED,
                                           max_sentence_days=1825, sentence_days=sentence_days))
        s.add_all([person, arrest])
        if fin:
            imm = ImmigrationIdentity(fin=fin, name=f"INMATE,{n}", dob=date(1980, 1, 1), pob=pob)
            imm.encounters.extend(Encounter(kind=k, date=date(2000 + i, 1, 1)) for i, k in enumerate(encounters))
            s.add(imm)
    return tcn


def test_a_sentenced_removable_inmate_gets_a_287g_detainer(ctx: PipelineContext) -> None:
    tcn = inmate(ctx, 1)
    [result] = screen_sentenced_inmates(ctx, "MA-DOC", SCREEN_ON, MOA, "ofc.reyes")
    assert (result.tcn, result.action, result.basis) == (tcn, "lodge", "notice_to_appear")
    assert result.expected_release == date(2011, 7, 31)
    with ctx.db.session() as s:
        detainer = s.scalar(select(Detainer))
        assert detainer.state == DetainerState.LODGED and detainer.policy == f"287g:{MOA.agency}"
        assert detainer.rule_id == "287g.lodge.notice_to_appear"
        assert [r.kind for r in s.scalars(select(Response))] == ["I247"]
        events = list(s.scalars(select(AuditEvent).where(AuditEvent.tcn == tcn)))
        assert {e.action for e in events} == {"detain.lodge", "respond.i247"}
        assert all(e.actor == "287g:ofc.reyes" and e.details["pathway"] == "287g" for e in events)
        assert not any(e.actor == "ice:ero" for e in events)
        assert verify_chain(s) is None


def test_the_jail_policy_then_decides_the_287g_detainer(ctx: PipelineContext) -> None:
    inmate(ctx, 1)
    screen_sentenced_inmates(ctx, "MA-DOC", SCREEN_ON, MOA, "ofc.reyes")
    assert run_pending(ctx).failed == []
    with ctx.db.session() as s:
        decision = s.scalar(select(LocalDecisionRecord))
        assert decision.policy == "honor_all" and decision.hold
        assert s.scalar(select(Booking.stage)) == BookingStage.DONE


def test_a_naturalized_citizen_goes_to_human_review(ctx: PipelineContext) -> None:
    inmate(ctx, 2, encounters=("lawful_permanent_resident", "naturalization"))
    [result] = screen_sentenced_inmates(ctx, "MA-DOC", SCREEN_ON, MOA, "ofc.reyes")
    assert result.action == "human_review" and "citizenship" in result.reasons[0]
    with ctx.db.session() as s:
        detainer = s.scalar(select(Detainer))
        assert detainer.state == DetainerState.HUMAN_REVIEW and detainer.basis is None
        assert s.scalar(select(Response)) is None


def test_screening_twice_lodges_once(ctx: PipelineContext) -> None:
    inmate(ctx, 1)
    first = screen_sentenced_inmates(ctx, "MA-DOC", SCREEN_ON, MOA, "ofc.reyes")
    second = screen_sentenced_inmates(ctx, "MA-DOC", SCREEN_ON, MOA, "ofc.diaz")
    assert [r.action for r in first] == ["lodge"] and second == []
    with ctx.db.session() as s:
        assert len(list(s.scalars(select(Detainer)))) == 1
        assert len(list(s.scalars(select(AuditEvent).where(AuditEvent.action == "detain.lodge")))) == 1


@pytest.mark.parametrize("agreement", [Agreement287g("Late Sheriff", signed=date(2012, 1, 1)),
                                       Agreement287g("Lapsed Sheriff", signed=date(2007, 1, 1),
                                                     expires=date(2010, 12, 31))])
def test_no_agreement_in_force_lodges_nothing(ctx: PipelineContext, agreement: Agreement287g) -> None:
    inmate(ctx, 1)
    assert screen_sentenced_inmates(ctx, "MA-DOC", SCREEN_ON, agreement, "ofc.reyes") == []
    with ctx.db.session() as s:
        assert s.scalar(select(Detainer)) is None
        refused = s.scalar(select(AuditEvent).where(AuditEvent.action == "screen287g.refused"))
        assert refused.details["pathway"] == "287g" and "no 287(g) MOA" in refused.details["reason"]


def test_only_sentenced_inmates_due_for_release_are_screened(ctx: PipelineContext) -> None:
    due = inmate(ctx, 1)  # 180 days from 2011-02-01: release 2011-07-31
    inmate(ctx, 2, sentence_days=None)  # convicted, no sentence
    inmate(ctx, 3, sentence_days=400)  # release 2012-03-07: not yet due
    inmate(ctx, 4, sentence_days=100)  # release 2011-05-12: already out
    with ctx.db.session() as s:
        found = sentenced_inmates_due(s, _jurisdiction(s), SCREEN_ON)
        tcns = {s.get(Booking, booking_id).tcn for booking_id, _ in found}
    assert tcns == {due}


def test_a_booking_sc_already_decided_is_left_to_sc(ctx: PipelineContext) -> None:
    tcn = inmate(ctx, 1)
    with ctx.db.session() as s:
        booking = s.scalar(select(Booking).where(Booking.tcn == tcn))
        s.add(Detainer(booking_id=booking.id, state="not_lodged", action="no_action", policy="ice_2011",
                       rule_id="x", reason="sc decided"))
    assert screen_sentenced_inmates(ctx, "MA-DOC", SCREEN_ON, MOA, "ofc.reyes") == []


def test_cli_screen_287g(ctx: PipelineContext, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    inmate(ctx, 1)
    monkeypatch.setenv("SCOMM_HOME", str(settings.home))
    args = ["screen-287g", "--jurisdiction", "MA-DOC", "--on", "2011-07-20", "--agency", MOA.agency,
            "--officer", "ofc.reyes", "--signed", "2007-03-01"]
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.output
    assert "1 detainer(s) lodged" in out.output
    again = CliRunner().invoke(app, [*args, "--json"])
    assert again.exit_code == 0 and again.output.strip() == "[]"
    bad = CliRunner().invoke(app, [*args[:-2], "--signed", "2012-01-01"])
    assert bad.exit_code == 0 and "No 287(g) MOA" in bad.output
