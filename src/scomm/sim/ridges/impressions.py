"""One capture of a master: pose, elastic skin distortion, partial contact, pressure, noise.

Geometry is applied as an inverse map (output pixel -> master position) so the ridge
signal is sampled once. The same master gives the same ridges and minutiae under every
capture; only the way they reach the sensor changes.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from scomm.sim.ridges.fields import grid, smooth_field
from scomm.sim.ridges.master import MasterFinger
from scomm.sim.ridges.masks import soft_ellipse
from scomm.sim.ridges.parameters import ImpressionParameters


def _inverse_map(
    rng: np.random.Generator, shape: tuple[int, int], contact_centre: tuple[float, float], params: ImpressionParameters
) -> tuple[np.ndarray, np.ndarray]:
    """Master coordinates for every output pixel: rotation, shift, then elastic displacement.

    Skin in firm contact near the centre barely moves; the rim is dragged further, so the
    displacement grows with distance from the contact centre (after Cappelli et al. 2001).
    """
    x, y = grid(shape)
    angle = rng.uniform(-params.max_rotation, params.max_rotation)
    shift = rng.uniform(-params.max_shift, params.max_shift, 2)
    cx, cy = shape[1] / 2.0, shape[0] / 2.0
    c, s = np.cos(angle), np.sin(angle)
    u, v = x - cx - shift[0], y - cy - shift[1]
    mx, my = c * u + s * v + cx, -s * u + c * v + cy
    distance = np.hypot(x - contact_centre[0], y - contact_centre[1]) / (0.5 * min(shape))
    grip = params.distortion * np.clip(distance, 0.0, 1.6) ** 1.5
    mx += grip * smooth_field(rng, shape, params.distortion_cell)
    my += grip * smooth_field(rng, shape, params.distortion_cell)
    return mx, my


def _contact(rng: np.random.Generator, shape: tuple[int, int], params: ImpressionParameters) -> tuple[np.ndarray, tuple[float, float]]:
    """Where the finger touched the platen: a randomly scaled, shifted, tilted soft ellipse."""
    centre = (
        shape[1] * (0.5 + rng.uniform(-params.contact_offset, params.contact_offset)),
        shape[0] * (0.5 + rng.uniform(-params.contact_offset, params.contact_offset)),
    )
    scale = rng.uniform(*params.contact_axes_spread, 2)
    axes = (shape[1] * params.contact_axes[0] * scale[0] * 1.5, shape[0] * params.contact_axes[1] * scale[1])
    return soft_ellipse(shape, centre, axes, rng.normal(0.0, 0.15), params.contact_edge), centre


def _ink(rng: np.random.Generator, ridges: np.ndarray, params: ImpressionParameters) -> np.ndarray:
    """Ridge darkness in [0, 1]: pressure sets ridge width, dryness breaks ridges into blotches."""
    pressure = rng.uniform(-params.pressure_spread, params.pressure_spread)  # >0 wet, <0 dry
    blotch = smooth_field(rng, ridges.shape, params.blotch_cell)
    dryness = max(0.0, -pressure) / params.pressure_spread
    level = ridges + pressure - params.dryness_blotch * (0.3 + dryness) * np.maximum(blotch, 0.0)
    ink = np.clip(0.5 + 1.4 * level, 0.0, 1.0)
    pores = rng.random(ridges.shape) < params.pore_density
    ink[ndimage.binary_dilation(pores) & (ridges > 0.6)] *= 0.35
    return ink


def _creases_and_scratches(rng: np.random.Generator, shape: tuple[int, int], params: ImpressionParameters) -> np.ndarray:
    """Multiplicative ink mask: 0 on white creases (skin folds) and scratches of the platen."""
    x, y = grid(shape)
    keep = np.ones(shape)
    lines = []
    if rng.random() < params.crease_probability:
        lines += [(rng.uniform(0.4, 1.0), rng.uniform(2.0, 4.5)) for _ in range(rng.integers(1, params.max_creases + 1))]
    if rng.random() < params.scratch_probability:
        lines += [(rng.uniform(-1.0, 1.0) * 3, rng.uniform(0.7, 1.5)) for _ in range(rng.integers(1, params.max_scratches + 1))]
    for slope_hint, width in lines:
        angle = rng.uniform(-0.6, 0.6) if abs(slope_hint) <= 1.0 else rng.uniform(0, np.pi)
        px, py = rng.uniform(0.2, 0.8) * shape[1], rng.uniform(0.3, 0.9) * shape[0]
        distance = np.abs(-(x - px) * np.sin(angle) + (y - py) * np.cos(angle))
        keep *= np.clip(distance / width - 0.5, 0.0, 1.0)
    return keep


def impression(master: MasterFinger, seed: int, params: ImpressionParameters = ImpressionParameters()) -> np.ndarray:
    """One capture of the master as a 500-ppi uint8 grey image, dark ridges on a light background."""
    rng = np.random.default_rng([master.seed, seed, 0x696D])
    shape = master.shape
    contact, contact_centre = _contact(rng, shape, params)
    mx, my = _inverse_map(rng, shape, contact_centre, params)
    coords = np.stack([my, mx])
    ridges = ndimage.map_coordinates(master.ridges, coords, order=1, mode="constant", cval=0.0)
    foreground = ndimage.map_coordinates(master.mask, coords, order=1, mode="constant", cval=0.0) * contact
    ink = _ink(rng, ridges, params) * foreground * _creases_and_scratches(rng, shape, params)
    background = rng.uniform(*params.background) + params.background_gradient * smooth_field(rng, shape, 200)
    dark = rng.uniform(*params.ridge_darkness)
    image = background - (background - dark) * ink
    image = ndimage.gaussian_filter(image, rng.uniform(*params.blur_sigma), truncate=2.5)
    image += rng.normal(0.0, params.noise_sigma, shape)
    return np.clip(image, 0, 255).astype(np.uint8)
