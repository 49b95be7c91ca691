"""Where the ground-truth minutiae of a master go, and which way they point."""

from __future__ import annotations

import numpy as np

from scomm.sim.ridges.parameters import MasterParameters

ENDING, BIFURCATION = 0, 1


def _far_from(candidate: np.ndarray, points: np.ndarray, distance: float) -> bool:
    return points.shape[0] == 0 or bool(((points - candidate) ** 2).sum(axis=1).min() >= distance**2)


def place_minutiae(
    rng: np.random.Generator,
    mask: np.ndarray,
    singular: np.ndarray,
    cut_pixels: np.ndarray,
    params: MasterParameters,
) -> np.ndarray:
    """Dart-throwing inside the foreground, keeping minutiae apart, off cuts and off cores/deltas."""
    inside = np.argwhere(mask > 0.98)[:, ::-1].astype(np.float64)  # (x, y)
    target = int(rng.poisson(params.minutiae_density * inside.shape[0]))
    chosen = np.zeros((0, 2))
    for candidate in inside[rng.integers(0, inside.shape[0], size=target * 8)]:
        if chosen.shape[0] >= target:
            break
        candidate = candidate + rng.uniform(-0.5, 0.5, 2)
        if (
            _far_from(candidate, chosen, params.minutia_spacing)
            and _far_from(candidate, singular, params.minutia_singular_clearance)
            and _far_from(candidate, cut_pixels, params.minutia_cut_clearance)
        ):
            chosen = np.vstack([chosen, candidate])
    return chosen


def minutia_angles(points: np.ndarray, polarity: np.ndarray, nx: np.ndarray, ny: np.ndarray) -> np.ndarray:
    """Direction from each minutia along the extra ridge or valley its spiral inserts.

    For psi = k.x + p atan2(.), the side with one more line lies at -p * rot90(n) from the point.
    """
    i, j = points[:, 1].astype(int), points[:, 0].astype(int)
    dx, dy = polarity * ny[i, j], -polarity * nx[i, j]
    return np.arctan2(dy, dx)


def minutia_kinds(points: np.ndarray, angles: np.ndarray, ridges: np.ndarray, reach: float) -> np.ndarray:
    """Ridge ending if the inserted line is a ridge (cos psi = 1 is ridge centre), else bifurcation."""
    x = np.clip(points[:, 0] + reach * np.cos(angles), 0, ridges.shape[1] - 1).astype(int)
    y = np.clip(points[:, 1] + reach * np.sin(angles), 0, ridges.shape[0] - 1).astype(int)
    return np.where(ridges[y, x] > 0, ENDING, BIFURCATION).astype(np.int8)
