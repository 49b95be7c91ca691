"""Submit a transaction, poll its status, download its responses (and a rejection's ERRT)."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi import Response as HttpResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from scomm.api.deps import BookingReader, ServiceDep, SessionDep, Submitter
from scomm.api.errors import ApiError, FailureReason, ViolationOut, responses
from scomm.api.intake import MULTIPART, RAW, UPLOAD_FIELD, receive, unpack
from scomm.api.limits import read_upload
from scomm.api.principal import Principal
from scomm.api.schemas import ResponseInfo, SubmissionReceipt, TransactionStatus
from scomm.api.service import ApiService
from scomm.api.views import (booking_in_scope, readable_responses, response_info, submission_in_scope,
                             transaction_status)
from scomm.pipeline import IntakeResult
from scomm.records import Response

router = APIRouter(prefix="/v1", tags=["transactions"])
R = FailureReason
UPLOAD_BODY = {"requestBody": {"required": True, "content": {
    RAW: {"schema": {"type": "string", "format": "binary"}},
    MULTIPART: {"schema": {"type": "object", "required": [UPLOAD_FIELD],
                           "properties": {UPLOAD_FIELD: {"type": "string", "format": "binary"}}}}}}}
READ_FAILURES = responses(R.UNAUTHENTICATED, R.FORBIDDEN, R.NOT_FOUND, R.RATE_LIMITED)


def _rejection(result: IntakeResult) -> ApiError:
    return ApiError(FailureReason.INVALID_TRANSACTION,
                    f"transaction rejected: {len(result.violations)} violation(s); the ERRT is stored",
                    action="api.transactions.rejected", tcn=result.tcn, submission_id=result.submission_id,
                    violations=[ViolationOut(**v.to_dict()) for v in result.violations],
                    errt_url=f"/v1/submissions/{result.submission_id}/errt",
                    audit={"submission": result.submission_id, "violations": len(result.violations)})


def _receipt(service: ApiService, request: Request, principal: Principal, result: IntakeResult) -> SubmissionReceipt:
    with service.db.session() as session:
        booking = booking_in_scope(session, principal, result.tcn or "")
        status = transaction_status(session, principal, booking)
        service.audit(request, principal, "api.transactions.submit", tcn=status.tcn, session=session,
                      submission=result.submission_id, duplicate=result.duplicate, status=status.status,
                      disclosed=[r.kind for r in status.responses])
    return SubmissionReceipt(duplicate=result.duplicate, transaction=status)


@router.post("/transactions", status_code=201, openapi_extra=UPLOAD_BODY,
             responses={200: {"model": SubmissionReceipt, "description": "TCN received before: the stored answer"},
                        **responses(R.UNAUTHENTICATED, R.FORBIDDEN, R.REQUEST_TIMEOUT, R.PAYLOAD_TOO_LARGE,
                                    R.UNSUPPORTED_MEDIA_TYPE, R.INVALID_TRANSACTION, R.RATE_LIMITED)})
async def submit_transaction(request: Request, principal: Submitter, service: ServiceDep,
                             response: HttpResponse) -> SubmissionReceipt:
    """Upload one ANSI/NIST-ITL transaction (raw body or multipart field `file`); it is validated, stored,
    and processed through the pipeline before the answer. A rejection answers 422 with every violation."""
    body = await read_upload(request, service.settings.max_upload_bytes, service.settings.body_timeout_s)
    upload = await unpack(request, body)
    result = await run_in_threadpool(receive, service, principal, upload)
    if not result.accepted:
        raise _rejection(result)
    response.status_code = 200 if result.duplicate else 201
    return await run_in_threadpool(_receipt, service, request, principal, result)


@router.get("/transactions/{tcn}", responses=READ_FAILURES)
def get_transaction(tcn: str, request: Request, principal: BookingReader, session: SessionDep,
                    service: ServiceDep) -> TransactionStatus:
    """Status, stage and results of one booking, as far as the caller may see them."""
    status = transaction_status(session, principal, booking_in_scope(session, principal, tcn))
    service.audit(request, principal, "api.transactions.read", tcn=tcn, session=session,
                  disclosed=[r.kind for r in status.responses])
    return status


@router.get("/transactions/{tcn}/responses", responses=READ_FAILURES)
def list_responses(tcn: str, request: Request, principal: BookingReader, session: SessionDep,
                   service: ServiceDep) -> list[ResponseInfo]:
    """The responses of one booking that the caller may download."""
    booking = booking_in_scope(session, principal, tcn)
    found = [response_info(r, tcn) for r in readable_responses(session, principal, booking)]
    service.audit(request, principal, "api.responses.list", tcn=tcn, session=session,
                  disclosed=[r.kind for r in found])
    return found


def _download(body: bytes, media_type: str, name: str) -> HttpResponse:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    return HttpResponse(content=body, media_type=media_type,
                        headers={"Content-Disposition": f'attachment; filename="{safe}"'})


@router.get("/transactions/{tcn}/responses/{kind}", response_class=HttpResponse, responses={
    200: {"content": {"application/x-ansi-nist": {}, "text/plain": {}}, "description": "The message bytes"},
    **READ_FAILURES})
def download_response(tcn: str, kind: str, request: Request, principal: BookingReader, session: SessionDep,
                      service: ServiceDep) -> HttpResponse:
    """One response message (SRE, IDR, IAQ, IAR, I247) as sent; an IAR only to ICE, auditors and the
    submitting agency, an IAQ only to ICE and auditors."""
    booking = booking_in_scope(session, principal, tcn)
    kind = kind.upper()
    if not principal.may_read_response(kind):
        raise ApiError(FailureReason.FORBIDDEN, f"role {principal.role} may not read {kind} responses",
                       audit={"tcn": tcn, "kind": kind})
    row = session.scalar(select(Response).where(Response.booking_id == booking.id, Response.kind == kind))
    if row is None:
        raise ApiError(FailureReason.NOT_FOUND, f"no {kind} response for {tcn}", audit={"tcn": tcn, "kind": kind})
    service.audit(request, principal, "api.responses.download", tcn=tcn, subject=kind, session=session,
                  response_id=row.id)
    return _download(row.body, row.content_type, f"{tcn}.{kind.lower()}")


@router.get("/submissions/{submission_id}/errt", response_class=HttpResponse, responses={
    200: {"content": {"application/x-ansi-nist": {}}, "description": "The stored ERRT"}, **READ_FAILURES})
def download_errt(submission_id: Annotated[int, Path(ge=1, le=2**62)], request: Request, principal: BookingReader, session: SessionDep,
                  service: ServiceDep) -> HttpResponse:
    """The error response stored with a rejected submission (to its sender and auditors)."""
    submission = submission_in_scope(session, principal, submission_id)
    if submission.accepted or submission.error_response is None:
        raise ApiError(FailureReason.NOT_FOUND, f"submission {submission_id} was not rejected")
    service.audit(request, principal, "api.submissions.errt", tcn=submission.tcn, session=session,
                  submission=submission_id)
    return _download(submission.error_response, "application/x-ansi-nist", f"submission-{submission_id}.errt")
