"""Fingerprint templates enrolled in the two galleries, with the extractor that made them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from scomm.records.base import Base, utcnow


class GalleryName(StrEnum):
    CRIMINAL = "criminal"  # FBI criminal master file, subjects keyed by FBI number
    IMMIGRATION = "immigration"  # DHS IDENT, subjects keyed by FIN


class StoredTemplate(Base):
    __tablename__ = "templates"
    __table_args__ = (UniqueConstraint("gallery", "subject", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gallery: Mapped[str] = mapped_column(String(16), index=True)
    subject: Mapped[str] = mapped_column(String(16))
    position: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    extractor: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(16))
    quality: Mapped[float]
    source: Mapped[str] = mapped_column(String(60), default="")  # TCN or enrolment batch it came from
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
