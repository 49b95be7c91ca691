"""Shared fixtures: the real sample files (skipped when ../shared/data is absent) and a CarSubmission factory."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from scomm.formats import CarSubmission, Charge

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
if not DATA.is_dir():
    DATA = Path("/work/shared/data")
OPENEBTS = DATA / "transactions" / "openebts"
NBIS = DATA / "transactions" / "nbis-an2k"
SAMPLE_AN2 = DATA / "images" / "nist-wsq" / "nist__sample.an2"


def real_bytes(path: Path) -> bytes:
    if not path.is_file():
        pytest.skip(f"real data not available: {path}")
    return path.read_bytes()


@pytest.fixture(scope="session")
def nistfile() -> bytes:
    return real_bytes(OPENEBTS / "NISTFile.ebts")


@pytest.fixture(scope="session")
def nistfile2() -> bytes:
    return real_bytes(OPENEBTS / "NISTFile2.ebts")


@pytest.fixture(scope="session")
def sample_an2() -> bytes:
    return real_bytes(SAMPLE_AN2)


def ridge_image(height: int = 440, width: int = 400, seed: int = 0) -> np.ndarray:
    """A synthetic fingerprint-like image: oriented sinusoidal ridges with noise (WSQ-friendly)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    angle = rng.uniform(0, np.pi)
    ridges = np.sin((x * np.cos(angle) + y * np.sin(angle)) * 2 * np.pi / 9 + rng.uniform(0, 6))
    image = 128 + 90 * ridges + rng.normal(0, 8, (height, width))
    return np.clip(image, 0, 255).astype(np.uint8)


def make_submission(**overrides: object) -> CarSubmission:
    fields: dict[str, object] = dict(
        tcn="SC20110304-0001", ori="SC0420000", dai="SC0420000", date=date(2011, 3, 4), name="DOE, JOHN Q",
        dob=date(1980, 1, 2), sex="M", race="W", pob="MX", ctz=["MM"], doa=date(2011, 3, 3), sid="SC12345678",
        fbi="123456AB1", a_number="012345678",
        charges=[Charge("1313", "SIMPLE ASSAULT", date(2011, 3, 2)), Charge(None, "DRIVING WITHOUT LICENSE", None)],
        fingers={position: ridge_image(seed=position) for position in range(1, 11)},
        height="510", weight="170", eye="BRO", hair="BLK",
    )
    fields.update(overrides)
    return CarSubmission(**fields)  # type: ignore[arg-type]
