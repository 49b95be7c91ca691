"""Fingerprint templates enrolled in the two galleries, with the extractor that made them, and the original
images they were extracted from (so a gallery can be re-extracted after an engine upgrade)."""

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


class FingerprintImage(Base):
    """The original image of one enrolled finger, compressed as the FBI archives them (WSQ).

    Kept for every finger captured at enrolment, whether or not a template could be extracted from it.
    Templates enrolled from a booking need no row here: their original is the booking's transaction,
    kept whole in ``Submission.raw`` and found through ``StoredTemplate.source`` (the TCN).
    """

    __tablename__ = "fingerprint_images"
    __table_args__ = (UniqueConstraint("gallery", "subject", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gallery: Mapped[str] = mapped_column(String(16), index=True)
    subject: Mapped[str] = mapped_column(String(16))
    position: Mapped[int]
    compression: Mapped[str] = mapped_column(String(8))  # WSQ or PNG, as scomm.formats.decode_image names them
    ppi: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    source: Mapped[str] = mapped_column(String(60), default="")
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)
