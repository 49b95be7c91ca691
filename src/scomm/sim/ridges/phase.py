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
def _angle_at(theta: np.ndarray, x: float, y: float) -> float:
    """Bilinear interpolation of the doubled-angle field (cos 2 theta, sin 2 theta), returned as a ridge angle.

    The doubled angle is evaluated at the four corners only: tracing visits a few thousand
    pixels, far fewer than a full-canvas cos and sin. It must be exactly cos(2 theta), as
    traces leaving a delta are unstable and amplify any rounding difference into another cut.
    """
    h, w = theta.shape
    x = min(max(x, 0.0), w - 1.001)
    y = min(max(y, 0.0), h - 1.001)
    i, j = int(y), int(x)
    fy, fx = y - i, x - j
    t00, t01, t10, t11 = 2 * theta[i, j], 2 * theta[i, j + 1], 2 * theta[i + 1, j], 2 * theta[i + 1, j + 1]
    c = (np.cos(t00) * (1 - fx) + np.cos(t01) * fx) * (1 - fy) + (np.cos(t10) * (1 - fx) + np.cos(t11) * fx) * fy
    s = (np.sin(t00) * (1 - fx) + np.sin(t01) * fx) * (1 - fy) + (np.sin(t10) * (1 - fx) + np.sin(t11) * fx) * fy
    return 0.5 * np.arctan2(s, c)


@numba.njit(cache=True)
def trace_ridge(
    theta: np.ndarray, x0: float, y0: float, dx: float, dy: float,
    step: float, max_steps: int, stops: np.ndarray, stop_radius: float,
) -> tuple[np.ndarray, int]:
    """Follow the ridge flow from (x0, y0) heading (dx, dy) until the canvas edge or a stop point.

    Returns the polyline (k, 2) and the index of the stop point reached, or -1.
    """
    h, w = theta.shape
    path = np.empty((max_steps + 1, 2))
    path[0, 0], path[0, 1] = x0, y0
    x, y, hit, n = x0, y0, -1, 1
    for _ in range(max_steps):
        for attempt in range(2):  # midpoint (RK2) step along the orientation, keeping heading
            t = _angle_at(theta, x + 0.5 * step * dx * attempt, y + 0.5 * step * dy * attempt)
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


@numba.njit(cache=True)
def _angles_around(theta: np.ndarray, x: float, y: float, radius: float, phi: np.ndarray) -> np.ndarray:
    around = np.empty(phi.shape[0])
    for k in range(phi.shape[0]):
        around[k] = _angle_at(theta, x + radius * np.cos(phi[k]), y + radius * np.sin(phi[k]))
    return around


def radial_directions(theta_field: np.ndarray, point: np.ndarray, radius: float = 5.0) -> np.ndarray:
    """Unit vectors along which ridges leave a singular point (one for a core, three for a delta)."""
    phi = np.linspace(0.0, 2.0 * np.pi, 720, endpoint=False)
    theta = _angles_around(theta_field, float(point[0]), float(point[1]), radius, phi)
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
    # Row and column queues: a flat index would cost two integer divisions per visit.
    queue_i = np.empty(h * w, dtype=np.int32)
    queue_j = np.empty(h * w, dtype=np.int32)
    di = (-1, 1, 0, 0)
    dj = (0, 0, -1, 1)
    for si in range(h):
        for sj in range(w):
            if sign[si, sj] != 0 or cut[si, sj]:
                continue
            sign[si, sj] = 1
            head, tail = 0, 1
            queue_i[0], queue_j[0] = si, sj
            while head < tail:
                i, j = queue_i[head], queue_j[head]
                head += 1
                for k in range(4):
                    a, b = i + di[k], j + dj[k]
                    if a < 0 or b < 0 or a >= h or b >= w or sign[a, b] != 0 or cut[a, b]:
                        continue
                    dot = tx[i, j] * tx[a, b] + ty[i, j] * ty[a, b]
                    sign[a, b] = sign[i, j] if dot >= 0 else -sign[i, j]
                    queue_i[tail], queue_j[tail] = a, b
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
    return _poisson(-div)


@functools.lru_cache(maxsize=4)
def _laplacian_eigenvalues(h: int, w: int) -> np.ndarray:
    eigen = (2.0 * np.cos(np.pi * np.arange(h) / h) - 2.0)[:, None] + (2.0 * np.cos(np.pi * np.arange(w) / w) - 2.0)[None, :]
    eigen[0, 0] = 1.0
    eigen = eigen.astype(np.float32)
    eigen.setflags(write=False)
    return eigen


def _poisson(rhs: np.ndarray) -> np.ndarray:
    """Solve laplacian(phi) = rhs with Neumann boundaries; phi has zero mean.

    The transforms run in float32 (half the time of float64): the solution is off by at most
    ~1e-4 rad on phases of +-300 rad, a few times the rounding of the float32 phase the master
    stores, and far below anything visible in cos(phase).
    """
    spectrum = fft.dctn(rhs.astype(np.float32), type=2, norm="ortho", overwrite_x=True)
    spectrum /= _laplacian_eigenvalues(*rhs.shape)
    spectrum[0, 0] = 0.0
    return fft.idctn(spectrum, type=2, norm="ortho", overwrite_x=True).astype(np.float64)


@numba.njit(cache=True)
def _normal_divergence(frequency: np.ndarray, tx: np.ndarray, ty: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """Minus the divergence of 2 pi f n, n = sign * (-ty, tx), exactly as integrate_gradient forms it."""
    h, w = frequency.shape
    gx = np.empty((h, w))
    gy = np.empty((h, w))
    for i in range(h):
        for j in range(w):
            scale = 2 * np.pi * frequency[i, j]
            gx[i, j] = scale * (-ty[i, j] * sign[i, j])
            gy[i, j] = scale * (tx[i, j] * sign[i, j])
    out = np.empty((h, w))
    for i in range(h):
        for j in range(w):
            div = 0.0
            if j < w - 1:
                div += 0.5 * (gx[i, j] + gx[i, j + 1])
            if j > 0:
                div -= 0.5 * (gx[i, j - 1] + gx[i, j])
            if i < h - 1:
                div += 0.5 * (gy[i, j] + gy[i + 1, j])
            if i > 0:
                div -= 0.5 * (gy[i - 1, j] + gy[i, j])
            out[i, j] = -div
    return out


def ridge_phase(frequency: np.ndarray, tx: np.ndarray, ty: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """integrate_gradient(2 pi f nx, 2 pi f ny) for the signed normal (nx, ny) = sign * (-ty, tx)."""
    return _poisson(_normal_divergence(frequency, tx, ty, sign))


@numba.njit(cache=True)
def add_spiral_phase(psi: np.ndarray, minutiae: np.ndarray, polarity: np.ndarray) -> None:
    """psi += sum p_n atan2(y - y_n, x - x_n) modulo 2 pi, as the argument of a product of complex factors.

    The product runs over minutiae for a whole row at once, so the inner loop is a plain
    complex multiply along x that compiles to SIMD (x comes from a float array because
    AVX2 cannot convert int64 lanes); factors are scaled by 1/512 so products of a hundred
    of them stay inside float64 range without renormalising.
    """
    h, w = psi.shape
    scale = 1.0 / 512.0
    xs = np.arange(w).astype(np.float64)
    re = np.empty(w)
    im = np.empty(w)
    for i in range(h):
        re[:] = 1.0
        im[:] = 0.0
        for k in range(minutiae.shape[0]):
            b = (i - minutiae[k, 1]) * scale * polarity[k]
            x0 = minutiae[k, 0]
            for j in range(w):
                a = (xs[j] - x0) * scale
                r, q = re[j], im[j]
                re[j] = r * a - q * b
                im[j] = r * b + q * a
        for j in range(w):
            psi[i, j] += np.arctan2(im[j], re[j])


def spiral_phase(shape: tuple[int, int], minutiae: np.ndarray, polarity: np.ndarray) -> np.ndarray:
    """sum p_n atan2(y - y_n, x - x_n) modulo 2 pi over the canvas (float32)."""
    out = np.zeros(shape)
    add_spiral_phase(out, np.ascontiguousarray(minutiae, dtype=np.float64), np.ascontiguousarray(polarity, dtype=np.float64))
    return out.astype(np.float32)


@functools.lru_cache(maxsize=8)
def _gaussian_spread(n: int, cell: int, sigma: float) -> np.ndarray:
    """(n, n / cell) weights spreading coarse bins back to pixels with a Gaussian of `sigma` px.

    float32: the correction is a smooth offset of at most pi / 2, so single precision keeps it
    to ~1e-7 rad while halving the matrix products.
    """
    pixel = np.arange(n, dtype=np.float64)[:, None]
    centre = (np.arange((n + cell - 1) // cell, dtype=np.float64)[None, :] + 0.5) * cell - 0.5
    weights = (np.exp(-0.5 * ((pixel - centre) / sigma) ** 2) / (np.sqrt(2.0 * np.pi) * sigma)).astype(np.float32)
    weights.setflags(write=False)
    return weights


def _blur_points(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, shape: tuple[int, int], sigma: float) -> np.ndarray:
    """Gaussian-blurred image of weighted points, via coarse bins and two small matrix products."""
    cell = 4
    coarse = np.zeros(((shape[0] + cell - 1) // cell, (shape[1] + cell - 1) // cell))
    flat = (rows // cell) * coarse.shape[1] + cols // cell
    coarse = np.bincount(flat, weights=values, minlength=coarse.size).reshape(coarse.shape).astype(np.float32)
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
