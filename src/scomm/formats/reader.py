"""Tolerant ANSI/NIST-ITL record reader.

Splits a transaction into records and fields and reports every structural problem it meets (truncation,
a LEN that does not land on a separator, stray separators, records missing from 1.003 CNT, trailing bytes)
as `Violation`s instead of stopping at the first one. Where a LEN is wrong it resynchronises on the next
plausible record start so that later records are still checked.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field

from scomm.errors import Violation
from scomm.formats.tags import (
    BINARY_RECORD_TYPES,
    FS,
    GS,
    RS,
    TAGGED_DATA_RECORD_TYPES,
    US,
    ascii_int,
    tag_key,
    what_file_is,
)

_LEN_FIELD = re.compile(rb"(\d{1,2})\.0*1:")
_TAG = re.compile(rb"(\d{1,2})\.(\d{1,4}):")
_MAX_LEN_DIGITS = 12
_REPEATED_DATA = re.compile(rb"[^\x1c\x1d]{0,64}\x1d(\d{1,2})\.0*999:")
# Bytes after the 4-byte LEN and 1-byte IDC of a binary record, before the image data.
_BINARY_HEADER_SIZE: dict[int, int] = {3: 13, 4: 13, 5: 13, 6: 13, 7: 0, 8: 7}


@dataclass(frozen=True)
class ReaderLimits:
    """Bounds on a text field, far above anything EBTS defines (its largest text fields hold a few kilobytes;
    the real sample files none over 50 bytes). A field beyond them is a violation and is not split, so a
    hostile file cannot make the reader, nistitl or the profile spend minutes on one field."""

    max_field_bytes: int = 256 * 1024
    max_field_items: int = 10_000  # subfields x information items


READER_LIMITS = ReaderLimits()


def record_label(record_type: int, ordinal: int) -> str:
    """How a record is named in messages: "1", "2", then "4.3" for the third Type-4 record."""
    if record_type == 1 or (record_type == 2 and ordinal == 1):
        return str(record_type)
    return f"{record_type}.{ordinal}"


@dataclass
class RawRecord:
    """One record as read: tagged fields (subfields of items, text) and/or a binary payload."""

    type: int
    idc: int
    ordinal: int
    offset: int
    fields: dict[str, list[list[str]]] = field(default_factory=dict)
    data: bytes = b""  # image bytes: after the fixed header (binary records) or field 999 (tagged)
    header: bytes = b""  # binary records: IMP, FGP, ISR, HLL, VLL, GCA as stored
    complete: bool = True  # False when the file ends inside this record

    @property
    def label(self) -> str:
        return record_label(self.type, self.ordinal)

    def first(self, tag: str) -> str | None:
        """First item of the first subfield of `tag`, or None when the field is absent."""
        value = self.fields.get(tag)
        return value[0][0] if value else None


@dataclass
class ReadResult:
    records: list[RawRecord]
    violations: list[Violation]
    warnings: list[Violation] = field(default_factory=list)  # tolerated deviations (see LENIENCIES)


def read_records(data: bytes, limits: ReaderLimits = READER_LIMITS) -> ReadResult:
    """Read every record of `data`, collecting structural violations along the way."""
    reader = _Reader(data, limits)
    reader.run()
    return ReadResult(reader.records, reader.violations, reader.warnings)


def split_value(raw: bytes) -> list[list[str]]:
    """A field's bytes as subfields (RS) of items (US), decoded as Latin-1 (total: never fails)."""
    text = raw.decode("latin-1")
    return [subfield.split("\x1f") for subfield in text.split("\x1e")]


class _Reader:
    def __init__(self, data: bytes, limits: ReaderLimits = READER_LIMITS) -> None:
        self.data = data
        self.limits = limits
        self.records: list[RawRecord] = []
        self.violations: list[Violation] = []
        self.warnings: list[Violation] = []
        self.entries: list[tuple[int, int]] = []  # (type, idc) from 1.003 CNT, Type-1 first

    def add(self, record: str, tag: str, rule: str, message: str, value: object = "") -> None:
        self.violations.append(Violation(record, tag, rule, message, str(value)[:60]))

    # -- driver -------------------------------------------------------------------------------------

    def run(self) -> None:
        if not self.data:
            self.add("", "", "empty-file", "file is empty")
            return
        head = _LEN_FIELD.match(self.data)
        if not head or int(head.group(1)) != 1:
            self._not_a_transaction()
            return
        offset = self._read_tagged(0, 1, 1, None)
        if offset is None or not self._read_cnt():
            return
        ordinals: dict[int, int] = {}
        for index, (rtype, idc) in enumerate(self.entries[1:], start=1):
            ordinals[rtype] = ordinals.get(rtype, 0) + 1
            if offset >= len(self.data):
                self._report_missing(index, offset)
                return
            if rtype in BINARY_RECORD_TYPES:
                offset = self._read_binary(offset, rtype, ordinals[rtype], idc, index)
            else:
                offset = self._read_tagged(offset, rtype, ordinals[rtype], index)
            if offset is None:
                return
        if offset < len(self.data):
            self.add("", "", "trailing-bytes",
                     f"{len(self.data) - offset} byte(s) after the last record declared in 1.003 CNT "
                     f"(from byte {offset})")

    def _not_a_transaction(self) -> None:
        kind = what_file_is(self.data)
        if kind:
            self.add("", "", "not-a-transaction", f"not an ANSI/NIST-ITL transaction: the file is {kind}",
                     self.data[:12])
            return
        self.add("1", "1.001", "missing-type1", "not an ANSI/NIST-ITL transaction: the file does not begin with a "
                 f"Type-1 record (field 1.001 LEN); it begins {self.data[:12]!r}", self.data[:12])

    def _read_cnt(self) -> bool:
        cnt = self.records[0].fields.get("1.003")
        if not cnt:
            self.add("1", "1.003", "missing-mandatory-field", "record 1: field 1.003 CNT missing")
            return False
        pairs = [(ascii_int(sf[0]), ascii_int(sf[1]) if len(sf) > 1 else None) for sf in cnt]
        if any(rtype is None or idc is None for rtype, idc in pairs):
            self.add("1", "1.003", "bad-cnt", "record 1: field 1.003 CNT is not a list of type/IDC pairs", cnt)
            return False
        self.entries = [(int(rtype), int(idc)) for rtype, idc in pairs]  # type: ignore[arg-type]
        if self.entries[0][0] != 1:
            self.add("1", "1.003", "bad-cnt", "record 1: field 1.003 CNT does not start with the Type-1 entry")
        elif self.entries[0][1] != len(self.entries) - 1:
            self.add("1", "1.003", "bad-cnt",
                     f"record 1: field 1.003 CNT announces {self.entries[0][1]} record(s) "
                     f"but lists {len(self.entries) - 1}")
        return True

    def _report_missing(self, index: int, offset: int) -> None:
        missing = ", ".join(f"Type-{t}" for t, _ in self.entries[index:])
        self.add("", "", "truncated",
                 f"file truncated at byte {offset}: {len(self.entries) - index} record(s) declared in 1.003 CNT "
                 f"are missing ({missing})")

    # -- tagged records -----------------------------------------------------------------------------

    def _read_tagged(self, offset: int, rtype: int, ordinal: int, index: int | None) -> int | None:
        label = record_label(rtype, ordinal)
        head = _LEN_FIELD.match(self.data, offset)
        if not head or int(head.group(1)) != rtype:
            self.add(label, "", "bad-record-start",
                     f"record {label}: expected a Type-{rtype} record at byte {offset}, "
                     f"found {self.data[offset:offset + 12]!r}")
            return None
        end = self._tagged_end(offset, head.end(), rtype, label, index)
        if end is None:
            return None
        complete = end <= len(self.data)
        body = self.data[offset:end - 1] if complete else self.data[offset:]
        record = RawRecord(rtype, 0, ordinal, offset, complete=complete)
        self._parse_fields(body, record)
        self._check_idc(record, index)
        self.records.append(record)
        return end if complete else None

    def _tagged_end(self, offset: int, value_at: int, rtype: int, label: str, index: int | None) -> int | None:
        """Where the record ends (one past its FS) according to LEN, or a resynchronised guess."""
        separator = self.data.find(GS, value_at, value_at + _MAX_LEN_DIGITS)
        digits = self.data[value_at:separator] if separator >= 0 else b""
        tag = f"{rtype}.001"
        if not digits.isdigit() or int(digits) <= separator - offset:
            self.add(label, tag, "bad-length", f"record {label}: field {tag} LEN {digits!r} is not a record length",
                     digits)
            return self._resync(offset, rtype, index)
        end = offset + int(digits)
        if end > len(self.data):
            self.add(label, tag, "truncated",
                     f"record {label}: file truncated at byte {len(self.data)} of {end} declared by {tag} LEN")
            return end
        if self.data[end - 1:end] != FS:
            self.add(label, tag, "bad-length",
                     f"record {label}: field {tag} LEN {int(digits)} does not end on a file separator (FS); "
                     f"byte {end - 1} is {self.data[end - 1:end]!r}", int(digits))
            return self._resync(offset, rtype, index)
        return end

    def _resync(self, offset: int, rtype: int, index: int | None) -> int | None:
        """End of the record at `offset` guessed from separators when its LEN cannot be trusted."""
        position = self.data.find(FS, offset)
        if rtype not in TAGGED_DATA_RECORD_TYPES:
            return position + 1 if position >= 0 else None
        while position >= 0:
            if self._starts_next(position + 1, index):
                return position + 1
            position = self.data.find(FS, position + 1)
        return None

    def _starts_next(self, position: int, index: int | None) -> bool:
        """Whether `position` is a plausible start of the record after entry `index`."""
        following = (index or 0) + 1
        if index is None or following >= len(self.entries):
            return position == len(self.data)
        rtype, idc = self.entries[following]
        if rtype in BINARY_RECORD_TYPES:
            if position + 5 > len(self.data):
                return False
            length, found_idc = struct.unpack_from(">IB", self.data, position)
            return found_idc == idc and position + length <= len(self.data)
        head = _LEN_FIELD.match(self.data, position)
        return bool(head) and int(head.group(1)) == rtype

    def _parse_fields(self, body: bytes, record: RawRecord) -> None:
        label, position = record.label, 0
        has_data = record.type in TAGGED_DATA_RECORD_TYPES
        while position < len(body):
            match = _TAG.match(body, position)
            if not match:
                self.add(label, "", "bad-separator", f"record {label}: unreadable field at byte "
                         f"{record.offset + position}: {body[position:position + 12]!r}")
                return
            rtype, number = int(match.group(1)), int(match.group(2))
            tag = tag_key(rtype, number)
            if rtype != record.type:
                self.add(label, tag, "bad-tag", f"record {label}: field {tag} does not belong in a Type-{record.type} "
                         "record")
            if has_data and number == 999:
                record.data = self._image_data(record, tag, body[match.end():])
                return
            stop = body.find(GS, match.end())
            stop = len(body) if stop < 0 else stop
            self._store(record, tag, body[match.end():stop], record.offset + match.end())
            position = stop + 1

    def _image_data(self, record: RawRecord, tag: str, data: bytes) -> bytes:
        """The bytes after field 999. NBIS writes short values in repeated 999 fields before the image
        ("14.999:011010<GS>14.999:<JPEG>"): tolerated with a warning, the last occurrence is the image."""
        repeats = 0
        while (match := _REPEATED_DATA.match(data)) and int(match.group(1)) == record.type:
            data, repeats = data[match.end():], repeats + 1
        if repeats:
            self.warnings.append(Violation(record.label, tag, "repeated-data-field", f"record {record.label}: field "
                                           f"{tag} DATA appears {repeats + 1} times; the last one is taken as the "
                                           "image", str(repeats + 1)))
        return data

    def _store(self, record: RawRecord, tag: str, raw: bytes, at: int) -> None:
        label = record.label
        items = raw.count(RS) + raw.count(US) + 1
        if len(raw) > self.limits.max_field_bytes or items > self.limits.max_field_items:
            self.add(label, tag, "oversized-field", f"record {label}: field {tag} is {len(raw)} bytes in {items} "
                     f"item(s), over the {self.limits.max_field_bytes}-byte / {self.limits.max_field_items}-item "
                     "limit", raw[:60])
            return
        if FS in raw:
            self.add(label, tag, "bad-separator", f"record {label}: field {tag} contains a file separator (FS) at "
                     f"byte {at + raw.index(FS)}", raw)
            raw = raw[:raw.index(FS)]
        if tag in record.fields:
            self.add(label, tag, "duplicate-field", f"record {label}: field {tag} appears twice")
        record.fields[tag] = split_value(raw)

    def _check_idc(self, record: RawRecord, index: int | None) -> None:
        if record.type == 1:
            return
        tag = f"{record.type}.002"
        value = record.first(tag)
        idc = ascii_int(value)
        if idc is None:
            self.add(record.label, tag, "missing-mandatory-field", f"record {record.label}: field {tag} IDC "
                     f"missing or not numeric", value or "")
            return
        record.idc = idc
        self._compare_cnt(record, index)

    def _compare_cnt(self, record: RawRecord, index: int | None) -> None:
        if index is not None and record.idc != self.entries[index][1]:
            self.add(record.label, f"{record.type}.002", "cnt-mismatch",
                     f"record {record.label}: IDC {record.idc} does not match {self.entries[index][1]} listed in "
                     "1.003 CNT", record.idc)

    # -- binary records -----------------------------------------------------------------------------

    def _read_binary(self, offset: int, rtype: int, ordinal: int, idc: int, index: int) -> int | None:
        label = record_label(rtype, ordinal)
        header_size = 5 + _BINARY_HEADER_SIZE[rtype]
        if offset + header_size > len(self.data):
            self.add(label, f"{rtype}.001", "truncated", f"record {label}: file truncated at byte "
                     f"{len(self.data)} inside the {header_size}-byte Type-{rtype} header")
            return None
        length, found_idc = struct.unpack_from(">IB", self.data, offset)
        end = offset + length
        record = RawRecord(rtype, found_idc, ordinal, offset, header=self.data[offset + 5:offset + header_size],
                           data=self.data[offset + header_size:min(end, len(self.data))])
        if length < header_size:
            self.add(label, f"{rtype}.001", "bad-length",
                     f"record {label}: LEN {length} is shorter than the {header_size}-byte Type-{rtype} header", length)
            return None
        self._compare_cnt(record, index)
        if end > len(self.data):
            self.add(label, f"{rtype}.001", "truncated",
                     f"record {label}: file truncated at byte {len(self.data)} of {end} declared by LEN")
            record.complete = False
            self.records.append(record)
            return None
        self.records.append(record)
        if index + 1 < len(self.entries) and not self._starts_next(end, index):
            record.complete = False  # its image bytes cannot be trusted either
            self.add(label, f"{rtype}.001", "bad-length", f"record {label}: LEN {length} does not reach the start of "
                     f"the next record (byte {end})", length)
            return None
        return end
