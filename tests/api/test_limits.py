"""Large bodies, floods and slow uploads get clear errors, and the service keeps answering."""

from __future__ import annotations

from collections.abc import Iterator

import anyio
import pytest
from sqlalchemy import func, select

from starlette.requests import Request

from scomm.api import ApiSettings
from scomm.api.errors import ApiError, FailureReason
from scomm.api.limits import read_upload
from scomm.records import Submission
from tests.api.conftest import make_client

RAW = {"Content-Type": "application/octet-stream"}


@pytest.fixture
def small(settings, world) -> Iterator:
    with make_client(settings, ApiSettings(max_upload_bytes=1000, rate_per_s=1000, rate_burst=1000)) as client:
        yield client


def test_a_declared_oversized_upload_is_413_before_it_is_read(small, auth, db) -> None:
    answer = small.post("/v1/transactions", content=b"x" * 5000, headers={**RAW, **auth("agency_test")})
    assert answer.status_code == 413 and answer.json()["reason"] == "payload_too_large"
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 5  # the factory's only
    assert small.get("/healthz").status_code == 200


def test_an_undeclared_oversized_stream_is_cut_at_the_limit(small, auth) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(50):
            yield b"y" * 100

    answer = small.post("/v1/transactions", content=chunks(), headers={**RAW, **auth("agency_test")})
    assert answer.status_code == 413


def test_a_flood_gets_429_with_retry_after_and_others_still_get_in(settings, world, auth) -> None:
    with make_client(settings, ApiSettings(rate_per_s=0.01, rate_burst=3)) as client:
        codes = [client.get("/v1/transactions/TCN-A1", headers=auth("agency_a")).status_code for _ in range(5)]
        assert codes == [200, 200, 200, 429, 429]
        flooded = client.get("/v1/transactions/TCN-A1", headers=auth("agency_a"))
        assert flooded.json()["reason"] == "rate_limited" and int(flooded.headers["Retry-After"]) >= 1
        assert client.get("/v1/transactions/TCN-A1", headers=auth("auditor")).status_code == 200


def test_a_flood_of_bad_tokens_is_throttled_too(settings, world) -> None:
    with make_client(settings, ApiSettings(rate_per_s=0.01, rate_burst=2)) as client:
        bad = {"Authorization": "Bearer scomm_1_nope"}
        assert [client.get("/v1/detainers", headers=bad).status_code for _ in range(3)] == [401, 401, 429]


def test_a_slow_upload_is_408_and_frees_the_worker() -> None:
    """The TestClient sends a body at once, so the trickling client is an ASGI receive that stalls."""

    async def trickle() -> dict[str, object]:
        await anyio.sleep(0.15)
        return {"type": "http.request", "body": b"z", "more_body": True}

    request = Request({"type": "http", "method": "POST", "path": "/v1/transactions", "headers": []}, trickle)

    async def read() -> None:
        await read_upload(request, limit=1000, timeout_s=0.4)

    with pytest.raises(ApiError) as caught:
        anyio.run(read)
    assert caught.value.status == 408 and caught.value.reason == FailureReason.REQUEST_TIMEOUT
