"""Henry pattern classes and how often each finger shows them."""

from __future__ import annotations

from enum import Enum

import numpy as np


class PatternClass(str, Enum):
    ARCH = "arch"
    TENTED_ARCH = "tented_arch"
    LEFT_LOOP = "left_loop"
    RIGHT_LOOP = "right_loop"
    WHORL = "whorl"


# Per finger (thumb, index, middle, ring, little) of the RIGHT hand: probabilities of
# arch, tented arch, ulnar loop, radial loop, whorl. Rounded from published population
# statistics (e.g. NIST SD4/SD14 summaries): index fingers carry most arches and radial
# loops, thumbs and ring fingers most whorls, little fingers are nearly all ulnar loops.
# Averaged over ten fingers this gives about 5 % arches, 64 % loops and 31 % whorls.
_RIGHT_HAND_TABLE: dict[int, tuple[float, float, float, float, float]] = {
    1: (0.02, 0.01, 0.52, 0.01, 0.44),
    2: (0.08, 0.07, 0.38, 0.15, 0.32),
    3: (0.04, 0.02, 0.70, 0.02, 0.22),
    4: (0.01, 0.01, 0.55, 0.01, 0.42),
    5: (0.01, 0.00, 0.84, 0.01, 0.14),
}


def pattern_class_for(rng: np.random.Generator, finger_position: int) -> PatternClass:
    """Draw a pattern class for an ANSI/NIST finger position (1..10 = right thumb..left little).

    Ulnar loops open toward the little finger, which on a print of the right hand is the
    right side of the image (a right loop) and on the left hand the left side.
    """
    if not 1 <= finger_position <= 10:
        raise ValueError(f"finger_position must be 1..10, got {finger_position!r}")
    right_hand = finger_position <= 5
    arch, tent, ulnar, radial, whorl = _RIGHT_HAND_TABLE[(finger_position - 1) % 5 + 1]
    right_loop, left_loop = (ulnar, radial) if right_hand else (radial, ulnar)
    weights = np.array([arch, tent, left_loop, right_loop, whorl])
    order = (PatternClass.ARCH, PatternClass.TENTED_ARCH, PatternClass.LEFT_LOOP,
             PatternClass.RIGHT_LOOP, PatternClass.WHORL)
    return order[int(rng.choice(5, p=weights / weights.sum()))]


def random_pattern_class(rng: np.random.Generator) -> PatternClass:
    """A class for a finger of unknown position: a random finger's distribution."""
    return pattern_class_for(rng, int(rng.integers(1, 11)))
