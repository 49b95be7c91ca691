"""Identify: templates per finger, 1:N against the criminal-history gallery, and against the
immigration gallery only when the submitting jurisdiction is activated on the booking date.

A criminal non-identification establishes a new record with a new FBI number, as a CAR does in the
criminal master file; an identification adds this arrest to the existing rap sheet.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from scomm.fingerprints import Candidate, Template
from scomm.formats import is_criminal_submission
from scomm.pipeline.context import PipelineContext
from scomm.pipeline.probes import Probe, extract_probe
from scomm.records import (Arrest, ArrestCharge, Booking, BookingStage, CriminalIdentity, GalleryName,
                           ImmigrationIdentity, Jurisdiction, MatchRecord, StoredTemplate, Submission)
from scomm.records.audit import append
from scomm.offenses import BY_CODE

ACTOR_FBI = "cjis:iafis"
ACTOR_DHS = "dhs:ident"
CANDIDATES_KEPT = 5
UNKNOWN_OFFENSE_CLASS = "misdemeanor"  # a charge without a known code is recorded, not classed as a felony

AfterCommit = list[Callable[[], None]]


def probe_templates(session: Session, ctx: PipelineContext, booking: Booking) -> Probe:
    """The booking's probe: extracted at intake or prefetched by a worker when there was one, else here."""
    prefetched = ctx.probes.pop(booking.id, None)
    if prefetched is None and ctx.prefetcher is not None:
        prefetched = ctx.prefetcher.take(booking.id)
    if prefetched is not None:
        return prefetched
    return extract_probe(session.get(Submission, booking.submission_id).raw)  # type: ignore[union-attr]


def _store_candidates(session: Session, booking: Booking, gallery: str, candidates: list[Candidate]) -> None:
    for rank, c in enumerate(candidates[:CANDIDATES_KEPT], start=1):
        session.add(MatchRecord(booking_id=booking.id, gallery=gallery, rank=rank, subject=c.subject_id,
                                score=float(c.score), finger_scores={str(k): float(v) for k, v in c.finger_scores.items()},
                                is_hit=bool(c.is_hit)))


def _new_fbi_number(booking: Booking) -> str:
    return f"{900000 + booking.id:07d}SN"


def _arrest_for(booking: Booking) -> Arrest:
    arrest = Arrest(date=booking.booked_at.date(), ori=booking.ori, tcn=booking.tcn)
    for c in booking.charges:
        code = c.get("ncic_code") or ""  # a literal without an NCIC code is kept as submitted, uncoded
        known = BY_CODE.get(code)
        arrest.charges.append(ArrestCharge(
            ncic_code=code, literal=(c.get("literal") or (known.literal if known else ""))[:80],
            offense_class=known.offense_class if known else UNKNOWN_OFFENSE_CLASS, disposition="pending",
            max_sentence_days=known.max_sentence_days if known else None))
    return arrest


def _search_criminal(session: Session, ctx: PipelineContext, booking: Booking, probe: dict[int, Template],
                     after: AfterCommit) -> None:
    candidates = ctx.criminal.identify(probe, top_k=CANDIDATES_KEPT) if probe and len(ctx.criminal) else []
    _store_candidates(session, booking, GalleryName.CRIMINAL, candidates)
    hit = candidates[0] if candidates and candidates[0].is_hit else None
    if hit is not None:
        identity = session.scalar(select(CriminalIdentity).where(CriminalIdentity.fbi_number == hit.subject_id))
        booking.criminal_hit = True
        append(session, ACTOR_FBI, "identify.criminal_ident", tcn=booking.tcn, subject=hit.subject_id,
               score=round(float(hit.score), 3), fingers=len(probe))
    elif not is_criminal_submission(booking.tot):
        booking.criminal_hit = False
        append(session, ACTOR_FBI, "identify.criminal_non_ident", tcn=booking.tcn, fingers=len(probe),
               best_score=round(float(candidates[0].score), 3) if candidates else None, new_record=False,
               reason=f"TOT {booking.tot} is an identification request, not an arrest")
        return
    else:
        identity = CriminalIdentity(fbi_number=_new_fbi_number(booking), name=booking.name or "UNKNOWN",
                                    dob=booking.dob or booking.booked_at.date(), sex=booking.sex or "U",
                                    race=booking.race or "U", pob=booking.pob)
        session.add(identity)
        booking.criminal_hit = False
        best = round(float(candidates[0].score), 3) if candidates else None
        append(session, ACTOR_FBI, "identify.criminal_non_ident", tcn=booking.tcn, subject=identity.fbi_number,
               best_score=best, fingers=len(probe), new_record=True)
        _enrol(session, booking, identity.fbi_number, probe)
        after.append(lambda: ctx.criminal.enroll(identity.fbi_number, probe) if probe else None)
    assert identity is not None, "a hit always names a stored identity"
    identity.arrests.append(_arrest_for(booking))
    booking.fbi_number = identity.fbi_number


def _enrol(session: Session, booking: Booking, subject: str, probe: dict[int, Template]) -> None:
    for position, t in probe.items():
        session.add(StoredTemplate(gallery=GalleryName.CRIMINAL, subject=subject, position=position,
                                   data=t.to_bytes(), extractor=t.extractor, version=t.version,
                                   quality=float(t.quality), source=booking.tcn))


def _search_immigration(session: Session, ctx: PipelineContext, booking: Booking, probe: dict[int, Template]
                        ) -> None:
    jurisdiction = session.get(Jurisdiction, booking.jurisdiction_id) if booking.jurisdiction_id else None
    on = booking.booked_at.date()
    if not is_criminal_submission(booking.tot):
        booking.immigration_searched = False
        append(session, ACTOR_DHS, "identify.immigration_not_searched", tcn=booking.tcn,
               reason=f"TOT {booking.tot} is not a criminal submission; interoperability searches bookings only")
        return
    if jurisdiction is None or not jurisdiction.is_activated(on):
        booking.immigration_searched = False
        reason = (f"ORI {booking.ori} belongs to no registered jurisdiction" if jurisdiction is None
                  else f"{jurisdiction.code} not activated on {on}"
                  + (f" (activation {jurisdiction.activated_on})" if jurisdiction.activated_on else ""))
        append(session, ACTOR_DHS, "identify.immigration_not_searched", tcn=booking.tcn, reason=reason)
        return
    booking.immigration_searched = True
    candidates = ctx.immigration.identify(probe, top_k=CANDIDATES_KEPT) if probe and len(ctx.immigration) else []
    _store_candidates(session, booking, GalleryName.IMMIGRATION, candidates)
    hit = candidates[0] if candidates and candidates[0].is_hit else None
    booking.immigration_hit = hit is not None
    if hit is None:
        append(session, ACTOR_DHS, "identify.immigration_no_match", tcn=booking.tcn,
               best_score=round(float(candidates[0].score), 3) if candidates else None)
        return
    identity = session.scalar(select(ImmigrationIdentity).where(ImmigrationIdentity.fin == hit.subject_id))
    booking.fin = hit.subject_id
    booking.a_number = identity.a_number if identity else None
    append(session, ACTOR_DHS, "identify.immigration_match", tcn=booking.tcn, subject=hit.subject_id,
           score=round(float(hit.score), 3), jurisdiction=jurisdiction.code)


def run(session: Session, ctx: PipelineContext, booking: Booking) -> AfterCommit:
    after: AfterCommit = []
    extracted = probe_templates(session, ctx, booking)
    probe = extracted.templates
    append(session, "cjis:extraction", "identify.templates", tcn=booking.tcn, fingers=sorted(probe),
           unusable=extracted.problems)
    _search_criminal(session, ctx, booking, probe, after)
    _search_immigration(session, ctx, booking, probe)
    booking.stage = BookingStage.DETERMINE
    return after
