from __future__ import annotations

import math

import numpy as np

from bench.train_reliability import auc, near
from scomm.fingerprints import extraction, reliability
from scomm.fingerprints.iso19794 import read_file, to_template

from .conftest import fvc_folder, fvc_pixels, fvc_template


def test_template_minutiae_come_most_reliable_first(db1_template) -> None:
    q = db1_template.minutiae[:, 3]
    assert (np.diff(q) <= 0).all()
    assert 0.0 < q.min() and q.max() < 1.0
    assert q.max() - q.min() > 0.3  # a ranking, not a constant


def test_shipped_weights_describe_the_current_features() -> None:
    weights = reliability._weights()
    assert tuple(weights["features"]) == reliability.FEATURES
    assert weights["w1"].shape == (len(reliability.FEATURES), len(weights["b1"]))


def test_detection_keeps_every_minutia_and_the_cap_keeps_the_most_reliable() -> None:
    pixels = fvc_pixels("DB1_B", 104, 6)  # a print whose enhancements find more than the cap
    found = extraction.detect(pixels)
    t = fvc_template("DB1_B", 104, 6)
    assert len(found.minutiae) > len(t) == 72
    p = reliability.predict(found.features())
    assert np.allclose(np.sort(p)[::-1][:72], t.minutiae[:, 3], atol=1e-6)


def test_reliability_ranks_real_minutiae_better_than_coherence_on_a_set_it_never_saw() -> None:
    """DB4_B is not in the training sets: another vendor's minutiae (the ISO records) say which of scomm's
    detections are real; the learned score must rank them clearly better than coherence quality does."""
    folder = fvc_folder("DB4_B")
    old, new, real = [], [], []
    for finger in (101, 104, 107, 110):
        for impression in (1, 4, 7):
            pixels = fvc_pixels("DB4_B", finger, impression)
            found = extraction.detect(pixels)
            height, width = pixels.shape
            vendor = to_template(read_file(folder / f"{finger}_{impression}.iso"), image_size=(width, height)).minutiae
            old.append(found.minutiae[:, 3])
            new.append(reliability.predict(found.features()))
            real.append(near(found.minutiae, vendor, 10.0, math.radians(30.0)))
    labels = np.concatenate(real)
    assert 0.3 < labels.mean() < 0.9
    before, after = auc(np.concatenate(old), labels), auc(np.concatenate(new), labels)
    assert after > 0.78 and after > before + 0.03, (before, after)


def test_no_minutiae_no_scores() -> None:
    empty = np.zeros((0, 4), np.float32)
    x = reliability.features(empty, np.zeros(0, np.uint8), np.zeros(0, np.uint8), np.ones((10, 10)), 9.0,
                             np.zeros((10, 10), np.uint8), np.zeros((10, 10), np.uint8))
    assert x.shape == (0, len(reliability.FEATURES))
    assert reliability.predict(x).shape == (0,)


def test_only_reliability_qualities_weigh_in_the_common_area(db1_template) -> None:
    from dataclasses import replace

    from scomm.fingerprints.cylinders import WEIGHT_LEVELS, overlap_weights, weight_levels
    from scomm.fingerprints.parameters import MatchParameters

    params = MatchParameters()
    q = db1_template.minutiae[:, 3].astype(np.float64)
    assert np.allclose(overlap_weights(db1_template, params), q ** params.reliability_exponent)
    levels = weight_levels(db1_template, params) / WEIGHT_LEVELS
    assert np.abs(levels - q ** params.reliability_exponent).max() <= 0.5 / 255
    # an older scomm template's quality was ridge coherence, another vendor's means something else: both weigh 1
    for other in (replace(db1_template, version="1.2"), replace(db1_template, extractor="vendor", version="2005")):
        assert (overlap_weights(other, params) == 1.0).all()


def test_zeroed_qualities_cannot_inflate_a_score(db1_template) -> None:
    """A template claiming scomm 1.3 with every quality 0 must not shrink its common area to nothing."""
    from dataclasses import replace

    from scomm.fingerprints import compare

    other = fvc_template("DB3_B", 107, 1)
    mins = db1_template.minutiae.copy()
    mins[:, 3] = 0.0
    zeroed = replace(db1_template, minutiae=mins)
    honest = compare(db1_template, other)
    assert compare(zeroed, other) < 2 * honest  # 1.7x with the floor; 2.3x without it
