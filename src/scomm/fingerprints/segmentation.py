"""Foreground segmentation: which part of the image holds ridges.

Works on 8×8 blocks of gradient energy, so morphology runs on a 50×50 grid instead of the full image.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from scipy import ndimage

from scomm.fingerprints.parameters import ExtractionParameters

BLOCK = 8


def block_mean(values: np.ndarray, block: int = BLOCK) -> np.ndarray:
    """Mean over non-overlapping blocks (the ragged right/bottom edge is dropped)."""
    h, w = values.shape[0] // block, values.shape[1] // block
    return values[: h * block, : w * block].reshape(h, block, w, block).mean(axis=(1, 3))


def gradient_block_means(gx: np.ndarray, gy: np.ndarray, block: int = BLOCK
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``block_mean`` of gx², gy², gx·gy (``block``) and of gx² + gy² (``BLOCK``), in one pass and
    without full-size temporaries; bit-identical to :func:`block_mean` of the numpy products."""
    gx = np.ascontiguousarray(gx, dtype=np.float32)
    gy = np.ascontiguousarray(gy, dtype=np.float32)
    gxx, gyy, gxy = _tensor_block_means(gx, gy, block)
    return gxx, gyy, gxy, _energy_block_means(gx, gy, BLOCK)


# numpy sums a (h, b, w, b) view over axes (1, 3) as: for each of the b rows of a block, that row's
# b values by numpy's pairwise rule (plain left-to-right under 8 values, a fixed tree at exactly 8),
# the row sums added in order, all in float32; the kernels below repeat that order exactly.
@njit(cache=True, inline="always")
def _row_sum(v):  # pragma: no cover - compiled
    n = v.shape[0]
    if n == 8:
        return ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]))
    r = np.float32(0.0)
    for i in range(n):
        r += v[i]
    return r


@njit(cache=True)
def _tensor_block_means(gx, gy, block):  # pragma: no cover - compiled
    h = gx.shape[0] // block
    w = gx.shape[1] // block
    xx = np.empty((h, w), dtype=np.float32)
    yy = np.empty((h, w), dtype=np.float32)
    xy = np.empty((h, w), dtype=np.float32)
    vxx = np.empty(block, dtype=np.float32)
    vyy = np.empty(block, dtype=np.float32)
    vxy = np.empty(block, dtype=np.float32)
    count = np.float32(block * block)
    for by in range(h):
        for bx in range(w):
            sxx = np.float32(0.0)
            syy = np.float32(0.0)
            sxy = np.float32(0.0)
            for j in range(block):
                y = by * block + j
                for i in range(block):
                    a = gx[y, bx * block + i]
                    b = gy[y, bx * block + i]
                    vxx[i] = a * a
                    vyy[i] = b * b
                    vxy[i] = a * b
                sxx += _row_sum(vxx)
                syy += _row_sum(vyy)
                sxy += _row_sum(vxy)
            xx[by, bx] = sxx / count
            yy[by, bx] = syy / count
            xy[by, bx] = sxy / count
    return xx, yy, xy


@njit(cache=True)
def _energy_block_means(gx, gy, block):  # pragma: no cover - compiled
    h = gx.shape[0] // block
    w = gx.shape[1] // block
    out = np.empty((h, w), dtype=np.float32)
    v = np.empty(block, dtype=np.float32)
    count = np.float32(block * block)
    for by in range(h):
        for bx in range(w):
            acc = np.float32(0.0)
            for j in range(block):
                y = by * block + j
                for i in range(block):
                    a = gx[y, bx * block + i]
                    b = gy[y, bx * block + i]
                    v[i] = a * a + b * b
                acc += _row_sum(v)
            out[by, bx] = acc / count
    return out


def expand_blocks(blocks: np.ndarray, shape: tuple[int, int], block: int = BLOCK) -> np.ndarray:
    """Nearest-neighbour upsampling of a block grid back to ``shape``, edge blocks repeated."""
    # two gathers instead of repeat + repeat + pad: this runs several times per extraction
    rows = np.minimum(np.arange(shape[0]) // block, blocks.shape[0] - 1)
    cols = np.minimum(np.arange(shape[1]) // block, blocks.shape[1] - 1)
    return np.take(np.take(blocks, rows, axis=0), cols, axis=1)


def segment(energy: np.ndarray, params: ExtractionParameters) -> np.ndarray:
    """Foreground mask (bool, image shape) from per-pixel gradient energy ``gx² + gy²``.

    A block is foreground when its energy reaches a fraction of the image's strong-texture level
    (95th percentile), so the rule adapts to sensor contrast; the absolute floor rejects blank images.
    """
    return segment_blocks(block_mean(energy), energy.shape, params)


def segment_blocks(blocks: np.ndarray, shape: tuple[int, int], params: ExtractionParameters) -> np.ndarray:
    """:func:`segment` from the energy already averaged over ``BLOCK``×``BLOCK`` blocks."""
    level = float(np.percentile(blocks, 95))
    fg = blocks > max(params.segment_min_energy, params.segment_fraction * level)
    # closing bridges ridge-free pores; opening removes isolated noisy blocks
    fg = ndimage.binary_closing(fg, structure=np.ones((3, 3)), iterations=2, border_value=0)
    fg = ndimage.binary_opening(fg, structure=np.ones((3, 3)), iterations=2)
    fg = ndimage.binary_fill_holes(fg)
    fg = _largest_component(fg)
    mask = expand_blocks(fg, shape)
    mask[:BLOCK, :] = mask[-BLOCK:, :] = False  # the sensor's frame is never foreground
    mask[:, :BLOCK] = mask[:, -BLOCK:] = False
    return mask


def _largest_component(fg: np.ndarray) -> np.ndarray:
    labels, count = ndimage.label(fg)
    if count <= 1:
        return fg
    sizes = np.bincount(labels.ravel())
    sizes[0] = 0
    return labels == int(np.argmax(sizes))
