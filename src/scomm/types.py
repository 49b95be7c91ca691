"""Shared vocabulary used across packages: finger positions and impression types (ANSI/NIST-ITL codes)."""

from __future__ import annotations

from enum import IntEnum


class FingerPosition(IntEnum):
    """ANSI/NIST-ITL finger position codes (Table 8 of the standard)."""

    UNKNOWN = 0
    RIGHT_THUMB = 1
    RIGHT_INDEX = 2
    RIGHT_MIDDLE = 3
    RIGHT_RING = 4
    RIGHT_LITTLE = 5
    LEFT_THUMB = 6
    LEFT_INDEX = 7
    LEFT_MIDDLE = 8
    LEFT_RING = 9
    LEFT_LITTLE = 10
    PLAIN_RIGHT_THUMB = 11
    PLAIN_LEFT_THUMB = 12
    PLAIN_RIGHT_FOUR = 13
    PLAIN_LEFT_FOUR = 14
    PLAIN_THUMBS = 15

    @property
    def is_single_finger(self) -> bool:
        return 1 <= self.value <= 10


TEN_FINGERS: tuple[FingerPosition, ...] = tuple(FingerPosition(i) for i in range(1, 11))


class ImpressionType(IntEnum):
    """ANSI/NIST-ITL impression type codes (IMP)."""

    LIVE_SCAN_PLAIN = 0
    LIVE_SCAN_ROLLED = 1
    NONLIVE_SCAN_PLAIN = 2
    NONLIVE_SCAN_ROLLED = 3
