"""`write_car`: a CAR (criminal ten-print, answer required) transaction built with nistitl.

Type-1 header, Type-2 arrest fields, then one WSQ image record per finger: Type-14 (default) or Type-4.
Charges go in 2.047 ASL as (DOO, AOL) with the scomm NCIC convention described in `transaction.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import nistitl
import numpy as np

from scomm.formats.header import new_message, set_field, text
from scomm.formats.images import encode_wsq
from scomm.formats.transaction import Charge
from scomm.types import FingerPosition, ImpressionType

PPI = 500
_FGP_PADDING = b"\xff" * 5
_GCA_WSQ = 1


@dataclass
class CarSubmission:
    tcn: str
    ori: str
    dai: str
    date: date
    name: str  # "SURNAME, GIVEN MIDDLE"
    dob: date
    sex: str
    race: str
    pob: str
    ctz: list[str]
    doa: date
    sid: str | None = None
    fbi: str | None = None
    a_number: str | None = None  # written as MNU "AR-<number>"
    charges: list[Charge] = field(default_factory=list)
    fingers: dict[int, np.ndarray] = field(default_factory=dict)  # FGP -> uint8 image at 500 ppi
    record_type: int = 14  # 14 or 4
    priority: str = "4"
    retention: str = "Y"  # 2.005 RET
    cri: str | None = None  # 2.073 controlling agency; defaults to ori
    height: str | None = None  # 2.027 HGT, e.g. "510"
    weight: str | None = None  # 2.029 WGT, pounds
    eye: str | None = None  # 2.031 EYE, e.g. "BRO"
    hair: str | None = None  # 2.032 HAI, e.g. "BLK"


def write_car(sub: CarSubmission) -> bytes:
    """Serialise `sub` as an EBTS CAR transaction (raises ValueError on unencodable input)."""
    if sub.record_type not in (4, 14):
        raise ValueError(f"record_type must be 4 or 14, not {sub.record_type}")
    message = new_message(tot="CAR", tcn=sub.tcn, ori=sub.ori, dai=sub.dai, when=sub.date, priority=sub.priority)
    message += _type2(sub)
    build = _type14 if sub.record_type == 14 else _type4
    for idc, (position, pixels) in enumerate(sorted(sub.fingers.items()), start=1):
        message += build(sub, idc, FingerPosition(position), pixels)
    return message.NIST


def _type2(sub: CarSubmission) -> nistitl.AsciiRecord:
    record = nistitl.AsciiRecord(2)
    record.IDC = 0
    values: dict[int, object] = {
        5: sub.retention, 14: sub.fbi, 15: sub.sid, 17: [f"AR-{sub.a_number}"] if sub.a_number else None,
        18: sub.name, 20: sub.pob, 21: list(sub.ctz), 22: f"{sub.dob:%Y%m%d}", 24: sub.sex, 25: sub.race,
        27: sub.height, 29: sub.weight, 31: sub.eye, 32: sub.hair, 45: f"{sub.doa:%Y%m%d}",
        47: [[f"{c.date:%Y%m%d}" if c.date else "", c.aol] for c in sub.charges], 73: sub.cri or sub.ori,
    }
    for tag, value in values.items():
        set_field(record, tag, _checked(value, f"2.{tag:03d}"))
    return record


def _checked(value: object, where: str) -> object:
    if isinstance(value, list):
        return [_checked(item, where) for item in value]
    return None if value is None else text(value, where)


def _impression(position: FingerPosition) -> ImpressionType:
    return ImpressionType.LIVE_SCAN_ROLLED if position.is_single_finger else ImpressionType.LIVE_SCAN_PLAIN


def _type14(sub: CarSubmission, idc: int, position: FingerPosition, pixels: np.ndarray) -> nistitl.AsciiRecord:
    record = nistitl.AsciiRecord(14)
    record.IDC = idc
    height, width = pixels.shape
    for name, value in (("IMP", int(_impression(position))), ("SRC", sub.ori), ("FCD", f"{sub.date:%Y%m%d}"),
                        ("HLL", width), ("VLL", height), ("SLC", 1), ("THPS", PPI), ("TVPS", PPI),
                        ("CGA", "WSQ20"), ("BPX", 8), ("FGP", int(position))):
        setattr(record, name, str(value))
    record.DATA = encode_wsq(pixels)
    return record


def _type4(sub: CarSubmission, idc: int, position: FingerPosition, pixels: np.ndarray) -> nistitl.BinaryRecord:
    record = nistitl.BinaryRecord(4)
    record.IDC = idc
    height, width = pixels.shape
    fgp = bytes([int(position)]) + _FGP_PADDING
    record.pack(">B6sBHHB", int(_impression(position)), fgp, 0, width, height, _GCA_WSQ, encode_wsq(pixels))
    return record
