"""Smooth random scalar fields: the source of finger-to-finger and capture-to-capture variety."""

from __future__ import annotations

import functools

import numpy as np


@functools.lru_cache(maxsize=16)
def _spread_matrix(n: int, cell: int) -> np.ndarray:
    """Gaussian weights that spread a coarse knot sequence (one knot per `cell` px) over n pixels."""
    knots = n // cell + 3
    position = np.arange(n, dtype=np.float64)[:, None] / cell + 1.0
    weights = np.exp(-0.5 * ((position - np.arange(knots)[None, :]) / 0.7) ** 2)
    return weights / np.sqrt((weights**2).sum(axis=1, keepdims=True))


def smooth_field(rng: np.random.Generator, shape: tuple[int, int], cell: int) -> np.ndarray:
    """Zero-mean field of unit standard deviation varying over about `cell` pixels.

    Coarse white noise spread by separable Gaussian weights: two small matrix
    products instead of filtering full-resolution noise.
    """
    rows, cols = _spread_matrix(shape[0], cell), _spread_matrix(shape[1], cell)
    coarse = rng.standard_normal((rows.shape[1], cols.shape[1]))
    return rows @ coarse @ cols.T


def grid(shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Pixel-centre coordinates (x, y), y pointing down."""
    ys, xs = np.mgrid[0 : shape[0], 0 : shape[1]]
    return xs.astype(np.float64), ys.astype(np.float64)
