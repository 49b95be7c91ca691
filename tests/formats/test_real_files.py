"""Every real file under ../shared/data/transactions and ../shared/data/images becomes a booking or gets a precise
rejection; nothing raises anything but TransactionError. The outcome table is docs/real-files.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from scomm.errors import TransactionError, Violation
from scomm.formats import parse_transaction, validate_submission

from .conftest import DATA, real_bytes

FOLDERS = (DATA / "transactions", DATA / "images")
ANSI_NIST = {".an2", ".ebts", ".eft", ".nist"}


def _real_files() -> list[str]:
    files = [path for folder in FOLDERS if folder.is_dir() for path in folder.rglob("*") if path.is_file()]
    return sorted(str(path.relative_to(DATA)) for path in files) or ["(shared data absent)"]


def _outcome(data: bytes) -> list[Violation]:
    try:
        return validate_submission(parse_transaction(data))
    except TransactionError as exc:
        assert exc.violations
        return exc.violations


def _precise(violation: Violation) -> bool:
    """A rule, a message, and the field tag in the message when the violation is about a field (a rejected TOT
    reads "TOT NFUF is not a booking submission")."""
    names_field = not violation.field or violation.field in violation.message or violation.rule == "not-a-booking"
    return bool(violation.rule and violation.message) and names_field


@pytest.mark.parametrize("name", _real_files())
def test_real_file_is_a_booking_or_precisely_rejected(name: str) -> None:
    path = DATA / name
    violations = _outcome(real_bytes(path))
    assert all(_precise(v) for v in violations), violations
    if path.suffix not in ANSI_NIST:
        [violation] = violations
        assert violation.rule in {"not-a-transaction", "missing-type1"}
        assert violation.message.startswith("not an ANSI/NIST-ITL transaction: ")


@pytest.mark.parametrize(("name", "kind"), [("images/nist-wsq/nist__fp-1.wsq", "a WSQ image"),
                                            ("transactions/openebts/finger8.jp2", "a JPEG 2000 image"),
                                            ("transactions/openebts/finger8.png", "a PNG image"),
                                            ("transactions/openebts/finger8.bmp", "a BMP image"),
                                            ("transactions/nbis-an2k/All-Supported-Records-test-comp.xml",
                                             "an XML document")])
def test_bare_images_and_xml_are_named(name: str, kind: str) -> None:
    [violation] = _outcome(real_bytes(DATA / name))
    assert violation.rule == "not-a-transaction"
    assert violation.message.startswith(f"not an ANSI/NIST-ITL transaction: the file is {kind}")


def test_raw_grey_has_no_signature_and_is_still_precise() -> None:
    [violation] = _outcome(real_bytes(DATA / "images" / "sourceafis-testres" / "gray-probe.dat"))
    assert violation.rule == "missing-type1" and "does not begin with a Type-1 record" in violation.message


@pytest.mark.parametrize("name", ["valid1.11.an2", "valid1.16.an2"])
def test_repeated_999_is_tolerated_with_a_warning(name: str) -> None:
    tx = parse_transaction(real_bytes(DATA / "transactions" / "nbis-an2k" / name))
    assert {w.rule for w in tx.warnings} == {"repeated-data-field"}
    assert [f.record for f in tx.fingers] == ["4.1", "14.1"]
    assert any(w.message == "record 14.1: field 14.999 DATA appears 4 times; the last one is taken as the image"
               for w in tx.warnings)


def test_every_real_car_booking_shape_is_covered() -> None:
    valid = [name for name in _real_files() if Path(name).suffix in ANSI_NIST and not _outcome(real_bytes(DATA / name))]
    assert {"transactions/openebts/NISTFile.ebts", "transactions/openebts/NISTFile2.ebts",
            "transactions/nbis-an2k/type_6_wvu.an2", "images/nist-wsq/nist__sample.an2"} <= set(valid)
