from __future__ import annotations

import numpy as np
import pytest

from scomm.errors import FingerprintError
from scomm.fingerprints import Template


def test_bytes_round_trip_is_exact(db1_template: Template) -> None:
    data = db1_template.to_bytes()
    back = Template.from_bytes(data)
    assert back == db1_template
    assert np.array_equal(back.minutiae, db1_template.minutiae)
    assert np.array_equal(back.kinds, db1_template.kinds)
    assert (back.width, back.height, back.ppi, back.quality) == (
        db1_template.width, db1_template.height, db1_template.ppi, db1_template.quality)
    assert back.to_bytes() == data
    assert b"scomm-minutiae" in data[:40]


def test_synthetic_round_trip_keeps_float32_values() -> None:
    mins = np.array([[1.5, 2.25, 3.1, 0.5], [100.0, 200.0, 6.0, 1.0]], np.float32)
    t = Template(mins, np.array([1, 2]), 300, 400, 500, 0.75, "x", "9")
    back = Template.from_bytes(t.to_bytes())
    assert back == t and back.extractor == "x" and back.version == "9"


@pytest.mark.parametrize("data", [b"", b"nope", b"SCFT" + b"\0" * 30])
def test_garbage_bytes_raise(data: bytes) -> None:
    with pytest.raises(FingerprintError):
        Template.from_bytes(data)


def test_truncated_bytes_raise(db1_template: Template) -> None:
    with pytest.raises(FingerprintError):
        Template.from_bytes(db1_template.to_bytes()[:-3])
