"""Minutia reliability: how likely a detected minutia is a real one, 0..1, learned.

Coherence alone says little about whether a minutia is real (its AUC against an independent
extractor's minutiae on FVC2002 is 0.63–0.78). A tiny network over eleven cheap descriptors of the
minutia's surroundings does better (0.80–0.85 on sets it was not trained on, see BENCHMARKS.md): the
crowding of other minutiae near it, whether the smoother enhancements agree with the base one there,
the local ridge coherence, the print's ridge period and minutia count. The score is the template's
per-minutia quality; it orders the minutiae, so the search cascade's prefilters, which look only at
each template's best few cylinders, look at the ones most likely to be real.

The weights (``reliability.npz``) are fitted by ``bench/train_reliability.py`` on FVC2002 DB1_B and
DB3_B only, with the minutiae of the ISO records beside those images as labels (a detected minutia
is real when the record has one within 10 px and 30°).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
from scipy import ndimage

#: the descriptors, in the order of the network's inputs
FEATURES = ("quality", "coherence", "bifurcation", "enhancement", "period", "within_8", "within_16",
            "within_24", "nearest", "count", "disagreement")
_WINDOW = 33  # pixels a side over which the enhancements' disagreement is averaged (about 3.5 ridges)


def features(mins: np.ndarray, kinds: np.ndarray, source: np.ndarray, coherence: np.ndarray, period: float,
             base: np.ndarray, smoothest: np.ndarray) -> np.ndarray:
    """Descriptors (n, len(FEATURES)) of minutiae ``mins`` (x, y, angle, coherence quality).

    ``source`` is the index of the enhancement each minutia came from (0 = the base one); ``base`` and
    ``smoothest`` are the binary ridge maps of the base and the smoothest enhancement.
    """
    n = len(mins)
    out = np.zeros((n, len(FEATURES)), dtype=np.float64)
    if n == 0:
        return out
    xs = np.clip(mins[:, 0].astype(np.intp), 0, coherence.shape[1] - 1)
    ys = np.clip(mins[:, 1].astype(np.intp), 0, coherence.shape[0] - 1)
    d = np.hypot(mins[:, None, 0] - mins[None, :, 0], mins[:, None, 1] - mins[None, :, 1])
    np.fill_diagonal(d, np.inf)
    disagreement = ndimage.uniform_filter((base != smoothest).astype(np.float32), _WINDOW, mode="constant")
    out[:, 0] = mins[:, 3]
    out[:, 1] = coherence[ys, xs]
    out[:, 2] = kinds == 2
    out[:, 3] = source
    out[:, 4] = period
    out[:, 5] = (d < 8).sum(axis=1)
    out[:, 6] = (d < 16).sum(axis=1)
    out[:, 7] = (d < 24).sum(axis=1)
    out[:, 8] = np.minimum(d.min(axis=1), 40.0) / 40.0
    out[:, 9] = n / 72.0
    out[:, 10] = disagreement[ys, xs]
    return out


@cache
def _weights() -> dict[str, np.ndarray]:
    with resources.files("scomm.fingerprints").joinpath("reliability.npz").open("rb") as fh:
        with np.load(fh) as data:
            return {k: data[k] for k in data.files}


def predict(x: np.ndarray, weights: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Reliability 0..1 of each row of descriptors ``x`` (see :func:`features`)."""
    w = _weights() if weights is None else weights
    if len(x) == 0:
        return np.zeros(0)
    z = (np.asarray(x, dtype=np.float64) - w["mean"]) / w["scale"]
    hidden = np.tanh(z @ w["w1"] + w["b1"])
    return 1.0 / (1.0 + np.exp(-(hidden @ w["w2"] + w["b2"])))
