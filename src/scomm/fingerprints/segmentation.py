"""Foreground segmentation: which part of the image holds ridges.

Works on 8×8 blocks of gradient energy, so morphology runs on a 50×50 grid instead of the full image.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from scomm.fingerprints.parameters import ExtractionParameters

BLOCK = 8


def block_mean(values: np.ndarray, block: int = BLOCK) -> np.ndarray:
    """Mean over non-overlapping blocks (the ragged right/bottom edge is dropped)."""
    h, w = values.shape[0] // block, values.shape[1] // block
    return values[: h * block, : w * block].reshape(h, block, w, block).mean(axis=(1, 3))


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
    blocks = block_mean(energy)
    level = float(np.percentile(blocks, 95))
    fg = blocks > max(params.segment_min_energy, params.segment_fraction * level)
    # closing bridges ridge-free pores; opening removes isolated noisy blocks
    fg = ndimage.binary_closing(fg, structure=np.ones((3, 3)), iterations=2, border_value=0)
    fg = ndimage.binary_opening(fg, structure=np.ones((3, 3)), iterations=2)
    fg = ndimage.binary_fill_holes(fg)
    fg = _largest_component(fg)
    mask = expand_blocks(fg, energy.shape)
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
