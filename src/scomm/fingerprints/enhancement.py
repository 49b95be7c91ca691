"""Contextual enhancement and binarisation.

A separable stand-in for an oriented Gabor filter: a Gaussian smoothing along the local ridge
direction, then an even band-pass (Gaussian × cosine at the ridge period) across it. Two 1-D passes
cost a fraction of a 2-D Gabor bank and give a binarisation good enough for minutiae.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from scomm.fingerprints.parameters import ExtractionParameters


def along_kernel(params: ExtractionParameters) -> np.ndarray:
    half = int(np.ceil(2.5 * params.along_sigma))
    k = np.arange(-half, half + 1, dtype=np.float64)
    w = np.exp(-0.5 * (k / params.along_sigma) ** 2)
    return (w / w.sum()).astype(np.float32)


def across_kernel(period: float, params: ExtractionParameters) -> np.ndarray:
    sigma = params.across_sigma_ratio * period
    half = int(np.ceil(2.5 * sigma))
    k = np.arange(-half, half + 1, dtype=np.float64)
    w = np.exp(-0.5 * (k / sigma) ** 2) * np.cos(2.0 * np.pi * k / period)
    w -= w.mean()  # zero DC: the output's sign no longer depends on local brightness
    return (w / np.abs(w).sum()).astype(np.float32)


def enhance(img: np.ndarray, angle: np.ndarray, mask: np.ndarray, period: float,
            params: ExtractionParameters,
            direction: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Binary ridge map (uint8, 1 = ridge) of ``img`` (ridges bright), restricted to ``mask``.

    ``direction``, when given, must be ``(cos(angle), sin(angle))`` as float32.
    """
    if direction is None:
        cos = np.cos(angle).astype(np.float32)
        sin = np.sin(angle).astype(np.float32)
    else:
        cos, sin = direction
    # the pass copies its input, so a float32 image needs no copy of its own here
    smoothed = _oriented_pass(np.asarray(img, dtype=np.float32), cos, sin, mask, along_kernel(params))
    # across the ridge = the along direction turned by 90°
    banded = _oriented_pass(smoothed, -sin, cos, mask, across_kernel(period, params))
    return ((banded > 0) & mask).astype(np.uint8)


@njit(cache=True)
def _tap_offsets(c, s, ox, oy):  # pragma: no cover - compiled
    """Integer offsets of the taps k = -half..half along (c, s) into ``ox``/``oy``; returns their x and y bounds
    (the offsets are monotonic in k, so the end taps bound them all).

    Rounding the offset alone and adding the integer x afterwards gives the same integer as rounding
    x + k·c: k·c is exact in float64 and is either exactly a half-integer or at least 2^-28 away from one.
    """
    n = ox.shape[0]
    half = n // 2
    for i in range(n):
        k = i - half
        ox[i] = int(k * c + 0.5 + 1e4) - 10000
        oy[i] = int(k * s + 0.5 + 1e4) - 10000
    return min(ox[0], ox[n - 1]), max(ox[0], ox[n - 1]), min(oy[0], oy[n - 1]), max(oy[0], oy[n - 1])


@njit(cache=True)
def _oriented_pass(img, cos, sin, mask, kernel):  # pragma: no cover - compiled
    h, w = img.shape
    n = kernel.shape[0]
    out = img.copy()
    # Tap offsets depend only on (cos, sin), which come from a coarse grid and so repeat across
    # neighbouring pixels: recompute them only when the direction changes.
    ox = np.zeros(n, dtype=np.int64)
    oy = np.zeros(n, dtype=np.int64)
    last_c = np.float32(np.nan)
    last_s = np.float32(np.nan)
    lo_x = hi_x = lo_y = hi_y = 0
    for y in range(h):
        x = 0
        while x < w:
            if not mask[y, x]:
                x += 1
                continue
            c = cos[y, x]
            s = sin[y, x]
            if c != last_c or s != last_s:
                lo_x, hi_x, lo_y, hi_y = _tap_offsets(c, s, ox, oy)
                last_c = c
                last_s = s
            # the offsets are monotonic in k, so the end taps bound them all
            inside = x + lo_x >= 0 and y + lo_y >= 0 and y + hi_y < h
            if (inside and x + 3 + hi_x < w and mask[y, x + 1] and mask[y, x + 2] and mask[y, x + 3]
                    and cos[y, x + 1] == c and cos[y, x + 2] == c and cos[y, x + 3] == c
                    and sin[y, x + 1] == s and sin[y, x + 2] == s and sin[y, x + 3] == s):
                # four neighbours with one direction: four independent sums side by side hide the
                # latency of the adds; each sum still runs in tap order, so rounding is unchanged
                a0 = 0.0
                a1 = 0.0
                a2 = 0.0
                a3 = 0.0
                for i in range(n):
                    kv = kernel[i]
                    yy = y + oy[i]
                    xx = x + ox[i]
                    a0 += kv * img[yy, xx]
                    a1 += kv * img[yy, xx + 1]
                    a2 += kv * img[yy, xx + 2]
                    a3 += kv * img[yy, xx + 3]
                out[y, x] = a0
                out[y, x + 1] = a1
                out[y, x + 2] = a2
                out[y, x + 3] = a3
                x += 4
                continue
            acc = 0.0
            if inside and x + hi_x < w:
                for i in range(n):
                    acc += kernel[i] * img[y + oy[i], x + ox[i]]
            else:
                for i in range(n):
                    xx = min(max(x + ox[i], 0), w - 1)
                    yy = min(max(y + oy[i], 0), h - 1)
                    acc += kernel[i] * img[yy, xx]
            out[y, x] = acc
            x += 1
    return out


def enhance_many(img: np.ndarray, angle: np.ndarray, mask: np.ndarray, period: float,
                 variants: list[ExtractionParameters],
                 direction: tuple[np.ndarray, np.ndarray] | None = None) -> list[np.ndarray]:
    """``[enhance(img, angle, mask, period, p, direction) for p in variants]``, identical maps, with the
    along-ridge passes done together: every variant samples the same pixels along the ridge (a tap's
    offset depends only on its distance k), so one pass reads each sample once for all of them."""
    if direction is None:
        cos = np.cos(angle).astype(np.float32)
        sin = np.sin(angle).astype(np.float32)
    else:
        cos, sin = direction
    kernels = [along_kernel(p) for p in variants]
    if len(kernels) > 3:
        return [enhance(img, angle, mask, period, p, (cos, sin)) for p in variants]
    longest = max(len(k) for k in kernels)
    padded = np.zeros((3, longest), np.float32)  # unused rows stay zero
    for row, k in zip(padded, kernels):
        start = (longest - len(k)) // 2
        row[start:start + len(k)] = k  # zero taps add exact zeros: each sum keeps its own rounding
    smoothed = _oriented_passes(np.asarray(img, dtype=np.float32), cos, sin, mask, padded)
    across = [across_kernel(period, p) for p in variants]
    if len(variants) == 3 and all(np.array_equal(across[0], k) for k in across[1:]):
        banded = _oriented_passes_of_three(smoothed, -sin, cos, mask, across[0])  # one kernel, three images
    else:
        banded = [_oriented_pass(plane, -sin, cos, mask, k) for plane, k in zip(smoothed, across)]
    return [((b > 0) & mask).astype(np.uint8) for b in banded]


@njit(cache=True)
def _oriented_passes(img, cos, sin, mask, kernels):  # pragma: no cover - compiled
    """``_oriented_pass`` with three kernels of one length at once: out[j] is the pass with kernels[j]."""
    h, w = img.shape
    n = kernels.shape[1]
    out = np.empty((3, h, w), dtype=img.dtype)
    # element loops, not ``out[j] = img``: an array assignment compiles numba's shape-mismatch error
    # path (string formatting, ~5 s of compilation on a fresh install) for a check that cannot fail
    for j in range(3):
        for y in range(h):
            for x in range(w):
                out[j, y, x] = img[y, x]
    ka = kernels[0]
    kb = kernels[1]
    kc = kernels[2]
    ox = np.zeros(n, dtype=np.int64)
    oy = np.zeros(n, dtype=np.int64)
    last_c = np.float32(np.nan)
    last_s = np.float32(np.nan)
    lo_x = hi_x = lo_y = hi_y = 0
    for y in range(h):
        x = 0
        while x < w:
            if not mask[y, x]:
                x += 1
                continue
            c = cos[y, x]
            s = sin[y, x]
            if c != last_c or s != last_s:
                lo_x, hi_x, lo_y, hi_y = _tap_offsets(c, s, ox, oy)
                last_c = c
                last_s = s
            inside = x + lo_x >= 0 and y + lo_y >= 0 and y + hi_y < h
            if (inside and x + 1 + hi_x < w and mask[y, x + 1] and cos[y, x + 1] == c and sin[y, x + 1] == s):
                a0 = 0.0
                b0 = 0.0
                c0 = 0.0
                a1 = 0.0
                b1 = 0.0
                c1 = 0.0
                for i in range(n):
                    yy = y + oy[i]
                    xx = x + ox[i]
                    v0 = img[yy, xx]
                    v1 = img[yy, xx + 1]
                    a0 += ka[i] * v0
                    b0 += kb[i] * v0
                    c0 += kc[i] * v0
                    a1 += ka[i] * v1
                    b1 += kb[i] * v1
                    c1 += kc[i] * v1
                out[0, y, x] = a0
                out[1, y, x] = b0
                out[2, y, x] = c0
                out[0, y, x + 1] = a1
                out[1, y, x + 1] = b1
                out[2, y, x + 1] = c1
                x += 2
                continue
            a0 = 0.0
            b0 = 0.0
            c0 = 0.0
            if inside and x + hi_x < w:
                for i in range(n):
                    v0 = img[y + oy[i], x + ox[i]]
                    a0 += ka[i] * v0
                    b0 += kb[i] * v0
                    c0 += kc[i] * v0
            else:
                for i in range(n):
                    v0 = img[min(max(y + oy[i], 0), h - 1), min(max(x + ox[i], 0), w - 1)]
                    a0 += ka[i] * v0
                    b0 += kb[i] * v0
                    c0 += kc[i] * v0
            out[0, y, x] = a0
            out[1, y, x] = b0
            out[2, y, x] = c0
            x += 1
    return out


@njit(cache=True)
def _oriented_passes_of_three(imgs, cos, sin, mask, kernel):  # pragma: no cover - compiled
    """``[_oriented_pass(imgs[j], cos, sin, mask, kernel) for j in range(3)]``: the tap offsets are found
    once for the three images."""
    _, h, w = imgs.shape
    n = kernel.shape[0]
    out = imgs.copy()
    ox = np.zeros(n, dtype=np.int64)
    oy = np.zeros(n, dtype=np.int64)
    last_c = np.float32(np.nan)
    last_s = np.float32(np.nan)
    lo_x = hi_x = lo_y = hi_y = 0
    for y in range(h):
        for x in range(w):
            if not mask[y, x]:
                continue
            c = cos[y, x]
            s = sin[y, x]
            if c != last_c or s != last_s:
                lo_x, hi_x, lo_y, hi_y = _tap_offsets(c, s, ox, oy)
                last_c = c
                last_s = s
            a0 = 0.0
            a1 = 0.0
            a2 = 0.0
            if x + lo_x >= 0 and y + lo_y >= 0 and y + hi_y < h and x + hi_x < w:
                for i in range(n):
                    kv = kernel[i]
                    yy = y + oy[i]
                    xx = x + ox[i]
                    a0 += kv * imgs[0, yy, xx]
                    a1 += kv * imgs[1, yy, xx]
                    a2 += kv * imgs[2, yy, xx]
            else:
                for i in range(n):
                    kv = kernel[i]
                    yy = min(max(y + oy[i], 0), h - 1)
                    xx = min(max(x + ox[i], 0), w - 1)
                    a0 += kv * imgs[0, yy, xx]
                    a1 += kv * imgs[1, yy, xx]
                    a2 += kv * imgs[2, yy, xx]
            out[0, y, x] = a0
            out[1, y, x] = a1
            out[2, y, x] = a2
    return out
