"""One capture of a master: pose, elastic skin distortion, partial contact, pressure, noise.

Geometry is applied as an inverse map (output pixel -> master position) so the ridge
signal is sampled once. The same master gives the same ridges and minutiae under every
capture; only the way they reach the sensor changes.

Every random quantity is drawn up front, in a fixed order, by small drawing functions;
one compiled pass then renders the inked fingertip. Outside the contact ellipse the
capture is plain background, so the warp, the ridge samples and the ink are computed only
inside the ellipse's bounding box.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np

from scomm.sim.ridges.fields import expand_knots, field_knots
from scomm.sim.ridges.master import MasterFinger
from scomm.sim.ridges.parameters import ImpressionParameters


@dataclass(frozen=True)
class _Contact:
    """Where the finger touched the platen: a randomly scaled, shifted, tilted soft ellipse."""

    centre: tuple[float, float]
    axes: tuple[float, float]
    angle: float
    edge: float

    def box(self, shape: tuple[int, int]) -> tuple[slice, slice]:
        """Rows and columns outside which the soft ellipse is exactly zero (plus a pixel of margin)."""
        reach = 1.0 + 0.5 * self.edge / min(self.axes)  # normalised radius where the ramp reaches 0
        c, s = math.cos(self.angle), math.sin(self.angle)
        half_x = reach * math.hypot(self.axes[0] * c, self.axes[1] * s) + 1.0
        half_y = reach * math.hypot(self.axes[0] * s, self.axes[1] * c) + 1.0
        top, bottom = max(0, math.floor(self.centre[1] - half_y)), min(shape[0], math.ceil(self.centre[1] + half_y) + 1)
        left, right = max(0, math.floor(self.centre[0] - half_x)), min(shape[1], math.ceil(self.centre[0] + half_x) + 1)
        return slice(top, max(top, bottom)), slice(left, max(left, right))


def _draw_contact(rng: np.random.Generator, shape: tuple[int, int], params: ImpressionParameters) -> _Contact:
    centre = (
        shape[1] * (0.5 + rng.uniform(-params.contact_offset, params.contact_offset)),
        shape[0] * (0.5 + rng.uniform(-params.contact_offset, params.contact_offset)),
    )
    scale = rng.uniform(*params.contact_axes_spread, 2)
    axes = (shape[1] * params.contact_axes[0] * scale[0] * 1.5, shape[0] * params.contact_axes[1] * scale[1])
    return _Contact(centre, axes, float(rng.normal(0.0, 0.15)), params.contact_edge)


def _draw_lines(rng: np.random.Generator, shape: tuple[int, int], params: ImpressionParameters) -> np.ndarray:
    """White creases (skin folds) and platen scratches as rows (px, py, sin, cos, width)."""
    lines = []
    if rng.random() < params.crease_probability:
        lines += [(rng.uniform(0.4, 1.0), rng.uniform(2.0, 4.5)) for _ in range(rng.integers(1, params.max_creases + 1))]
    if rng.random() < params.scratch_probability:
        lines += [(rng.uniform(-1.0, 1.0) * 3, rng.uniform(0.7, 1.5)) for _ in range(rng.integers(1, params.max_scratches + 1))]
    rows = np.zeros((len(lines), 5))
    for k, (slope_hint, width) in enumerate(lines):
        angle = rng.uniform(-0.6, 0.6) if abs(slope_hint) <= 1.0 else rng.uniform(0, np.pi)
        px, py = rng.uniform(0.2, 0.8) * shape[1], rng.uniform(0.3, 0.9) * shape[0]
        rows[k] = (px, py, np.sin(angle), np.cos(angle), width)
    return rows


@numba.njit(cache=True)
def _bilinear_pair(first: np.ndarray, second: np.ndarray, y: float, x: float) -> tuple[float, float]:
    """Linear interpolation of two same-shaped images as scipy's map_coordinates(order=1,
    mode='constant', cval=0) does it: a position outside [0, n - 1] on either axis reads 0."""
    h, w = first.shape
    if not (0.0 <= y <= h - 1.0 and 0.0 <= x <= w - 1.0):
        return 0.0, 0.0
    i, j = min(int(y), h - 2), min(int(x), w - 2)
    fy, fx = y - i, x - j
    gy, gx = 1.0 - fy, 1.0 - fx
    a = (first[i, j] * gx + first[i, j + 1] * fx) * gy + (first[i + 1, j] * gx + first[i + 1, j + 1] * fx) * fy
    b = (second[i, j] * gx + second[i, j + 1] * fx) * gy + (second[i + 1, j] * gx + second[i + 1, j + 1] * fx) * fy
    return a, b


@numba.njit(cache=True)
def _render(
    ridges: np.ndarray, mask: np.ndarray, image: np.ndarray, top: int, left: int,
    contact: np.ndarray, pose: np.ndarray, warp_x: np.ndarray, warp_y: np.ndarray,
    blotch: np.ndarray, ink_shape: np.ndarray, pore_draws: np.ndarray, pore_density: float,
    lines: np.ndarray, dark: float,
) -> None:
    """Darken `image` (the background) where the warped, inked ridges touch the platen, in place.

    contact: centre x, y, cos, sin, semi-axes a, b, edge. pose: rotation cos, sin, shift x, y,
    grip centre x, y, grip radius, distortion. ink_shape: pressure, blotch weight.
    """
    h, w = image.shape
    cx, cy = w / 2.0, h / 2.0
    ex, ey, ec, es, ea, eb, edge = contact[0], contact[1], contact[2], contact[3], contact[4], contact[5], contact[6]
    rc, rs, sx, sy, gx, gy, grip_radius, distortion = pose[0], pose[1], pose[2], pose[3], pose[4], pose[5], pose[6], pose[7]
    pressure, blotch_weight = np.float32(ink_shape[0]), ink_shape[1]
    ridge_core = np.float32(0.6)
    min_axis = min(ea, eb)
    width = warp_x.shape[1]
    xs = np.arange(left, left + width).astype(np.float64)
    touch, map_x, map_y = np.empty(width), np.empty(width), np.empty(width)
    for bi in range(warp_x.shape[0]):
        i = top + bi
        y = float(i)
        # Geometry for the whole row first: branch-free, so it compiles to SIMD.
        for bj in range(width):
            x = xs[bj]
            u = ((x - ex) * ec + (y - ey) * es) / ea
            v = (-(x - ex) * es + (y - ey) * ec) / eb
            touch[bj] = min(max(0.5 - (math.sqrt(u * u + v * v) - 1.0) * min_axis / edge, 0.0), 1.0)
            # Inverse map: rotation about the canvas centre, shift, then the elastic drag.
            du, dv = x - cx - sx, y - cy - sy
            # d * sqrt(d) is d ** 1.5 without a pow() call, and sqrt without hypot's overflow care.
            reach = min(math.sqrt((x - gx) * (x - gx) + (y - gy) * (y - gy)) / grip_radius, 1.6)
            grip = distortion * reach * math.sqrt(reach)
            map_x[bj] = rc * du + rs * dv + cx + grip * warp_x[bi, bj]
            map_y[bj] = -rs * du + rc * dv + cy + grip * warp_y[bi, bj]
        for bj in range(width):
            if touch[bj] <= 0.0:
                continue
            j = left + bj
            x = xs[bj]
            mx, my = map_x[bj], map_y[bj]
            mask_value, ridge_value = _bilinear_pair(mask, ridges, my, mx)
            foreground = np.float32(mask_value) * touch[bj]
            if foreground == 0.0:
                continue
            ridge = np.float32(ridge_value)
            # Pressure sets ridge width (>0 wet, <0 dry); dryness breaks ridges into blotches.
            level = (ridge + pressure) - blotch_weight * max(blotch[bi, bj], 0.0)
            ink = min(max(0.5 + 1.4 * level, 0.0), 1.0)
            if ridge > ridge_core:
                # A pore, or the pixel next to one (4-neighbourhood), leaves the ridge pale.
                pore = pore_draws[i, j] < pore_density
                pore = pore or (i > 0 and pore_draws[i - 1, j] < pore_density)
                pore = pore or (i < h - 1 and pore_draws[i + 1, j] < pore_density)
                pore = pore or (j > 0 and pore_draws[i, j - 1] < pore_density)
                pore = pore or (j < w - 1 and pore_draws[i, j + 1] < pore_density)
                if pore:
                    ink *= 0.35
            keep = 1.0
            for k in range(lines.shape[0]):
                distance = abs(-(x - lines[k, 0]) * lines[k, 2] + (y - lines[k, 1]) * lines[k, 3])
                keep *= min(max(distance / lines[k, 4] - 0.5, 0.0), 1.0)
            ink = ink * foreground * keep
            image[i, j] = image[i, j] - (image[i, j] - dark) * ink


def _gaussian_weights(sigma: float, truncate: float) -> np.ndarray:
    """The kernel scipy.ndimage.gaussian_filter uses for this sigma and truncate."""
    radius = int(truncate * sigma + 0.5)
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    weights = np.exp(-0.5 / (sigma * sigma) * x**2)
    return weights / weights.sum()


@numba.njit(cache=True)
def _blur_add_noise(image: np.ndarray, weights: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """uint8(clip(gaussian_filter(image) + noise)): separable blur with scipy's 'reflect'
    edges (d c b a | a b c d | d c b a), rows then columns, loops over x innermost for SIMD."""
    h, w = image.shape
    radius = (weights.shape[0] - 1) // 2
    down = np.zeros((h, w))
    for i in range(h):
        for k in range(-radius, radius + 1):
            src = i + k
            src = -src - 1 if src < 0 else (2 * h - src - 1 if src >= h else src)
            weight = weights[k + radius]
            for j in range(w):
                down[i, j] += weight * image[src, j]
    out = np.empty((h, w), dtype=np.uint8)
    padded = np.empty(w + 2 * radius)
    row = np.empty(w)
    for i in range(h):
        for j in range(w + 2 * radius):
            src = j - radius
            src = -src - 1 if src < 0 else (2 * w - src - 1 if src >= w else src)
            padded[j] = down[i, src]
        row[:] = 0.0
        for k in range(2 * radius + 1):
            weight = weights[k]
            for j in range(w):
                row[j] += weight * padded[j + k]
        for j in range(w):
            out[i, j] = np.uint8(min(max(row[j] + noise[i, j], 0.0), 255.0))
    return out


def impression(master: MasterFinger, seed: int, params: ImpressionParameters = ImpressionParameters()) -> np.ndarray:
    """One capture of the master as a 500-ppi uint8 grey image, dark ridges on a light background."""
    rng = np.random.default_rng([master.seed, seed, 0x696D])
    shape = master.shape
    contact = _draw_contact(rng, shape, params)
    # Skin in firm contact near the centre barely moves; the rim is dragged further, so the
    # displacement grows with distance from the contact centre (after Cappelli et al. 2001).
    angle = rng.uniform(-params.max_rotation, params.max_rotation)
    shift = rng.uniform(-params.max_shift, params.max_shift, 2)
    warp_knots = field_knots(rng, shape, params.distortion_cell), field_knots(rng, shape, params.distortion_cell)
    pressure = rng.uniform(-params.pressure_spread, params.pressure_spread)
    blotch_knots = field_knots(rng, shape, params.blotch_cell)
    pore_draws = rng.random(shape)
    lines = _draw_lines(rng, shape, params)
    image = rng.uniform(*params.background) + params.background_gradient * expand_knots(field_knots(rng, shape, 200), shape, 200)
    dark = rng.uniform(*params.ridge_darkness)
    sigma = rng.uniform(*params.blur_sigma)
    noise = rng.normal(0.0, params.noise_sigma, shape)

    rows, cols = contact.box(shape)
    warp_x, warp_y, blotch = (
        expand_knots(knots, shape, cell, rows, cols, dtype=np.float32)
        for knots, cell in ((warp_knots[0], params.distortion_cell), (warp_knots[1], params.distortion_cell),
                            (blotch_knots, params.blotch_cell))
    )
    dryness = max(0.0, -pressure) / params.pressure_spread
    _render(
        master.ridges, master.mask, image, rows.start, cols.start,
        np.array([*contact.centre, math.cos(contact.angle), math.sin(contact.angle), *contact.axes, contact.edge]),
        np.array([math.cos(angle), math.sin(angle), shift[0], shift[1], *contact.centre, 0.5 * min(shape), params.distortion]),
        warp_x, warp_y, blotch, np.array([pressure, params.dryness_blotch * (0.3 + dryness)]),
        pore_draws, params.pore_density, lines, dark,
    )
    return _blur_add_noise(image, _gaussian_weights(sigma, 2.5), noise)
