from __future__ import annotations

import math
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from scomm.errors import FormatError
from scomm.fingerprints import Template, compare
from scomm.fingerprints import iso19794 as iso
from scomm.fingerprints.iso19794 import FingerView, IsoFormatError, IsoMinutia, MinutiaeRecord

from .conftest import FVC, fvc_folder, fvc_template


def all_fvc_records() -> list[Path]:
    return sorted(FVC.glob("DB*_B/*.iso"))


def test_every_fvc_record_reads_and_rewrites_byte_for_byte() -> None:
    fvc_folder("DB1_B")
    files = all_fvc_records()
    assert len(files) == 320
    for path in files:
        data = path.read_bytes()
        record = iso.read_record(data)
        assert len(record.views) == 1 and len(record.views[0].minutiae) > 0, path
        assert iso.write_record(record) == data, path
        template = iso.to_template(record)
        assert len(template) == len(record.views[0].minutiae)
        assert template.extractor == "iso19794-2"


def test_fvc_header_fields_as_found_in_the_files() -> None:
    record = iso.read_file(fvc_folder("DB1_B") / "101_1.iso")
    assert (record.width, record.height, record.x_resolution, record.ppi) == (300, 400, 197, 500)
    first = record.views[0].minutiae[0]
    # bytes 28..33 of the file: 80 a5 00 30 6b 00
    assert first == IsoMinutia(kind=2, x=0xA5, y=0x30, angle=0x6B, quality=0)


def test_angle_units_and_direction_convention() -> None:
    # 64 units = 90 degrees counter-clockwise with y up, i.e. pointing up the image: -pi/2, scomm's 3*pi/2
    view = FingerView((IsoMinutia(1, 10, 20, 64), IsoMinutia(2, 30, 40, 0), IsoMinutia(0, 5, 5, 192)))
    t = iso.to_template(MinutiaeRecord(100, 100, (view,)))
    assert t.minutiae[:, 2] == pytest.approx([3 * math.pi / 2, 0.0, math.pi / 2])
    assert list(t.kinds) == [1, 2, 0]
    assert t.minutiae[0, :2].tolist() == [10.0, 20.0]


def test_vendor_angles_agree_with_scomm_extractor_on_the_same_image() -> None:
    record = iso.read_file(fvc_folder("DB4_B") / "101_1.iso")
    ours = fvc_template("DB4_B", 101, 1)
    theirs = iso.to_template(record, image_size=(288, 384))
    agree = []
    for x, y, theta, _ in theirs.minutiae:
        d = np.hypot(ours.minutiae[:, 0] - x, ours.minutiae[:, 1] - y)
        if d.min() < 5:
            diff = abs((ours.minutiae[d.argmin(), 2] - theta + math.pi) % (2 * math.pi) - math.pi)
            agree.append(diff < 0.35)
    assert len(agree) >= 10 and np.mean(agree) > 0.8


def test_resolution_other_than_500_ppi_is_rescaled() -> None:
    view = FingerView((IsoMinutia(1, 569, 100, 0),))
    t = iso.to_template(MinutiaeRecord(1000, 1000, (view,), x_resolution=224, y_resolution=224))  # 569 ppi
    assert t.ppi == 500 and t.minutiae[0, 0] == pytest.approx(500.0, abs=0.01)
    assert iso.to_template(MinutiaeRecord(1000, 1000, (view,)), ppi=569).minutiae[0, 0] == pytest.approx(500.0)


def test_image_frame_mapping_scales_both_axes() -> None:
    view = FingerView((IsoMinutia(1, 150, 200, 32),))  # 45 degrees up-right in a 300 x 400 frame
    t = iso.to_template(MinutiaeRecord(300, 400, (view,)), image_size=(600, 400))
    assert t.minutiae[0, :2].tolist() == [300.0, 200.0]
    assert (t.width, t.height) == (600, 400)
    assert t.minutiae[0, 2] == pytest.approx(2 * math.pi - math.atan2(1, 2), abs=1e-6)


def test_template_round_trip_is_exact_after_one_quantisation() -> None:
    original = fvc_template("DB1_B", 101, 1)
    first = iso.template_to_bytes(original, position=3)
    again = iso.template_from_bytes(first)
    assert iso.template_to_bytes(again, position=3) == first
    assert iso.template_from_bytes(iso.template_to_bytes(again)) == again
    assert np.abs(again.minutiae[:, :2] - original.minutiae[:, :2]).max() <= 0.5
    turn = (again.minutiae[:, 2] - original.minutiae[:, 2] + math.pi) % (2 * math.pi) - math.pi
    assert np.abs(turn).max() <= math.pi / 256 + 1e-6
    assert iso.read_record(first).views[0].position == 3


def test_written_file_reread_and_matched_gives_the_same_score(tmp_path: Path) -> None:
    a = iso.template_from_bytes(iso.template_to_bytes(fvc_template("DB1_B", 102, 1)))
    b = iso.template_from_bytes(iso.template_to_bytes(fvc_template("DB1_B", 102, 2)))
    (tmp_path / "a.iso").write_bytes(iso.template_to_bytes(a))
    (tmp_path / "b.iso").write_bytes(iso.template_to_bytes(b))
    reread_a, reread_b = iso.read_file(tmp_path / "a.iso"), iso.read_file(tmp_path / "b.iso")
    score = compare(iso.to_template(reread_a), iso.to_template(reread_b))
    assert score == compare(a, b) and score > 0.1


minutia = st.builds(IsoMinutia, st.integers(0, 2), st.integers(0, 499), st.integers(0, 599), st.integers(0, 255),
                    st.integers(0, 100))
view_strategy = st.builds(FingerView, st.lists(minutia, max_size=40).map(tuple), st.integers(0, 10),
                          st.integers(0, 15), st.integers(0, 3), st.integers(0, 100), st.binary(max_size=20))


@settings(max_examples=60, deadline=None)
@given(st.lists(view_strategy, min_size=1, max_size=3))
def test_any_record_round_trips_through_bytes(views: list[FingerView]) -> None:
    record = MinutiaeRecord(500, 600, tuple(views), 197, 197, 0x1234)
    data = iso.write_record(record)
    assert iso.read_record(data) == record
    assert struct.unpack(">I", data[8:12])[0] == len(data)


@settings(max_examples=60, deadline=None)
@given(st.lists(view_strategy, min_size=1, max_size=2), st.data())
def test_truncated_or_corrupted_records_raise_a_precise_error(views: list[FingerView], data: st.DataObject) -> None:
    good = iso.write_record(MinutiaeRecord(500, 600, tuple(views)))
    cut = data.draw(st.integers(0, len(good) - 1))
    with pytest.raises(IsoFormatError) as info:
        iso.read_record(good[:cut])
    assert 0 <= info.value.offset <= len(good) and info.value.field
    flipped = bytearray(good)
    where = data.draw(st.integers(0, len(good) - 1))
    flipped[where] ^= data.draw(st.integers(1, 255))
    try:
        iso.read_record(bytes(flipped))
    except IsoFormatError as exc:
        assert exc.reason and str(exc).startswith(f"ISO 19794-2 record, byte {exc.offset} ")


def test_error_messages_name_offset_field_and_reason() -> None:
    good = (fvc_folder("DB1_B") / "101_1.iso").read_bytes()
    cases = {
        b"FIR\x00" + good[4:]: (0, "format identifier", "19794-4"),
        good[:4] + b"030\x00" + good[8:]: (4, "version", "2005"),
        good + b"\x00": (8, "record length", "181"),
        good[:18] + b"\x00\x00" + good[20:]: (18, "x resolution", "0 pixels"),
        good[:28] + b"\xc0" + good[29:]: (28, "minutia type", "reserved"),
        good[:30] + b"\x40" + good[31:]: (30, "minutia y", "reserved top bits"),
        good[:33] + b"\x65" + good[34:]: (33, "minutia quality", "101"),
    }
    for data, (offset, field, words) in cases.items():
        with pytest.raises(IsoFormatError) as info:
            iso.read_record(data)
        assert (info.value.offset, info.value.field) == (offset, field)
        assert words in str(info.value)
    with pytest.raises(FormatError):
        iso.read_record(good[:-3])
    with pytest.raises(IsoFormatError, match="x 400 is outside the 300-pixel-wide"):
        iso.read_record(iso.write_record(MinutiaeRecord(300, 400, (FingerView((IsoMinutia(1, 400, 1, 0),)),))))


def test_extended_data_is_skipped_and_kept() -> None:
    view = FingerView((IsoMinutia(1, 1, 2, 3),), extended=b"\x01\x01\x00\x04abcd")
    data = iso.write_record(MinutiaeRecord(10, 10, (view, FingerView((IsoMinutia(2, 4, 5, 6),), position=2))))
    record = iso.read_record(data)
    assert record.views[0].extended == b"\x01\x01\x00\x04abcd"
    assert iso.to_template(record, view=1).minutiae[0, :2].tolist() == [4.0, 5.0]
    with pytest.raises(IsoFormatError, match="view 2 asked"):
        iso.to_template(record, view=2)


def test_writer_refuses_values_the_format_cannot_hold() -> None:
    t = Template(np.array([[1, 1, 0, 0.5]], np.float32), np.array([1]), 20, 20, ppi=1000)
    with pytest.raises(ValueError, match="500 ppi"):
        iso.from_template(t)
    with pytest.raises(ValueError, match="minutia quality"):
        iso.write_record(MinutiaeRecord(10, 10, (FingerView((IsoMinutia(1, 1, 1, 1, 101),)),)))


def test_cli_compares_iso_records_and_exports_them(tmp_path: Path) -> None:
    from scomm.cli.fingerprints import app

    folder = fvc_folder("DB1_B")
    runner = CliRunner()
    vendor = runner.invoke(app, ["compare", str(folder / "101_1.iso"), str(folder / "101_2.iso")])
    assert vendor.exit_code == 0, vendor.output
    assert float(vendor.output) == pytest.approx(compare(iso.template_from_bytes((folder / "101_1.iso").read_bytes()),
                                                         iso.template_from_bytes((folder / "101_2.iso").read_bytes())), abs=5e-5)
    out = tmp_path / "a.iso"
    exported = runner.invoke(app, ["export-iso", str(folder / "101_1.tif"), str(out), "--position", "2"])
    assert exported.exit_code == 0, exported.output
    assert iso.read_file(out).views[0].position == 2
    mixed = runner.invoke(app, ["compare", str(out), str(folder / "101_2.tif"), "--json"])
    assert mixed.exit_code == 0, mixed.output
    assert '"extractor": "iso19794-2"' in mixed.output and float(mixed.output.split('"score": ')[1].split(",")[0]) > 0
    (tmp_path / "bad.iso").write_bytes(b"FMR\x00 20\x00\x00\x00")
    bad = runner.invoke(app, ["compare", str(tmp_path / "bad.iso"), str(out)])
    assert bad.exit_code == 2 and "byte 10" in bad.output
