from __future__ import annotations

import numpy as np
import pytest

from scomm.errors import FingerprintError, PoorQualityError
from scomm.fingerprints import EXTRACTOR_NAME, EXTRACTOR_VERSION, Template, extract
from scomm.fingerprints.extraction import normalise_resolution

from .conftest import fvc_pixels, fvc_template


def test_real_image_gives_sane_minutiae_and_quality(db1_template: Template) -> None:
    t = db1_template
    assert 12 <= len(t) <= 120
    assert 0.4 <= t.quality <= 1.0
    assert (t.width, t.height) == (388, 374)
    m = t.minutiae
    assert m.dtype == np.float32 and m.shape == (len(t), 4)
    assert (m[:, 0] >= 0).all() and (m[:, 0] < t.width).all()
    assert (m[:, 1] >= 0).all() and (m[:, 1] < t.height).all()
    assert (m[:, 2] >= 0).all() and (m[:, 2] < 2 * np.pi + 1e-6).all()
    assert set(np.unique(t.kinds)) <= {1, 2}
    assert (t.extractor, t.version) == (EXTRACTOR_NAME, EXTRACTOR_VERSION)


@pytest.mark.parametrize("db", ["DB1_B", "DB2_B", "DB3_B", "DB4_B"])
def test_every_fvc_sensor_enrols(db: str) -> None:
    assert len(fvc_template(db, 105, 2)) >= 8


@pytest.mark.parametrize("pixels", [
    np.full((400, 400), 255, np.uint8),  # blank
    np.full((400, 400), 0, np.uint8),  # black
    np.random.default_rng(0).integers(0, 256, (400, 400)).astype(np.uint8),  # noise
    np.full((40, 40), 128, np.uint8),  # tiny
], ids=["blank", "black", "noise", "tiny"])
def test_unusable_images_raise_poor_quality(pixels: np.ndarray) -> None:
    with pytest.raises(PoorQualityError):
        extract(pixels)


def test_tiny_crop_of_real_print_raises_poor_quality() -> None:
    with pytest.raises(PoorQualityError):
        extract(fvc_pixels("DB1_B", 101, 1)[150:230, 150:230])


def test_non_fingerprint_pattern_raises_poor_quality() -> None:
    yy, xx = np.mgrid[0:400, 0:400]
    checkerboard = (((yy // 40) + (xx // 40)) % 2 * 255).astype(np.uint8)
    with pytest.raises(PoorQualityError):
        extract(checkerboard)


def test_colour_image_is_rejected_not_crashed() -> None:
    with pytest.raises(FingerprintError):
        extract(np.zeros((100, 100, 3), np.uint8))


def test_db2_is_resampled_to_500_ppi() -> None:
    pixels = fvc_pixels("DB2_B", 101, 1)  # 296×560 at 569 ppi
    t = fvc_template("DB2_B", 101, 1)
    assert t.ppi == 500
    assert t.width == round(296 * 500 / 569) and t.height == round(560 * 500 / 569)
    assert normalise_resolution(pixels, 1000).shape == (280, 148)
    assert (t.minutiae[:, 0] < t.width).all()
