"""Detainers (I-247) and the jail's decision on each, with the rule that fired and the hold clock."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from scomm.records.base import Base, utcnow


class DetainerState(StrEnum):
    """A detainer's life; timestamps of each move are kept on the row and in the audit log."""

    NOT_LODGED = "not_lodged"  # ICE decided no action
    HUMAN_REVIEW = "human_review"  # safeguard: citizenship or victim evidence; a person must decide
    LODGED = "lodged"
    HELD = "held"  # person kept past otherwise-release, clock running
    RELEASED = "released"  # released without transfer (declined, or deadline reached)
    TRANSFERRED = "transferred"  # ICE took custody
    REMOVED = "removed"
    CANCELLED = "cancelled"


class Detainer(Base):
    __tablename__ = "detainers"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), unique=True)
    state: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))  # lodge / no_action / human_review
    basis: Mapped[str | None] = mapped_column(String(32))
    policy: Mapped[str] = mapped_column(String(60))
    rule_id: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(String(400))
    issuing_office: Mapped[str] = mapped_column(String(80), default="")
    level: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    review_outcome: Mapped[str | None] = mapped_column(String(200))
    release_at: Mapped[datetime | None]  # otherwise-release time reported by the jail
    hold_deadline: Mapped[datetime | None]
    transferred_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]


class LocalDecisionRecord(Base):
    """The receiving jurisdiction's decision under its policy: four separate flags, each with its rule."""

    __tablename__ = "local_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), unique=True)
    detainer_id: Mapped[int] = mapped_column(ForeignKey("detainers.id"))
    policy: Mapped[str] = mapped_column(String(60))
    hold: Mapped[bool]
    notify: Mapped[bool]
    transfer_in_facility: Mapped[bool]
    ice_access: Mapped[bool]
    hold_hours: Mapped[int]
    deciding_rule: Mapped[str] = mapped_column(String(80))
    outcomes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
