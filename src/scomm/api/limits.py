"""Protection against floods, large bodies and slow clients, with a clear error for each.

- `RateLimiter`: one token bucket per caller (client id, or address when anonymous); empty → 429
  with Retry-After. In memory, per process: behind several workers each enforces its own share.
- `read_upload`: refuses a declared Content-Length over the limit before reading a byte, then reads
  the stream with a running cap (a lying or absent Content-Length still stops at the limit) and a
  deadline for the whole body (a client trickling bytes gets 408 and frees its worker).

uvicorn bounds the rest (see `scomm serve`): `--limit-concurrency` answers 503 past N connections,
`--timeout-keep-alive` drops idle connections, h11 caps header size.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import anyio
from starlette.requests import ClientDisconnect, Request

from scomm.api.errors import ApiError, FailureReason


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets: `rate` tokens per second refill up to `burst`; each request takes one."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Take one token; returns 0 when granted, else the seconds until one is available."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.setdefault(key, _Bucket(float(self.burst), now))
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self.rate

    def check(self, key: str) -> None:
        wait = self.take(key)
        if wait > 0:
            retry = str(max(1, math.ceil(wait)))
            raise ApiError(FailureReason.RATE_LIMITED, f"too many requests; retry after {retry} s",
                           headers={"Retry-After": retry})


def too_large(limit: int) -> ApiError:
    return ApiError(FailureReason.PAYLOAD_TOO_LARGE, f"upload larger than the limit of {limit} bytes",
                    audit={"limit": limit})


async def read_upload(request: Request, limit: int, timeout_s: float) -> bytes:
    """The request body, at most `limit` bytes, received within `timeout_s` seconds."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    chunks: list[bytes] = []
    size = 0
    try:
        with anyio.fail_after(timeout_s):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise too_large(limit)
                chunks.append(chunk)
    except TimeoutError as exc:
        raise ApiError(FailureReason.REQUEST_TIMEOUT, f"upload not received within {timeout_s:g} s") from exc
    except ClientDisconnect as exc:
        raise ApiError(FailureReason.INVALID_REQUEST, "client disconnected during upload") from exc
    return b"".join(chunks)
