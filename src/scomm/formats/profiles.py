"""Which EBTS profile a transaction is validated against, chosen by its TOT.

Criminal ten-print submissions (CAR, CNA) are bookings: they establish or extend a rap sheet and, in an
activated jurisdiction, are searched against the immigration repository. Ten-print identification
requests that are not arrests (AMN amnesia victim, DEK/DEU deceased, MPR missing person) are searched
against the criminal file only and answered, but never create a record and never reach DHS.
"""

from __future__ import annotations

from dataclasses import replace

from scomm.errors import Violation
from scomm.formats.car_profile import (
    CAR_PROFILE,
    CarCheck,
    CarProfile,
    check_car,
    validate_car,
)
from scomm.formats.transaction import Transaction

IDENTIFICATION_PROFILE: CarProfile = replace(
    CAR_PROFILE,
    booking_tots=("AMN", "DEK", "DEU", "MPR"),
    # Nothing about an arrest is expected; the samples of these TOTs (NIST's Type-4 card) omit PRY too.
    type1_required=("1.002", "1.003", "1.004", "1.005", "1.007", "1.008", "1.009"),
    type2_required=("2.002",),
    type2_expected=(),
)

CRIMINAL_TOTS = frozenset(CAR_PROFILE.booking_tots)
IDENTIFICATION_TOTS = frozenset(IDENTIFICATION_PROFILE.booking_tots)


def profile_for(tot: str) -> CarProfile:
    return IDENTIFICATION_PROFILE if tot in IDENTIFICATION_TOTS else CAR_PROFILE


def validate_submission(tx: Transaction) -> list[Violation]:
    """Violations of `tx` against the profile its TOT calls for; any other TOT is not a booking."""
    return validate_car(tx, profile_for(tx.tot))


def check_submission(tx: Transaction) -> CarCheck:
    """Violations and lenient warnings of `tx` against the profile its TOT calls for."""
    return check_car(tx, profile_for(tx.tot))


def is_criminal_submission(tot: str) -> bool:
    return tot in CRIMINAL_TOTS
