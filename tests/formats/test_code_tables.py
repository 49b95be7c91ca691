"""scomm's POB/CTZ code tables: complete against the EBTS 9.1 tables, enforced by the booking profile."""

from __future__ import annotations

from pathlib import Path

import pytest

from scomm.formats import parse_transaction, validate_submission, write_car
from scomm.formats.code_tables import ctz_codes, pob_codes

from .conftest import OPENEBTS, make_submission


def _ebts_codes(path: Path) -> set[str]:
    """Codes of an OpenEBTS table: code, TAB, description; '--' marks a reference-only line without a code."""
    if not path.is_file():
        pytest.skip(f"real data not available: {path}")
    codes = {line.split("\t")[0].strip() for line in path.read_text(encoding="latin-1").splitlines()}
    return codes - {"", "--"}


@pytest.mark.parametrize(("table", "known"), [("T2_POB.txt", pob_codes), ("T2_CTZ.txt", ctz_codes)])
def test_every_ebts_code_is_known(table: str, known) -> None:
    missing = _ebts_codes(OPENEBTS / table) - known()
    assert not missing, f"codes of {table} missing from scomm's table: {sorted(missing)}"


def test_tables_are_two_character_codes() -> None:
    assert all(len(code) == 2 and code.isascii() and code.isupper() for code in pob_codes() | ctz_codes())
    assert {"US", "MM", "IT"} <= ctz_codes() and {"NY", "WV", "MX", "YY"} <= pob_codes()


@pytest.mark.parametrize(("field", "overrides", "value"), [("2.020", {"pob": "QQ"}, "QQ"),
                                                          ("2.021", {"ctz": ["US", "ZZ"]}, "ZZ")])
def test_unknown_code_is_a_bad_code_violation(field: str, overrides: dict, value: str) -> None:
    tx = parse_transaction(write_car(make_submission(**overrides)))
    [violation] = validate_submission(tx)
    assert (violation.record, violation.field, violation.rule, violation.value) == ("2", field, "bad-code", value)
    assert f"field {field}" in violation.message and repr(value) in violation.message


def test_mexico_is_mm_for_citizenship_and_mx_is_the_state() -> None:
    tx = parse_transaction(write_car(make_submission(pob="MX", ctz=["MX"])))
    assert [(v.field, v.value) for v in validate_submission(tx)] == [("2.021", "MX")]


def test_real_bookings_still_pass(nistfile: bytes, nistfile2: bytes) -> None:
    for data in (nistfile, nistfile2):
        assert validate_submission(parse_transaction(data)) == []
