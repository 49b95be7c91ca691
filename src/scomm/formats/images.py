"""Fingerprint image decoding: WSQ, JPEG 2000, PNG, JPEG, BMP, TIFF (legacy binary) and raw grey.

Every failure comes out as `ImageDecodeError`; nothing from Pillow or the WSQ codec leaks through. The WSQ
codec (NBIS C code behind the `wsq` plugin) segfaults on some corrupt data found by bench/fuzz_formats.py, so WSQ
is decoded in a forked child (`ISOLATED_CODECS`): a crash or a hang there is a rejection, not a dead intake.
"""

from __future__ import annotations

import io
import os
import pickle
import select
import signal
import struct
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
import _wsq  # the NBIS codec inside the wsq package
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
    """`_pillow_pixels` in a forked child, so that a codec crash or hang becomes an ImageDecodeError.

    Inside `isolated_decoding()` the child is the session's and serves every image of the transaction;
    otherwise a child is forked for this one image.
    """
    session = _SESSION.get()
    if session is not None:
        return session.decode(data, name, where, record, stated)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: decode, send b"OK"+height+width+pixels or b"ER"+message, exit without cleanup
        os.close(read_end)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(_decode_payload(data, name, where, record, stated))
        os._exit(0)
    os.close(write_end)
    payload, status = _collect(read_end, pid)
    return _pixels_from(payload, status, name, where, record)


def _decode_payload(data: bytes, name: str, where: str, record: str,
                    stated: tuple[int | None, int | None]) -> bytes:
    try:
        pixels = _pillow_pixels(data, name, where, record, stated)
        return b"OK" + struct.pack(">II", *pixels.shape) + pixels.tobytes()
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent as a message
        return b"ER" + str(exc).encode("utf-8", "replace")


def _pixels_from(payload: bytes, status: int, name: str, where: str, record: str) -> np.ndarray:
    """The child's answer as pixels, or the ImageDecodeError that says why there are none."""
    if payload[:2] == b"OK" and len(payload) >= 10:
        height, width = struct.unpack(">II", payload[2:10])
        if len(payload) == 10 + height * width:
            return np.frombuffer(payload[10:], dtype=np.uint8).reshape(height, width).copy()
    if payload[:2] == b"ER":
        raise ImageDecodeError(payload[2:].decode("utf-8", "replace"), record, name)
    why = (f"was killed by signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
           else f"gave no image within {ISOLATED_DECODE_SECONDS:.0f} s" if status < 0 else "gave no image")
    raise ImageDecodeError(f"{where}{name} data is corrupt: the decoder {why}", record, name)


class _DecodeSession:
    """One forked child decoding a transaction's images in turn.

    Forking the (large) parent costs far more than decoding one fingerprint (page tables and copy-on-write
    faults), so a ten-print pays it once. Requests go to the child pickled (parent to child only: the child
    never sends a pickle back, since the data it decodes is hostile); answers come back in the framed
    OK/ER format. A child that crashes or hangs is killed, that image is the rejection, and the next image
    gets a fresh child.
    """

    def __init__(self) -> None:
        self._pid = 0
        self._to_child = -1
        self._from_child = -1

    def _start(self) -> None:
        request_r, request_w = os.pipe()
        answer_r, answer_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(request_w)
            os.close(answer_r)
            try:
                _serve(request_r, answer_w)
            finally:
                os._exit(0)
        os.close(request_r)
        os.close(answer_w)
        self._pid, self._to_child, self._from_child = pid, request_w, answer_r

    def decode(self, data: bytes, name: str, where: str, record: str,
               stated: tuple[int | None, int | None]) -> np.ndarray:
        if not self._pid:
            self._start()
        request = pickle.dumps((data, name, where, record, stated), protocol=pickle.HIGHEST_PROTOCOL)
        deadline = time.monotonic() + ISOLATED_DECODE_SECONDS
        try:
            _write_all(self._to_child, struct.pack(">Q", len(request)) + request)
            answer = _read_frame(self._from_child, deadline)
        except OSError:  # the child is gone (killed from outside): this image gets the reason, the next a new child
            answer = None
        except BaseException:  # interrupted: leave no child behind
            self._stop(hung=True)
            raise
        if answer is None:
            return _pixels_from(b"", self._stop(hung=time.monotonic() >= deadline), name, where, record)
        return _pixels_from(answer, 0, name, where, record)

    def _stop(self, hung: bool = False) -> int:
        """End the child; its wait status (-1 when it was still running and had to be killed)."""
        if not self._pid:
            return 0
        for fd in (self._to_child, self._from_child):
            os.close(fd)  # a healthy child reads end-of-file and exits
        pid, self._pid = self._pid, 0
        if hung:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return -1
        return os.waitpid(pid, 0)[1]

    def close(self) -> None:
        self._stop()


def _serve(requests: int, answers: int) -> None:
    """The session child: decode each framed request until the parent closes the pipe."""
    while True:
        request = _read_frame(requests, None)
        if request is None:
            return
        data, name, where, record, stated = pickle.loads(request)  # noqa: S301 - written by our own parent
        payload = _decode_payload(data, name, where, record, stated)
        _write_all(answers, struct.pack(">Q", len(payload)) + payload)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_frame(fd: int, deadline: float | None) -> bytes | None:
    """One length-prefixed frame from `fd`; None on end of file or when `deadline` passes first."""
    header = _read_exactly(fd, 8, deadline)
    if header is None:
        return None
    return _read_exactly(fd, struct.unpack(">Q", header)[0], deadline)


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes | None:
    chunks, left = [], size
    while left:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                return None
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


_SESSION: ContextVar[_DecodeSession | None] = ContextVar("scomm_decode_session", default=None)


@contextmanager
def isolated_decoding() -> Iterator[None]:
    """Within this block, isolated codecs share one forked child (one per transaction, not one per image)."""
    if _SESSION.get() is not None or not hasattr(os, "fork"):
        yield
        return
    session = _DecodeSession()
    token = _SESSION.set(session)
    try:
        yield
    finally:
        _SESSION.reset(token)
        session.close()


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


_WSQ_RATIO = 12  # what wsq's Pillow plugin passes to the codec


def encode_wsq(pixels: np.ndarray) -> bytes:
    """WSQ-compress a uint8 greyscale image with the wsq package's codec (NBIS).

    The codec is called directly: its Pillow plugin hands the pixels over as a Python list, which doubled the
    cost of an encode (22 → 12 ms for a 400×440 print); the bytes are the same. wsq 0.9 fixes the rate
    itself (about 0.6-0.75 bits per pixel on fingerprints; the 12 is the plugin's own compression ratio argument).
    """
    if pixels.dtype != np.uint8 or pixels.ndim != 2:
        raise ImageDecodeError(f"WSQ encoding needs a 2-D uint8 array, got {pixels.dtype} {pixels.shape}")
    try:
        return bytes(_wsq.compress(np.ascontiguousarray(pixels).tobytes(), pixels.shape[0], pixels.shape[1],
                                   _WSQ_RATIO))
    except Exception as exc:
        raise ImageDecodeError(f"cannot WSQ-encode a {pixels.shape[1]}x{pixels.shape[0]} image: {exc}",
                               compression="WSQ") from exc
