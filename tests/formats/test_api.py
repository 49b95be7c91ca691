"""Pins the public API of scomm.formats."""

from __future__ import annotations

from dataclasses import fields

from scomm import formats


def test_exports() -> None:
    for name in ("Transaction", "FingerImage", "parse_transaction", "validate_car", "write_car", "CarSubmission",
                 "Charge", "write_errt", "write_sre", "write_iar", "decode_image"):
        assert name in formats.__all__ and hasattr(formats, name)


def test_dataclass_fields() -> None:
    assert [f.name for f in fields(formats.FingerImage)] == ["position", "impression", "pixels", "ppi",
                                                             "compression", "record", "original"]
    assert [f.name for f in fields(formats.Charge)] == ["ncic_code", "literal", "date"]
    assert {"version", "tot", "tcn", "tcr", "date", "ori", "dai", "priority", "type2", "fingers", "record_summary",
            "raw"} <= {f.name for f in fields(formats.Transaction)}
