"""Ridge frequency: one base period per finger, modulated smoothly across the print."""

from __future__ import annotations

import numpy as np

from scomm.sim.ridges.fields import smooth_field
from scomm.sim.ridges.parameters import MasterParameters


def frequency_map(rng: np.random.Generator, shape: tuple[int, int], params: MasterParameters) -> np.ndarray:
    """Ridge frequency (cycles per pixel) around 1 / period, varying over a few ridge groups."""
    period = rng.uniform(params.period_min, params.period_max)
    variation = 1.0 + params.period_variation * np.clip(smooth_field(rng, shape, params.field_cell * 2), -2.0, 2.0)
    return (1.0 / period) * variation
