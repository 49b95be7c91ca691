"""The one object a running app holds: the pipeline context, the limits, the locks, the audit writer."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

import anyio
from sqlalchemy.orm import Session
from starlette.requests import Request

from scomm.api.limits import RateLimiter
from scomm.api.principal import Principal
from scomm.api.settings import ApiSettings
from scomm.pipeline import PipelineContext
from scomm.records import Database
from scomm.records.audit import append, lock_chain



lock_audit_chain = lock_chain  # kept for callers; records.audit.append now takes the lock itself


@dataclass
class ApiService:
    """Shared by every request: ONE pipeline context (its galleries live in memory) behind one lock."""

    ctx: PipelineContext
    settings: ApiSettings
    limiter: RateLimiter
    signing_key: bytes
    session_slots: anyio.CapacityLimiter
    pipeline_lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def create(cls, ctx: PipelineContext, settings: ApiSettings) -> ApiService:
        """Call inside the event loop (the app's lifespan): the session limiter belongs to it."""
        key = settings.signing_key.encode() if settings.signing_key else secrets.token_bytes(32)
        return cls(ctx, settings, RateLimiter(settings.rate_per_s, settings.rate_burst), key,
                   anyio.CapacityLimiter(settings.request_sessions))

    @property
    def db(self) -> Database:
        return self.ctx.db

    def audit(self, request: Request, principal: Principal, action: str, tcn: str | None = None,
              subject: str | None = None, session: Session | None = None, **details: Any) -> None:
        """One audit event for one request (or one disclosure), committed before the answer leaves.

        A route holding a SessionDep passes it, so a request never holds two pooled connections; the
        event is committed at once (a write lock must never wait for a worker thread to come back).
        """
        if session is None:
            with self.db.session() as own:
                self.audit(request, principal, action, tcn, subject, own, **details)
            return
        lock_audit_chain(session)
        append(session, principal.actor, action[:40], tcn=tcn, subject=subject, method=request.method,
               path=request.url.path, client_id=principal.client_id, **details)
        session.commit()  # release the write lock now, in this thread: call audit() last in a route
