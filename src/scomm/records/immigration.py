"""The immigration repository (the DHS side): identities keyed by A-number or FIN, and their encounters."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scomm.records.base import Base


class ImmigrationIdentity(Base):
    __tablename__ = "immigration_identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    fin: Mapped[str] = mapped_column(String(16), unique=True)  # fingerprint identification number
    a_number: Mapped[str | None] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    dob: Mapped[date]
    pob: Mapped[str] = mapped_column(String(2), default="")
    citizenship: Mapped[str] = mapped_column(String(2), default="")

    encounters: Mapped[list[Encounter]] = relationship(back_populates="identity", order_by="Encounter.date")


class Encounter(Base):
    """One immigration event: visa, border apprehension, removal, LPR, naturalization ..."""

    __tablename__ = "encounters"

    id: Mapped[int] = mapped_column(primary_key=True)
    identity_id: Mapped[int] = mapped_column(ForeignKey("immigration_identities.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    date: Mapped[date]
    detail: Mapped[str] = mapped_column(String(200), default="")

    identity: Mapped[ImmigrationIdentity] = relationship(back_populates="encounters")
