"""The minutiae template and its compact binary form."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

import numpy as np

from scomm.errors import FingerprintError

EXTRACTOR_NAME = "scomm-minutiae"
EXTRACTOR_VERSION = "1.3"

_MAGIC = b"SCFT"
_FORMAT = 1
# magic, format, width, height, ppi, quality, count, name length, version length
_HEADER = struct.Struct("<4sBHHHfHBB")


@dataclass(frozen=True, eq=False)
class Template:
    """Minutiae of one finger, at 500 ppi.

    ``minutiae`` is an (N, 4) float32 array of x, y (pixels, origin top-left), angle (radians,
    0..2π, image coordinates with y down; for an ending it points along its ridge, for a
    bifurcation towards its two branches) and quality (0..1: from scomm's extractor, the learned
    probability that the minutia is real, :mod:`scomm.fingerprints.reliability`; rows come most
    reliable first, which the 1:N prefilters rely on). ``kinds`` holds 1 (ending) or
    2 (bifurcation) per minutia, or 0 ("other") in templates read from an interchange record
    (:mod:`scomm.fingerprints.iso19794`).

    ``extractor`` and ``version`` name what made the template: a gallery template whose version is
    not :data:`EXTRACTOR_VERSION` is stale and ``scomm fingerprints reindex`` re-extracts it from the
    stored original.
    """

    minutiae: np.ndarray
    kinds: np.ndarray
    width: int
    height: int
    ppi: int = 500
    quality: float = 0.0
    extractor: str = EXTRACTOR_NAME
    version: str = EXTRACTOR_VERSION
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)  # descriptors

    def __post_init__(self) -> None:
        m = np.ascontiguousarray(self.minutiae, dtype=np.float32).reshape(-1, 4)
        k = np.ascontiguousarray(self.kinds, dtype=np.uint8).reshape(-1)
        if len(k) != len(m):
            raise FingerprintError(f"template: {len(m)} minutiae but {len(k)} kinds")
        m.setflags(write=False)
        k.setflags(write=False)
        object.__setattr__(self, "minutiae", m)
        object.__setattr__(self, "kinds", k)
        # stored as float32, so hold it as float32 here too: bytes round-trip exactly
        object.__setattr__(self, "quality", float(np.float32(self.quality)))

    def __len__(self) -> int:
        return len(self.minutiae)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Template):
            return NotImplemented
        return self.to_bytes() == other.to_bytes()

    def __hash__(self) -> int:
        return hash(self.to_bytes())

    def to_bytes(self) -> bytes:
        """Little-endian header naming extractor and version, then kinds and float32 minutiae."""
        name = self.extractor.encode()
        ver = self.version.encode()
        head = _HEADER.pack(_MAGIC, _FORMAT, self.width, self.height, self.ppi, self.quality,
                            len(self), len(name), len(ver))
        return head + name + ver + self.kinds.tobytes() + self.minutiae.astype("<f4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Template:
        if len(data) < _HEADER.size or data[:4] != _MAGIC:
            raise FingerprintError("not a scomm fingerprint template (bad magic)")
        magic, fmt, width, height, ppi, quality, n, ln, lv = _HEADER.unpack_from(data)
        if fmt != _FORMAT:
            raise FingerprintError(f"template format {fmt} is not supported (expected {_FORMAT})")
        pos = _HEADER.size
        expected = pos + ln + lv + n + 16 * n
        if len(data) != expected:
            raise FingerprintError(f"template is {len(data)} bytes, header says {expected}")
        name = data[pos:pos + ln].decode()
        ver = data[pos + ln:pos + ln + lv].decode()
        pos += ln + lv
        kinds = np.frombuffer(data, dtype=np.uint8, count=n, offset=pos)
        mins = np.frombuffer(data, dtype="<f4", count=4 * n, offset=pos + n).reshape(n, 4)
        return cls(mins, kinds, width, height, ppi, quality, name, ver)
