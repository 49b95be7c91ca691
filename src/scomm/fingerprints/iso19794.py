"""ISO/IEC 19794-2:2005 finger minutiae records: read, write, and convert to and from :class:`Template`.

The 2005 record, big-endian throughout (offsets in bytes)::

    record header (24)   0  "FMR\\0"   4  " 20\\0"   8  total record length (4)
                         12 capture equipment (2: certification flag in the top 4 bits, device id in 12)
                         14 image width (2)   16 image height (2)   (pixels)
                         18 x resolution (2)  20 y resolution (2)   (pixels per centimetre)
                         22 number of finger views (1)   23 reserved (1)
    finger view (4)      position (1: 0 unknown, 1-10 as in ANSI/NIST), view number (high 4 bits) and
                         impression type (low 4 bits) (1), finger quality (1: 0-100), minutiae count (1)
    minutia (6 each)     type (top 2 bits: 0 other, 1 ridge ending, 2 bifurcation) + x (14 bits),
                         reserved (top 2 bits) + y (14 bits), angle (1), quality (1: 0-100, 0 = not reported)
    extended data        length (2), then that many bytes (ridge counts, cores and deltas, vendor data):
                         kept as opaque bytes, never interpreted

Conventions, and how they map onto scomm's :class:`Template` (checked against the FVC2002 files, whose
minutiae agree with scomm's own extractor at a median 3-5 degrees under this mapping):

- coordinates: pixels, origin top-left, y down, as in scomm;
- angle: one unit is 360/256 degrees, counted counter-clockwise from the x axis as seen on the image
  (y up), while scomm counts radians clockwise (y down), so ``theta = -units * 2*pi/256`` modulo 2*pi.
  Both point a ridge ending along its ridge, so no half-turn is added;
- resolution: pixels per centimetre; 197 ppcm is the standard's rendering of 500 ppi (500.4). A record
  whose resolution rounds to another ppi is rescaled to scomm's 500 ppi;
- quality: 0-100 per minutia and per view, scomm's 0-1 times 100;
- type: 1 ending and 2 bifurcation in both; "other" (0) is kept as kind 0.

Writing a template and reading it back loses only the quantisation (whole pixels, 1.4 degree steps,
whole quality percent); writing the re-read template again gives the same bytes.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from scomm.errors import FormatError
from scomm.fingerprints.templates import Template

MAGIC = b"FMR\x00"
VERSION_2005 = b" 20\x00"
EXTRACTOR = "iso19794-2"  # extractor name of templates read from a record: the maker is not recorded
SCOMM_PPI = 500
PPCM_500 = 197  # 500 ppi in pixels per centimetre, rounded as the standard's writers do
ANGLE_UNITS = 256
MAX_COORDINATE = (1 << 14) - 1
_HEADER = struct.Struct(">4s4sIHHHHHBB")
_VIEW = struct.Struct(">BBBB")
_MINUTIA = struct.Struct(">HHBB")
_KINDS = {0: "other", 1: "ridge ending", 2: "bifurcation"}


class IsoFormatError(FormatError):
    """A byte string that is not a readable ISO/IEC 19794-2:2005 minutiae record.

    ``offset`` is the byte where the fault lies, ``field`` the field read there, ``reason`` what is wrong.
    """

    def __init__(self, offset: int, field: str, reason: str) -> None:
        self.offset = offset
        self.field = field
        self.reason = reason
        super().__init__(f"ISO 19794-2 record, byte {offset} ({field}): {reason}")


@dataclass(frozen=True)
class IsoMinutia:
    kind: int  # 0 other, 1 ridge ending, 2 bifurcation
    x: int
    y: int
    angle: int  # units of 360/256 degrees, counter-clockwise, y up
    quality: int = 0  # 0-100, 0 = not reported


@dataclass(frozen=True)
class FingerView:
    minutiae: tuple[IsoMinutia, ...]
    position: int = 0  # 0 unknown, 1-10 right thumb .. left little
    view: int = 0
    impression: int = 0  # 0 live-scan plain, 1 live-scan rolled, 2 non-live plain, 3 non-live rolled, ...
    quality: int = 0
    extended: bytes = b""


@dataclass(frozen=True)
class MinutiaeRecord:
    width: int
    height: int
    views: tuple[FingerView, ...]
    x_resolution: int = PPCM_500  # pixels per centimetre
    y_resolution: int = PPCM_500
    equipment: int = 0  # certification flag (4 bits) and capture device id (12 bits), as stored
    reserved: int = field(default=0, repr=False)

    @property
    def ppi(self) -> int:
        """Horizontal resolution in pixels per inch, rounded (197 ppcm reads as 500)."""
        return round(self.x_resolution * 2.54)


# -- reading ---------------------------------------------------------------------------------------------


def read_record(data: bytes) -> MinutiaeRecord:
    """Parse a 2005 record. Raises :class:`IsoFormatError` naming the offset, field and fault."""
    data = bytes(data)
    if len(data) < _HEADER.size:
        raise IsoFormatError(len(data), "record header", f"file is {len(data)} bytes, the header alone is 24")
    magic, version, length, equipment, width, height, xres, yres, n_views, reserved = _HEADER.unpack_from(data)
    if magic != MAGIC:
        what = "an ISO 19794-4 finger image" if magic == b"FIR\x00" else f"{magic!r}"
        raise IsoFormatError(0, "format identifier", f"expected 'FMR\\0', found {what}")
    if version != VERSION_2005:
        raise IsoFormatError(4, "version", f"only the 2005 version (' 20\\0') is read, found {version!r}")
    if length != len(data):
        raise IsoFormatError(8, "record length", f"header says {length} bytes, the file has {len(data)}")
    for offset, name, value in ((18, "x resolution", xres), (20, "y resolution", yres)):
        if value == 0:
            raise IsoFormatError(offset, name, "resolution is 0 pixels per centimetre")
    pos = _HEADER.size
    views = []
    for _ in range(n_views):
        view, pos = _read_view(data, pos, width, height)
        views.append(view)
    if pos != len(data):
        raise IsoFormatError(pos, "end of record", f"{len(data) - pos} bytes follow the last of {n_views} finger views")
    return MinutiaeRecord(width, height, tuple(views), xres, yres, equipment, reserved)


def _need(data: bytes, pos: int, size: int, field_name: str) -> None:
    if pos + size > len(data):
        raise IsoFormatError(pos, field_name, f"needs {size} bytes, the record ends after {len(data) - pos}")


def _read_view(data: bytes, pos: int, width: int, height: int) -> tuple[FingerView, int]:
    _need(data, pos, _VIEW.size, "finger view header")
    position, view_impression, quality, count = _VIEW.unpack_from(data, pos)
    if quality > 100:
        raise IsoFormatError(pos + 2, "finger quality", f"{quality} is above 100")
    pos += _VIEW.size
    _need(data, pos, count * _MINUTIA.size, f"{count} minutiae")
    minutiae = []
    for _ in range(count):
        minutiae.append(_read_minutia(data, pos, width, height))
        pos += _MINUTIA.size
    _need(data, pos, 2, "extended data length")
    (extended_length,) = struct.unpack_from(">H", data, pos)
    _need(data, pos + 2, extended_length, "extended data")
    extended = data[pos + 2:pos + 2 + extended_length]
    view = FingerView(tuple(minutiae), position, view_impression >> 4, view_impression & 0x0F, quality, extended)
    return view, pos + 2 + extended_length


def _read_minutia(data: bytes, pos: int, width: int, height: int) -> IsoMinutia:
    type_x, reserved_y, angle, quality = _MINUTIA.unpack_from(data, pos)
    kind, x, y = type_x >> 14, type_x & MAX_COORDINATE, reserved_y & MAX_COORDINATE
    if kind not in _KINDS:
        raise IsoFormatError(pos, "minutia type", f"type code {kind} is reserved")
    if reserved_y >> 14:
        raise IsoFormatError(pos + 2, "minutia y", "the two reserved top bits are set")
    # a width or height of 0 means "not stated": then any 14-bit coordinate is accepted
    if width and x >= width:
        raise IsoFormatError(pos, "minutia x", f"x {x} is outside the {width}-pixel-wide image")
    if height and y >= height:
        raise IsoFormatError(pos + 2, "minutia y", f"y {y} is outside the {height}-pixel-high image")
    if quality > 100:
        raise IsoFormatError(pos + 5, "minutia quality", f"{quality} is above 100")
    return IsoMinutia(kind, x, y, angle, quality)


def read_file(path: str | Path) -> MinutiaeRecord:
    return read_record(Path(path).read_bytes())


# -- writing ---------------------------------------------------------------------------------------------


def write_record(record: MinutiaeRecord) -> bytes:
    """The record's bytes; raises ``ValueError`` for values the format cannot hold."""
    body = b"".join(_view_bytes(v) for v in record.views)
    _fits(len(record.views), 255, "number of finger views")
    for name, value in (("width", record.width), ("height", record.height), ("x resolution", record.x_resolution),
                        ("y resolution", record.y_resolution), ("capture equipment", record.equipment)):
        _fits(value, 0xFFFF, name)
    head = _HEADER.pack(MAGIC, VERSION_2005, _HEADER.size + len(body), record.equipment, record.width,
                        record.height, record.x_resolution, record.y_resolution, len(record.views),
                        record.reserved)
    return head + body


def _fits(value: int, top: int, name: str) -> None:
    if not 0 <= value <= top:
        raise ValueError(f"ISO 19794-2 {name} must be 0..{top}, got {value}")


def _view_bytes(view: FingerView) -> bytes:
    _fits(len(view.minutiae), 255, "minutiae per view")
    _fits(view.quality, 100, "finger quality")
    _fits(view.view, 15, "view number")
    _fits(view.impression, 15, "impression type")
    _fits(len(view.extended), 0xFFFF, "extended data length")
    out = [_VIEW.pack(view.position, view.view << 4 | view.impression, view.quality, len(view.minutiae))]
    for m in view.minutiae:
        _fits(m.kind, 2, "minutia type")
        _fits(m.x, MAX_COORDINATE, "minutia x")
        _fits(m.y, MAX_COORDINATE, "minutia y")
        _fits(m.angle, 255, "minutia angle")
        _fits(m.quality, 100, "minutia quality")
        out.append(_MINUTIA.pack(m.kind << 14 | m.x, m.y, m.angle, m.quality))
    out.append(struct.pack(">H", len(view.extended)) + view.extended)
    return b"".join(out)


# -- conversion ------------------------------------------------------------------------------------------


def to_template(record: MinutiaeRecord, view: int = 0, image_size: tuple[int, int] | None = None,
                ppi: int | None = None) -> Template:
    """The minutiae of finger view ``view`` as a scomm template at 500 ppi.

    ``image_size`` (width, height) maps a record whose coordinate frame is not the image's back onto the
    image: the FVC2002 records were all made on images resampled to 300 x 400, whatever their real size,
    so a minutia at x in the record lies at x * width / 300 on the image. ``ppi`` overrides the recorded
    resolution (the FVC2002 records say 500 ppi for DB2, which is 569 ppi).
    """
    if not 0 <= view < len(record.views):
        raise IsoFormatError(22, "number of finger views", f"view {view} asked, the record has {len(record.views)}")
    v = record.views[view]
    sx, sy, width, height = _frame(record, image_size)
    scale = SCOMM_PPI / (ppi or record.ppi)
    if abs(scale - 1.0) < 1e-9:  # no resampling: keeps a written-then-read template exact
        scale = 1.0
    raw = np.array([(m.x, m.y, m.angle, m.quality) for m in v.minutiae], dtype=np.float64).reshape(-1, 4)
    direction = -raw[:, 2] * (2.0 * math.pi / ANGLE_UNITS)
    if sx == sy:
        theta = np.mod(direction, 2.0 * math.pi)
    else:  # an anisotropic frame turns directions too: map the unit vector, not the angle
        theta = np.mod(np.arctan2(np.sin(direction) * sy, np.cos(direction) * sx), 2.0 * math.pi)
    mins = np.column_stack([raw[:, 0] * sx * scale, raw[:, 1] * sy * scale, theta, raw[:, 3] / 100.0])
    kinds = np.array([m.kind for m in v.minutiae], dtype=np.uint8)
    return Template(mins.astype(np.float32), kinds, max(1, round(width * scale)), max(1, round(height * scale)),
                    SCOMM_PPI, v.quality / 100.0, EXTRACTOR, "2005")


def _frame(record: MinutiaeRecord, image_size: tuple[int, int] | None) -> tuple[float, float, int, int]:
    if image_size is None:
        return 1.0, 1.0, record.width, record.height
    if not record.width or not record.height:
        raise IsoFormatError(14, "image width", "the record states no image size to map from")
    width, height = image_size
    return width / record.width, height / record.height, width, height


def from_template(template: Template, position: int = 0, impression: int = 0) -> MinutiaeRecord:
    """A one-view record of ``template`` at 500 ppi (197 ppcm), minutiae in the template's order."""
    if template.ppi != SCOMM_PPI:
        raise ValueError(f"templates are written at {SCOMM_PPI} ppi, this one is {template.ppi}")
    width = min(max(template.width, 1), MAX_COORDINATE + 1)
    height = min(max(template.height, 1), MAX_COORDINATE + 1)
    m = template.minutiae.astype(np.float64)
    xs = np.clip(np.rint(m[:, 0]), 0, width - 1).astype(int)
    ys = np.clip(np.rint(m[:, 1]), 0, height - 1).astype(int)
    units = np.mod(np.rint(-m[:, 2] * ANGLE_UNITS / (2.0 * math.pi)), ANGLE_UNITS).astype(int)
    quality = np.clip(np.rint(m[:, 3] * 100.0), 0, 100).astype(int)
    kinds = [int(k) if int(k) in _KINDS else 0 for k in template.kinds]
    minutiae = tuple(IsoMinutia(k, int(x), int(y), int(a), int(q))
                     for k, x, y, a, q in zip(kinds, xs, ys, units, quality))
    view = FingerView(minutiae, position, 0, impression, int(np.clip(round(template.quality * 100.0), 0, 100)))
    return MinutiaeRecord(width, height, (view,))


def template_from_bytes(data: bytes, image_size: tuple[int, int] | None = None, ppi: int | None = None) -> Template:
    """The first finger view of a record's bytes, as a template."""
    return to_template(read_record(data), 0, image_size, ppi)


def template_to_bytes(template: Template, position: int = 0) -> bytes:
    return write_record(from_template(template, position))
