"""EBTS / ANSI/NIST-ITL vocabulary: record tags, mnemonics and image compression codes.

Tags are written the way EBTS writes them, "2.018", whatever padding the file used ("2.18" is read as "2.018").
"""

from __future__ import annotations

TYPE1_TAGS: dict[str, str] = {
    "1.001": "LEN", "1.002": "VER", "1.003": "CNT", "1.004": "TOT", "1.005": "DAT", "1.006": "PRY",
    "1.007": "DAI", "1.008": "ORI", "1.009": "TCN", "1.010": "TCR", "1.011": "NSR", "1.012": "NTR",
    "1.013": "DOM", "1.014": "GMT", "1.015": "DCS",
}

TYPE2_TAGS: dict[str, str] = {
    "2.001": "LEN", "2.002": "IDC", "2.005": "RET", "2.009": "OCA", "2.014": "FBI", "2.015": "SID",
    "2.016": "SOC", "2.017": "MNU", "2.018": "NAM", "2.019": "AKA", "2.020": "POB", "2.021": "CTZ",
    "2.022": "DOB", "2.024": "SEX", "2.025": "RAC", "2.026": "SMT", "2.027": "HGT", "2.029": "WGT",
    "2.031": "EYE", "2.032": "HAI", "2.035": "PPA", "2.036": "PHT", "2.037": "RFP", "2.038": "DPR",
    "2.039": "EAD", "2.040": "OCP", "2.041": "RES", "2.045": "DOA", "2.047": "ASL", "2.059": "SRF",
    "2.060": "MSG", "2.067": "IMA", "2.073": "CRI", "2.084": "AMP",
}

TYPE14_TAGS: dict[str, str] = {
    "14.001": "LEN", "14.002": "IDC", "14.003": "IMP", "14.004": "SRC", "14.005": "FCD", "14.006": "HLL",
    "14.007": "VLL", "14.008": "SLC", "14.009": "THPS", "14.010": "TVPS", "14.011": "CGA", "14.012": "BPX",
    "14.013": "FGP", "14.018": "AMP", "14.020": "COM", "14.999": "DATA",
}

MNEMONICS: dict[str, str] = {**TYPE1_TAGS, **TYPE2_TAGS, **TYPE14_TAGS}

# Record types that are binary from the first byte (4-byte LEN, 1-byte IDC, fixed header).
BINARY_RECORD_TYPES: frozenset[int] = frozenset({3, 4, 5, 6, 7, 8})
# Tagged record types whose last field (tag 999) is binary data.
TAGGED_DATA_RECORD_TYPES: frozenset[int] = frozenset(range(10, 100)) - {11, 12, 18, 98}
DATA_TAG_NUMBER = 999
# Record types that carry finger images scomm decodes.
FINGER_RECORD_TYPES: frozenset[int] = frozenset({3, 4, 5, 6, 14})

# Binary-record GCA/BCA codes (ANSI/NIST-ITL Table 15) -> scomm compression names.
BINARY_COMPRESSION: dict[int, str] = {0: "NONE", 1: "WSQ", 2: "JPEG", 3: "JPEG", 4: "JP2", 5: "JP2", 6: "PNG"}
# Type-14 CGA strings -> scomm compression names.
TAGGED_COMPRESSION: dict[str, str] = {
    "NONE": "NONE", "WSQ": "WSQ", "WSQ20": "WSQ", "JPEGB": "JPEG", "JPEGL": "JPEG", "JPEG": "JPEG",
    "JP2": "JP2", "JP2L": "JP2", "PNG": "PNG", "BMP": "BMP",
}
COMPRESSIONS: frozenset[str] = frozenset({"WSQ", "JP2", "PNG", "JPEG", "BMP", "TIFF", "NONE"})
TIFF_MAGIC: tuple[bytes, ...] = (b"II*\x00", b"MM\x00*")

FS, GS, RS, US = b"\x1c", b"\x1d", b"\x1e", b"\x1f"

# Leading bytes of files that are often sent where a transaction is expected -> what they are.
NOT_A_TRANSACTION: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xa0", "a WSQ image"), (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "a JPEG 2000 image"),
    (b"\xff\x4f\xff\x51", "a JPEG 2000 codestream"), (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"), (b"BM", "a BMP image"), (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
    (b"FMR\x00", "an ISO/IEC 19794-2 minutiae template"), (b"FIR\x00", "an ISO/IEC 19794-4 finger image"),
    (b"<?xml", "an XML document (the ANSI/NIST-ITL XML encoding is not supported; send the traditional encoding)"),
    (b"<", "an XML document (the ANSI/NIST-ITL XML encoding is not supported; send the traditional encoding)"),
    (b"\xef\xbb\xbf", "a UTF-8 text file"),
)
_MAX_INT_DIGITS = 9


def what_file_is(data: bytes) -> str | None:
    """What a non-transaction file is, from its first bytes ("a WSQ image"), or None when unrecognised."""
    return next((kind for magic, kind in NOT_A_TRANSACTION if data.startswith(magic)), None)


def ascii_int(text: str | None, max_digits: int = _MAX_INT_DIGITS) -> int | None:
    """`text` (surrounding blanks allowed) as a non-negative int when it is 1..max_digits ASCII digits, else None.

    Stricter than int(): no sign, no underscores, no non-ASCII digits such as '\xb2', no million-digit values.
    """
    stripped = (text or "").strip()
    if not 0 < len(stripped) <= max_digits or not stripped.isascii() or not stripped.isdigit():
        return None
    return int(stripped)


def tag_key(record_type: int, number: int) -> str:
    """The canonical EBTS spelling of a tag: ``tag_key(2, 18) == "2.018"``."""
    return f"{record_type}.{number:03d}"


def describe(tag: str) -> str:
    """``"2.022 DOB"`` when the mnemonic is known, else the bare tag."""
    name = MNEMONICS.get(tag)
    return f"{tag} {name}" if name else tag
