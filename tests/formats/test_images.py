"""decode_image over every format the real data carries."""

from __future__ import annotations

import os
import signal

import numpy as np
import pytest
from PIL import Image

from scomm.errors import ImageDecodeError
from scomm.formats import decode_image, images

from .conftest import OPENEBTS, real_bytes


@pytest.mark.parametrize(("name", "compression"), [("finger8.wsq", "WSQ"), ("finger8.jp2", "JP2"),
                                                   ("finger8.png", "PNG"), ("finger8.jpg", "JPEG"),
                                                   ("finger8.bmp", "BMP"), ("finger24.jp2", "JP2")])
def test_openebts_finger_formats(name: str, compression: str) -> None:
    pixels = decode_image(real_bytes(OPENEBTS / name), compression)
    reference = np.asarray(Image.open(OPENEBTS / "finger8.png").convert("L"))
    assert pixels.dtype == np.uint8 and pixels.shape == reference.shape


def test_raw_grey_and_bilevel() -> None:
    grey = np.arange(12, dtype=np.uint8).reshape(3, 4)
    assert (decode_image(grey.tobytes(), "NONE", 4, 3) == grey).all()
    bits = decode_image(bytes([0b10100000, 0b01000000]), "NONE", 3, 2, depth=1)
    assert bits.tolist() == [[0, 255, 0], [255, 0, 255]]


@pytest.mark.parametrize(("data", "compression", "fragment"), [
    (b"", "WSQ", "empty"), (b"\x89PNG\r\n\x1a\nbroken", "PNG", "not a recognisable PNG"),
    (b"nothing", "WSQ", "not a recognisable WSQ"), (b"abc", "NONE", "needs 12 bytes"), (b"x", "GIF", "unknown"),
])
def test_failures_are_image_decode_errors(data: bytes, compression: str, fragment: str) -> None:
    with pytest.raises(ImageDecodeError, match=fragment):
        decode_image(data, compression, 4, 3)


def test_format_mismatch_and_size_mismatch() -> None:
    png = real_bytes(OPENEBTS / "finger8.png")
    with pytest.raises(ImageDecodeError, match="stated as WSQ but the data is PNG"):
        decode_image(png, "WSQ")
    with pytest.raises(ImageDecodeError, match="but the record states 10x10"):
        decode_image(png, "PNG", 10, 10)


def test_a_crashing_wsq_codec_is_a_decode_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """The WSQ codec segfaults on some corrupt data (found by bench/fuzz_formats.py): it runs in a forked child."""

    def crash(*args: object) -> None:
        os.kill(os.getpid(), signal.SIGSEGV)

    monkeypatch.setattr(images, "_pillow_pixels", crash)
    with pytest.raises(ImageDecodeError, match=r"record 4.1: WSQ data is corrupt: the decoder was killed by signal 11"):
        images.decode_image(b"\xff\xa0\xff\xa2", "WSQ", record="4.1")


def _children() -> set[int]:
    """Live or zombie children of this process (Linux)."""
    me = str(os.getpid())
    found = set()
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                if entry.isdigit() and stat.read().rsplit(")", 1)[1].split()[1] == me:
                    found.add(int(entry))
        except OSError:
            continue
    return found


def test_one_isolated_child_decodes_a_whole_transaction_and_is_gone_after() -> None:
    wsq = real_bytes(OPENEBTS / "finger8.wsq")
    alone = decode_image(wsq, "WSQ")
    before = _children()
    with images.isolated_decoding():
        first = decode_image(wsq, "WSQ")
        during = _children() - before
        second = decode_image(wsq, "WSQ")
        assert _children() - before == during  # the same child served both
    assert len(during) == 1
    assert np.array_equal(first, alone) and np.array_equal(second, alone)
    assert _children() - before == set()


def test_a_crash_in_the_session_child_rejects_that_image_only(monkeypatch: pytest.MonkeyPatch) -> None:
    wsq = real_bytes(OPENEBTS / "finger8.wsq")
    real = images._pillow_pixels

    def crash_on_marker(data: bytes, *args: object) -> np.ndarray:
        if data == b"CRASH":
            os.kill(os.getpid(), signal.SIGSEGV)
        return real(data, *args)

    monkeypatch.setattr(images, "_pillow_pixels", crash_on_marker)
    with images.isolated_decoding():
        assert decode_image(wsq, "WSQ").size
        with pytest.raises(ImageDecodeError, match=r"record 14.2: WSQ data is corrupt: the decoder was killed by "
                                                   r"signal 11"):
            decode_image(b"CRASH", "WSQ", record="14.2")
        assert decode_image(wsq, "WSQ").size  # a fresh child takes over


def test_a_hang_in_the_session_child_is_cut_at_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    def hang(*args: object) -> None:
        signal.pause()

    monkeypatch.setattr(images, "_pillow_pixels", hang)
    monkeypatch.setattr(images, "ISOLATED_DECODE_SECONDS", 0.5)
    before = _children()
    with images.isolated_decoding():
        with pytest.raises(ImageDecodeError, match="gave no image within"):
            decode_image(b"\xff\xa0\xff\xa2", "WSQ", record="4.3")
    assert _children() - before == set()
