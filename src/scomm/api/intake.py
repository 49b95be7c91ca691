"""Receiving an upload: the caller's ORI check, intake, then the booking through the pipeline.

The pipeline commits stage by stage in its own transactions; nothing here opens a transaction around
it, so a failure leaves a stored rejection or a booking at a durable stage (resumed by `scomm run`),
never half-written rows. The one PipelineContext is shared, so the work runs under its lock.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import UploadFile
from starlette.requests import Request

from scomm.api.errors import ApiError, FailureReason
from scomm.api.principal import Principal
from scomm.api.service import ApiService
from scomm.errors import TransactionError
from scomm.formats import parse_transaction
from scomm.pipeline import IntakeResult, submit
from scomm.pipeline.runner import run_booking
from scomm.records import ApiUpload, ClientRole

RAW = "application/octet-stream"
MULTIPART = "multipart/form-data"
UPLOAD_FIELD = "file"


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str


async def unpack(request: Request, body: bytes) -> Upload:
    """The transaction inside a raw or multipart body (already read under the size cap)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in (RAW, ""):
        return Upload(body, request.headers.get("x-filename", "")[:200])
    if kind != MULTIPART:
        raise ApiError(FailureReason.UNSUPPORTED_MEDIA_TYPE, f"send {RAW} or {MULTIPART}, not {kind}")

    async def replay() -> dict[str, object]:
        return {"type": "http.request", "body": body, "more_body": False}

    form = await Request(request.scope, replay).form()
    part = form.get(UPLOAD_FIELD)
    if not isinstance(part, UploadFile):
        raise ApiError(FailureReason.INVALID_REQUEST, f"multipart upload needs a file field named {UPLOAD_FIELD!r}")
    try:
        return Upload(await part.read(), (part.filename or "")[:200])
    finally:
        await form.close()


def check_ori(principal: Principal, data: bytes) -> None:
    """A booking agency submits only under its own ORI (Type-1 1.004); unreadable files go to intake."""
    if principal.role != ClientRole.BOOKING_AGENCY:
        return
    try:
        ori = parse_transaction(data).ori
    except TransactionError:
        return  # intake stores it as a rejection, linked to this client
    if ori != principal.ori:
        raise ApiError(FailureReason.FORBIDDEN, f"Type-1 ORI {ori!r} is not this client's ORI",
                       audit={"ori": ori})


def receive(service: ApiService, principal: Principal, upload: Upload) -> IntakeResult:
    """Intake and, for an accepted booking, every stage; runs in a worker thread."""
    check_ori(principal, upload.data)
    with service.pipeline_lock:
        result = submit(service.ctx, upload.data, upload.filename)
        with service.db.session() as session:
            session.add(ApiUpload(client_id=principal.client_id, submission_id=result.submission_id))
        if result.accepted and result.booking_id is not None:
            run_booking(service.ctx, result.booking_id)  # a failure is recorded on the booking, retried later
    return result
