"""The FastAPI application: one pipeline context per app, routes under /v1, every answer audited.

Successful requests are audited by their route (with the records disclosed); every failure, from a
bad token to an internal error, is audited by the handlers here before its ErrorBody goes out.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from scomm.api.errors import DENIALS, ApiError, FailureReason, from_scomm
from scomm.api.principal import Principal
from scomm.api.routes import (alarms, caller, detainers, evidence, outcomes, reports, statistics, system, timeline,
                              transactions, what_if)
from scomm.api.service import ApiService
from scomm.api.settings import ApiSettings
from scomm.config import Settings
from scomm.dashboard import mount as mount_dashboard
from scomm.errors import ScommError
from scomm.logs import get_logger
from scomm.pipeline import PipelineContext

log = get_logger(__name__)
HTTP_REASONS = {400: FailureReason.BAD_REQUEST, 401: FailureReason.UNAUTHENTICATED, 403: FailureReason.FORBIDDEN,
                404: FailureReason.NOT_FOUND, 405: FailureReason.METHOD_NOT_ALLOWED, 413: FailureReason.PAYLOAD_TOO_LARGE,
                415: FailureReason.UNSUPPORTED_MEDIA_TYPE, 422: FailureReason.INVALID_REQUEST,
                429: FailureReason.RATE_LIMITED}
DESCRIPTION = """Agency-facing service of scomm. Send `Authorization: Bearer <token>` (an API token from
`scomm agencies add`, or an access token from `POST /v1/oauth/token`). Without a token only
`/healthz`, `/v1/me` and the aggregate `/v1/statistics/...` answer (small cells withheld). The dashboard
is at `/dashboard/`. Every request and every record disclosed is audited."""


def create_app(settings: Settings | None = None, api_settings: ApiSettings | None = None) -> FastAPI:
    settings = settings or Settings()
    api_settings = api_settings or ApiSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ctx = PipelineContext.open(settings)  # migrates; ONE context, its galleries shared by every request
        await run_in_threadpool(lambda: (ctx.criminal, ctx.immigration))  # load galleries before serving
        app.state.service = ApiService.create(ctx, api_settings)
        try:
            yield
        finally:
            ctx.db.dispose()

    app = FastAPI(title="scomm", version="1", description=DESCRIPTION, lifespan=lifespan)
    for module in (system, caller, transactions, evidence, detainers, outcomes, alarms, statistics, reports,
                   what_if, timeline):
        app.include_router(module.router)
    mount_dashboard(app)
    _install_handlers(app)
    return app


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return await _fail(request, exc)

    @app.exception_handler(ScommError)
    async def scomm_error(request: Request, exc: ScommError) -> JSONResponse:
        return await _fail(request, from_scomm(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())[:400]
        return await _fail(request, ApiError(FailureReason.INVALID_REQUEST, detail))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        fallback = FailureReason.BAD_REQUEST if 400 <= exc.status_code < 500 else FailureReason.INTERNAL_ERROR
        reason = HTTP_REASONS.get(exc.status_code, fallback)
        return await _fail(request, ApiError(reason, str(exc.detail), headers=dict(exc.headers or {})))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", method=request.method, path=request.url.path)
        return await _fail(request, ApiError(FailureReason.INTERNAL_ERROR, "internal error",
                                             audit={"exception": type(exc).__name__}))


async def _fail(request: Request, error: ApiError) -> JSONResponse:
    """Audit the failure (who, what, why), then answer it as ErrorBody with its status."""
    principal = getattr(request.state, "principal", None)
    if principal is None:
        principal = Principal.public(request.client.host if request.client else "unknown")
    action = error.action or ("api.denied" if error.status in DENIALS else "api.failed")
    service: ApiService | None = getattr(request.app.state, "service", None)
    if service is not None:
        try:
            await run_in_threadpool(service.audit, request, principal, action, reason=error.reason.value,
                                    status=error.status, **error.audit)
        except Exception:  # noqa: BLE001 - the answer to a failure must still go out
            log.exception("could not audit a failed request", path=request.url.path)
    body = error.to_body().model_dump(mode="json", exclude_none=True)
    return JSONResponse(body, status_code=error.status, headers=error.headers)
