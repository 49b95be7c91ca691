"""Response transactions from CJIS back to the submitting agency, written with nistitl.

- SRE (Submission Results - Electronic): 2.014 FBI, 2.059 SRF ("I" ident / "N" non-ident), 2.060 MSG whose
  first line is "IDENT" or "NON-IDENT" followed by the rap sheet, one line per subfield.
- ERRT (ten-print transaction error): 2.060 MSG, one violation per line ("record 2: field 2.022 DOB missing").
- IAR: **scomm convention, not a verified EBTS encoding.** The immigration alien response travels as TOT "IAR"
  with 2.017 MNU "AR-<A-number>" and 2.060 MSG whose first line is "IAR STATUS <status>" followed by the text.

In every response 1.010 TCR is the TCN of the booking answered, 1.007 DAI is the booking's ORI (the agency
receiving the response), 1.008 ORI is `CJIS_ORI`, and the response's own TCN is "<booking TCN>-<TOT>".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import nistitl

from scomm.errors import Violation
from scomm.formats.header import message_lines, new_message, set_field

CJIS_ORI = "WVIAFIS0Z"  # the IAFIS ORI, as addressed in the NBIS CAR samples (1.007 of type_3_wvu.an2)
IDENT, NON_IDENT = "IDENT", "NON-IDENT"
IAR_STATUS_PREFIX = "IAR STATUS "


def write_sre(tcn: str, ori: str, fbi_number: str | None, rap_sheet_text: str, identified: bool,
              *, when: date | None = None) -> bytes:
    """SRE answering booking `tcn` from agency `ori`."""
    record = _type2()
    set_field(record, 14, fbi_number if identified else None)
    set_field(record, 59, "I" if identified else "N")
    result = IDENT if identified else NON_IDENT
    set_field(record, 60, message_lines([result, *_lines(rap_sheet_text)]))
    return _message("SRE", tcn, ori, when, record)


def write_errt(tcn: str, ori: str, violations: Iterable[Violation], *, when: date | None = None) -> bytes:
    """ERRT rejecting booking `tcn`: one MSG line per violation."""
    record = _type2()
    set_field(record, 60, message_lines([v.message for v in violations] or ["transaction rejected"]))
    return _message("ERRT", tcn, ori, when, record)


def write_iar(tcn: str, ori: str, status: str, a_number: str | None, text: str,
              *, when: date | None = None) -> bytes:
    """Immigration alien response for booking `tcn` (scomm convention, see module docstring)."""
    record = _type2()
    set_field(record, 17, [f"AR-{a_number}"] if a_number else None)
    set_field(record, 60, message_lines([IAR_STATUS_PREFIX + status, *_lines(text)]))
    return _message("IAR", tcn, ori, when, record)


def _lines(text: str) -> list[str]:
    # not str.splitlines(): it would also split on the ANSI/NIST separators, which message_lines neutralises
    return text.replace("\r\n", "\n").split("\n") if text else []


def _type2() -> nistitl.AsciiRecord:
    record = nistitl.AsciiRecord(2)
    record.IDC = 0
    return record


def _message(tot: str, tcn: str, ori: str, when: date | None, record: nistitl.AsciiRecord) -> bytes:
    message = new_message(tot=tot, tcn=f"{tcn}-{tot}", ori=CJIS_ORI, dai=ori, when=when or date.today(),
                          priority="2", tcr=tcn)
    message += record
    return message.NIST
