"""Clients of the HTTP service: who may call it, in which role and scope, and what each uploaded.

A client's secret is never stored: only a salted hash of it (see `scomm.api.security`). A revoked
client keeps its row, so the audit log's actors stay resolvable.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from scomm.records.base import Base, utcnow


class ClientRole(StrEnum):
    """What a client is; its scope column (ORI, state or ICE office) follows from the role."""

    BOOKING_AGENCY = "booking_agency"  # one ORI: its own bookings
    STATE_BUREAU = "state_bureau"  # one state: bookings of jurisdictions in that state
    ICE = "ice"  # one ICE office: IAQs, IARs and detainers of the jurisdictions it covers
    AUDITOR = "auditor"  # reads everything, changes nothing
    PUBLIC = "public"  # no credentials: aggregate statistics only (never stored)


class ApiClient(Base):
    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    ori: Mapped[str | None] = mapped_column(String(9), index=True)
    state: Mapped[str | None] = mapped_column(String(2))
    ice_office: Mapped[str | None] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(200))  # "sha256$<salt>$<digest>", never the token
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class ApiUpload(Base):
    """Which client sent which submission: a rejected file may carry no readable ORI or TCN."""

    __tablename__ = "api_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id"), index=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
