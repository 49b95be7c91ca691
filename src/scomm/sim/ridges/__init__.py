"""Synthetic fingerprints: master fingers drawn by the AM-FM phase model, and their impressions.

    m = make_master(seed=7)                 # pattern class, ridge flow, ground-truth minutiae
    ideal = render_master(m)                # uint8 HxW, 500 ppi
    capture = impression(m, seed=1)         # displaced, distorted, partial, noisy capture
"""

from scomm.sim.ridges.classes import PatternClass, pattern_class_for
from scomm.sim.ridges.impressions import impression
from scomm.sim.ridges.master import MasterFinger, make_master, render_master
from scomm.sim.ridges.parameters import ImpressionParameters, MasterParameters

__all__ = [
    "ImpressionParameters",
    "MasterFinger",
    "MasterParameters",
    "PatternClass",
    "impression",
    "make_master",
    "pattern_class_for",
    "render_master",
]
