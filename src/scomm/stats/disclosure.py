"""Small-cell suppression for public views: no count from 1 to 9 is published, nor any share built on one.

Zero is shown: it identifies no one, and "no citizen was detained" is itself a figure the public needs.
"""

from __future__ import annotations

from collections.abc import Mapping

SMALL_CELL = 10  # counts below this (and above zero) are suppressed
SUPPRESSED = "<10"


def share(part: int, whole: int) -> float | None:
    """``part / whole``, or None where there is nothing to divide."""
    return part / whole if whole else None


def suppress(value: int, threshold: int = SMALL_CELL) -> int | str:
    """A count for a public view: 1 … threshold-1 becomes "<10"; zero and larger counts are shown."""
    return SUPPRESSED if 0 < value < threshold else value


def public_share(part: int, whole: int, threshold: int = SMALL_CELL) -> float | None:
    """A share for a public view, withheld (None) when either count is suppressed or the whole is zero."""
    if suppress(part, threshold) == SUPPRESSED or suppress(whole, threshold) == SUPPRESSED:
        return None
    return share(part, whole)


def suppress_record(record: Mapping[str, object], shares: Mapping[str, tuple[str, str]],
                    threshold: int = SMALL_CELL) -> dict[str, object]:
    """A flat record with every int count suppressed and each named share recomputed as a public share."""
    out: dict[str, object] = {}
    for key, value in record.items():
        if key in shares:
            part, whole = shares[key]
            out[key] = public_share(int(record[part]), int(record[whole]), threshold)  # type: ignore[call-overload]
        elif isinstance(value, int) and not isinstance(value, bool):
            out[key] = suppress(value, threshold)
        else:
            out[key] = value
    return out
