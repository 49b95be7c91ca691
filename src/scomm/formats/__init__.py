"""EBTS / ANSI/NIST-ITL interchange: parse and validate bookings, write CAR and response transactions.

    tx = parse_transaction(data)          # Transaction, or TransactionError listing every problem
    problems = validate_submission(tx)    # [] for a valid booking; violations_to_json(problems) for an API
    data = write_car(CarSubmission(...))  # bytes that parse back into the same booking
"""

from scomm.formats.car_profile import (
                                    CAR_PROFILE,
                                    LENIENCIES,
                                    CarCheck,
                                    CarProfile,
                                    check_car,
                                    validate_car,
)
from scomm.formats.car_writer import CarSubmission, write_car
from scomm.formats.images import decode_image, encode_wsq
from scomm.formats.parse import parse_transaction
from scomm.formats.profiles import (
                                    IDENTIFICATION_PROFILE,
                                    check_submission,
                                    is_criminal_submission,
                                    profile_for,
                                    validate_submission,
)
from scomm.formats.responses import write_errt, write_iar, write_sre
from scomm.formats.transaction import Charge, FingerImage, Transaction
from scomm.formats.violations import violations_to_json

__all__ = [
                                    "CAR_PROFILE",
                                    "IDENTIFICATION_PROFILE",
                                    "LENIENCIES",
                                    "CarCheck",
                                    "CarProfile",
                                    "CarSubmission",
                                    "Charge",
                                    "FingerImage",
                                    "Transaction",
                                    "check_car",
                                    "check_submission",
                                    "decode_image",
                                    "encode_wsq",
                                    "is_criminal_submission",
                                    "parse_transaction",
                                    "profile_for",
                                    "validate_car",
                                    "validate_submission",
                                    "violations_to_json",
                                    "write_car",
                                    "write_errt",
                                    "write_iar",
                                    "write_sre",
]
