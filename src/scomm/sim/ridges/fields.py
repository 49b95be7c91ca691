"""Smooth random scalar fields: the source of finger-to-finger and capture-to-capture variety."""

from __future__ import annotations

import functools

import numpy as np


@functools.lru_cache(maxsize=32)
def _spread_matrix(n: int, cell: int, dtype: type = np.float64) -> np.ndarray:
    """Gaussian weights that spread a coarse knot sequence (one knot per `cell` px) over n pixels."""
    knots = n // cell + 3
    position = np.arange(n, dtype=np.float64)[:, None] / cell + 1.0
    weights = np.exp(-0.5 * ((position - np.arange(knots)[None, :]) / 0.7) ** 2)
    weights = weights / np.sqrt((weights**2).sum(axis=1, keepdims=True))
    weights.setflags(write=False)  # shared by every caller through the cache
    return weights.astype(dtype) if dtype is not np.float64 else weights


def field_knots(rng: np.random.Generator, shape: tuple[int, int], cell: int) -> np.ndarray:
    """The coarse white noise behind `smooth_field`, drawn exactly as smooth_field draws it.

    Split out so a caller can draw its fields in the original order but expand them later,
    over part of the canvas, or in another precision.
    """
    return rng.standard_normal((shape[0] // cell + 3, shape[1] // cell + 3))


def expand_knots(
    knots: np.ndarray,
    shape: tuple[int, int],
    cell: int,
    rows: slice = slice(None),
    cols: slice = slice(None),
    dtype: type = np.float64,
) -> np.ndarray:
    """The smooth field of `knots` over the window [rows, cols] of the canvas.

    float32 halves the matrix products; the fields are perturbations of a few pixels or
    percent, so their seventh significant digit never reaches an image.
    """
    left = _spread_matrix(shape[0], cell, dtype)[rows]
    right = _spread_matrix(shape[1], cell, dtype)[cols]
    return (left @ knots.astype(dtype, copy=False)) @ right.T


def smooth_field(rng: np.random.Generator, shape: tuple[int, int], cell: int, dtype: type = np.float64) -> np.ndarray:
    """Zero-mean field of unit standard deviation varying over about `cell` pixels.

    Coarse white noise spread by separable Gaussian weights: two small matrix
    products instead of filtering full-resolution noise.
    """
    return expand_knots(field_knots(rng, shape, cell), shape, cell, dtype=dtype)


def grid(shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Pixel-centre coordinates (x, y), y pointing down."""
    ys, xs = np.mgrid[0 : shape[0], 0 : shape[1]]
    return xs.astype(np.float64), ys.astype(np.float64)
