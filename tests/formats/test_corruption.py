"""Damaged copies of real files: always a TransactionError with specific violations, never anything else."""

from __future__ import annotations

import pytest

from scomm.errors import TransactionError, Violation
from scomm.formats import parse_transaction

FS, GS = b"\x1c", b"\x1d"


def violations_of(data: bytes) -> list[Violation]:
    with pytest.raises(TransactionError) as caught:
        parse_transaction(data)
    assert caught.value.violations
    return caught.value.violations


@pytest.mark.parametrize("fraction", [0.001, 0.02, 0.05, 0.2, 0.5, 0.9, 0.999])
def test_truncated_nistfile2(nistfile2: bytes, fraction: float) -> None:
    cut = int(len(nistfile2) * fraction)
    found = violations_of(nistfile2[:cut])
    assert any(v.rule == "truncated" and f"truncated at byte {cut}" in v.message for v in found), found


def test_truncation_inside_type4_names_the_record(nistfile: bytes) -> None:
    [violation] = violations_of(nistfile[:5000])
    assert violation.record == "4.1"
    assert violation.message == "record 4.1: file truncated at byte 5000 of 10931 declared by LEN"


def test_missing_records_after_a_clean_cut(nistfile: bytes) -> None:
    end_of_type2 = nistfile.index(FS, nistfile.index(b"2.001:")) + 1
    [violation] = violations_of(nistfile[:end_of_type2])
    assert "1 record(s) declared in 1.003 CNT are missing (Type-4)" in violation.message


def test_wrong_len_in_type2_is_reported_and_reading_goes_on(nistfile: bytes) -> None:
    data = nistfile.replace(b"2.001:186", b"2.001:196", 1)
    found = violations_of(data)
    assert found[0].field == "2.001" and found[0].rule == "bad-length"
    assert "LEN 196 does not end on a file separator" in found[0].message


def test_broken_separator_is_reported(nistfile: bytes) -> None:
    data = nistfile.replace(b"\x1d2.020:IT", b"\x1c2.020:IT", 1)  # a GS turned into an FS
    found = violations_of(data)
    assert any(v.rule == "bad-separator" and v.field == "2.018" for v in found), found


def test_type1_not_first(nistfile: bytes) -> None:
    [violation] = violations_of(b"X" + nistfile)
    assert violation.rule == "missing-type1"


@pytest.mark.parametrize("data", [b"", b"garbage", b"1.001:", b"1.001:abc\x1d", b"\x00" * 40,
                                  b"1.001:20\x1d1.003:1\x1f9\x1c"])
def test_garbage(data: bytes) -> None:
    violations_of(data)


def test_corrupted_wsq_becomes_an_image_violation(nistfile: bytes) -> None:
    start = nistfile.index(b"\xff\xa0")
    data = nistfile[:start] + b"\x00" * 64 + nistfile[start + 64:]
    [violation] = violations_of(data)
    assert (violation.record, violation.rule) == ("4.1", "image-decode")


def test_trailing_bytes(nistfile: bytes) -> None:
    [violation] = violations_of(nistfile + b"extra")
    assert violation.rule == "trailing-bytes" and violation.message.startswith("5 byte(s) after the last record")


@pytest.mark.parametrize(("length", "rules"), [(10000, {"image-decode", "trailing-bytes"}), (20000, {"truncated"}),
                                               (7, {"bad-length"})])
def test_wrong_binary_len(nistfile: bytes, length: int, rules: set[str]) -> None:
    start = nistfile.index(b"2.001:") + 186
    data = nistfile[:start] + length.to_bytes(4, "big") + nistfile[start + 4:]
    assert {v.rule for v in violations_of(data)} == rules


def test_wrong_binary_len_before_another_record(sample_an2: bytes) -> None:
    start = sample_an2.index(b"2.001:57") + 57
    data = sample_an2[:start] + (5000).to_bytes(4, "big") + sample_an2[start + 4:]
    found = violations_of(data)
    assert found[-1].record == "4.1" and found[-1].rule == "bad-length"
    assert "does not reach the start of the next record" in found[-1].message


def test_several_problems_reported_at_once(nistfile: bytes) -> None:
    data = nistfile.replace(b"1.04:CAR\x1d", b"1.04:CAR\x1c", 1) + b"junk"
    rules = {v.rule for v in violations_of(data)}
    assert {"bad-separator", "trailing-bytes"} <= rules


@pytest.mark.parametrize("seed", range(30))
def test_flipped_bytes_never_raise_anything_else(nistfile: bytes, seed: int) -> None:
    data = bytearray(nistfile)
    position = (seed * 7919) % 600  # the text records and the Type-4 header
    data[position] ^= 0xFF
    try:
        parse_transaction(bytes(data))
    except TransactionError as exc:
        assert all(isinstance(v, Violation) and v.message for v in exc.violations)


def test_megabyte_field_is_an_oversized_field_not_a_minute_of_splitting(nistfile: bytes) -> None:
    """Found by bench/fuzz_formats.py: a 1 MB field of separators kept nistitl busy for 15 s."""
    huge = b"\x1f" * (1 << 20)
    data = nistfile.replace(b"2.020:IT", b"2.020:" + huge, 1)
    found = violations_of(data)
    assert any(v.rule == "oversized-field" and v.field == "2.020" for v in found), found


def _replace_in_type2(data: bytes, old: bytes, new: bytes) -> bytes:
    """`old` -> `new` inside NISTFile's Type-2 record, its LEN kept right."""
    assert old in data
    length = 186 + len(new) - len(old)
    length += len(str(length)) - 3  # LEN counts its own digits
    return data.replace(old, new, 1).replace(b"2.001:186", f"2.001:{length}".encode(), 1)


@pytest.mark.parametrize("idc", [b"\xb2", b"9" * 5000])
def test_odd_digits_are_violations_not_crashes(nistfile: bytes, idc: bytes) -> None:
    """Found by bench/fuzz_formats.py: int() of a Latin-1 superscript digit or of 5,000 digits raised ValueError."""
    [violation] = violations_of(_replace_in_type2(nistfile, b"2.002:00", b"2.002:" + idc))
    assert (violation.field, violation.rule) == ("2.002", "missing-mandatory-field")


@pytest.mark.parametrize(("text", "ppmm"), [("19.69", 19.69), ("inf", None), ("1e999", None), ("nan", None),
                                            ("0", None), ("\xb2", None), ("", None)])
def test_nsr_is_read_strictly(text: str, ppmm: float | None) -> None:
    """Found by bench/fuzz_formats.py: an NSR of 'inf' made round() raise OverflowError."""
    from scomm.formats.parse import _ppmm

    assert _ppmm(text) == ppmm
