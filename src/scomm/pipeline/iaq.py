"""The Immigration Alien Query sent to the LESC on an IDENT match (Nlets legacy text layout)."""

from __future__ import annotations

from scomm.records import Booking

LESC_ORI = "VTICE0900"  # ICE Law Enforcement Support Center, Williston VT
NO_KNOWN_OFFENSE = "0399"  # the IAQ's OFF/ code when no charge is known


def iaq_text(booking: Booking, fbi_number: str | None, a_number: str | None) -> str:
    """Fields and order of the Nlets IAQ (domain.md §2.3); PUR/C marks a criminal-justice purpose."""
    offense = booking.charges[0]["ncic_code"] if booking.charges and booking.charges[0].get("ncic_code") else NO_KNOWN_OFFENSE
    parts = [f"IAQ.{booking.ori}.AX", "PUR/C", "ATN/BOOKING OFFICER", "PHN/0000000000", f"NAM/{booking.name}",
             f"DOB/{booking.dob:%Y%m%d}" if booking.dob else "DOB/UNKNOWN", f"SEX/{booking.sex or 'U'}",
             f"POB/{booking.pob or 'XX'}", "CUS/Y", f"OFF/{offense}"]
    if a_number:
        parts.append(f"ARN/{a_number}")
    if fbi_number:
        parts.append(f"FBI/{fbi_number}")
    return ".".join(parts)
