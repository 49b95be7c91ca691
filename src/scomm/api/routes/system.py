"""Liveness and the OAuth2 client-credentials token endpoint."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Form, Request

from scomm.api.deps import ServiceDep, principal_of
from scomm.api.errors import ApiError, FailureReason, responses
from scomm.api.principal import Principal
from scomm.api.schemas import Health, TokenOut
from scomm.api.security import sign_access_token, verify_secret
from scomm.records import ApiClient

router = APIRouter(tags=["system"])


@router.get("/healthz")
def healthz(request: Request, service: ServiceDep) -> Health:
    """Liveness: the process answers and the database is reachable (the check itself is audited)."""
    address = request.client.host if request.client else "unknown"
    service.audit(request, Principal.public(address), "api.healthz")
    return Health()


@router.post("/v1/oauth/token", responses=responses(FailureReason.UNAUTHENTICATED, FailureReason.INVALID_REQUEST,
                                                     FailureReason.RATE_LIMITED))
def issue_token(request: Request, service: ServiceDep,
                grant_type: Annotated[str, Form(pattern="^client_credentials$")],
                client_id: Annotated[int, Form(ge=1, le=2**62)], client_secret: Annotated[str, Form()]) -> TokenOut:
    """OAuth2 client credentials: client_id is the client's number, client_secret its API token's secret
    part (or the whole token). Answers a bearer token valid for `access_token_ttl_s` seconds."""
    address = request.client.host if request.client else "unknown"
    service.limiter.check(f"ip:{address}")
    secret = client_secret.removeprefix(f"scomm_{client_id}_")
    with service.db.session() as session:
        client = session.get(ApiClient, client_id)
    if client is None or not client.active or not verify_secret(secret, client.token_hash):
        raise ApiError(FailureReason.UNAUTHENTICATED, "invalid client credentials",
                       audit={"claimed_client": client_id})
    principal = principal_of(client)
    request.state.principal = principal
    ttl = service.settings.access_token_ttl_s
    token = sign_access_token(service.signing_key, client.id, int(time.time()) + ttl)
    service.audit(request, principal, "api.oauth.token", grant_type=grant_type, expires_in=ttl)
    return TokenOut(access_token=token, expires_in=ttl)
