"""The closed list of reasons a request fails, each with one HTTP status, and the mapping onto it.

    FailureReason                 status  raised by
    unauthenticated               401     no, unknown, expired or revoked credentials on a route that needs them
    forbidden                     403     the caller's role may not do this (auditors never write)
    not_found                     404     absent, or outside the caller's scope (existence is not disclosed)
    request_timeout               408     the upload did not arrive within the body timeout
    method_not_allowed            405     a path that exists, with another method
    conflict                      409     PipelineError: the record cannot make that move (e.g. detainer state)
    payload_too_large             413     body over the upload limit (checked before it is read whole)
    unsupported_media_type        415     an upload that is neither octet-stream nor multipart
    invalid_transaction           422     TransactionError / FormatError / FingerprintError: violations listed
    invalid_request               422     a request that fails its schema
    rate_limited                  429     the caller's token bucket is empty; Retry-After says when to come back
    internal_error                500     anything else (logged and audited; no details leak)

Every failure is answered as `ErrorBody` JSON and written to the audit log by the handlers below.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from scomm.errors import FingerprintError, FormatError, PipelineError, RecordNotFound, ScommError


class FailureReason(StrEnum):
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    REQUEST_TIMEOUT = "request_timeout"
    CONFLICT = "conflict"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    INVALID_TRANSACTION = "invalid_transaction"
    INVALID_REQUEST = "invalid_request"
    BAD_REQUEST = "bad_request"  # a body that cannot even be parsed (e.g. multipart without a boundary)
    RATE_LIMITED = "rate_limited"
    INTERNAL_ERROR = "internal_error"


STATUS: dict[FailureReason, int] = {
    FailureReason.UNAUTHENTICATED: 401, FailureReason.FORBIDDEN: 403, FailureReason.NOT_FOUND: 404,
    FailureReason.METHOD_NOT_ALLOWED: 405, FailureReason.REQUEST_TIMEOUT: 408, FailureReason.CONFLICT: 409,
    FailureReason.PAYLOAD_TOO_LARGE: 413, FailureReason.UNSUPPORTED_MEDIA_TYPE: 415,
    FailureReason.INVALID_TRANSACTION: 422, FailureReason.INVALID_REQUEST: 422, FailureReason.BAD_REQUEST: 400,
    FailureReason.RATE_LIMITED: 429,
    FailureReason.INTERNAL_ERROR: 500,
}

# scomm's own exceptions, most specific first; anything else is an internal error.
SCOMM_ERRORS: list[tuple[type[ScommError], FailureReason]] = [
    (RecordNotFound, FailureReason.NOT_FOUND),
    (PipelineError, FailureReason.CONFLICT),
    (FormatError, FailureReason.INVALID_TRANSACTION),
    (FingerprintError, FailureReason.INVALID_TRANSACTION),
]


class ViolationOut(BaseModel):
    record: str
    field: str
    rule: str
    message: str
    value: str = ""


class ErrorBody(BaseModel):
    """What every failed request gets back."""

    reason: FailureReason
    detail: str
    tcn: str | None = None
    submission_id: int | None = None
    violations: list[ViolationOut] | None = None
    errt_url: str | None = None


class ApiError(Exception):
    """A failure decided at the edge: a reason from the closed list, a message, and what the audit should say."""

    def __init__(self, reason: FailureReason, detail: str, headers: dict[str, str] | None = None,
                 audit: dict[str, Any] | None = None, action: str | None = None, **body: Any) -> None:
        self.reason = reason
        self.action = action  # the audit action; "api.denied" / "api.failed" by status when None
        self.detail = detail
        self.headers = headers or {}
        self.audit = audit or {}
        self.body = body
        super().__init__(f"{reason}: {detail}")

    @property
    def status(self) -> int:
        return STATUS[self.reason]

    def to_body(self) -> ErrorBody:
        return ErrorBody(reason=self.reason, detail=self.detail, **self.body)


def from_scomm(exc: ScommError) -> ApiError:
    """Map one scomm exception onto its reason; the message names the record but never internals."""
    for kind, reason in SCOMM_ERRORS:
        if isinstance(exc, kind):
            tcn = getattr(exc, "tcn", None)
            return ApiError(reason, str(exc)[:400], tcn=tcn, audit={"exception": type(exc).__name__})
    return ApiError(FailureReason.INTERNAL_ERROR, "internal error", audit={"exception": type(exc).__name__})


DENIALS = frozenset({401, 403, 404, 405, 408, 413, 415, 429})  # audited as "api.denied"; others "api.failed"


def responses(*reasons: FailureReason) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for a route: the failures it can answer, with the ErrorBody model."""
    return {STATUS[r]: {"model": ErrorBody, "description": r.value} for r in reasons}
