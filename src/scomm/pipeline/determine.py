"""Determine: the identification response with the rap sheet, the priority level, and on an
immigration match the IAQ to the LESC and its IAR status determination.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scomm.formats import write_iar, write_sre
from scomm.pipeline.context import PipelineContext
from scomm.pipeline.facts import subject_facts
from scomm.pipeline.iaq import LESC_ORI, iaq_text
from scomm.pipeline.identify import AfterCommit
from scomm.pipeline.rap_sheet import rap_sheet_text
from scomm.records import Booking, BookingStage, CriminalIdentity, ImmigrationIdentity, Response
from scomm.records.audit import append
from scomm.rules.levels import LevelDefinition, classify
from scomm.rules.status import determine_status

ACTOR_FBI = "cjis:iafis"
ACTOR_LESC = "ice:lesc"


def identities(session: Session, booking: Booking) -> tuple[CriminalIdentity | None, ImmigrationIdentity | None]:
    criminal = session.scalar(select(CriminalIdentity).where(CriminalIdentity.fbi_number == booking.fbi_number))
    immigration = (session.scalar(select(ImmigrationIdentity).where(ImmigrationIdentity.fin == booking.fin))
                   if booking.fin else None)
    return criminal, immigration


def record_response(session: Session, booking: Booking, kind: str, recipient: str, summary: str, body: bytes,
             content_type: str = "application/x-ansi-nist") -> None:
    session.add(Response(booking_id=booking.id, kind=kind, recipient=recipient, summary=summary[:400], body=body,
                         content_type=content_type))
    append(session, recipient if kind == "IAQ" else f"response:{kind.lower()}", f"respond.{kind.lower()}",
           tcn=booking.tcn, recipient=recipient, summary=summary[:200])


def run(session: Session, ctx: PipelineContext, booking: Booking) -> AfterCommit:
    criminal, immigration = identities(session, booking)
    facts = subject_facts(booking, criminal, immigration)
    sheet = rap_sheet_text(criminal) if criminal else ""
    result = "IDENT" if booking.criminal_hit else (
        "NON-IDENT (new record established)" if booking.fbi_number else "NON-IDENT")
    sre = write_sre(booking.tcn, booking.ori, booking.fbi_number or "", sheet, bool(booking.criminal_hit))
    record_response(session, booking, "SRE", booking.ori, f"{result}; FBI {booking.fbi_number or '-'}", sre)

    if criminal is not None:  # a level describes a criminal history; an unidentified non-arrest has none
        level = classify(facts, LevelDefinition(ctx.settings.level_definition))
        booking.level = level.level.value
        booking.mscc_ncic = level.mscc.ncic_code if level.mscc else None
        append(session, "rules:levels", "determine.level", tcn=booking.tcn, level=level.level.value,
               definition=ctx.settings.level_definition, reason=level.reason)

    if not booking.immigration_hit:
        if booking.immigration_searched:
            record_response(session, booking, "IDR", booking.ori, "IDENT: no match", b"IDR NO MATCH", "text/plain")
        booking.stage = BookingStage.DONE
        return []
    iaq = iaq_text(booking, booking.fbi_number, booking.a_number)
    record_response(session, booking, "IAQ", LESC_ORI, iaq, iaq.encode(), "text/plain")
    status = determine_status(facts)
    booking.iar_status = status.status.value
    text = "\n".join([f"STATUS/{status.status.value.upper()}", *status.reasons])
    iar = write_iar(booking.tcn, booking.ori, status.status.value, booking.a_number or "", text)
    record_response(session, booking, "IAR", booking.ori, f"{status.status.value}: {'; '.join(status.reasons)}", iar)
    append(session, ACTOR_LESC, "determine.status", tcn=booking.tcn, status=status.status.value,
           reasons=list(status.reasons), citizenship_evidence=status.citizenship_evidence)
    booking.stage = BookingStage.DETAIN
    return []
