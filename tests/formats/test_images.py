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
