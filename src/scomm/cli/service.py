"""`scomm serve`: the HTTP API on the embedded default (SQLite under SCOMM_HOME) or SCOMM_DATABASE_URL."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    app.command()(serve)


def serve(host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
          port: int = typer.Option(8000, help="TCP port."),
          limit_concurrency: int = typer.Option(64, help="Connections beyond this get 503 at once."),
          timeout_keep_alive: int = typer.Option(5, help="Seconds an idle keep-alive connection is kept."),
          log_level: str = typer.Option("info", help="uvicorn log level.")) -> None:
    """Start the HTTP API (OpenAPI at /docs and /openapi.json).

    Limits: uploads over SCOMM_API_MAX_UPLOAD_BYTES get 413 before being read; an upload not received
    within SCOMM_API_BODY_TIMEOUT_S gets 408; each client has a token bucket (SCOMM_API_RATE_PER_S,
    SCOMM_API_RATE_BURST) and gets 429 with Retry-After when it is empty. uvicorn adds the connection cap
    (--limit-concurrency → 503) and drops idle keep-alive connections (--timeout-keep-alive).
    """
    import uvicorn

    from scomm.api import ApiSettings, create_app
    from scomm.config import Settings

    app = create_app(Settings(), ApiSettings())
    uvicorn.run(app, host=host, port=port, limit_concurrency=limit_concurrency,
                timeout_keep_alive=timeout_keep_alive, log_level=log_level, workers=1)
