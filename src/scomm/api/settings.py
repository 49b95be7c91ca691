"""The service's own settings (`SCOMM_API_*`): limits that protect it from large, slow and many requests."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    """Validated once when the app is created; every limit is here, none is a literal in a route."""

    model_config = SettingsConfigDict(env_prefix="SCOMM_API_", frozen=True)

    max_upload_bytes: int = Field(default=50 * 1024 * 1024, gt=0,
                                  description="Largest transaction accepted; larger bodies get 413.")
    body_timeout_s: float = Field(default=30.0, gt=0,
                                  description="Time allowed to receive a whole upload; slower clients get 408.")
    rate_per_s: float = Field(default=20.0, gt=0, description="Sustained requests per second per client.")
    rate_burst: int = Field(default=60, gt=0, description="Requests a client may send at once before 429.")
    request_sessions: int = Field(default=8, gt=0, description="Database sessions held by requests at once; "
                                  "kept below the connection pool (5 + 10 overflow) so waits never go circular.")
    access_token_ttl_s: int = Field(default=900, gt=0, description="Lifetime of an OAuth2 access token.")
    signing_key: str = Field(default="", description="HMAC key for OAuth2 access tokens; random per process "
                                                     "when empty (tokens then end with the process).")
    suppress_below: int = Field(default=10, ge=1, description="Public statistics: cells 1..N-1 are withheld.")
