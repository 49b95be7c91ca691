"""`parse_transaction`: bytes in, a `Transaction` out, or one `TransactionError` listing every problem."""

from __future__ import annotations

import re
import warnings

import nistitl

from scomm.errors import ImageDecodeError, TransactionError, Violation
from scomm.formats.fingers import finger_image, is_in_scope
from scomm.formats.images import isolated_decoding
from scomm.formats.reader import RawRecord, read_records
from scomm.formats.tags import FINGER_RECORD_TYPES, describe
from scomm.formats.transaction import FingerImage, Transaction, parse_date


def parse_transaction(data: bytes) -> Transaction:
    """Parse an ANSI/NIST-ITL transaction and decode its finger images.

    Raises TransactionError with every structural problem and every image that does not decode; the file is
    also cross-checked with nistitl so that what scomm accepts, the reference library reads too.
    """
    data = bytes(data)
    result = read_records(data)
    violations = list(result.violations)
    records = result.records
    type1 = records[0] if records and records[0].type == 1 else None
    tcn = type1.first("1.009") if type1 else None
    fingers = _decode_fingers(records, type1, violations)
    if not violations:
        violations.extend(_nistitl_check(data))
    if violations:
        raise TransactionError(violations, tcn)
    assert type1 is not None  # a file without violations has its Type-1
    return _build(data, records, type1, fingers, result.warnings)


def _decode_fingers(records: list[RawRecord], type1: RawRecord | None,
                    violations: list[Violation]) -> list[FingerImage]:
    nsr = _ppmm(type1.first("1.011")) if type1 else None
    fingers = []
    with isolated_decoding():  # one isolated decoder child for the whole transaction
        for record in records:
            if record.type not in FINGER_RECORD_TYPES or not record.complete or not is_in_scope(record):
                continue
            try:
                fingers.append(finger_image(record, nsr))
            except ImageDecodeError as exc:
                tag = "14.999" if record.type == 14 else ""
                message, where = str(exc), f"record {record.label}: "
                if tag and tag not in message and message.startswith(where):
                    message = f"{where}field {describe(tag)}: {message[len(where):]}"
                violations.append(Violation(record.label, tag, "image-decode", message, exc.compression))
    return fingers


_PPMM = re.compile(r"\d{1,3}(\.\d{1,4})?")


def _ppmm(text: str | None) -> float | None:
    """1.011 NSR as pixels per mm ("19.69"); None when absent, malformed or zero (the class default applies)."""
    stripped = (text or "").strip()
    if not _PPMM.fullmatch(stripped) or not stripped.isascii():
        return None
    return float(stripped) or None


def _nistitl_check(data: bytes) -> list[Violation]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nistitl warns on legacy Type-3/5/6 records
            nistitl.Message().parse(data)
    except Exception as exc:  # noqa: BLE001 - library boundary: nistitl raises NistException and builtins
        return [Violation("", "", "ansi-nist-syntax", f"nistitl rejects the file: {exc}"[:300])]
    return []


def _build(data: bytes, records: list[RawRecord], type1: RawRecord, fingers: list[FingerImage],
           warnings: list[Violation]) -> Transaction:
    type2 = next((r.fields for r in records if r.type == 2), {})

    def text(tag: str) -> str:
        return type1.first(tag) or ""

    return Transaction(version=text("1.002"), tot=text("1.004").strip(), tcn=text("1.009"), tcr=text("1.010"),
                       date=parse_date(text("1.005")), ori=text("1.008"), dai=text("1.007"), priority=text("1.006"),
                       type1=type1.fields, type2=type2, fingers=fingers,
                       record_summary=[(r.type, r.idc) for r in records], raw=data, warnings=list(warnings))
