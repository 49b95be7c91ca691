"""Candidate lists from 1:N searches: who was compared, with what fused and per-finger scores."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from scomm.records.base import Base


class MatchRecord(Base):
    __tablename__ = "matches"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    gallery: Mapped[str] = mapped_column(String(16))
    rank: Mapped[int]
    subject: Mapped[str] = mapped_column(String(16))
    score: Mapped[float]
    finger_scores: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    is_hit: Mapped[bool]
