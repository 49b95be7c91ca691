"""Master fingers: the complete, ideal ridge pattern of one finger, rebuilt from its seed."""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from scomm.sim.ridges import phase
from scomm.sim.ridges.classes import PatternClass, random_pattern_class
from scomm.sim.ridges.frequency import frequency_map
from scomm.sim.ridges.masks import fingertip_mask
from scomm.sim.ridges.minutiae import minutia_angles, minutia_kinds, place_minutiae
from scomm.sim.ridges.orientation import (
    SingularPoints,
    orientation_field,
    place_singular_points,
)
from scomm.sim.ridges.parameters import MasterParameters


@dataclass(frozen=True, eq=False)
class MasterFinger:
    """One synthetic finger. Arrays are HxW on the master canvas; angles radians, y down.

    minutiae: (N, 3) ground truth x, y, angle (angle points along the line the minutia adds).
    ridges: cos(phase), +1 at ridge centres.
    """

    seed: int
    pattern_class: PatternClass
    params: MasterParameters
    orientation: np.ndarray
    frequency: np.ndarray
    phase: np.ndarray
    ridges: np.ndarray
    mask: np.ndarray
    minutiae: np.ndarray
    minutia_kinds: np.ndarray
    cores: np.ndarray
    deltas: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return self.ridges.shape


def _branch_cuts(theta: np.ndarray, points: SingularPoints, params: MasterParameters) -> list[np.ndarray]:
    """One ridge-following cut per unpaired singular point (see phase module docstring)."""
    singular = np.vstack([points.cores, points.deltas]) if points.cores.size else np.zeros((0, 2))
    done = np.zeros(len(singular), dtype=bool)
    centre_x = theta.shape[1] / 2.0
    cuts = []
    for k, point in enumerate(singular):
        if done[k]:
            continue
        done[k] = True
        directions = phase.radial_directions(theta, point)
        if len(directions) == 0:
            continue
        # Deltas leave sideways toward their own edge; cores follow their only radial ridge.
        outward = np.array([np.sign(point[0] - centre_x) or 1.0, 0.3])
        direction = directions[np.argmax(directions @ outward)]
        others = np.where(done, 1e9, 0.0)[:, None] + singular
        path, hit = phase.trace_ridge(
            theta, point[0] + 3 * direction[0], point[1] + 3 * direction[1], direction[0], direction[1],
            params.trace_step, params.trace_max_steps, others, 6.0,
        )
        if hit >= 0:
            done[hit] = True
        cuts.append(np.vstack([point[None, :], path]))
    return cuts


def make_master(seed: int, pattern_class: PatternClass | None = None, params: MasterParameters = MasterParameters()) -> MasterFinger:
    """Build the master finger for a seed; same seed and parameters give identical arrays."""
    rng = np.random.default_rng([seed, 0x6D61])
    pattern = random_pattern_class(rng) if pattern_class is None else PatternClass(pattern_class)
    shape = (params.height, params.width)
    centre = (
        shape[1] * (params.tip_centre[0] + rng.normal(0, params.tip_jitter)),
        shape[0] * (params.tip_centre[1] + rng.normal(0, params.tip_jitter)),
    )
    axes = (shape[1] * params.tip_axes[0] * rng.uniform(0.92, 1.05), shape[0] * params.tip_axes[1] * rng.uniform(0.92, 1.05))
    mask = fingertip_mask(shape, centre, axes, params.mask_edge)
    points = place_singular_points(rng, pattern, centre, params)
    theta = orientation_field(rng, pattern, points, centre, shape, params)
    frequency = frequency_map(rng, shape, params)
    tx, ty = np.cos(theta), np.sin(theta)
    cuts = _branch_cuts(theta, points, params)
    cut = phase.rasterise(numba.typed.List(cuts) if cuts else numba.typed.List([np.zeros((0, 2))]), shape)
    sign = phase.consistent_signs(tx, ty, cut)
    psi = phase.ridge_phase(frequency, tx, ty, sign)  # the continuous phase, integrated along signed normals
    singular = np.vstack([points.cores, points.deltas])
    on_cut = np.flatnonzero(cut)
    cut_pixels = np.column_stack([on_cut % shape[1], on_cut // shape[1]]).astype(np.float64)  # (x, y)
    spots = place_minutiae(rng, mask, singular, cut_pixels, params)
    polarity = rng.choice(np.array([-1.0, 1.0]), size=len(spots))
    if len(spots):
        phase.add_spiral_phase(psi, spots, polarity)
    psi += phase.fold_correction(psi, cuts, params.crease_sigma)
    stored_phase = psi.astype(np.float32)
    # cos of the stored phase: single-precision cos vectorises; the phase was rounded to
    # float32 anyway, which moves a ridge value by at most ~2e-5.
    ridges = np.cos(stored_phase)
    i, j = spots[:, 1].astype(int), spots[:, 0].astype(int)
    angles = minutia_angles(spots, polarity, -ty[i, j] * sign[i, j], tx[i, j] * sign[i, j])
    return MasterFinger(
        seed=seed, pattern_class=pattern, params=params,
        orientation=np.mod(theta, np.pi).astype(np.float32), frequency=frequency.astype(np.float32),
        phase=stored_phase, ridges=ridges, mask=mask.astype(np.float32),
        minutiae=np.column_stack([spots, angles]) if len(spots) else np.zeros((0, 3)),
        minutia_kinds=minutia_kinds(spots, angles, ridges, 3.0),
        cores=points.cores, deltas=points.deltas,
    )


def render_master(master: MasterFinger) -> np.ndarray:
    """The ideal print: dark ridges on a white background, uint8 HxW at 500 ppi."""
    darkness = master.params.ridge_contrast * master.mask * (0.5 + 0.5 * master.ridges)
    return np.clip(255.0 * (1.0 - darkness), 0, 255).astype(np.uint8)
