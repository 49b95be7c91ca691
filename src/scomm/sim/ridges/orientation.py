"""Ridge orientation: singular points placed by pattern class, then a zero-pole field.

The zero-pole model (Sherlock & Monro 1993) gives the ridge angle as
theta = 1/2 (sum arg(z - core) - sum arg(z - delta)); cores have Poincare index +1/2 and
deltas -1/2. Arches, which have no singular point, use an analytic bump-shaped flow. A
smooth random perturbation keeps two fingers of one class apart.
Angles are in image coordinates (x right, y down), modulo pi.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np

from scomm.sim.ridges.classes import PatternClass
from scomm.sim.ridges.fields import smooth_field
from scomm.sim.ridges.parameters import MasterParameters


@dataclass(frozen=True)
class SingularPoints:
    cores: np.ndarray  # (n, 2) x, y
    deltas: np.ndarray  # (m, 2) x, y


def _spread(rng: np.random.Generator, bounds: tuple[float, float]) -> float:
    return float(rng.uniform(*bounds))


def place_singular_points(
    rng: np.random.Generator, pattern: PatternClass, centre: tuple[float, float], params: MasterParameters
) -> SingularPoints:
    """Cores and deltas for a class, around the fingertip centre, with random jitter."""
    cx, cy = centre + rng.normal(0.0, params.singular_jitter, 2)
    cy -= 20.0  # cores sit a little above the middle of the pad
    empty = np.zeros((0, 2))
    if pattern is PatternClass.ARCH:
        return SingularPoints(empty, empty)
    if pattern is PatternClass.TENTED_ARCH:
        delta = (cx + rng.normal(0.0, 6.0), cy + _spread(rng, params.tent_delta_offset))
        return SingularPoints(np.array([[cx, cy]]), np.array([delta]))
    if pattern in (PatternClass.LEFT_LOOP, PatternClass.RIGHT_LOOP):
        # A right loop opens to the right, so its delta lies to the lower left.
        side = -1.0 if pattern is PatternClass.RIGHT_LOOP else 1.0
        cx -= side * 25.0
        dx, dy = _spread(rng, params.loop_delta_offset), _spread(rng, params.loop_delta_offset)
        return SingularPoints(np.array([[cx, cy]]), np.array([[cx + side * dx, cy + dy]]))
    gap = _spread(rng, params.whorl_core_gap)
    tilt = rng.uniform(-1.2, 1.2)  # elongated whorls and double loops lean either way
    offset = 0.5 * gap * np.array([np.sin(tilt), np.cos(tilt)])
    cores = np.array([[cx, cy], [cx, cy]]) + np.array([offset, -offset])
    deltas = np.array(
        [
            [cx - _spread(rng, params.whorl_delta_offset), cy + _spread(rng, params.whorl_delta_offset) * 0.8],
            [cx + _spread(rng, params.whorl_delta_offset), cy + _spread(rng, params.whorl_delta_offset) * 0.8],
        ]
    )
    return SingularPoints(cores, deltas)


def zero_pole_angle(x: np.ndarray, y: np.ndarray, points: SingularPoints) -> np.ndarray:
    """Sherlock-Monro angle; cores and deltas are paired so far-field ridges run horizontally."""
    z = x + 1j * y
    ratio = np.ones_like(z)
    for core in points.cores:
        ratio = ratio * (z - complex(*core))
    for delta in points.deltas:
        ratio = ratio / (z - complex(*delta))
    return 0.5 * np.angle(ratio)


def arch_angle(
    x: np.ndarray, y: np.ndarray, centre: tuple[float, float], height: float, width: float, span: float
) -> np.ndarray:
    """Angle of ridges y = c - h(y) * exp(-u^2 / 2 w^2): bumps rising toward the centre line."""
    u = (x - centre[0]) / width
    h = height * np.exp(-0.5 * ((y - centre[1]) / span) ** 2)
    return np.arctan(h * u * np.exp(-0.5 * u**2))


def _arch_factors(
    shape: tuple[int, int], centre: tuple[float, float], height: float, width: float, span: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """arch_angle = arctan(h[y] * u[x] * bump[x]): its exponentials depend on one axis each."""
    u = (np.arange(shape[1], dtype=np.float64) - centre[0]) / width
    h = height * np.exp(-0.5 * ((np.arange(shape[0], dtype=np.float64) - centre[1]) / span) ** 2)
    return h, u, np.exp(-0.5 * u**2)


@numba.njit(cache=True, fastmath={"contract"})
def _multiply(ar: float, ai: float, br: float, bi: float) -> tuple[float, float]:
    """Complex product, with the fused multiply-adds numpy's complex multiply uses where the CPU has them."""
    return ar * br - ai * bi, ar * bi + ai * br


@numba.njit(cache=True)
def _divide(ar: float, ai: float, br: float, bi: float) -> tuple[float, float]:
    """Complex quotient by Smith's method, as numpy computes it (no zero divisor can occur here)."""
    if abs(br) >= abs(bi):
        rat = bi / br
        scl = 1.0 / (br + bi * rat)
        return (ar + ai * rat) * scl, (ai - ar * rat) * scl
    rat = br / bi
    scl = 1.0 / (bi + br * rat)
    return (ar * rat + ai) * scl, (ai * rat - ar) * scl


@numba.njit(cache=True)
def _flow_angle(
    cores: np.ndarray, deltas: np.ndarray, weight: np.ndarray,
    arch_h: np.ndarray, arch_u: np.ndarray, arch_bump: np.ndarray, noise: np.ndarray,
) -> np.ndarray:
    """zero_pole_angle + weight[y] * arch + noise, in one pass without full-canvas temporaries.

    Rounded as zero_pole_angle rounds: branch cuts are traced out of deltas along unstable
    flow lines, so even last-bit differences in the angle can move a cut.
    """
    h, w = noise.shape
    theta = np.empty((h, w))
    for i in range(h):
        y = float(i)
        for j in range(w):
            x = float(j)
            rr, ri = 1.0, 0.0
            for k in range(cores.shape[0]):
                rr, ri = _multiply(rr, ri, x - cores[k, 0], y - cores[k, 1])
            for k in range(deltas.shape[0]):
                rr, ri = _divide(rr, ri, x - deltas[k, 0], y - deltas[k, 1])
            angle = 0.5 * math.atan2(ri, rr)
            if weight[i] != 0.0:
                angle = angle + weight[i] * math.atan(arch_h[i] * arch_u[j] * arch_bump[j])
            theta[i, j] = angle + noise[i, j]
    return theta


def orientation_field(
    rng: np.random.Generator,
    pattern: PatternClass,
    points: SingularPoints,
    centre: tuple[float, float],
    shape: tuple[int, int],
    params: MasterParameters,
) -> np.ndarray:
    """Ridge angle (radians, mod pi) on the canvas."""
    height = _spread(rng, params.arch_height)
    if pattern is PatternClass.ARCH:
        cores = deltas = np.zeros((0, 2))
        weight = np.ones(shape[0])
        arch = _arch_factors(shape, centre, height, shape[1] * 0.28, shape[0] * 0.45)
    else:
        cores, deltas = points.cores, points.deltas
        # Above the highest core, ridges follow the rounded fingertip like an arch.
        top = points.cores[:, 1].min() - 35.0
        weight = params.top_arch_weight / (1.0 + np.exp((np.arange(shape[0], dtype=np.float64) - top) / 25.0))
        arch = _arch_factors(shape, centre, 1.0, shape[1] * 0.3, shape[0] * 0.5)
    noise = params.orientation_noise * smooth_field(rng, shape, params.field_cell * 3)
    return _flow_angle(
        np.ascontiguousarray(cores, dtype=np.float64), np.ascontiguousarray(deltas, dtype=np.float64), weight, *arch, noise
    )
