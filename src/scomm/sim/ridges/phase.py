"""AM-FM ridge phase (Larkin & Fletcher 2007): psi = continuous phase + spiral phase.

The continuous phase has gradient 2 pi f n, n the ridge normal. Orientation is only
defined modulo pi, so n needs a sign; around a core or delta no global sign exists. We
cut the plane along ridge lines traced out of each singular point (to the border, or
into a partner singular point) and choose signs consistently everywhere else. Across a
cut that follows a ridge the phase merely folds (|d|-shaped), which cos() hides as long
as the fold sits at a multiple of pi; a smooth correction enforces that. The continuous
phase is the least-squares integral of the signed gradient, solved with DCTs.
Minutiae are added as spirals: psi_s = sum p_n atan2(y - y_n, x - x_n), p_n = +-1.
"""

from __future__ import annotations

import functools

import numba
import numpy as np
from scipy import fft



@numba.njit(cache=True)
def _angle_at(cos2: np.ndarray, sin2: np.ndarray, x: float, y: float) -> float:
    """Bilinear interpolation of the doubled-angle field, returned as a ridge angle."""
    h, w = cos2.shape
    x = min(max(x, 0.0), w - 1.001)
    y = min(max(y, 0.0), h - 1.001)
    i, j = int(y), int(x)
    fy, fx = y - i, x - j
    c = (cos2[i, j] * (1 - fx) + cos2[i, j + 1] * fx) * (1 - fy) + (cos2[i + 1, j] * (1 - fx) + cos2[i + 1, j + 1] * fx) * fy
    s = (sin2[i, j] * (1 - fx) + sin2[i, j + 1] * fx) * (1 - fy) + (sin2[i + 1, j] * (1 - fx) + sin2[i + 1, j + 1] * fx) * fy
    return 0.5 * np.arctan2(s, c)


@numba.njit(cache=True)
def trace_ridge(
    cos2: np.ndarray, sin2: np.ndarray, x0: float, y0: float, dx: float, dy: float,
    step: float, max_steps: int, stops: np.ndarray, stop_radius: float,
) -> tuple[np.ndarray, int]:
    """Follow the ridge flow from (x0, y0) heading (dx, dy) until the canvas edge or a stop point.

    Returns the polyline (k, 2) and the index of the stop point reached, or -1.
    """
    h, w = cos2.shape
    path = np.empty((max_steps + 1, 2))
    path[0, 0], path[0, 1] = x0, y0
    x, y, hit, n = x0, y0, -1, 1
    for _ in range(max_steps):
        for attempt in range(2):  # midpoint (RK2) step along the orientation, keeping heading
            t = _angle_at(cos2, sin2, x + 0.5 * step * dx * attempt, y + 0.5 * step * dy * attempt)
            tx, ty = np.cos(t), np.sin(t)
            if tx * dx + ty * dy < 0:
                tx, ty = -tx, -ty
            if attempt == 1:
                dx, dy = tx, ty
        x += step * dx
        y += step * dy
        path[n, 0], path[n, 1] = x, y
        n += 1
        if x < 0 or y < 0 or x > w - 1 or y > h - 1:
            break
        for k in range(stops.shape[0]):
            if (x - stops[k, 0]) ** 2 + (y - stops[k, 1]) ** 2 < stop_radius**2:
                hit = k
        if hit >= 0:
            break
    return path[:n].copy(), hit


def radial_directions(cos2: np.ndarray, sin2: np.ndarray, point: np.ndarray, radius: float = 5.0) -> np.ndarray:
    """Unit vectors along which ridges leave a singular point (one for a core, three for a delta)."""
    phi = np.linspace(0.0, 2.0 * np.pi, 720, endpoint=False)
    theta = np.array([_angle_at(cos2, sin2, point[0] + radius * np.cos(a), point[1] + radius * np.sin(a)) for a in phi])
    mismatch = np.sin(2.0 * (theta - phi))
    crossing = (np.sign(mismatch) != np.sign(np.roll(mismatch, -1))) & (np.cos(2.0 * (theta - phi)) > 0)
    angles = phi[crossing]
    return np.stack([np.cos(angles), np.sin(angles)], axis=1)


@numba.njit(cache=True)
def rasterise(paths: numba.typed.List, shape: tuple[int, int]) -> np.ndarray:
    """Mark the pixels of the polylines, two pixels thick so that 4-connected fills cannot leak."""
    cut = np.zeros(shape, dtype=np.bool_)
    for path in paths:
        for k in range(path.shape[0] - 1):
            length = np.hypot(path[k + 1, 0] - path[k, 0], path[k + 1, 1] - path[k, 1])
            samples = int(2.0 * length) + 1
            for s in range(samples + 1):
                f = s / samples
                x = path[k, 0] + f * (path[k + 1, 0] - path[k, 0])
                y = path[k, 1] + f * (path[k + 1, 1] - path[k, 1])
                i, j = int(np.floor(y)), int(np.floor(x))
                for di in range(2):
                    for dj in range(2):
                        if 0 <= i + di < shape[0] and 0 <= j + dj < shape[1]:
                            cut[i + di, j + dj] = True
    return cut


@numba.njit(cache=True)
def consistent_signs(tx: np.ndarray, ty: np.ndarray, cut: np.ndarray) -> np.ndarray:
    """+-1 per pixel so that sign * tangent varies smoothly, never propagating across a cut."""
    h, w = tx.shape
    sign = np.zeros((h, w), dtype=np.int8)
    queue = np.empty(h * w, dtype=np.int64)
    di = (-1, 1, 0, 0)
    dj = (0, 0, -1, 1)
    for start in range(h * w):
        si, sj = start // w, start % w
        if sign[si, sj] != 0 or cut[si, sj]:
            continue
        sign[si, sj] = 1
        head, tail = 0, 1
        queue[0] = start
        while head < tail:
            p = queue[head]
            head += 1
            i, j = p // w, p % w
            for k in range(4):
                a, b = i + di[k], j + dj[k]
                if a < 0 or b < 0 or a >= h or b >= w or sign[a, b] != 0 or cut[a, b]:
                    continue
                dot = tx[i, j] * tx[a, b] + ty[i, j] * ty[a, b]
                sign[a, b] = sign[i, j] if dot >= 0 else -sign[i, j]
                queue[tail] = a * w + b
                tail += 1
    # Cut pixels sit on the fold; either neighbouring side's sign will do.
    for i in range(h):
        for j in range(w):
            if sign[i, j] == 0:
                ref_i, ref_j = (i - 1, j) if i > 0 else (i + 1, j)
                if j > 0 and sign[i, j - 1] != 0:
                    ref_i, ref_j = i, j - 1
                dot = tx[i, j] * tx[ref_i, ref_j] + ty[i, j] * ty[ref_i, ref_j]
                s = sign[ref_i, ref_j] if sign[ref_i, ref_j] != 0 else 1
                sign[i, j] = s if dot >= 0 else -s
    return sign


def integrate_gradient(gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """Least-squares potential of a gradient field (Neumann boundary), via the DCT Poisson solver."""
    ex = 0.5 * (gx[:, :-1] + gx[:, 1:])  # gradient on horizontal pixel edges
    ey = 0.5 * (gy[:-1, :] + gy[1:, :])
    div = np.zeros_like(gx)
    div[:, :-1] += ex
    div[:, 1:] -= ex
    div[:-1, :] += ey
    div[1:, :] -= ey
    h, w = gx.shape
    eigen = (2.0 * np.cos(np.pi * np.arange(h) / h) - 2.0)[:, None] + (2.0 * np.cos(np.pi * np.arange(w) / w) - 2.0)[None, :]
    eigen[0, 0] = 1.0
    spectrum = fft.dctn(-div, type=2, norm="ortho")
    spectrum /= eigen
    spectrum[0, 0] = 0.0
    return fft.idctn(spectrum, type=2, norm="ortho")


@numba.njit(cache=True, fastmath=True)
def spiral_phase(shape: tuple[int, int], minutiae: np.ndarray, polarity: np.ndarray) -> np.ndarray:
    """sum p_n atan2(y - y_n, x - x_n) modulo 2 pi, as the argument of a product of complex factors.

    Four interleaved products keep the multiplier pipelines busy; factors are scaled so the
    products of ~25 factors each stay inside float64 range without renormalising.
    """
    h, w = shape
    out = np.empty((h, w), dtype=np.float32)
    n = minutiae.shape[0]
    padded = (n + 3) // 4 * 4
    mx = np.full(padded, -1e6)
    my = np.zeros(padded)
    pol = np.ones(padded)
    mx[:n], my[:n], pol[:n] = minutiae[:, 0], minutiae[:, 1], polarity
    scale = 1.0 / 512.0
    for i in range(h):
        for j in range(w):
            r0, i0, r1, i1, r2, i2, r3, i3 = 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0
            for k in range(0, padded, 4):
                a, b = (j - mx[k]) * scale, (i - my[k]) * scale * pol[k]
                r0, i0 = r0 * a - i0 * b, r0 * b + i0 * a
                a, b = (j - mx[k + 1]) * scale, (i - my[k + 1]) * scale * pol[k + 1]
                r1, i1 = r1 * a - i1 * b, r1 * b + i1 * a
                a, b = (j - mx[k + 2]) * scale, (i - my[k + 2]) * scale * pol[k + 2]
                r2, i2 = r2 * a - i2 * b, r2 * b + i2 * a
                a, b = (j - mx[k + 3]) * scale, (i - my[k + 3]) * scale * pol[k + 3]
                r3, i3 = r3 * a - i3 * b, r3 * b + i3 * a
            ra, ia = r0 * r1 - i0 * i1, r0 * i1 + i0 * r1
            rb, ib = r2 * r3 - i2 * i3, r2 * i3 + i2 * r3
            out[i, j] = np.arctan2(ra * ib + ia * rb, ra * rb - ia * ib)
    return out


@functools.lru_cache(maxsize=8)
def _gaussian_spread(n: int, cell: int, sigma: float) -> np.ndarray:
    """(n, n / cell) weights spreading coarse bins back to pixels with a Gaussian of `sigma` px."""
    pixel = np.arange(n, dtype=np.float64)[:, None]
    centre = (np.arange((n + cell - 1) // cell, dtype=np.float64)[None, :] + 0.5) * cell - 0.5
    return np.exp(-0.5 * ((pixel - centre) / sigma) ** 2) / (np.sqrt(2.0 * np.pi) * sigma)


def _blur_points(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, shape: tuple[int, int], sigma: float) -> np.ndarray:
    """Gaussian-blurred image of weighted points, via coarse bins and two small matrix products."""
    cell = 4
    coarse = np.zeros(((shape[0] + cell - 1) // cell, (shape[1] + cell - 1) // cell))
    flat = (rows // cell) * coarse.shape[1] + cols // cell
    coarse = np.bincount(flat, weights=values, minlength=coarse.size).reshape(coarse.shape)
    return _gaussian_spread(shape[0], cell, sigma) @ coarse @ _gaussian_spread(shape[1], cell, sigma).T


def fold_correction(psi: np.ndarray, cuts: list[np.ndarray], sigma: float) -> np.ndarray:
    """A smooth phase offset moving every cut onto a multiple of pi, fading out ~2 sigma away.

    The error is unwrapped along each cut (modulo pi) so the correction never jumps.
    """
    h, w = psi.shape
    rows, cols, values = [], [], []
    for path in cuts:
        j = np.clip(path[:, 0].astype(np.int64), 0, w - 1)
        i = np.clip(path[:, 1].astype(np.int64), 0, h - 1)
        error = np.unwrap(psi[i, j] - np.pi * np.round(psi[i, j] / np.pi), period=np.pi)
        rows.append(i), cols.append(j), values.append(error - np.pi * np.round(np.median(error) / np.pi))
    if not rows:
        return np.zeros_like(psi)
    rows_, cols_, values_ = np.concatenate(rows), np.concatenate(cols), np.concatenate(values)
    total = _blur_points(rows_, cols_, values_, psi.shape, sigma)
    density = _blur_points(rows_, cols_, np.ones_like(values_), psi.shape, sigma)
    on_cut = 1.0 / (np.sqrt(2.0 * np.pi) * sigma)  # density of a line of unit-spaced points, at the line
    reach = np.clip(density / (0.5 * on_cut), 0.0, 1.0)
    return -total / np.maximum(density, 1e-12) * reach
