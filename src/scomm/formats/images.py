"""Fingerprint image decoding: WSQ, JPEG 2000, PNG, JPEG, BMP, TIFF (legacy binary) and raw grey.

Every failure comes out as `ImageDecodeError`; nothing from Pillow or the WSQ codec leaks through.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
import wsq  # noqa: F401  (registers the WSQ Pillow plugin)
from PIL import Image, UnidentifiedImageError

from scomm.errors import ImageDecodeError
from scomm.formats.tags import COMPRESSIONS

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
    else:
        pixels = _pillow_pixels(data, name, where, record)
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


def _pillow_pixels(data: bytes, name: str, where: str, record: str) -> np.ndarray:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                found = image.format or ""
                if found not in _ALLOWED[name]:
                    stated = _PILLOW_FORMATS.get(found, found or "unrecognised data")
                    raise ImageDecodeError(f"{where}image stated as {name} but the data is {stated}", record, name)
                image.load()
                grey = image if image.mode == "L" else image.convert("L")
                return np.asarray(grey, dtype=np.uint8).copy()
    except ImageDecodeError:
        raise
    except UnidentifiedImageError:
        raise ImageDecodeError(f"{where}data is not a recognisable {name} image (it begins {data[:8]!r})",
                               record, name) from None
    except Exception as exc:  # noqa: BLE001 - codec boundary: Pillow/WSQ raise many unrelated types
        raise ImageDecodeError(f"{where}{name} image does not decode: {type(exc).__name__}: {exc}"[:300],
                               record, name) from exc


def _check_size(pixels: np.ndarray, width: int | None, height: int | None, where: str, record: str,
                name: str) -> None:
    if pixels.ndim != 2 or pixels.size == 0:
        raise ImageDecodeError(f"{where}{name} image decoded to an empty or non-grey array", record, name)
    found_h, found_w = pixels.shape
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
    except Exception as exc:  # noqa: BLE001 - codec boundary
        raise ImageDecodeError(f"cannot WSQ-encode a {pixels.shape[1]}x{pixels.shape[0]} image: {exc}",
                               compression="WSQ") from exc
    return buffer.getvalue()
