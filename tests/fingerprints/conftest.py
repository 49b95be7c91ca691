"""Shared fixtures: real FVC2002 images, skipped cleanly where the data folder is absent."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scomm.fingerprints import Template, extract
from scomm.fingerprints.images import load_image

FVC = Path("/work/shared/data/fingerprints/fvc2002")
PPI = {"DB1_B": 500, "DB2_B": 569, "DB3_B": 500, "DB4_B": 500}


def fvc_folder(db: str) -> Path:
    folder = FVC / db
    if not folder.is_dir():
        pytest.skip(f"real data absent: {folder} (see /work/shared/data/MANIFEST.md)")
    return folder


def fvc_pixels(db: str, finger: int, impression: int) -> np.ndarray:
    pixels, _ = load_image(fvc_folder(db) / f"{finger}_{impression}.tif")
    return pixels


_TEMPLATES: dict[tuple[str, int, int], Template] = {}


def fvc_template(db: str, finger: int, impression: int) -> Template:
    key = (db, finger, impression)
    if key not in _TEMPLATES:
        _TEMPLATES[key] = extract(fvc_pixels(db, finger, impression), PPI[db])
    return _TEMPLATES[key]


@pytest.fixture
def db1_template() -> Template:
    return fvc_template("DB1_B", 101, 1)
