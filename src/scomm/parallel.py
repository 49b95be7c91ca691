"""Worker process pools for CPU-bound batch work (rendering, extraction).

Workers are fresh interpreters (spawn), because forking a process whose numba thread pool is running
can deadlock. Each worker is single-threaded: with one process per core already, BLAS and numba
threads inside every worker only fight each other (measured here: 2.5x more CPU per fingerprint).
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

# BLAS libraries read these once, when they load in the child; the parent's own BLAS is already set up,
# so exporting them here changes nothing for this process.
SINGLE_THREAD_BLAS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _single_threaded_worker() -> None:
    # numba's thread count is not exported as NUMBA_NUM_THREADS: numba re-reads its environment at every
    # compilation and refuses a value that differs from the pool it already launched, so changing the
    # variable in a long-lived parent (a test run, the service) would break the parent's next compile.
    import numba

    numba.set_num_threads(1)


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` single-threaded spawned processes."""
    for name in SINGLE_THREAD_BLAS:
        os.environ.setdefault(name, "1")
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_single_threaded_worker)


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
