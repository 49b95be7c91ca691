"""Building blocks shared by the writers: the Type-1 header and safe Type-2 text."""

from __future__ import annotations

import re
from datetime import date

import nistitl

VERSION = "0400"
NATIVE_PPMM = "19.69"  # 500 ppi, for 1.011 NSR and 1.012 NTR
DOMAIN = [["NORAM", ""]]
_SEPARATORS = re.compile(r"[\x1c-\x1f]")


def new_message(*, tot: str, tcn: str, ori: str, dai: str, when: date, priority: str = "4",
                tcr: str | None = None, version: str = VERSION) -> nistitl.Message:
    """A nistitl Message whose Type-1 record carries the EBTS header fields."""
    message = nistitl.Message()
    header = message[0]
    header.VER = version
    message.TOT = tot
    header.DAT = f"{when:%Y%m%d}"
    header.PRY = text(priority, "1.006 PRY")
    header.DAI = text(dai, "1.007 DAI")
    header.ORI = text(ori, "1.008 ORI")
    header.TCN = text(tcn, "1.009 TCN")
    if tcr:
        header.TCR = text(tcr, "1.010 TCR")
    header.NSR = NATIVE_PPMM
    header.NTR = NATIVE_PPMM
    header.DOM = DOMAIN
    return message


def text(value: object, where: str) -> str:
    """`value` as field text: Latin-1 without ANSI/NIST separators, else ValueError naming the field."""
    result = str(value)
    if _SEPARATORS.search(result):
        raise ValueError(f"field {where}: text contains an ANSI/NIST separator character: {result!r}")
    try:
        result.encode("latin-1")
    except UnicodeEncodeError:
        raise ValueError(f"field {where}: text is not Latin-1 encodable: {result!r}") from None
    return result


def message_lines(lines: list[str], where: str = "2.060 MSG") -> list[str]:
    """Free text as one subfield per line, separators replaced by spaces and non-Latin-1 characters by '?'."""
    cleaned = [_SEPARATORS.sub(" ", line).encode("latin-1", "replace").decode("latin-1") for line in lines]
    return [text(line, where) for line in cleaned] or [""]


def set_field(record: nistitl.AsciiRecord, tag: int, value: object) -> None:
    """Set field `tag` of `record` (creating it), skipping None and empty values."""
    if value is None or value == "" or value == []:
        return
    setattr(record, f"_{tag}", value)
