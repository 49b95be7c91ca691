"""Tunables of the synthetic fingerprint generator, as frozen JSON-serialisable dataclasses.

Lengths are pixels at 500 ppi, angles radians, frequencies cycles per pixel.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MasterParameters:
    """How a master finger (the ideal, complete print) is drawn."""

    width: int = 400
    height: int = 440
    # Ridge period is drawn per finger, then modulated smoothly across the print.
    period_min: float = 8.5
    period_max: float = 10.5
    period_variation: float = 0.08  # relative amplitude of the smooth frequency modulation
    field_cell: int = 40  # correlation length of the smooth random fields
    orientation_noise: float = 0.18  # amplitude of the smooth orientation perturbation
    singular_jitter: float = 18.0  # random displacement of cores and deltas
    loop_delta_offset: tuple[float, float] = (85.0, 135.0)  # core-to-delta distance, each axis
    whorl_core_gap: tuple[float, float] = (8.0, 30.0)
    whorl_delta_offset: tuple[float, float] = (95.0, 140.0)
    tent_delta_offset: tuple[float, float] = (45.0, 75.0)
    arch_height: tuple[float, float] = (0.7, 1.4)  # peak slope of the arch ridges
    top_arch_weight: float = 0.6  # how strongly ridges above the core follow the fingertip
    # Fingertip silhouette: centre and semi-axes, as fractions of the canvas.
    tip_centre: tuple[float, float] = (0.5, 0.47)
    tip_axes: tuple[float, float] = (0.44, 0.50)
    tip_jitter: float = 0.03
    mask_edge: float = 6.0  # soft edge width of the silhouette
    minutiae_density: float = 1.0 / 2600.0  # minutiae per foreground pixel
    minutia_spacing: float = 22.0  # minimum distance between two minutiae
    minutia_singular_clearance: float = 28.0
    minutia_cut_clearance: float = 10.0
    crease_sigma: float = 10.0  # smoothing of the phase correction along branch cuts
    trace_step: float = 1.0
    trace_max_steps: int = 1500
    ridge_contrast: float = 0.85  # 1 = full black to full white


@dataclass(frozen=True)
class ImpressionParameters:
    """How one capture of a master differs from the ideal print and from other captures."""

    max_shift: float = 35.0
    max_rotation: float = 0.30  # about 17 degrees
    distortion: float = 7.0  # peak elastic displacement at the rim of the contact region
    distortion_cell: int = 110  # correlation length of the elastic field
    contact_axes: tuple[float, float] = (0.26, 0.40)  # min/max semi-axis, fraction of canvas width/height
    contact_axes_spread: tuple[float, float] = (0.7, 1.15)  # random scale of the contact ellipse
    contact_offset: float = 0.12  # random shift of the contact centre, fraction of canvas
    contact_edge: float = 14.0
    pressure_spread: float = 0.35  # dry (thin, broken) to wet (thick, merged) ridges
    dryness_blotch: float = 0.45  # amplitude of the blotchy ink of dry fingers
    blotch_cell: int = 5
    pore_density: float = 1.0 / 350.0
    noise_sigma: float = 14.0  # sensor noise, grey levels
    blur_sigma: tuple[float, float] = (0.5, 1.1)
    background: tuple[float, float] = (190.0, 235.0)
    background_gradient: float = 18.0
    ridge_darkness: tuple[float, float] = (25.0, 70.0)
    crease_probability: float = 0.4
    max_creases: int = 3
    scratch_probability: float = 0.3
    max_scratches: int = 2
