"""Examiner evidence: two prints side by side with their paired minutiae and the scores.

The matcher knows nothing about pictures; this module only draws what
:func:`scomm.fingerprints.matching.explain` returns. Both prints are drawn at the templates'
resolution (500 ppi), so minutia coordinates land on the ridges they came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from scomm.fingerprints.matching import Explanation
from scomm.fingerprints.templates import Template


@dataclass(frozen=True)
class Style:
    """Colours (RGB) and sizes of the examiner picture."""

    paired: tuple[int, int, int] = (220, 30, 30)
    unpaired: tuple[int, int, int] = (40, 110, 220)
    link: tuple[int, int, int] = (20, 170, 60)
    text: tuple[int, int, int] = (0, 0, 0)
    radius: int = 4
    tick: float = 10.0  # length of the direction stroke
    banner: int = 0  # extra rows below the prints for the score lines (0: drawn over the prints)


def render_pair(pixels_a: np.ndarray, pixels_b: np.ndarray, a: Template, b: Template,
                explanation: Explanation, finger_scores: Mapping[int, float] | None = None,
                style: Style = Style()) -> Image.Image:
    """RGB picture: print A on the left, print B on the right, pairs joined by lines.

    ``pixels_*`` are grey-scale images at the templates' resolution. The canvas is exactly
    (width A + width B) × max(height A, height B) plus ``style.banner`` rows.
    """
    ha, wa = pixels_a.shape
    hb, wb = pixels_b.shape
    canvas = Image.new("RGB", (wa + wb, max(ha, hb) + style.banner), (255, 255, 255))
    canvas.paste(Image.fromarray(_grey(pixels_a)).convert("RGB"), (0, 0))
    canvas.paste(Image.fromarray(_grey(pixels_b)).convert("RGB"), (wa, 0))
    draw = ImageDraw.Draw(canvas)
    paired_a = {i for i, _ in explanation.pairs}
    paired_b = {j for _, j in explanation.pairs}
    _minutiae(draw, a, 0, paired_a, style)
    _minutiae(draw, b, wa, paired_b, style)
    for i, j in explanation.pairs:
        xa, ya = a.minutiae[i, :2]
        xb, yb = b.minutiae[j, :2]
        draw.line([(float(xa), float(ya)), (float(xb) + wa, float(yb))], fill=style.link, width=1)
    lines = [f"score {explanation.score:.4f}   paired minutiae {len(explanation.pairs)}   "
             f"minutiae {len(a)} / {len(b)}   mated under one alignment {explanation.mated} "
             f"(agreeing {explanation.agreement:.1f}) "
             f"(in the common area {explanation.common[0]:.1f} / {explanation.common[1]:.1f}, weighted by reliability)"]
    if finger_scores:
        lines.append("  ".join(f"finger {p}: {s:.3f}" for p, s in sorted(finger_scores.items())))
    top = max(ha, hb) if style.banner else 2
    for n, line in enumerate(lines):
        draw.text((4, top + 2 + 12 * n), line, fill=style.text)
    return canvas


def _grey(pixels: np.ndarray) -> np.ndarray:
    return np.clip(np.asarray(pixels, dtype=np.float64), 0, 255).astype(np.uint8)


def _minutiae(draw: ImageDraw.ImageDraw, template: Template, offset: int, paired: set[int],
              style: Style) -> None:
    r = style.radius
    for n, (x, y, angle, _) in enumerate(template.minutiae):
        colour = style.paired if n in paired else style.unpaired
        x, y = float(x) + offset, float(y)
        draw.ellipse([x - r, y - r, x + r, y + r], outline=colour, width=2 if n in paired else 1)
        draw.line([(x, y), (x + style.tick * float(np.cos(angle)), y + style.tick * float(np.sin(angle)))],
                  fill=colour, width=1)
