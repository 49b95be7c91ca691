"""Finger image records (Type-4 and Type-14, legacy Type-3/5/6) to `FingerImage`.

Resolution rules:
- Type-4/6 (high resolution): ISR 0 is the native 500 ppi class; ISR 1 takes 1.011 NSR (ppmm) as ppi.
- Type-3/5 (low resolution): ISR 0 is the 250 ppi class; ISR 1 takes half of 1.011 NSR.
- Type-14: SLC 1 means HPS (14.009) is ppi; SLC 2 means pixels per cm; SLC 0 (no scale) is taken as 500 ppi.
"""

from __future__ import annotations

import struct

from scomm.errors import ImageDecodeError
from scomm.formats.images import decode_image
from scomm.formats.reader import RawRecord
from scomm.formats.tags import (
    BINARY_COMPRESSION,
    TAGGED_COMPRESSION,
    TIFF_MAGIC,
    ascii_int,
)
from scomm.formats.transaction import FingerImage
from scomm.types import FingerPosition, ImpressionType

MM_PER_INCH = 25.4
HIGH_RES_PPI = 500
LOW_RES_PPI = 250
_LOW_RES_TYPES = {3, 5}
_BI_LEVEL_TYPES = {5, 6}


# Standard FGP codes beyond single fingers and slaps (16-19: EJI, tips, joints; 20-38 palms; 40-50 lower
# joints): real records, outside scomm's ten-print scope, skipped rather than rejected.
OUT_OF_SCOPE_POSITIONS = range(16, 51)


def is_in_scope(record: RawRecord) -> bool:
    """Whether a finger record holds a ten-print position (0-15) that scomm decodes."""
    if record.type == 14:
        return ascii_int(record.first("14.013")) not in OUT_OF_SCOPE_POSITIONS
    return len(record.header) < 2 or record.header[1] not in OUT_OF_SCOPE_POSITIONS


def finger_image(record: RawRecord, nsr_ppmm: float | None) -> FingerImage:
    """Decode one finger record; raises ImageDecodeError naming the record and field at fault."""
    if record.type == 14:
        return _tagged_finger(record)
    return _binary_finger(record, nsr_ppmm)


def _binary_finger(record: RawRecord, nsr_ppmm: float | None) -> FingerImage:
    imp, fgp, isr = record.header[0], record.header[1], record.header[7]
    width, height = struct.unpack(">HH", record.header[8:12])
    code = record.header[12]
    label = record.label
    if record.type in _BI_LEVEL_TYPES:
        compression = "TIFF" if record.data.startswith(TIFF_MAGIC) else "NONE"
        if compression == "NONE" and code != 0:
            raise ImageDecodeError(f"record {label}: binary image with BCA {code} is not a TIFF file; raw CCITT "
                                   "data is not supported", label, "NONE")
    elif code in BINARY_COMPRESSION:
        compression = BINARY_COMPRESSION[code]
    else:
        raise ImageDecodeError(f"record {label}: unknown compression code GCA {code}", label, str(code))
    depth = 1 if record.type in _BI_LEVEL_TYPES else 8
    pixels = decode_image(record.data, compression, width, height, depth=depth, record=label)
    return FingerImage(_position(fgp, label), _impression(imp, label), pixels, _binary_ppi(record.type, isr, nsr_ppmm),
                       compression, label, record.data)


def _binary_ppi(record_type: int, isr: int, nsr_ppmm: float | None) -> int:
    low = record_type in _LOW_RES_TYPES
    if isr == 0 or not nsr_ppmm:
        return LOW_RES_PPI if low else HIGH_RES_PPI
    ppi = nsr_ppmm * MM_PER_INCH
    return round(ppi / 2) if low else round(ppi)


def _tagged_finger(record: RawRecord) -> FingerImage:
    label = record.label
    if not record.data:
        raise ImageDecodeError(f"record {label}: field 14.999 DATA missing", label)
    cga = (record.first("14.011") or "").strip().upper()
    if cga not in TAGGED_COMPRESSION:
        raise ImageDecodeError(f"record {label}: field 14.011 CGA {cga!r} is not a known compression", label, cga)
    compression = TAGGED_COMPRESSION[cga]
    width, height = _number(record, "14.006", "HLL"), _number(record, "14.007", "VLL")
    pixels = decode_image(record.data, compression, width, height, record=label)
    position = _position(_number(record, "14.013", "FGP"), label)
    impression = _impression(_number(record, "14.003", "IMP"), label)
    return FingerImage(position, impression, pixels, _tagged_ppi(record), compression, label, record.data)


def _tagged_ppi(record: RawRecord) -> int:
    slc = (record.first("14.008") or "0").strip()
    hps = _number(record, "14.009", "THPS")
    if slc == "1":
        return hps
    if slc == "2":
        return round(hps * 2.54)
    return HIGH_RES_PPI


def _number(record: RawRecord, tag: str, name: str) -> int:
    text = record.first(tag) or ""
    number = ascii_int(text)
    if number is None:
        raise ImageDecodeError(f"record {record.label}: field {tag} {name} missing or not a number of at most "
                               f"9 digits: {text[:20]!r}", record.label)
    return number


def _position(code: int, label: str) -> FingerPosition:
    try:
        return FingerPosition(code)
    except ValueError:
        raise ImageDecodeError(f"record {label}: finger position FGP {code} is not a finger position scomm "
                               "handles (0-15)", label) from None


def _impression(code: int, label: str) -> ImpressionType:
    try:
        return ImpressionType(code)
    except ValueError:
        raise ImageDecodeError(f"record {label}: impression type IMP {code} is not a ten-print impression "
                               "(0-3)", label) from None
