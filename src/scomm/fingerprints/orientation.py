"""Ridge orientation, coherence and ridge period."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numba import njit
from scipy import ndimage

from scomm.fingerprints.parameters import ExtractionParameters
from scomm.fingerprints.segmentation import block_mean, expand_blocks

COARSE = 4


@dataclass(frozen=True)
class OrientationField:
    """Per-pixel ridge direction (radians, mod π, along the ridge) and its coherence (0..1).

    ``cos`` and ``sin`` of the angle (float32) come along when the field was built from the
    coarse grid, so enhancement need not evaluate them per pixel.
    """

    angle: np.ndarray
    coherence: np.ndarray
    cos: np.ndarray | None = None
    sin: np.ndarray | None = None


def gradients(img: np.ndarray, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian-derivative gradients (x, y), as ``ndimage.gaussian_filter`` computes them.

    For float32 images one compiled pass replays scipy's separable correlation (same weights,
    float64 line sums in scipy's symmetric/antisymmetric order, 'reflect' borders, float32 between
    the two axes), sharing the column pass between gx and gy; the values are bit-identical.
    """
    weights = _gaussian_weights(float(sigma))
    if img.dtype != np.float32 or img.ndim != 2 or weights is None or min(img.shape) <= weights[0].size:
        gx = ndimage.gaussian_filter(img, sigma, order=(0, 1))
        gy = ndimage.gaussian_filter(img, sigma, order=(1, 0))
        return gx, gy
    return _gaussian_gradients(np.ascontiguousarray(img), weights[0], weights[1])


@lru_cache(maxsize=8)
def _gaussian_weights(sigma: float) -> tuple[np.ndarray, np.ndarray] | None:
    """Left halves (outermost first, centre last) of scipy's smoothing and derivative weights."""
    try:
        from scipy.ndimage._filters import _gaussian_kernel1d
    except ImportError:  # private helper: fall back to scipy itself if it moves
        return None
    radius = int(4.0 * sigma + 0.5)  # gaussian_filter's default truncate=4.0
    smooth = _gaussian_kernel1d(sigma, 0, radius)[::-1]
    deriv = _gaussian_kernel1d(sigma, 1, radius)[::-1]
    eps = np.finfo(np.float64).eps
    # the replayed sums assume what scipy detects for these kernels: symmetric, antisymmetric
    if (np.abs(smooth - smooth[::-1]) > eps).any() or (np.abs(deriv + deriv[::-1]) > eps).any():
        return None
    return (np.ascontiguousarray(smooth[: radius + 1], dtype=np.float64),
            np.ascontiguousarray(deriv[: radius + 1], dtype=np.float64))


@njit(cache=True, inline="always")
def _reflect(i, n):  # pragma: no cover - compiled
    # scipy's 'reflect' (half-sample symmetric) extension, for overhangs shorter than the line
    if i < 0:
        return -i - 1
    if i >= n:
        return 2 * n - i - 1
    return i


@njit(cache=True)
def _gaussian_gradients(img, smooth, deriv):  # pragma: no cover - compiled
    h, w = img.shape
    r = smooth.shape[0] - 1
    # Each output is scipy's sum in scipy's order (centre tap, then the tap pairs outermost
    # first); the loops run tap-outer, pixel-inner over float64 row buffers so they vectorise.
    col_s = np.empty((h, w), dtype=np.float32)
    col_d = np.empty((h, w), dtype=np.float32)
    a_s = np.empty(w, dtype=np.float64)
    a_d = np.empty(w, dtype=np.float64)
    for y in range(h):  # axis 0 first, as gaussian_filter does
        for x in range(w):
            c = np.float64(img[y, x])
            a_s[x] = c * smooth[r]
            a_d[x] = c * deriv[r]
        for j in range(r):
            lo = _reflect(y - (r - j), h)
            hi = _reflect(y + (r - j), h)
            for x in range(w):
                a = np.float64(img[lo, x])
                b = np.float64(img[hi, x])
                a_s[x] += (a + b) * smooth[j]
                a_d[x] += (a - b) * deriv[j]
        for x in range(w):
            col_s[y, x] = a_s[x]
            col_d[y, x] = a_d[x]
    # then axis 1: gx differentiates the smoothed columns, gy smooths the differentiated ones
    gx = np.empty((h, w), dtype=np.float32)
    gy = np.empty((h, w), dtype=np.float32)
    b_s = np.empty(w + 2 * r, dtype=np.float64)
    b_d = np.empty(w + 2 * r, dtype=np.float64)
    for y in range(h):
        for x in range(-r, w + r):
            src = _reflect(x, w)
            b_s[x + r] = col_s[y, src]
            b_d[x + r] = col_d[y, src]
        for x in range(w):
            a_s[x] = b_s[x + r] * deriv[r]
            a_d[x] = b_d[x + r] * smooth[r]
        for j in range(r):
            off = r - j
            for x in range(w):
                a_s[x] += (b_s[x + r - off] - b_s[x + r + off]) * deriv[j]
                a_d[x] += (b_d[x + r - off] + b_d[x + r + off]) * smooth[j]
        for x in range(w):
            gx[y, x] = a_s[x]
            gy[y, x] = a_d[x]
    return gx, gy


def orientation_field(gx: np.ndarray, gy: np.ndarray, params: ExtractionParameters,
                      tensor: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> OrientationField:
    """Structure-tensor orientation: ridges run perpendicular to the dominant gradient.

    ``tensor``, when given, is ``block_mean`` of gx², gy² and gx·gy over ``COARSE`` blocks.
    """
    # the tensor varies slowly: smooth it on a 4× coarser grid (16× fewer pixels), then expand.
    # Everything after the smoothing is per-element, so it is evaluated on the coarse grid and
    # only the results are expanded: identical values, 16× fewer transcendentals.
    s = params.orientation_sigma / COARSE
    if tensor is None:
        tensor = (block_mean(gx * gx, COARSE), block_mean(gy * gy, COARSE), block_mean(gx * gy, COARSE))
    gxx, gyy, gxy = (ndimage.gaussian_filter(t, s, mode="nearest") for t in tensor)
    diff = gxx - gyy
    angle = (0.5 * np.arctan2(2.0 * gxy, diff) + np.pi / 2).astype(np.float32)
    strength = np.sqrt(diff * diff + 4.0 * gxy * gxy)
    coherence = (strength / np.maximum(gxx + gyy, 1e-6)).astype(np.float32)
    shape = gx.shape
    return OrientationField(expand_blocks(angle, shape, COARSE), expand_blocks(coherence, shape, COARSE),
                            expand_blocks(np.cos(angle).astype(np.float32), shape, COARSE),
                            expand_blocks(np.sin(angle).astype(np.float32), shape, COARSE))


def ridge_period(img: np.ndarray, mask: np.ndarray, params: ExtractionParameters) -> tuple[float, float]:
    """Dominant ridge period (pixels) of the foreground, from the peak of its radial power spectrum,
    and the fraction of the (non-DC) power that lies in the ridge band: low for non-fingerprints.

    One global period per image is a deliberate simplification: FVC-size plain impressions vary
    little in ridge spacing, and it keeps enhancement a single cheap pass.
    """
    area = float(mask.sum())
    if area < 1.0:
        return params.default_period, 0.0
    centred = np.where(mask, img - img[mask].mean(), 0.0)
    # rows outside the foreground are zero and so is their row transform: transform only the
    # foreground's rows, then the columns in full (what rfft2 does, in the same order)
    rows = np.flatnonzero(mask.any(axis=1))
    half_spectrum = np.fft.rfft(centred[rows[0]: rows[-1] + 1], axis=1)
    spectrum = np.zeros((img.shape[0], half_spectrum.shape[1]), dtype=half_spectrum.dtype)
    spectrum[rows[0]: rows[-1] + 1] = half_spectrum
    power = np.abs(np.fft.fft(spectrum, axis=0)) ** 2
    band, band_index, blocks, edges = _spectrum_geometry(img.shape, params.min_period, params.max_period)
    total = float(power.sum() - power[0, 0])
    if band_index.size == 0 or total <= 0.0:
        return params.default_period, 0.0
    hist = _band_histogram(power.ravel()[band_index], blocks, len(edges))
    smooth = np.convolve(hist, np.ones(3) / 3.0, mode="same")
    peak = int(np.argmax(smooth))
    return float(1.0 / (0.5 * (edges[peak] + edges[peak + 1]))), float(power[band].sum() / total)


_HISTOGRAM_BLOCK = 65536  # numpy.histogram's chunk size: the weights are summed per chunk


@lru_cache(maxsize=16)
def _spectrum_geometry(shape: tuple[int, int], min_period: float, max_period: float
                       ) -> tuple[np.ndarray, np.ndarray, tuple[tuple[np.ndarray, np.ndarray], ...], np.ndarray]:
    """Per image shape: the ridge band of the half spectrum and how numpy.histogram would bin it.

    The radial histogram replays numpy.histogram's weighted, explicit-edges path (per chunk: sort
    by radius, cumulative sum of the weights, read off at the edges) with the sort and the edge
    positions precomputed, so the per-image sums, and hence the result, are the same.
    """
    fy = np.fft.fftfreq(shape[0])[:, None]
    fx = np.fft.rfftfreq(shape[1])[None, :]
    radius = np.sqrt(fx * fx + fy * fy)
    band = (radius >= 1.0 / max_period) & (radius <= 1.0 / min_period)
    edges = np.linspace(1.0 / max_period, 1.0 / min_period, 33)
    band_index = np.flatnonzero(band.ravel())
    a = radius.ravel()[band_index]
    blocks = []
    for start in range(0, len(a), _HISTOGRAM_BLOCK):
        chunk = a[start: start + _HISTOGRAM_BLOCK]
        order = np.argsort(chunk)
        sorted_chunk = chunk[order]
        at_edges = np.concatenate((sorted_chunk.searchsorted(edges[:-1], "left"),
                                   sorted_chunk.searchsorted(edges[-1:], "right")))
        blocks.append((order + start, at_edges))
    for arr in (band, band_index, edges):
        arr.setflags(write=False)
    return band, band_index, tuple(blocks), edges


def _band_histogram(weights: np.ndarray, blocks: tuple[tuple[np.ndarray, np.ndarray], ...],
                    n_edges: int) -> np.ndarray:
    cumulative = np.zeros(n_edges, weights.dtype)
    zero = np.zeros(1, dtype=weights.dtype)
    for order, at_edges in blocks:
        cumulative += np.concatenate((zero, weights[order].cumsum()))[at_edges]
    return np.diff(cumulative)
