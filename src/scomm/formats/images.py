"""Fingerprint image decoding: WSQ, JPEG 2000, PNG, JPEG, BMP, TIFF (legacy binary) and raw grey.

Every failure comes out as `ImageDecodeError`; nothing from Pillow or the WSQ codec leaks through. The WSQ
codec (NBIS C code behind the `wsq` plugin) segfaults on some corrupt data found by bench/fuzz_formats.py, so WSQ
is decoded in a forked child (`ISOLATED_CODECS`): a crash or a hang there is a rejection, not a dead intake.
"""

from __future__ import annotations

import io
import os
import select
import signal
import struct
import time
import warnings

import numpy as np
import wsq  # noqa: F401  (registers the WSQ Pillow plugin)
from PIL import Image, UnidentifiedImageError

from scomm.errors import ImageDecodeError
from scomm.formats.tags import COMPRESSIONS

# Largest image decoded: a 1000 ppi full palm is about 5,000 x 8,000; beyond that is a decompression bomb.
MAX_IMAGE_PIXELS = 48_000_000
Image.init()  # load every Pillow plugin now: a forked child must not need the import lock to identify an image
# Codecs run in a forked child: the WSQ codec (NBIS C code) segfaults on some corrupt data, found by fuzzing.
ISOLATED_CODECS: frozenset[str] = frozenset({"WSQ"})
ISOLATED_DECODE_SECONDS = 30.0
# Pillow's name for each format -> scomm compression name.
_PILLOW_FORMATS: dict[str, str] = {"WSQ": "WSQ", "JPEG2000": "JP2", "PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG",
                                   "BMP": "BMP", "TIFF": "TIFF"}
# Pillow decoders allowed for each stated compression (TIFF: how legacy Type-5/6 binary images are sent).
_ALLOWED: dict[str, tuple[str, ...]] = {"WSQ": ("WSQ",), "JP2": ("JPEG2000",), "PNG": ("PNG",),
                                        "JPEG": ("JPEG", "MPO"), "BMP": ("BMP",), "TIFF": ("TIFF",)}


def decode_image(data: bytes, compression: str, width: int | None = None, height: int | None = None,
                 *, depth: int = 8, record: str = "") -> np.ndarray:
    """Decode one image to a uint8 HxW array.

    `compression` is one of WSQ, JP2, PNG, JPEG, BMP, TIFF, NONE. NONE means raw pixels of `depth` bits (8, or 1
    for the legacy binary Type-5/6 records) at `width` x `height`. Stated dimensions, when given, must match the
    decoded image.
    """
    name = compression.upper()
    where = f"record {record}: " if record else ""
    if name not in COMPRESSIONS:
        raise ImageDecodeError(f"{where}unknown image compression {compression!r}", record, compression)
    if not data:
        raise ImageDecodeError(f"{where}{name} image data is empty", record, name)
    if name == "NONE":
        pixels = _raw_pixels(data, width, height, depth, where, record)
    elif name in ISOLATED_CODECS and hasattr(os, "fork"):
        pixels = _isolated_pixels(data, name, where, record, (width, height))
    else:
        pixels = _pillow_pixels(data, name, where, record, (width, height))
    _check_size(pixels, width, height, where, record, name)
    return pixels


def _raw_pixels(data: bytes, width: int | None, height: int | None, depth: int, where: str,
                record: str) -> np.ndarray:
    if not width or not height:
        raise ImageDecodeError(f"{where}uncompressed image needs its width and height", record, "NONE")
    row_bytes = width if depth == 8 else (width + 7) // 8
    needed = row_bytes * height
    if len(data) < needed:
        raise ImageDecodeError(f"{where}uncompressed {width}x{height} image needs {needed} bytes, "
                               f"found {len(data)}", record, "NONE")
    rows = np.frombuffer(data[:needed], dtype=np.uint8).reshape(height, row_bytes)
    if depth == 8:
        return rows.copy()
    bits = np.unpackbits(rows, axis=1)[:, :width]
    return np.where(bits == 1, 0, 255).astype(np.uint8)  # 1 = black ridge in ANSI/NIST binary images


def _pillow_pixels(data: bytes, name: str, where: str, record: str,
                   stated: tuple[int | None, int | None] = (None, None)) -> np.ndarray:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                found = image.format or ""
                if found not in _ALLOWED[name]:
                    stated = _PILLOW_FORMATS.get(found, found or "unrecognised data")
                    raise ImageDecodeError(f"{where}image stated as {name} but the data is {stated}", record, name)
                _check_declared_size(image.size, stated, where, record, name)
                image.load()
                grey = image if image.mode == "L" else image.convert("L")
                return np.asarray(grey, dtype=np.uint8).copy()
    except ImageDecodeError:
        raise
    except UnidentifiedImageError:
        raise ImageDecodeError(f"{where}data is not a recognisable {name} image (it begins {data[:8]!r})",
                               record, name) from None
    except Exception as exc:
        raise ImageDecodeError(f"{where}{name} image does not decode: {type(exc).__name__}: {exc}"[:300],
                               record, name) from exc


def _isolated_pixels(data: bytes, name: str, where: str, record: str,
                     stated: tuple[int | None, int | None]) -> np.ndarray:
    """`_pillow_pixels` in a forked child, so that a codec crash or hang becomes an ImageDecodeError."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: decode, send b"OK"+height+width+pixels or b"ER"+message, exit without cleanup
        os.close(read_end)
        try:
            pixels = _pillow_pixels(data, name, where, record, stated)
            payload = b"OK" + struct.pack(">II", *pixels.shape) + pixels.tobytes()
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent as a message
            payload = b"ER" + str(exc).encode("utf-8", "replace")
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(write_end)
    payload, status = _collect(read_end, pid)
    if payload[:2] == b"OK" and len(payload) >= 10:
        height, width = struct.unpack(">II", payload[2:10])
        if len(payload) == 10 + height * width:
            return np.frombuffer(payload[10:], dtype=np.uint8).reshape(height, width).copy()
    if payload[:2] == b"ER":
        raise ImageDecodeError(payload[2:].decode("utf-8", "replace"), record, name)
    why = (f"was killed by signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
           else f"gave no image within {ISOLATED_DECODE_SECONDS:.0f} s" if status < 0 else "gave no image")
    raise ImageDecodeError(f"{where}{name} data is corrupt: the decoder {why}", record, name)


def _collect(read_end: int, pid: int) -> tuple[bytes, int]:
    """Everything the child writes before `ISOLATED_DECODE_SECONDS`, and its wait status (-1: killed on time)."""
    chunks, deadline = [], time.monotonic() + ISOLATED_DECODE_SECONDS
    try:
        with os.fdopen(read_end, "rb", buffering=0) as pipe:
            while (left := deadline - time.monotonic()) > 0:
                ready, _, _ = select.select([pipe], [], [], left)
                chunk = pipe.read(1 << 20) if ready else b""
                if not chunk:
                    break
                chunks.append(chunk)
    except BaseException:  # interrupted (KeyboardInterrupt, a caller's alarm): leave no child behind
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    timed_out = time.monotonic() >= deadline
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return b"".join(chunks), -1 if timed_out else status


def _check_declared_size(size: tuple[int, int], stated: tuple[int | None, int | None], where: str, record: str,
                         name: str) -> None:
    """Reject before decoding what the image header already shows to be wrong: cheap, and no decompression bomb."""
    width, height = size
    if width * height > MAX_IMAGE_PIXELS:
        raise ImageDecodeError(f"{where}{name} image declares {width}x{height} pixels, over the "
                               f"{MAX_IMAGE_PIXELS} pixel limit", record, name)
    _check_dimensions(width, height, *stated, where, record, name)


def _check_size(pixels: np.ndarray, width: int | None, height: int | None, where: str, record: str,
                name: str) -> None:
    if pixels.ndim != 2:
        raise ImageDecodeError(f"{where}{name} image decoded to a non-grey array", record, name)
    found_h, found_w = pixels.shape
    _check_dimensions(found_w, found_h, width, height, where, record, name)


def _check_dimensions(found_w: int, found_h: int, width: int | None, height: int | None, where: str, record: str,
                      name: str) -> None:
    if found_w <= 0 or found_h <= 0:
        raise ImageDecodeError(f"{where}{name} image is empty ({found_w}x{found_h})", record, name)
    if (width and width != found_w) or (height and height != found_h):
        raise ImageDecodeError(f"{where}{name} image is {found_w}x{found_h} but the record states "
                               f"{width}x{height}", record, name)


def encode_wsq(pixels: np.ndarray) -> bytes:
    """WSQ-compress a uint8 greyscale image with the wsq Pillow plugin.

    wsq 0.9 fixes the rate itself (about 0.6-0.75 bits per pixel on fingerprints); it offers no bitrate setting.
    """
    if pixels.dtype != np.uint8 or pixels.ndim != 2:
        raise ImageDecodeError(f"WSQ encoding needs a 2-D uint8 array, got {pixels.dtype} {pixels.shape}")
    buffer = io.BytesIO()
    try:
        Image.fromarray(pixels).save(buffer, format="WSQ")
    except Exception as exc:
        raise ImageDecodeError(f"cannot WSQ-encode a {pixels.shape[1]}x{pixels.shape[0]} image: {exc}",
                               compression="WSQ") from exc
    return buffer.getvalue()
