"""Issuing and revoking API clients (used by `scomm agencies` and by tests).

The token is returned once, at creation; only its salted hash is stored.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from scomm.api.security import format_token, hash_secret, new_secret
from scomm.errors import RecordNotFound
from scomm.records import ApiClient, ClientRole
from scomm.records.audit import append
from scomm.records.base import utcnow

ISSUABLE = (ClientRole.BOOKING_AGENCY, ClientRole.STATE_BUREAU, ClientRole.ICE, ClientRole.AUDITOR)
ORI = re.compile(r"^[A-Z0-9]{9}$")
STATE = re.compile(r"^[A-Z]{2}$")


class ClientSpecError(ValueError):
    """A client whose role and scope do not fit together: names the option, the expectation, the value."""


def _check(role: str, ori: str | None, state: str | None, ice_office: str | None) -> None:
    if role not in ISSUABLE:
        raise ClientSpecError(f"role must be one of {', '.join(ISSUABLE)}, not {role!r}")
    if role == ClientRole.BOOKING_AGENCY and not (ori and ORI.match(ori)):
        raise ClientSpecError(f"a booking_agency needs --ori of 9 letters/digits, got {ori!r}")
    if role == ClientRole.STATE_BUREAU and not (state and STATE.match(state)):
        raise ClientSpecError(f"a state_bureau needs --state as two capital letters, got {state!r}")
    if role == ClientRole.ICE and not ice_office:
        raise ClientSpecError("an ice client needs --ice-office (the office named on its jurisdictions)")


def add_client(session: Session, name: str, role: str, ori: str | None = None, state: str | None = None,
               ice_office: str | None = None, actor: str = "cli:agencies") -> tuple[ApiClient, str]:
    """Create a client; returns it and its token (shown once, never stored)."""
    ori, state = (ori or None) and ori.upper(), (state or None) and state.upper()
    _check(role, ori, state, ice_office)
    if session.scalar(select(ApiClient.id).where(ApiClient.name == name)) is not None:
        raise ClientSpecError(f"a client named {name!r} exists already")
    secret = new_secret()
    client = ApiClient(name=name, role=role, ori=ori if role == ClientRole.BOOKING_AGENCY else None,
                       state=state if role == ClientRole.STATE_BUREAU else None,
                       ice_office=ice_office if role == ClientRole.ICE else None, token_hash=hash_secret(secret))
    session.add(client)
    session.flush()
    append(session, actor, "api.client.added", subject=name, client_id=client.id, role=role, ori=client.ori,
           state=client.state, ice_office=client.ice_office)
    return client, format_token(client.id, secret)


def revoke_client(session: Session, client_id: int, actor: str = "cli:agencies") -> ApiClient:
    client = session.get(ApiClient, client_id)
    if client is None:
        raise RecordNotFound(f"no API client {client_id}")
    if client.revoked_at is None:
        client.revoked_at = utcnow()
        append(session, actor, "api.client.revoked", subject=client.name, client_id=client.id)
    return client


def list_clients(session: Session) -> list[ApiClient]:
    return list(session.scalars(select(ApiClient).order_by(ApiClient.id)))
