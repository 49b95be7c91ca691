"""The CAR booking profile: mandatory fields, formats, TOT, fingers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from scomm.formats import LENIENCIES, parse_transaction, validate_car, write_car
from scomm.formats.car_profile import check_car

from .conftest import make_submission


def _tx(**overrides: object):
    return parse_transaction(write_car(make_submission(**overrides)))


def test_missing_dob_is_reported_as_2_022() -> None:
    tx = _tx()
    del tx.type2["2.022"]
    [violation] = validate_car(tx)
    assert (violation.record, violation.field, violation.rule) == ("2", "2.022", "missing-mandatory-field")
    assert violation.message == "record 2: field 2.022 DOB missing"


def test_nfuf_is_not_a_booking() -> None:
    tx = replace(_tx(), tot="NFUF")
    assert [v.message for v in validate_car(tx)] == ["TOT NFUF is not a booking submission"]


def test_bad_codes_and_dates() -> None:
    tx = _tx(sex="Q", race="Z", dob=date(2012, 1, 1))
    fields = {(v.field, v.rule) for v in validate_car(tx)}
    assert fields == {("2.024", "bad-code"), ("2.025", "bad-code"), ("2.022", "bad-date")}


def test_malformed_date_text() -> None:
    tx = _tx()
    tx.type2["2.045"] = [["20110231"]]
    assert [(v.field, v.rule) for v in validate_car(tx)] == [("2.045", "bad-date")]


def test_missing_fingers_are_warnings_amputations_silence_them() -> None:
    sub = make_submission()
    fingers = {p: sub.fingers[p] for p in (1, 2)}
    tx = _tx(fingers=fingers)
    check = check_car(tx)
    assert check.valid and check.warnings[-1].value == "3,4,5,6,7,8,9,10"
    tx.type2["2.084"] = [[str(p), "XX"] for p in range(3, 11)]
    assert check_car(tx).warnings == []


def test_missing_descriptors_are_lenient() -> None:
    check = check_car(_tx(height=None, eye=None))
    assert check.valid and {w.field for w in check.warnings} == {"2.027", "2.031"}
    assert len(LENIENCIES) >= 5
