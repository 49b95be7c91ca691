"""Named dependencies: a route declares what it needs; who the caller is and what they may do is decided here.

    ServiceDep      the app's ApiService (pipeline context, limits, audit writer)
    SessionDep      a unit of work, committed when the route function returns (before the answer is sent)
    CurrentClient   the authenticated caller (or the public), rate-limited
    Submitter, BookingReader, DetainerReader, AlarmReader, StatisticsReader, ReleaseRecorder,
    Reviewer, CustodyRecorder
                    the caller, once the role check for that capability has passed (401 / 403 otherwise)
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from scomm.api.errors import ApiError, FailureReason
from scomm.api.principal import CAPABILITIES, Capability, Principal
from scomm.api.security import parse_token, read_access_token, verify_secret
from scomm.api.service import ApiService
from scomm.records import ApiClient

bearer = HTTPBearer(auto_error=False, description="An API token from `scomm agencies add`, or an OAuth2 "
                                                  "access token from POST /v1/oauth/token.")


def get_service(request: Request) -> ApiService:
    return request.app.state.service


ServiceDep = Annotated[ApiService, Depends(get_service)]


async def get_session(service: ServiceDep) -> AsyncIterator[Session]:
    """A unit of work for one request, from a bounded set of slots.

    The slot is awaited in the event loop and the session's end runs in a worker thread while no
    write lock is held (routes audit last, and `ApiService.audit` commits at once). So threads never
    all wait for connections that only a waiting thread could give back.
    """
    async with service.session_slots:
        unit = service.db.session()
        session = unit.__enter__()  # creating a session does no I/O
        try:
            yield session
        except BaseException as exc:
            await run_in_threadpool(unit.__exit__, type(exc), exc, exc.__traceback__)
            raise
        await run_in_threadpool(unit.__exit__, None, None, None)


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def principal_of(client: ApiClient) -> Principal:
    return Principal(role=client.role, name=client.name, client_id=client.id, ori=client.ori, state=client.state,
                     ice_office=client.ice_office, capabilities=CAPABILITIES.get(client.role, frozenset()))


def _client_for(service: ApiService, token: str) -> ApiClient | None:
    parsed = parse_token(token)
    client_id = parsed.client_id if parsed else read_access_token(service.signing_key, token, time.time())
    if client_id is None:
        return None
    with service.db.session() as session:
        client = session.get(ApiClient, client_id)
    if client is None or not client.active:
        return None
    if parsed is not None and not verify_secret(parsed.secret, client.token_hash):
        return None
    return client


def current_principal(request: Request, service: ServiceDep,
                      credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Principal:
    """The caller: no credentials → the public; bad, expired or revoked credentials → 401."""
    if credentials is None:
        principal = Principal.public(_address(request))
    else:
        client = _client_for(service, credentials.credentials)
        if client is None:
            service.limiter.check(f"ip:{_address(request)}")  # floods of bad tokens are throttled too
            raise ApiError(FailureReason.UNAUTHENTICATED, "invalid, expired or revoked credentials",
                           headers={"WWW-Authenticate": "Bearer"})
        principal = principal_of(client)
    request.state.principal = principal
    service.limiter.check(principal.rate_key)
    return principal


CurrentClient = Annotated[Principal, Depends(current_principal)]


def require(capability: Capability) -> Callable[[Principal], Principal]:
    """A dependency passing only callers whose role has `capability`."""

    def check(principal: CurrentClient) -> Principal:
        if principal.may(capability):
            return principal
        if principal.client_id is None:
            raise ApiError(FailureReason.UNAUTHENTICATED, "this endpoint needs credentials",
                           headers={"WWW-Authenticate": "Bearer"}, audit={"capability": capability.value})
        raise ApiError(FailureReason.FORBIDDEN, f"role {principal.role} may not {capability.value}",
                       audit={"capability": capability.value})

    return check


Submitter = Annotated[Principal, Depends(require(Capability.SUBMIT))]
BookingReader = Annotated[Principal, Depends(require(Capability.READ_BOOKINGS))]
DetainerReader = Annotated[Principal, Depends(require(Capability.READ_DETAINERS))]
AlarmReader = Annotated[Principal, Depends(require(Capability.READ_ALARMS))]
StatisticsReader = Annotated[Principal, Depends(require(Capability.READ_STATISTICS))]
ReleaseRecorder = Annotated[Principal, Depends(require(Capability.RECORD_RELEASE))]
Reviewer = Annotated[Principal, Depends(require(Capability.RECORD_REVIEW))]
CustodyRecorder = Annotated[Principal, Depends(require(Capability.RECORD_CUSTODY))]
