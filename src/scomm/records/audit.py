"""The append-only audit log: every step's event, hash-chained so that tampering is detectable.

Each event's hash covers its content and the previous event's hash; verifying the chain from the
first event shows whether any row was altered, removed or inserted out of order.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from scomm.records.base import Base, utcnow

GENESIS = "0" * 64


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)  # the sequence number of the chain
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(40), index=True)
    tcn: Mapped[str | None] = mapped_column(String(40), index=True)
    subject: Mapped[str | None] = mapped_column(String(60))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    def canonical(self) -> bytes:
        body = {"at": self.at.isoformat(), "actor": self.actor, "action": self.action, "tcn": self.tcn,
                "subject": self.subject, "details": self.details, "prev": self.prev_hash}
        return json.dumps(body, sort_keys=True, default=str).encode()


AUDIT_LOCK_ID = 0x5C0_A0D17  # PostgreSQL advisory-lock key of the chain


def lock_chain(session: Session) -> None:
    """Take the database write lock before reading the chain's last hash, so two writers never fork it."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        session.execute(text("UPDATE audit_events SET id = id WHERE 0"))  # BEGIN + RESERVED lock, no row touched
    elif dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": AUDIT_LOCK_ID})


def _last_hash(session: Session) -> str:
    last = session.scalars(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    return last or GENESIS


def append(session: Session, actor: str, action: str, tcn: str | None = None, subject: str | None = None,
           **details: Any) -> AuditEvent:
    """Add one event to the chain inside the caller's transaction (so it commits or rolls back with the step)."""
    session.flush()  # make earlier events of this transaction visible to _last_hash
    lock_chain(session)
    event = AuditEvent(at=utcnow(), actor=actor, action=action, tcn=tcn, subject=subject,
                       details=json.loads(json.dumps(details, default=str)), prev_hash=_last_hash(session))
    event.hash = hashlib.sha256(event.canonical()).hexdigest()
    session.add(event)
    session.flush()
    return event


def verify_chain(session: Session) -> int | None:
    """Return the id of the first event whose hash or link is wrong, or None when the chain is intact."""
    prev = GENESIS
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        if event.prev_hash != prev or hashlib.sha256(event.canonical()).hexdigest() != event.hash:
            return event.id
        prev = event.hash
    return None
