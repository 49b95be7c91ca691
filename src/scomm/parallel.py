"""Worker process pools for CPU-bound batch work (rendering, extraction).

Workers are fresh interpreters (spawn), because forking a process whose numba thread pool is running
can deadlock. Each worker is single-threaded: with one process per core already, BLAS and numba
threads inside every worker only fight each other (measured here: 2.5x more CPU per fingerprint).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor

# BLAS libraries read these once, when they load in the child; the parent's own BLAS is already set up,
# so exporting them here changes nothing for this process.
SINGLE_THREAD_BLAS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


# glibc's mallopt parameters, and the values: arrays below 32 MiB come from the heap, which keeps up to
# 128 MiB free before trimming. By default glibc serves each image-sized array (≥ 128 KiB) with a fresh
# mmap and unmaps it when freed, so every extraction pays ~3,400 page faults of zeroed pages: 16 % of a
# world worker's time (measured on 30 captures + extractions: 3.6 → 3.0 s, system time 0.49 → 0.11 s).
_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3
_ALLOCATOR = ((_M_MMAP_THRESHOLD, 32 << 20), (_M_TRIM_THRESHOLD, 128 << 20), (_M_TOP_PAD, 16 << 20))
allocator_tuned = False  # whether tune_allocator() succeeded in this process


def tune_allocator() -> bool:
    """Keep freed image-sized arrays in this process's heap for reuse (glibc only; elsewhere nothing).

    For processes scomm runs itself (its CLI, its workers): a library should not change the allocator
    of a host application, so importing scomm does not call this.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and others: no mallopt
        return False
    global allocator_tuned
    allocator_tuned = all(mallopt(ctypes.c_int(param), ctypes.c_int(value)) == 1 for param, value in _ALLOCATOR)
    return allocator_tuned


def _single_threaded_worker() -> None:
    tune_allocator()
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
