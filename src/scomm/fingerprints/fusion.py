"""Ten-print fusion: per-finger similarities → one candidate score."""

from __future__ import annotations

from collections.abc import Mapping

from scomm.fingerprints.parameters import FusionParameters


def fuse(finger_scores: Mapping[int, float], params: FusionParameters = FusionParameters()) -> float:
    """Sum of per-finger similarities over the positions both sides have.

    A sum (not a mean) so that evidence accumulates: ten agreeing fingers outweigh one, and a probe
    with fewer fingers needs stronger per-finger agreement to reach ``params.threshold``.
    """
    return float(sum(finger_scores.values()))


def is_hit(score: float, params: FusionParameters = FusionParameters()) -> bool:
    return score >= params.threshold
