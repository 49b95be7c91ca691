"""Probe templates: the ten-print a booking is searched with, extracted from its stored original.

Extraction needs nothing but the submitted bytes, so it can run ahead of the pipeline in worker
processes while the stages (which need the galleries and the database) run in order in this one.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field

from scomm.errors import PoorQualityError
from scomm.fingerprints import Template, extract
from scomm.formats import Transaction, parse_transaction
from scomm.parallel import cpu_count, worker_pool

PREFETCH_WINDOW = 16  # bookings extracted ahead of the stage loop; bounds memory on long streams


@dataclass(frozen=True)
class Probe:
    templates: dict[int, Template]
    problems: list[str] = field(default_factory=list)


def extract_probe(raw: bytes) -> Probe:
    """One template per rolled finger (1–10); unusable fingers are named, not dropped silently."""
    return probe_of(parse_transaction(raw))


def probe_of(tx: Transaction) -> Probe:
    """:func:`extract_probe` of a transaction already parsed (its images decoded)."""
    templates: dict[int, Template] = {}
    problems: list[str] = []
    for finger in tx.fingers:
        position = int(finger.position)
        if not 1 <= position <= 10 or position in templates:
            continue
        try:
            templates[position] = extract(finger.pixels, finger.ppi)
        except PoorQualityError as exc:
            problems.append(f"finger {position} ({finger.record}): {exc.reason}")
    return Probe(templates, problems)


ProbePayload = tuple[dict[int, bytes], list[str]]  # a Probe as it crosses a process boundary


def to_payload(probe: Probe) -> ProbePayload:
    return {p: t.to_bytes() for p, t in probe.templates.items()}, probe.problems


def from_payload(payload: ProbePayload) -> Probe:
    templates, problems = payload
    return Probe({p: Template.from_bytes(b) for p, b in templates.items()}, problems)


def _extract_bytes(raw: bytes) -> ProbePayload:
    return to_payload(extract_probe(raw))


class ProbePrefetcher:
    """Extracts probes for upcoming bookings in a process pool, a bounded window ahead."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or cpu_count()
        self._pool: ProcessPoolExecutor | None = None
        self._futures: dict[int, Future[ProbePayload]] = {}

    def __enter__(self) -> ProbePrefetcher:
        if self.workers > 1:
            self._pool = worker_pool(self.workers)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def feed(self, jobs: Iterator[tuple[int, bytes]], window: int = PREFETCH_WINDOW) -> None:
        """Submit (booking id, raw bytes) jobs until `window` extractions are in flight."""
        if self._pool is None:
            return
        while len(self._futures) < window:
            job = next(jobs, None)
            if job is None:
                return
            self._futures[job[0]] = self._pool.submit(_extract_bytes, job[1])

    def take(self, booking_id: int) -> Probe | None:
        future = self._futures.pop(booking_id, None)
        if future is None:
            return None
        return from_payload(future.result())

