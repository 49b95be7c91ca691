"""The criminal-history repository (the FBI side): identities, arrests, charges and their dispositions."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scomm.records.base import Base


class Disposition(StrEnum):
    CONVICTED = "convicted"
    DISMISSED = "dismissed"
    ACQUITTED = "acquitted"
    PENDING = "pending"


class CriminalIdentity(Base):
    """One person known to the criminal master file, keyed by FBI number (UCN)."""

    __tablename__ = "criminal_identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    fbi_number: Mapped[str] = mapped_column(String(16), unique=True)
    sid: Mapped[str] = mapped_column(String(16), default="")
    name: Mapped[str] = mapped_column(String(60))
    dob: Mapped[date]
    sex: Mapped[str] = mapped_column(String(1))
    race: Mapped[str] = mapped_column(String(1), default="U")
    pob: Mapped[str] = mapped_column(String(2), default="")
    outstanding_warrant: Mapped[bool] = mapped_column(default=False)

    arrests: Mapped[list[Arrest]] = relationship(back_populates="identity", order_by="Arrest.date")


class Arrest(Base):
    """One arrest cycle on a rap sheet; the booking that created it is linked by TCN when scomm saw it."""

    __tablename__ = "arrests"

    id: Mapped[int] = mapped_column(primary_key=True)
    identity_id: Mapped[int] = mapped_column(ForeignKey("criminal_identities.id"), index=True)
    date: Mapped[date]
    ori: Mapped[str] = mapped_column(String(9))
    tcn: Mapped[str | None] = mapped_column(String(40), unique=True)

    identity: Mapped[CriminalIdentity] = relationship(back_populates="arrests")
    charges: Mapped[list[ArrestCharge]] = relationship(back_populates="arrest", order_by="ArrestCharge.id")


class ArrestCharge(Base):
    """A charge with its NCIC offense code and, once known, its disposition and sentence."""

    __tablename__ = "arrest_charges"

    id: Mapped[int] = mapped_column(primary_key=True)
    arrest_id: Mapped[int] = mapped_column(ForeignKey("arrests.id"), index=True)
    ncic_code: Mapped[str] = mapped_column(String(4))
    literal: Mapped[str] = mapped_column(String(80))
    offense_class: Mapped[str] = mapped_column(String(12))  # felony / misdemeanor / infraction
    disposition: Mapped[str] = mapped_column(String(12), default=Disposition.PENDING)
    disposition_date: Mapped[date | None]
    max_sentence_days: Mapped[int | None]
    sentence_days: Mapped[int | None]
    aggravated_felony: Mapped[bool] = mapped_column(default=False)

    arrest: Mapped[Arrest] = relationship(back_populates="charges")
