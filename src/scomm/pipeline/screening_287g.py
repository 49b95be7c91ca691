"""The 287(g) jail pathway: designated jail officers screen sentenced inmates before release (domain.md §9).

This is a separate pathway from Secure Communities. SC screens every booking automatically through IDENT and
ICE ERO lodges the detainer (audit actor ``ice:ero``). Here an ICE-trained officer of the jail itself, acting
under the agency's MOA, screens inmates about to finish a sentence and lodges the I-247 (audit actor
``287g:<officer>``). Every audit event of this pathway carries ``pathway: "287g"`` and every detainer it
lodges has the policy ``287g:<agency>``. This is how statistics tell it apart from SC, as ICE's own data
carry a separate "287(g) Arrest" indicator. The SC safeguards still apply. Evidence of US citizenship or a
possible crime victim sends the case to human review. Removability that is not established asks the officer
to investigate and is never lodged on suspicion.

**Sentenced inmate due for release** on day D in jurisdiction J: a booking that meets all of these.

1. It is a booking of J, booked on or before D, and it is the person's latest such booking (the person is
   identified by FBI number).
2. The person's criminal history holds a *convicted* charge with ``sentence_days > 0`` and a disposition
   date that is on or after the booking date and on or before D. The sentence was imposed in this custody
   and has already been imposed on D.
3. The expected release falls in [D, D + ``release_window_days``]. The window defaults to 30 days, the
   I-247's request to be told of a release "at least 30 days before". Expected release is
   ``max(disposition date, booking date + sentence_days)``. This assumes custody since booking (credit for
   time served) and concurrent sentences (the latest release of them), and ignores good-time credit.
4. The SC pipeline has finished with the booking (stage ``done``) and no detainer decision of any pathway
   is stored for it yet. ``Detainer.booking_id`` is unique, and a booking on which SC has already decided,
   lodged or not, stays with SC.

Immigration records are those the booking was matched to (FIN), else the A-number on the booking. The
officer does no name-and-date-of-birth matching, because that is how US citizens are wrongly held. A
foreign-born inmate with no record therefore goes to human review ("removability not established").

A lodged 287(g) detainer moves its booking to the DECIDE stage. The jail's local policy then decides hold
and notification exactly as for an SC detainer, and the outcome functions (release, hold clock, transfer)
apply unchanged. A screening with no action stores no detainer, only its audit event, so a later
screening can still act on a later sentence. Screening is idempotent: a booking with a detainer is never
screened again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scomm.errors import RecordNotFound
from scomm.pipeline.context import PipelineContext
from scomm.pipeline.detain import STATE_FOR_ACTION, i247_text
from scomm.pipeline.determine import identities
from scomm.pipeline.facts import subject_facts
from scomm.records import (Booking, BookingStage, CriminalIdentity, Detainer, ImmigrationIdentity, Jurisdiction,
                           Response)
from scomm.records.audit import append
from scomm.rules.jail_287g import Agreement287g, Screening287g, screen_287g
from scomm.rules.levels import LevelDefinition, classify
from scomm.rules.status import determine_status

PATHWAY = "287g"


@dataclass(frozen=True)
class ScreeningParameters:
    release_window_days: int = 30  # I-247: "notify this office of the time of release at least 30 days before"


@dataclass(frozen=True)
class ScreeningResult:
    """One inmate screened: what the officer did and why."""

    tcn: str
    action: str  # lodge / human_review / no_action
    basis: str | None
    level: str
    status: str
    expected_release: date
    reasons: tuple[str, ...]
    detainer_id: int | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"expected_release": self.expected_release.isoformat(), "reasons": list(self.reasons)}


def actor_for(officer: str) -> str:
    return f"287g:{officer}"[:60]


def screen_sentenced_inmates(ctx: PipelineContext, jurisdiction_code: str, on: date, agreement: Agreement287g,
                             officer: str, params: ScreeningParameters = ScreeningParameters()
                             ) -> list[ScreeningResult]:
    """Screen every sentenced inmate of the jurisdiction due for release (module doc) and act on each."""
    with ctx.db.session() as session:
        jurisdiction = session.scalar(select(Jurisdiction).where(Jurisdiction.code == jurisdiction_code))
        if jurisdiction is None:
            raise RecordNotFound(f"no jurisdiction with code {jurisdiction_code!r}")
        if not agreement.in_force(on):
            append(session, actor_for(officer), "screen287g.refused", subject=jurisdiction_code, pathway=PATHWAY,
                   agency=agreement.agency, on=on, reason=f"no 287(g) MOA in force for {agreement.agency} on {on}")
            return []
        due = sentenced_inmates_due(session, jurisdiction, on, params)
    results = []
    for booking_id, release in due:
        with ctx.db.session() as session:
            result = _screen_one(session, ctx, booking_id, release, on, agreement, officer)
        if result is not None:
            results.append(result)
    return results


def sentenced_inmates_due(session: Session, jurisdiction: Jurisdiction, on: date,
                          params: ScreeningParameters = ScreeningParameters()) -> list[tuple[int, date]]:
    """(booking id, expected release) of each sentenced inmate due for release on ``on`` (module doc, 1–4)."""
    latest: dict[str, Booking] = {}
    rows = session.scalars(select(Booking).where(Booking.jurisdiction_id == jurisdiction.id,
                                                 Booking.fbi_number.is_not(None),
                                                 Booking.booked_at < datetime.combine(on + timedelta(days=1),
                                                                                      datetime.min.time()))
                           .order_by(Booking.booked_at, Booking.id))
    for booking in rows:
        latest[booking.fbi_number or ""] = booking
    decided = set(session.scalars(select(Detainer.booking_id).where(
        Detainer.booking_id.in_([b.id for b in latest.values()]))))
    due = []
    for fbi_number, booking in latest.items():
        if booking.id in decided or booking.stage != BookingStage.DONE:
            continue
        identity = session.scalar(select(CriminalIdentity).where(CriminalIdentity.fbi_number == fbi_number))
        release = expected_release(booking, identity, on)
        if release is not None and on <= release <= on + timedelta(days=params.release_window_days):
            due.append((booking.id, release))
    return due


def expected_release(booking: Booking, identity: CriminalIdentity | None, on: date) -> date | None:
    """When the sentence imposed in this custody ends (module doc, 2–3); None if no such sentence."""
    booked = booking.booked_at.date()
    ends = [max(c.disposition_date, booked + timedelta(days=c.sentence_days))
            for arrest in (identity.arrests if identity else []) for c in arrest.charges
            if c.disposition == "convicted" and c.sentence_days and c.disposition_date is not None
            and booked <= c.disposition_date <= on]
    return max(ends, default=None)


def _screen_one(session: Session, ctx: PipelineContext, booking_id: int, release: date, on: date,
                agreement: Agreement287g, officer: str) -> ScreeningResult | None:
    booking = session.get(Booking, booking_id)
    assert booking is not None
    if session.scalar(select(Detainer.id).where(Detainer.booking_id == booking_id)) is not None:
        return None  # decided since the candidates were listed
    criminal, immigration = _records(session, booking)
    facts = subject_facts(booking, criminal, immigration)
    status = determine_status(facts)
    level = classify(facts, LevelDefinition(ctx.settings.level_definition))
    screening = screen_287g(facts, status, level, agreement, on)
    actor = actor_for(officer)
    details = {"pathway": PATHWAY, "agency": agreement.agency, "officer": officer, "on": on,
               "expected_release": release, "status": status.status.value, "level": level.level.value,
               "reasons": list(screening.reasons), "immigration_record": immigration.fin if immigration else None}
    detainer_id = None
    if screening.action == "no_action":
        append(session, actor, "detain.no_action", tcn=booking.tcn, **details)
    else:
        detainer = _lodge_or_refer(session, ctx, booking, screening, agreement, level.level.value)
        detainer_id = detainer.id
        append(session, actor, f"detain.{screening.action}", tcn=booking.tcn, policy=detainer.policy,
               rule=detainer.rule_id, basis=detainer.basis, **details)
        if screening.action == "lodge":
            _send_i247(session, booking, detainer, actor)
    return ScreeningResult(booking.tcn, screening.action, screening.basis.value if screening.basis else None,
                           level.level.value, status.status.value, release, screening.reasons, detainer_id)


def _records(session: Session, booking: Booking) -> tuple[CriminalIdentity | None, ImmigrationIdentity | None]:
    criminal, immigration = identities(session, booking)
    if immigration is None and booking.a_number:
        immigration = session.scalar(select(ImmigrationIdentity)
                                     .where(ImmigrationIdentity.a_number == booking.a_number))
    return criminal, immigration


def _lodge_or_refer(session: Session, ctx: PipelineContext, booking: Booking, screening: Screening287g,
                    agreement: Agreement287g, level: str) -> Detainer:
    basis = screening.basis.value if screening.basis else None
    detainer = Detainer(booking_id=booking.id, state=STATE_FOR_ACTION[screening.action], action=screening.action,
                        basis=basis, policy=f"287g:{agreement.agency}"[:60],
                        rule_id=".".join(filter(None, ["287g", screening.action, basis]))[:60],
                        reason="; ".join(screening.reasons)[:400], level=level,
                        issuing_office=f"287(g) {agreement.agency}"[:80], created_at=ctx.clock())
    session.add(detainer)
    session.flush()
    if screening.action == "lodge":
        booking.stage = BookingStage.DECIDE  # the jail's local policy decides hold and notification next
    return detainer


def _send_i247(session: Session, booking: Booking, detainer: Detainer, actor: str) -> None:
    summary = f"287(g) detainer lodged: {detainer.basis}"
    session.add(Response(booking_id=booking.id, kind="I247", recipient=booking.ori, summary=summary,
                         body=i247_text(booking, detainer).encode(), content_type="text/plain"))
    append(session, actor, "respond.i247", tcn=booking.tcn, recipient=booking.ori, summary=summary,
           pathway=PATHWAY)
