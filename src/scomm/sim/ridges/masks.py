"""Foreground silhouettes: the fingertip of a master and the contact region of a capture."""

from __future__ import annotations

import numpy as np


def _axes(shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Pixel-centre coordinates as a row (x) and a column (y): broadcasting them is cheaper than a grid."""
    return np.arange(shape[1], dtype=np.float64)[None, :], np.arange(shape[0], dtype=np.float64)[:, None]


def soft_ellipse(
    shape: tuple[int, int], centre: tuple[float, float], axes: tuple[float, float], angle: float, edge: float
) -> np.ndarray:
    """1 inside the ellipse, 0 outside, with a linear ramp `edge` pixels wide."""
    x, y = _axes(shape)
    c, s = np.cos(angle), np.sin(angle)
    u = ((x - centre[0]) * c + (y - centre[1]) * s) / axes[0]
    v = (-(x - centre[0]) * s + (y - centre[1]) * c) / axes[1]
    radius = np.sqrt(u * u + v * v)
    # Distance outside the boundary, approximately in pixels.
    outside = (radius - 1.0) * min(axes)
    return np.clip(0.5 - outside / edge, 0.0, 1.0)


def fingertip_mask(
    shape: tuple[int, int], centre: tuple[float, float], axes: tuple[float, float], edge: float
) -> np.ndarray:
    """A fingertip: a rounded top ellipse continued straight down to the first crease."""
    x, y = _axes(shape)
    below = y > centre[1]
    # Below the centre the pad keeps its full width, so stretch the ellipse vertically there.
    stretched_y = np.where(below, centre[1] + (y - centre[1]) * 0.55, y)
    u = (x - centre[0]) / axes[0]
    v = (stretched_y - centre[1]) / axes[1]
    outside = (np.sqrt(u * u + v * v) - 1.0) * min(axes)
    return np.clip(0.5 - outside / edge, 0.0, 1.0)
