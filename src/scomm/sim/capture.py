"""Capturing a synthetic person's fingers: one master per finger, a fresh impression per capture.

A person's masters are the costly part, so one `PersonFingers` renders each master once and serves
every capture of that person (enrolment in either repository, each booking). Functions here run in
worker processes, so they take and return plain, picklable values.
"""

from __future__ import annotations

import numpy as np

from scomm.sim.ridges import MasterFinger, impression, make_master, pattern_class_for

ENROLMENT = 1  # capture kinds keep enrolment and booking impressions of one finger distinct
BOOKING = 2


def finger_seed(person_seed: int, position: int) -> int:
    return int(np.random.SeedSequence([person_seed, position]).generate_state(1)[0])


class PersonFingers:
    """The ten fingers of one person; the same finger every time, a different capture every occasion."""

    def __init__(self, person_seed: int) -> None:
        self.person_seed = person_seed
        self._masters: dict[int, MasterFinger] = {}

    def master(self, position: int) -> MasterFinger:
        if position not in self._masters:
            seed = finger_seed(self.person_seed, position)
            self._masters[position] = make_master(seed, pattern_class_for(np.random.default_rng(seed), position))
        return self._masters[position]

    def capture(self, position: int, kind: int, occasion: int) -> np.ndarray:
        seed = finger_seed(self.person_seed, position)
        capture_seed = int(np.random.SeedSequence([seed, kind, occasion]).generate_state(1)[0])
        return impression(self.master(position), capture_seed)


def capture_finger(person_seed: int, position: int, kind: int, occasion: int) -> np.ndarray:
    """One capture of one finger, for callers that need a single image."""
    return PersonFingers(person_seed).capture(position, kind, occasion)
