"""CUDA kernels of :mod:`scomm.fingerprints.gpu`, compiled by ``numba.cuda`` on first launch.

A module of their own because the simulator (``NUMBA_ENABLE_CUDASIM=1``) swaps a kernel's *global*
``cuda`` for its thread-aware stand-in: ``cuda`` must be a module global here, and importing this module
imports ``numba.cuda``, which only :mod:`scomm.fingerprints.gpu` does, when a GPU is asked for.
"""

import math

from numba import cuda, float64, uint64

from scomm.fingerprints.gpu import MAX_CODE_WORDS, MAX_PROBE_CYLINDERS
from scomm.fingerprints.matching import _wrap

# the CPU kernel's own source, compiled for the device: the same float32 → float64 steps
wrap = cuda.jit(device=True)(_wrap.py_func)


@cuda.jit
def compact_scan(p_codes, p_angles, g_codes, g_angles, starts, max_angle, min_common, w, out):  # pragma: no cover
    """out[t] = compact score of gallery template t, one thread per template: the probe's pooled codes in
    shared memory, each gallery cylinder's words loaded once and compared with every probe cylinder.

    The loop body mirrors ``search._compact_one`` line for line (it cannot call it: the CPU kernel's popcount
    is an LLVM intrinsic, the device's is ``cuda.popc``); the tests hold the two to the same bits."""
    probe = cuda.shared.array((MAX_PROBE_CYLINDERS, MAX_CODE_WORDS), uint64)
    q = p_codes.shape[0]
    width = p_codes.shape[1]
    nd = width // w - 1
    for k in range(cuda.threadIdx.x, q * width, cuda.blockDim.x):
        probe[k // width, k % width] = p_codes[k // width, k % width]
    cuda.syncthreads()
    t = cuda.grid(1)
    if t >= out.shape[0]:
        return
    best = cuda.local.array(MAX_PROBE_CYLINDERS, float64)
    for i in range(q):
        best[i] = 0.0
    g = cuda.local.array(MAX_CODE_WORDS, uint64)
    for j in range(starts[t], starts[t + 1]):
        for c in range(width):
            g[c] = g_codes[j, c]
        ga = g_angles[j]
        for i in range(q):
            if abs(wrap(p_angles[i] - ga)) > max_angle:
                continue
            common = 0
            for c in range(w):
                common += cuda.popc(probe[i, nd * w + c] & g[nd * w + c])
            if common < min_common:
                continue
            na = 0
            nb = 0
            differ = 0
            for s in range(nd):
                for c in range(w):
                    m = probe[i, nd * w + c] & g[nd * w + c]
                    x = probe[i, s * w + c] & m
                    y = g[s * w + c] & m
                    na += cuda.popc(x)
                    nb += cuda.popc(y)
                    differ += cuda.popc(x ^ y)
            if na + nb == 0:
                continue
            sim = 1.0 - math.sqrt(differ) / (math.sqrt(na) + math.sqrt(nb))
            best[i] = max(best[i], sim)
    total = 0.0
    for i in range(q):
        total += best[i]
    out[t] = total


@cuda.jit
def accumulate(rough, scores, of_row):  # pragma: no cover
    """rough[row] += scores[template of row]: positions are added one by one, in the CPU path's order."""
    r = cuda.grid(1)
    if r < rough.shape[0]:
        t = of_row[r]
        if t >= 0:
            rough[r] += scores[t]
