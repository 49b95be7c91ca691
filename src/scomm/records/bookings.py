"""Submissions as received, the bookings they become, and the responses sent back."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scomm.records.base import Base, utcnow


class BookingStage(StrEnum):
    """Where a booking stands; each stage commits its result and the move to the next stage together."""

    IDENTIFY = "identify"
    DETERMINE = "determine"
    DETAIN = "detain"
    DECIDE = "decide"
    DONE = "done"


class Submission(Base):
    """Every file received, accepted or not, with its original bytes: nothing submitted is ever lost."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    tcn: Mapped[str | None] = mapped_column(String(40), index=True)
    ori: Mapped[str | None] = mapped_column(String(9))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    filename: Mapped[str] = mapped_column(String(200), default="")
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    accepted: Mapped[bool]
    violations: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    error_response: Mapped[bytes | None] = mapped_column(LargeBinary)


class Booking(Base):
    """An accepted ten-print submission and everything the pipeline concluded about it."""

    __tablename__ = "bookings"

    id: Mapped[int] = mapped_column(primary_key=True)
    tcn: Mapped[str] = mapped_column(String(40), unique=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    ori: Mapped[str] = mapped_column(String(9))
    jurisdiction_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdictions.id"), index=True)
    tot: Mapped[str] = mapped_column(String(4))
    booked_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    stage: Mapped[str] = mapped_column(String(12), default=BookingStage.IDENTIFY, index=True)
    # Descriptors as submitted (Type-2).
    name: Mapped[str] = mapped_column(String(60), default="")
    dob: Mapped[date | None]
    sex: Mapped[str] = mapped_column(String(1), default="")
    race: Mapped[str] = mapped_column(String(1), default="")
    pob: Mapped[str] = mapped_column(String(2), default="")
    citizenship: Mapped[list[str]] = mapped_column(JSON, default=list)
    charges: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    finger_count: Mapped[int] = mapped_column(default=0)
    # Results, filled in by the stages.
    fbi_number: Mapped[str | None] = mapped_column(String(16))
    criminal_hit: Mapped[bool | None]
    immigration_searched: Mapped[bool | None]
    immigration_hit: Mapped[bool | None]
    fin: Mapped[str | None] = mapped_column(String(16))
    a_number: Mapped[str | None] = mapped_column(String(10))
    iar_status: Mapped[str | None] = mapped_column(String(32))
    level: Mapped[str | None] = mapped_column(String(16), index=True)
    mscc_ncic: Mapped[str | None] = mapped_column(String(4))
    error: Mapped[str | None] = mapped_column(String(400))
    attempts: Mapped[int] = mapped_column(default=0)

    responses: Mapped[list[Response]] = relationship(back_populates="booking", order_by="Response.id")


class Response(Base):
    """A message the system sent about a booking (SRE, ERRT, IAQ, IAR, I-247 ...), at most one per kind."""

    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("booking_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    recipient: Mapped[str] = mapped_column(String(40), default="")
    summary: Mapped[str] = mapped_column(String(400), default="")
    body: Mapped[bytes] = mapped_column(LargeBinary)
    content_type: Mapped[str] = mapped_column(String(40), default="application/x-ansi-nist")

    booking: Mapped[Booking] = relationship(back_populates="responses")
