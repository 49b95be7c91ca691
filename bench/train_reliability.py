"""Fit the minutia-reliability network (``src/scomm/fingerprints/reliability.npz``) and report how well it ranks.

Every FVC2002 B image is run through scomm's extractor up to its minutiae (``extraction.detect``:
all the enhancements' minutiae, before ranking and cap). A detected minutia is labelled real when the
ISO 19794-2 record beside the image (another vendor's extractor, mapped onto the image frame) has a
minutia within 10 px and 30° of it. The network (11 descriptors, 16 tanh units, logistic output,
L2 penalty) is fitted on DB1_B and DB3_B only; DB2_B and DB4_B are never seen, and the AUC on them
says how well the ranking carries over. The old per-minutia quality (ridge coherence discounted near
the border) is reported beside it.

    python bench/train_reliability.py [--write] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from scipy.stats import rankdata

from scomm.errors import PoorQualityError
from scomm.fingerprints import extraction, reliability
from scomm.fingerprints.evaluation import scan_folder
from scomm.fingerprints.images import load_image
from scomm.fingerprints.iso19794 import read_file, to_template

FVC = Path(__file__).resolve().parents[2] / "shared" / "data" / "fingerprints" / "fvc2002"
PPI = {"DB1_B": 500, "DB2_B": 569, "DB3_B": 500, "DB4_B": 500}
TRAIN = ("DB1_B", "DB3_B")
OUT = Path(__file__).resolve().parents[1] / "src" / "scomm" / "fingerprints" / "reliability.npz"
HIDDEN, PENALTY, SEED = 16, 1e-2, 0


def labelled(folder: Path, ppi: int) -> tuple[np.ndarray, np.ndarray]:
    """Descriptors and labels (real / not) of every minutia scomm detects in one FVC set."""
    xs, ys = [], []
    for image in scan_folder(folder).values():
        pixels = load_image(image)[0]
        try:
            found = extraction.detect(pixels, ppi)
        except PoorQualityError:
            continue
        height, width = pixels.shape
        vendor = to_template(read_file(image.with_suffix(".iso")), image_size=(width, height), ppi=ppi).minutiae
        xs.append(found.features())
        ys.append(near(found.minutiae, vendor, 10.0, math.radians(30.0)))
    return np.concatenate(xs), np.concatenate(ys)


def near(a: np.ndarray, b: np.ndarray, distance: float, angle: float) -> np.ndarray:
    """For each minutia of ``a``: does ``b`` have one within ``distance`` pixels and ``angle`` radians?"""
    if len(a) == 0 or len(b) == 0:
        return np.zeros(len(a), dtype=bool)
    d = np.hypot(a[:, None, 0] - b[None, :, 0], a[:, None, 1] - b[None, :, 1])
    turn = np.abs(np.angle(np.exp(1j * (a[:, None, 2] - b[None, :, 2]))))
    return ((d <= distance) & (turn <= angle)).any(axis=1)


def auc(score: np.ndarray, real: np.ndarray) -> float:
    """Probability that a real minutia outranks a false one (ties count half)."""
    ranks = rankdata(score)
    pos = int(real.sum())
    neg = len(real) - pos
    return float((ranks[real].sum() - pos * (pos + 1) / 2) / (pos * neg))


def fit(x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - mean) / scale
    n, d = z.shape
    rng = np.random.default_rng(SEED)
    w0 = np.concatenate([rng.normal(0, 1 / math.sqrt(d), d * HIDDEN), np.zeros(HIDDEN),
                         rng.normal(0, 1 / math.sqrt(HIDDEN), HIDDEN), [0.0]])

    def unpack(w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        return (w[: d * HIDDEN].reshape(d, HIDDEN), w[d * HIDDEN: d * HIDDEN + HIDDEN],
                w[d * HIDDEN + HIDDEN: d * HIDDEN + 2 * HIDDEN], w[-1])

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        w1, b1, w2, b2 = unpack(w)
        h = np.tanh(z @ w1 + b1)
        logit = h @ w2 + b2
        value = np.mean(np.logaddexp(0, logit) - y * logit) + PENALTY * ((w1 ** 2).sum() + (w2 ** 2).sum()) / 2
        g = (1 / (1 + np.exp(-logit)) - y) / n
        gh = np.outer(g, w2) * (1 - h ** 2)
        grad = np.concatenate([(z.T @ gh + PENALTY * w1).ravel(), gh.sum(axis=0), h.T @ g + PENALTY * w2, [g.sum()]])
        return float(value), grad

    w = minimize(loss, w0, jac=True, method="L-BFGS-B", options={"maxiter": 400}).x
    w1, b1, w2, b2 = unpack(w)
    return {"mean": mean, "scale": scale, "w1": w1, "b1": b1, "w2": w2, "b2": np.float64(b2),
            "features": np.array(reliability.FEATURES)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write the weights to {OUT}")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sets = {name: labelled(FVC / name, ppi) for name, ppi in PPI.items()}
    x = np.concatenate([sets[name][0] for name in TRAIN])
    y = np.concatenate([sets[name][1] for name in TRAIN]).astype(float)
    weights = fit(x, y)
    if args.write:
        np.savez(OUT, **weights)
    table = {}
    for name, (xs, ys) in sets.items():
        table[name] = {"minutiae": int(len(ys)), "real": round(float(ys.mean()), 3),
                       "auc_coherence_quality": round(auc(xs[:, 0], ys), 3),
                       "auc_reliability": round(auc(reliability.predict(xs, weights), ys), 3),
                       "trained_on": name in TRAIN}
    if args.json:
        print(json.dumps(table, indent=2))
        return
    print("set     minutiae  real  AUC coherence quality  AUC reliability")
    for name, row in table.items():
        print(f"{name}  {row['minutiae']:8d}  {row['real']:.2f}  {row['auc_coherence_quality']:21.3f}  "
              f"{row['auc_reliability']:.3f}{'  (training set)' if row['trained_on'] else ''}")


if __name__ == "__main__":
    main()
