"""Reading fingerprint images from files (tif/png/bmp/jpg via Pillow, WSQ via the ``wsq`` plugin)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from scomm.errors import ImageDecodeError

IMAGE_SUFFIXES = (".tif", ".tiff", ".png", ".bmp", ".jpg", ".jpeg", ".wsq")


def load_image(path: str | Path) -> tuple[np.ndarray, int | None]:
    """Grey-scale pixels (uint8) and the resolution the file declares, if plausible (else None)."""
    path = Path(path)
    if path.suffix.lower() == ".wsq":
        import wsq  # noqa: F401  (registers the WSQ decoder with Pillow)
    try:
        with Image.open(path) as im:
            pixels = np.array(im.convert("L"))
            dpi = im.info.get("dpi")
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageDecodeError(f"{path}: cannot decode image ({exc})", compression=path.suffix) from exc
    return pixels, _plausible_ppi(dpi)


def _plausible_ppi(dpi: object) -> int | None:
    # many sensors write placeholder resolutions such as (1, 1) or (72, 72); trust only 250..2000
    try:
        value = int(round(float(dpi[0])))  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return None
    return value if 250 <= value <= 2000 else None
