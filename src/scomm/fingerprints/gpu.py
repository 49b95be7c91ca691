"""The compact scan on an NVIDIA GPU: every gallery finger of a position scored against a probe finger.

Optional: nothing here is needed to install or test scomm. It is written with ``numba.cuda`` (numba is
already the engine's compiler) so that the same kernel source runs on a GPU where one is present and on
the CPU under numba's CUDA simulator (``NUMBA_ENABLE_CUDASIM=1``), which is how the test suite checks it on
machines without one.

The kernel computes exactly what :func:`scomm.fingerprints.search._compact_prescan` computes: per
gallery template, the sum over the probe's coded cylinders of their best pooled MCC similarity among
the template's coded cylinders, angle-gated. It uses the same float32 angle difference, the same
float64 square roots and division (IEEE, no fast-math) and the same summation order, so its scores are
bit-identical to the CPU kernel's, not merely close (checked by the tests and by ``bench/gpu_bench.py``).

What it changes is the cascade: on a GPU the compact scan of the *whole* gallery costs less than the
CPU's codeword index, so a GPU backend skips the index stage and the pre-compact pass. Its candidates are
then those of a CPU backend with both turned off (``SearchParameters(index_from=...)`` above the gallery size,
``precompact_keep=0``), which keeps the mates the index would have lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from scomm.errors import FingerprintError

if TYPE_CHECKING:  # pragma: no cover
    from scomm.fingerprints.search import _Column

THREADS = 128
# sizes the kernels are compiled for (their shared and per-thread arrays need them at compile time)
MAX_PROBE_CYLINDERS = 32  # SearchParameters.prefilter_minutiae is 10; the kernel keeps one best per probe cylinder
MAX_CODE_WORDS = 16  # (nd + 1) · w words per pooled cylinder: 7 for the default 16×16×6 cylinders


def available() -> bool:
    """True when numba can reach a CUDA GPU (or its simulator is switched on)."""
    try:
        from numba import cuda

        return bool(cuda.is_available())
    except Exception:  # noqa: BLE001 - a missing or broken driver means "no GPU", whatever it raises
        return False


def _kernels() -> object:
    """The compiled kernels' module, imported on first use: importing scomm never touches CUDA."""
    from scomm.fingerprints import gpu_kernels

    return gpu_kernels


def _blocks(n: int) -> int:
    return max(1, -(-n // THREADS))


def compact_scan(p_codes: np.ndarray, p_angles: np.ndarray, g_codes: object, g_angles: object, starts: object,
                 max_angle: float, min_common: float, w: int, out: object | None = None) -> object:
    """Compact score of every gallery template (``len(starts) - 1`` of them) on the device; returns a device
    array of float64 (``out`` when given). Gallery arrays may be host or device arrays."""
    from numba import cuda

    if len(p_codes) > MAX_PROBE_CYLINDERS or p_codes.shape[1] > MAX_CODE_WORDS:
        raise FingerprintError(f"the GPU compact scan takes at most {MAX_PROBE_CYLINDERS} probe cylinders of "
                               f"{MAX_CODE_WORDS} words, got {p_codes.shape}")
    n = len(starts) - 1
    if out is None:
        out = cuda.device_array(n, np.float64)
    if n == 0:
        return out
    if len(p_codes) == 0:
        out[:] = 0.0
        return out
    kernel = _kernels().compact_scan
    probe_codes = cuda.to_device(np.ascontiguousarray(p_codes, np.uint64))
    probe_angles = cuda.to_device(np.ascontiguousarray(p_angles, np.float32))
    kernel[_blocks(n), THREADS](probe_codes, probe_angles, g_codes, g_angles, starts, float(max_angle),
                                float(min_common), int(w), out)
    return out


class _DeviceArray:
    """A device copy of an append-only host array, grown by doubling so that enrolling stays linear."""

    def __init__(self, dtype: np.dtype, width: int | None = None) -> None:
        self.dtype = np.dtype(dtype)
        self.width = width
        self.length = 0
        self.buffer: object | None = None

    def sync(self, host: np.ndarray, fresh_from: int | None = None) -> object:
        """Bring the device copy up to ``host``: rows from ``fresh_from`` (default: those not yet uploaded)."""
        from numba import cuda

        n = len(host)
        start = self.length if fresh_from is None else min(fresh_from, self.length)
        capacity = 0 if self.buffer is None else self.buffer.shape[0]
        if n > capacity:
            shape = (max(n, 2 * capacity, 1024),) + ((self.width,) if self.width else ())
            grown = cuda.device_array(shape, self.dtype)
            if self.length:
                grown[:self.length].copy_to_device(self.buffer[:self.length])
            self.buffer = grown
        if n > start:
            self.buffer[start:n].copy_to_device(np.ascontiguousarray(host[start:n], self.dtype))
        self.length = n
        return self.buffer[:n]


class DeviceColumn:
    """One finger position's compact codes, directions and template ranges, resident on the GPU."""

    def __init__(self, code_width: int) -> None:
        self.codes = _DeviceArray(np.uint64, code_width)
        self.angles = _DeviceArray(np.float32)
        self.starts = _DeviceArray(np.int64)
        self.of_row = _DeviceArray(np.int32)
        self._rows = 0

    def sync(self, column: _Column, rows: int) -> tuple[object, object, object, object]:
        """Device views of ``column`` (consolidated) for the gallery's first ``rows`` rows."""
        codes = self.codes.sync(column.codes)
        angles = self.angles.sync(column.angles)
        # the last start of the previous upload is the first of the new ones: re-send it
        starts = self.starts.sync(column.code_starts, max(self.starts.length - 1, 0))
        if rows != self._rows:  # a row's template never changes once set: only new rows need sending
            of_row = np.full(rows, -1, np.int32)
            known = min(rows, len(column.of_row))
            of_row[:known] = column.of_row[:known]
            self.of_row.sync(of_row, self._rows)
            self._rows = rows
        return codes, angles, starts, self.of_row.buffer[:rows]


class GpuCompactScan:
    """The compact stage of :class:`~scomm.fingerprints.search.InProcessBackend` over its whole gallery."""

    def __init__(self, code_width: int, max_angle: float, min_common: float, w: int) -> None:
        if not available():
            raise FingerprintError("no CUDA GPU is available to numba (numba.cuda.is_available() is False)")
        self.columns = {p: DeviceColumn(code_width) for p in range(1, 11)}
        self.max_angle, self.min_common, self.w = max_angle, min_common, w

    def rough(self, probes: list[tuple[int, np.ndarray, np.ndarray]], columns: dict[int, _Column],
              rows: int) -> np.ndarray:
        """Compact score of each of the gallery's ``rows`` rows (float64), summed over ``probes`` — (position,
        pooled codes, directions) in the order the CPU path adds them."""
        from numba import cuda

        kernels = _kernels()
        rough = cuda.to_device(np.zeros(rows, np.float64))
        for position, codes, angles in probes:
            column = columns[position]
            if len(column) == 0 or len(codes) == 0:
                continue
            g_codes, g_angles, starts, of_row = self.columns[position].sync(column, rows)
            scores = compact_scan(codes, angles, g_codes, g_angles, starts, self.max_angle, self.min_common, self.w)
            kernels.accumulate[_blocks(rows), THREADS](rough, scores, of_row)
        return rough.copy_to_host()
