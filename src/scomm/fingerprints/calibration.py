"""Setting the ten-print hit threshold from impostor scores.

No real ten-print impostor set is at hand, so pseudo ten-prints are made by summing ten
independent single-finger impostor scores (pooled over FVC2002 DB1–DB4, all-pairs protocol).
The distribution of that sum is the ten-fold convolution of the empirical single-finger impostor
distribution, which reaches far smaller tail probabilities than sampling could. The threshold is
the lowest fused score whose exceedance probability is below ``target_fmr`` per candidate; the
false-positive identification rate against a gallery of N subjects is then about N × target_fmr.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

BIN = 1e-3


def fused_impostor_survival(impostor: Sequence[float], fingers: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Fused-score grid and P(sum of ``fingers`` impostor scores ≥ grid value)."""
    scores = np.clip(np.asarray(impostor, dtype=np.float64), 0.0, 1.0)
    scores = scores[np.isfinite(scores)]
    bins = int(round(1.0 / BIN)) + 1
    pmf = np.bincount(np.round(scores / BIN).astype(int), minlength=bins).astype(np.float64)
    pmf /= pmf.sum()
    size = fingers * (bins - 1) + 1
    spectrum = np.fft.rfft(pmf, 2 * size) ** fingers
    total = np.clip(np.fft.irfft(spectrum)[:size], 0.0, None)
    survival = np.cumsum(total[::-1])[::-1] / total.sum()
    return np.arange(size) * BIN, survival


def threshold_for(impostor: Sequence[float], target_fmr: float, fingers: int = 10) -> float:
    """Lowest fused score whose ten-print impostor exceedance probability is at most ``target_fmr``.

    FFT round-off puts a floor of about 1e-15 under the survival curve; targets below it are clamped.
    """
    grid, survival = fused_impostor_survival(impostor, fingers)
    ok = np.flatnonzero(survival <= max(target_fmr, 1e-14))
    return float(grid[ok[0]]) if len(ok) else float(grid[-1])
