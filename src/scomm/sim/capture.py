"""Capturing a synthetic person's fingers: one master per finger, a fresh impression per capture.

Functions here run in worker processes, so they take and return plain, picklable values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scomm.sim.ridges import impression, make_master, pattern_class_for

ENROLMENT = 1  # capture kinds keep enrolment and booking impressions of one finger distinct
BOOKING = 2


def finger_seed(person_seed: int, position: int) -> int:
    return int(np.random.SeedSequence([person_seed, position]).generate_state(1)[0])


def capture_finger(person_seed: int, position: int, kind: int, occasion: int) -> np.ndarray:
    """A new impression of one finger: same finger every time, different capture every occasion."""
    seed = finger_seed(person_seed, position)
    pattern = pattern_class_for(np.random.default_rng(seed), position)
    master = make_master(seed, pattern)
    capture_seed = int(np.random.SeedSequence([seed, kind, occasion]).generate_state(1)[0])
    return impression(master, capture_seed)


@dataclass(frozen=True)
class EnrolmentJob:
    gallery: str
    subject: str
    person_seed: int
    occasion: int


@dataclass(frozen=True)
class EnrolledFinger:
    gallery: str
    subject: str
    position: int
    template: bytes | None
    quality: float
    extractor: str
    version: str
    error: str = ""


def enrol_person(job: EnrolmentJob) -> list[EnrolledFinger]:
    """Capture ten fingers and extract their templates, exactly as the engine would from a scan."""
    from scomm.errors import PoorQualityError
    from scomm.fingerprints import EXTRACTOR_NAME, EXTRACTOR_VERSION, extract

    out = []
    for position in range(1, 11):
        pixels = capture_finger(job.person_seed, position, ENROLMENT, job.occasion)
        try:
            template = extract(pixels, 500)
        except PoorQualityError as exc:
            out.append(EnrolledFinger(job.gallery, job.subject, position, None, exc.quality,
                                      EXTRACTOR_NAME, EXTRACTOR_VERSION, exc.reason))
            continue
        out.append(EnrolledFinger(job.gallery, job.subject, position, template.to_bytes(), template.quality,
                                  template.extractor, template.version))
    return out
