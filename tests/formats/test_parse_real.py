"""Real ANSI/NIST files: the FBI/OpenEBTS CAR tests, the NIST Type-4 card and the NBIS test set."""

from __future__ import annotations

from datetime import date

import pytest

from scomm.errors import TransactionError
from scomm.formats import parse_transaction, validate_car
from scomm.formats.car_profile import check_car
from scomm.types import FingerPosition, ImpressionType

from .conftest import NBIS, real_bytes


def test_nist_sample_card_has_ten_rolled_and_four_plain(sample_an2: bytes) -> None:
    tx = parse_transaction(sample_an2)
    assert len(tx.fingers) == 14
    rolled = [f for f in tx.fingers if f.impression == ImpressionType.NONLIVE_SCAN_ROLLED]
    plain = [f for f in tx.fingers if f.impression == ImpressionType.NONLIVE_SCAN_PLAIN]
    assert [int(f.position) for f in rolled] == list(range(1, 11))
    assert sorted(int(f.position) for f in plain) == [11, 12, 13, 14]
    assert all(f.compression == "WSQ" and f.ppi == 500 for f in tx.fingers)
    assert tx.fingers[0].pixels.shape == (752, 804)
    assert tx.fingers[10].record == "4.11" and tx.fingers[10].pixels.shape == (1000, 1608)
    assert tx.fingers[0].original[:2] == b"\xff\xa0"


def test_nist_sample_card_is_not_a_booking(sample_an2: bytes) -> None:
    messages = [v.message for v in validate_car(parse_transaction(sample_an2))]
    assert "TOT AMN is not a booking submission" in messages
    assert "record 2: field 2.022 DOB missing" in messages


def test_nistfile_is_a_valid_car(nistfile: bytes) -> None:
    tx = parse_transaction(nistfile)
    assert (tx.tot, tx.version, tx.tcn) == ("CAR", "0400", "TEST-20080528173758-SOFT-0001-1C629")
    assert (tx.ori, tx.dai, tx.priority, tx.date) == ("TEST00001", "TEST00001", "4", date(2008, 7, 9))
    assert (tx.name, tx.dob, tx.sex, tx.race, tx.pob) == ("LISA, MONA J", date(1975, 6, 20), "F", "W", "IT")
    assert tx.doa == date(2008, 7, 9)
    assert [(c.ncic_code, c.literal, c.date) for c in tx.charges] == [(None, "Armed Robbery", date(2008, 7, 9))]
    assert tx.record_summary == [(1, 0), (2, 0), (4, 1)]
    assert tx.raw == nistfile
    [finger] = tx.fingers
    assert (finger.position, finger.record, finger.pixels.shape) == (FingerPosition.RIGHT_INDEX, "4.1", (374, 374))
    check = check_car(tx)
    assert check.violations == []
    assert [w.rule for w in check.warnings] == ["missing-fingers"]


def test_nistfile2_has_type14_slap_and_face(nistfile2: bytes) -> None:
    tx = parse_transaction(nistfile2)
    assert tx.tot == "CAR" and tx.name == "LISA, MONA J"
    assert [t for t, _ in tx.record_summary] == [1, 2, 4, 14, 10]
    slap = tx.fingers[1]
    assert (slap.position, slap.record, slap.ppi, slap.compression) == (FingerPosition.PLAIN_RIGHT_FOUR, "14.1", 500,
                                                                        "WSQ")
    assert slap.pixels.shape == (1572, 1576)
    assert validate_car(tx) == []


@pytest.mark.parametrize("name", sorted(p.name for p in NBIS.glob("*")) if NBIS.is_dir() else ["(absent)"])
def test_every_nbis_file_parses_or_is_rejected_precisely(name: str) -> None:
    data = real_bytes(NBIS / name)
    try:
        tx = parse_transaction(data)
    except TransactionError as exc:
        assert exc.violations and all(v.message and v.rule for v in exc.violations)
        return
    assert tx.record_summary[0][0] == 1
    validate_car(tx)  # never raises


def test_legacy_type3_card_decodes_but_is_low_resolution() -> None:
    tx = parse_transaction(real_bytes(NBIS / "type_3_wvu.an2"))
    assert len(tx.fingers) == 14 and tx.fingers[0].pixels.shape == (375, 400) and tx.fingers[0].ppi == 250
    assert {v.rule for v in validate_car(tx)} == {"low-resolution"}


def test_legacy_type6_binary_card_is_a_valid_booking() -> None:
    tx = parse_transaction(real_bytes(NBIS / "type_6_wvu.an2"))
    assert tx.name == "MASTERSON,RYAN MARTIN" and tx.ctz == ["US"] and tx.sid == "VA1486293H"
    assert len(tx.fingers) == 14 and set(tx.fingers[0].pixels.ravel().tolist()) <= {0, 255}
    assert validate_car(tx) == []


def test_nbis_size_mismatch_is_reported_per_record() -> None:
    with pytest.raises(TransactionError) as caught:
        parse_transaction(real_bytes(NBIS / "valid1.8.an2"))
    assert [v.record for v in caught.value.violations] == ["14.1", "14.2", "14.3"]
    assert caught.value.violations[0].rule == "image-decode"
    assert "1600x976 but the record states 1800x1000" in caught.value.violations[0].message
