"""Where the ground-truth minutiae of a master go, and which way they point."""

from __future__ import annotations

import numba
import numpy as np

from scomm.sim.ridges.parameters import MasterParameters

ENDING, BIFURCATION = 0, 1


@numba.njit(cache=True)
def _far_from(x: float, y: float, points: np.ndarray, count: int, distance: float) -> bool:
    """No point among the first `count` lies closer than `distance`; stops at the first that does."""
    limit = distance**2
    for k in range(count):
        dx, dy = points[k, 0] - x, points[k, 1] - y
        if dx * dx + dy * dy < limit:
            return False
    return True


def place_minutiae(
    rng: np.random.Generator,
    mask: np.ndarray,
    singular: np.ndarray,
    cut_pixels: np.ndarray,
    params: MasterParameters,
) -> np.ndarray:
    """Dart-throwing inside the foreground, keeping minutiae apart, off cuts and off cores/deltas."""
    inside = np.flatnonzero(mask > 0.98)  # row-major, as argwhere would list them
    target = int(rng.poisson(params.minutiae_density * inside.shape[0]))
    chosen = np.zeros((target, 2))
    n = 0
    singular = np.ascontiguousarray(singular, dtype=np.float64)
    cut_pixels = np.ascontiguousarray(cut_pixels, dtype=np.float64)
    width = mask.shape[1]
    for pixel in inside[rng.integers(0, inside.shape[0], size=target * 8)]:
        if n >= target:
            break
        x, y = np.array([pixel % width, pixel // width], dtype=np.float64) + rng.uniform(-0.5, 0.5, 2)
        if (
            _far_from(x, y, chosen, n, params.minutia_spacing)
            and _far_from(x, y, singular, singular.shape[0], params.minutia_singular_clearance)
            and _far_from(x, y, cut_pixels, cut_pixels.shape[0], params.minutia_cut_clearance)
        ):
            chosen[n] = x, y
            n += 1
    return chosen[:n].copy()


def minutia_angles(points: np.ndarray, polarity: np.ndarray, nx: np.ndarray, ny: np.ndarray) -> np.ndarray:
    """Direction from each minutia along the extra ridge or valley its spiral inserts.

    nx, ny: the signed ridge normal at each point (at its pixel). For psi = k.x + p atan2(.),
    the side with one more line lies at -p * rot90(n) from the point.
    """
    dx, dy = polarity * ny, -polarity * nx
    return np.arctan2(dy, dx)


def minutia_kinds(points: np.ndarray, angles: np.ndarray, ridges: np.ndarray, reach: float) -> np.ndarray:
    """Ridge ending if the inserted line is a ridge (cos psi = 1 is ridge centre), else bifurcation."""
    x = np.clip(points[:, 0] + reach * np.cos(angles), 0, ridges.shape[1] - 1).astype(int)
    y = np.clip(points[:, 1] + reach * np.sin(angles), 0, ridges.shape[0] - 1).astype(int)
    return np.where(ridges[y, x] > 0, ENDING, BIFURCATION).astype(np.int8)
