"""EBTS profile for criminal ten-print bookings (TOT CAR, and CNA which carries the same content).

Strict where a wrong value changes who the booking is about or whether it can be searched; lenient where the
real EBTS/NBIS sample transactions deviate from the letter of EBTS. Each leniency is listed in `LENIENCIES`
and shows up as a warning in `check_car`, never as a rejection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scomm.errors import Violation
from scomm.formats.code_tables import TABLES, load_code_table
from scomm.formats.tags import describe
from scomm.formats.transaction import Transaction, parse_date
from scomm.types import TEN_FINGERS

LENIENCIES: tuple[str, ...] = (
    "Missing fingers: EBTS wants all ten fingers imaged or declared in 2.084 AMP; scomm accepts a booking with at "
    "least one finger image and warns about the others (the OpenEBTS test files carry one rolled finger, plus a "
    "slap in NISTFile2.ebts).",
    "Physical descriptors HGT 2.027, WGT 2.029, EYE 2.031, HAI 2.032 are mandatory for CAR in EBTS but play no part "
    "in identification: absence is a warning; a malformed value is still a violation.",
    "DOM 1.013 is absent from pre-2007 (VER 0201) transactions such as the NBIS samples: a warning.",
    "NAM 2.018 is accepted with or without a space after the comma ('MASTERSON,RYAN' and 'LISA, MONA J').",
    "Legacy Type-3/5/6 image records count as finger images (EBTS 9 allows only Type-4/14), but they must still "
    "reach min_ppi, so 250 ppi Type-3/5 cards are rejected.",
    "VER 1.002 may be any four-digit version; the samples use 0201 and 0400.",
    "A tagged image record whose 999 DATA field is repeated, short values first and the image last (NBIS "
    "valid1.5/6/7/11/16: '14.999:011010<GS>14.999:<image>'), is read with the last occurrence as the image and a "
    "'repeated-data-field' warning.",
    "POB 2.020 and CTZ 2.021 are checked against scomm's NCIC code tables (formats/code_tables), which accept every "
    "code of the EBTS 9.1 tables including those marked 'reference only'; any other value is a 'bad-code' "
    "violation. Strict: no real sample deviates, and the code feeds the immigration screening.",
)


@dataclass(frozen=True)
class CarProfile:
    """The rules, as data: which fields are required, which codes are allowed."""

    booking_tots: tuple[str, ...] = ("CAR", "CNA")
    type1_required: tuple[str, ...] = ("1.002", "1.003", "1.004", "1.005", "1.006", "1.007", "1.008", "1.009",
                                       "1.011", "1.012")
    type1_expected: tuple[str, ...] = ("1.013",)
    type2_required: tuple[str, ...] = ("2.002", "2.005", "2.018", "2.020", "2.022", "2.024", "2.025", "2.045",
                                       "2.047", "2.073")
    type2_expected: tuple[str, ...] = ("2.027", "2.029", "2.031", "2.032")
    date_tags: tuple[str, ...] = ("1.005", "2.022", "2.045")
    sex_codes: frozenset[str] = frozenset("MFXU")
    race_codes: frozenset[str] = frozenset("ABIWU")
    amp_codes: frozenset[str] = frozenset({"XX", "UP"})
    code_tables: dict[str, str] = field(default_factory=lambda: dict(TABLES))  # tag -> code_tables/<name>.txt
    name_max: int = 50
    min_ppi: int = 490  # 19.69 ppmm is 500 ppi; leave room for rounding
    formats: dict[str, str] = field(default_factory=lambda: {
        "1.002": r"\d{4}", "1.006": r"[1-9]", "1.007": r"[A-Z0-9]{9}", "1.008": r"[A-Z0-9]{9}",
        "1.009": r"[ -~]{1,40}", "2.005": r"[YN]",
        "2.027": r"\d{3}|[A-Z]\d{2}", "2.029": r"\d{1,3}", "2.031": r"[A-Z]{3}", "2.032": r"[A-Z]{3}",
        "2.015": r"[A-Z0-9]{1,10}", "2.014": r"[A-Z0-9]{1,9}", "2.017": r"[A-Z]{2}-[A-Z0-9]{1,15}",
        "2.073": r"[A-Z0-9]{9}",
    })


CAR_PROFILE = CarProfile()


@dataclass
class CarCheck:
    violations: list[Violation]  # reasons to reject
    warnings: list[Violation]  # documented leniencies (see LENIENCIES)

    @property
    def valid(self) -> bool:
        return not self.violations


def validate_car(tx: Transaction, profile: CarProfile = CAR_PROFILE) -> list[Violation]:
    """Violations that make `tx` unacceptable as a booking; empty when it is a valid CAR/CNA."""
    return check_car(tx, profile).violations


def check_car(tx: Transaction, profile: CarProfile = CAR_PROFILE) -> CarCheck:
    """Violations and lenient warnings of `tx` against the booking profile."""
    check = CarCheck([], list(tx.warnings))
    _check_tot(tx, profile, check)
    _check_presence(tx, profile, check)
    _check_formats(tx, profile, check)
    _check_codes(tx, profile, check)
    _check_dates(tx, profile, check)
    _check_charges(tx, check)
    _check_fingers(tx, profile, check)
    return check


def _fields(tx: Transaction, tag: str) -> list[list[str]]:
    return (tx.type1 if tag.startswith("1.") else tx.type2).get(tag, [])


def _first(tx: Transaction, tag: str) -> str:
    values = _fields(tx, tag)
    return values[0][0] if values and values[0] else ""


def _present(tx: Transaction, tag: str) -> bool:
    return any(item.strip() for items in _fields(tx, tag) for item in items)


def _record(tag: str) -> str:
    return tag.split(".")[0]


def _missing(tag: str) -> Violation:
    return Violation(_record(tag), tag, "missing-mandatory-field", f"record {_record(tag)}: field {describe(tag)} "
                     "missing")


def _bad(tag: str, rule: str, why: str, value: str) -> Violation:
    return Violation(_record(tag), tag, rule, f"record {_record(tag)}: field {describe(tag)} {why}: {value!r}",
                     value[:60])


def _check_tot(tx: Transaction, profile: CarProfile, check: CarCheck) -> None:
    if tx.tot not in profile.booking_tots:
        check.violations.append(Violation("1", "1.004", "not-a-booking",
                                          f"TOT {tx.tot or '(empty)'} is not a booking submission", tx.tot))


def _check_presence(tx: Transaction, profile: CarProfile, check: CarCheck) -> None:
    for tag in profile.type1_required + profile.type2_required:
        if not _present(tx, tag):
            check.violations.append(_missing(tag))
    for tag in profile.type1_expected + profile.type2_expected:
        if not _present(tx, tag):
            check.warnings.append(_missing(tag))


def _check_formats(tx: Transaction, profile: CarProfile, check: CarCheck) -> None:
    for tag, pattern in profile.formats.items():
        for items in _fields(tx, tag):
            value = items[0] if items else ""
            if value and not re.fullmatch(pattern, value):
                check.violations.append(_bad(tag, "bad-format", f"does not match {pattern}", value))
    name = tx.name or ""
    if name and ("," not in name or len(name) > profile.name_max or name.startswith(",")):
        check.violations.append(_bad("2.018", "bad-format", f"is not 'SURNAME, GIVEN' within {profile.name_max} "
                                     "characters", name))


def _check_codes(tx: Transaction, profile: CarProfile, check: CarCheck) -> None:
    if tx.sex and tx.sex not in profile.sex_codes:
        check.violations.append(_bad("2.024", "bad-code", f"is not one of {'/'.join(sorted(profile.sex_codes))}",
                                     tx.sex))
    if tx.race and tx.race not in profile.race_codes:
        check.violations.append(_bad("2.025", "bad-code", f"is not one of {'/'.join(sorted(profile.race_codes))}",
                                     tx.race))
    for tag, table in profile.code_tables.items():
        codes = load_code_table(table)
        for items in _fields(tx, tag):
            value = items[0] if items else ""
            if value and value not in codes:
                check.violations.append(_bad(tag, "bad-code", f"is not in the NCIC {table.upper()} code table",
                                             value))
    for items in tx.type2.get("2.084", []):
        fgp, code = (items + ["", ""])[:2]
        if not (fgp.isdigit() and 1 <= int(fgp) <= 10) or code not in profile.amp_codes:
            check.violations.append(_bad("2.084", "bad-code", "is not FGP (1-10) and AMPCD (XX/UP)",
                                         "\x1f".join(items)))


def _check_dates(tx: Transaction, profile: CarProfile, check: CarCheck) -> None:
    for tag in profile.date_tags:
        value = _first(tx, tag)
        if value and parse_date(value) is None:
            check.violations.append(_bad(tag, "bad-date", "is not a CCYYMMDD date", value))
    if tx.dob and tx.doa and tx.dob > tx.doa:
        check.violations.append(_bad("2.022", "bad-date", f"is after the date of arrest {tx.doa:%Y%m%d}",
                                     f"{tx.dob:%Y%m%d}"))
    if tx.doa and tx.date and tx.doa > tx.date:
        check.violations.append(_bad("2.045", "bad-date", f"is after the transaction date {tx.date:%Y%m%d}",
                                     f"{tx.doa:%Y%m%d}"))


def _check_charges(tx: Transaction, check: CarCheck) -> None:
    for number, items in enumerate(tx.type2.get("2.047", []), start=1):
        doo = items[0] if items else ""
        aol = items[1] if len(items) > 1 else ""
        if doo and parse_date(doo) is None:
            check.violations.append(_bad("2.047", "bad-date", f"charge {number} DOO is not a CCYYMMDD date", doo))
        if not aol.strip():
            check.violations.append(_bad("2.047", "missing-mandatory-field", f"charge {number} has no AOL offence "
                                         "literal", "\x1f".join(items)))


def _check_fingers(tx: Transaction, profile: CarProfile, check: CarCheck) -> None:
    if not tx.fingers:
        check.violations.append(Violation("", "", "no-fingerprints",
                                          "no Type-4 or Type-14 finger image: a booking needs fingerprints"))
        return
    for image in tx.fingers:
        if image.ppi < profile.min_ppi:
            check.violations.append(Violation(image.record, "", "low-resolution", f"record {image.record}: "
                                              f"{image.ppi} ppi is below the {profile.min_ppi} ppi minimum",
                                              str(image.ppi)))
    present = {image.position for image in tx.fingers} | tx.amputated
    missing = [int(p) for p in TEN_FINGERS if p not in present]
    if missing:
        check.warnings.append(Violation("", "", "missing-fingers", "no image or 2.084 AMP entry for finger(s) "
                                        + ", ".join(map(str, missing)), ",".join(map(str, missing))))
