"""Worker pools: single-threaded children, and a parent whose numba configuration is left alone."""

from __future__ import annotations

import os
import subprocess
import sys

import numba
import pytest

from scomm.parallel import worker_pool


def _threads_in_worker() -> tuple[int, str | None]:
    return numba.get_num_threads(), os.environ.get("OPENBLAS_NUM_THREADS")


def test_workers_run_numba_and_blas_single_threaded() -> None:
    with worker_pool(1) as pool:
        assert pool.submit(_threads_in_worker).result(timeout=120) == (1, "1")


def _allocator_tuned() -> bool:
    from scomm import parallel

    return parallel.allocator_tuned


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="mallopt is glibc's")
def test_workers_keep_freed_arrays_in_their_heap_and_importing_scomm_does_not() -> None:
    with worker_pool(1) as pool:
        assert pool.submit(_allocator_tuned).result(timeout=120) is True
    code = "import scomm.pipeline, scomm.parallel as p; print(p.allocator_tuned)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_the_parent_can_still_compile_after_a_pool_ran(monkeypatch: pytest.MonkeyPatch) -> None:
    # numba re-reads NUMBA_NUM_THREADS at every compilation and raises if it no longer matches the thread
    # pool it launched: a pool must never leave that variable changed in the parent.
    monkeypatch.delenv("NUMBA_NUM_THREADS", raising=False)
    with worker_pool(1) as pool:
        pool.submit(_threads_in_worker).result(timeout=120)
    assert "NUMBA_NUM_THREADS" not in os.environ

    @numba.njit(parallel=True)
    def total(n: int) -> int:
        s = 0
        for i in numba.prange(n):
            s += i
        return s

    assert total(10) == 45
