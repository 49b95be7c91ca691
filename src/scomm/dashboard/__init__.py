"""The web dashboard served by `scomm serve` at /dashboard: static HTML, CSS and JS reading the /v1 API.

Everything it loads comes from this package (no CDN: the machines have no internet), and the Content
Security Policy below makes the browser refuse anything else, so a stray external reference fails loudly
instead of leaking a visitor's request. The pages disclose no records by themselves; every number comes
from the JSON API, which checks the caller and audits the request. Asset fetches are not audited.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC = Path(__file__).parent / "static"
PREFIX = "/dashboard"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class DashboardFiles(StaticFiles):
    """The package's static files, each answered with the dashboard's security headers."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers.update(SECURITY_HEADERS)
        if path.endswith(".html") or path in ("", "."):
            response.headers["Cache-Control"] = "no-cache"  # a new release shows at once
        return response


def mount(app: FastAPI) -> None:
    """Serve the dashboard at /dashboard/ (and redirect /dashboard there)."""

    @app.get(PREFIX, include_in_schema=False)
    def dashboard_root() -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/")

    app.mount(PREFIX, DashboardFiles(directory=STATIC, html=True), name="dashboard")
