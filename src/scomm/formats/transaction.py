"""What scomm reads out of an EBTS transaction: `Transaction`, `FingerImage`, `Charge`.

scomm convention for charges (2.047 ASL, items DOO then AOL): when the NCIC offence code is known, the offence
literal AOL begins with the 4-digit NCIC code, a space, then the literal ("1313 SIMPLE ASSAULT"). Parsing
splits it back into `Charge.ncic_code` and `Charge.literal`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from scomm.errors import Violation
from scomm.types import FingerPosition, ImpressionType

_NCIC_PREFIX = re.compile(r"^(\d{4}) (.+)$", re.DOTALL)
Fields = dict[str, list[list[str]]]


@dataclass(frozen=True)
class Charge:
    ncic_code: str | None
    literal: str
    date: date | None = None

    @property
    def aol(self) -> str:
        """The AOL item as written: "NNNN literal" when the NCIC code is known."""
        return f"{self.ncic_code} {self.literal}" if self.ncic_code else self.literal

    @classmethod
    def from_asl(cls, items: list[str]) -> Charge:
        """A charge from one 2.047 ASL subfield: [DOO, AOL]."""
        doo = parse_date(items[0]) if items else None
        aol = items[1] if len(items) > 1 else ""
        match = _NCIC_PREFIX.match(aol)
        return cls(match.group(1), match.group(2), doo) if match else cls(None, aol, doo)


@dataclass(eq=False)
class FingerImage:
    position: FingerPosition
    impression: ImpressionType
    pixels: np.ndarray  # uint8, H x W
    ppi: int
    compression: str  # WSQ, JP2, PNG, JPEG, BMP, TIFF, NONE
    record: str  # "4.3" = third Type-4 record, "14.1"
    original: bytes = field(repr=False)  # image data exactly as submitted

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])


@dataclass(eq=False)
class Transaction:
    version: str
    tot: str
    tcn: str
    tcr: str
    date: date | None
    ori: str
    dai: str
    priority: str
    type1: Fields
    type2: Fields
    fingers: list[FingerImage]
    record_summary: list[tuple[int, int]]  # (record type, IDC) in file order, Type-1 first
    raw: bytes = field(repr=False)
    warnings: list[Violation] = field(default_factory=list)  # deviations the reader tolerated (LENIENCIES)

    def text(self, tag: str) -> str | None:
        """First item of the first subfield of a Type-2 field, None when absent or empty."""
        value = self.type2.get(tag)
        return value[0][0] if value and value[0][0] != "" else None

    def values(self, tag: str) -> list[str]:
        """First item of every subfield of a Type-2 field (repeating fields such as CTZ)."""
        return [sf[0] for sf in self.type2.get(tag, []) if sf and sf[0]]

    @property
    def name(self) -> str | None:
        return self.text("2.018")

    @property
    def dob(self) -> date | None:
        return parse_date(self.text("2.022"))

    @property
    def sex(self) -> str | None:
        return self.text("2.024")

    @property
    def race(self) -> str | None:
        return self.text("2.025")

    @property
    def pob(self) -> str | None:
        return self.text("2.020")

    @property
    def ctz(self) -> list[str]:
        return self.values("2.021")

    @property
    def doa(self) -> date | None:
        return parse_date(self.text("2.045"))

    @property
    def sid(self) -> str | None:
        return self.text("2.015")

    @property
    def fbi(self) -> str | None:
        return self.text("2.014")

    @property
    def mnu(self) -> list[tuple[str, str]]:
        """2.017 MNU as (code, number): EBTS writes "AR-123456789"; items ["AR", "123456789"] are accepted too."""
        pairs = []
        for items in self.type2.get("2.017", []):
            if len(items) >= 2:
                pairs.append((items[0], items[1]))
            elif items and "-" in items[0]:
                code, number = items[0].split("-", 1)
                pairs.append((code, number))
        return pairs

    @property
    def a_number(self) -> str | None:
        return next((number for code, number in self.mnu if code == "AR"), None)

    @property
    def charges(self) -> list[Charge]:
        return [Charge.from_asl(items) for items in self.type2.get("2.047", []) if any(items)]

    @property
    def messages(self) -> list[str]:
        """2.060 MSG lines (responses: SRE result and rap sheet, ERRT violations, IAR status and text)."""
        return [items[0] for items in self.type2.get("2.060", []) if items]

    @property
    def amputated(self) -> set[FingerPosition]:
        """Fingers declared amputated or unprintable (2.084 AMP: FGP, AMPCD)."""
        found = set()
        for items in self.type2.get("2.084", []):
            if items and items[0].strip().isdigit() and 1 <= int(items[0]) <= 10:
                found.add(FingerPosition(int(items[0])))
        return found


def parse_date(text: str | None) -> date | None:
    """CCYYMMDD to a date; None when absent or malformed (the profile reports the format)."""
    if not text or len(text) != 8 or not text.isdigit():
        return None
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None
