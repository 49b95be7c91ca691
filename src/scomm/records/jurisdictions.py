"""Jurisdictions (counties, cities), their activation and detainer policy, and the agencies inside them."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scomm.records.base import Base


class AgencyKind(StrEnum):
    BOOKING = "booking"  # local police / jail submitting ten-prints
    STATE_BUREAU = "state_bureau"  # state identification bureau (SIB)
    ICE = "ice"  # ICE field office / LESC
    AUDITOR = "auditor"


class Jurisdiction(Base):
    """A county-level unit whose ORIs share one activation date and one local detainer policy."""

    __tablename__ = "jurisdictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # e.g. "MA-SUFFOLK"
    name: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(2))
    county: Mapped[str] = mapped_column(String(80))
    activated_on: Mapped[date | None]  # Secure Communities activation; None = never activated
    state_signed_moa: Mapped[bool] = mapped_column(default=True)
    # Names of local policy files; the one in force on a booking date applies.
    policy_names: Mapped[list[str]] = mapped_column(JSON, default=list)
    reimbursement_agreement: Mapped[bool] = mapped_column(default=False)
    ice_office: Mapped[str] = mapped_column(String(80), default="")

    agencies: Mapped[list[Agency]] = relationship(back_populates="jurisdiction")

    def is_activated(self, on: date) -> bool:
        return self.activated_on is not None and self.activated_on <= on


class Agency(Base):
    """An agency identified by its ORI (originating agency identifier, 9 characters)."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    ori: Mapped[str] = mapped_column(String(9), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16), default=AgencyKind.BOOKING)
    jurisdiction_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdictions.id"))

    jurisdiction: Mapped[Jurisdiction | None] = relationship(back_populates="agencies")
