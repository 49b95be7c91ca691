"""Verification accuracy on an FVC-layout folder, with FVC's definitions of the error rates.

EER follows Maio et al. (FVC2000/2002): the midpoint of the interval where FMR and FNMR cross.
A failure to enrol is a rejection at every threshold: its genuine pairs count as false non-matches
and its impostor pairs never as false matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from scomm.errors import PoorQualityError
from scomm.fingerprints.extraction import extract
from scomm.fingerprints.images import IMAGE_SUFFIXES, load_image
from scomm.fingerprints.matching import compare
from scomm.fingerprints.parameters import ExtractionParameters, MatchParameters
from scomm.fingerprints.templates import Template

_NAME = re.compile(r"^(?P<finger>[^_]+)_(?P<impression>\d+)$")
_REJECTED = -np.inf


def error_rates(genuine: Sequence[float], impostor: Sequence[float]) -> dict[str, float]:
    """EER, FMR100, FMR1000 and ZeroFMR in percent; ``-inf`` scores are failures to enrol."""
    gen = np.sort(np.asarray(genuine, dtype=np.float64))
    imp = np.sort(np.asarray(impostor, dtype=np.float64))
    finite = np.concatenate([gen[np.isfinite(gen)], imp[np.isfinite(imp)]])
    top = finite.max() + 1.0 if len(finite) else 1.0
    thresholds = np.unique(np.append(finite, top))
    fmr = 1.0 - np.searchsorted(imp, thresholds, side="left") / max(len(imp), 1)
    fnmr = np.searchsorted(gen, thresholds, side="left") / max(len(gen), 1)
    return {"eer": 100.0 * _eer(fmr, fnmr), "fmr100": 100.0 * _fnmr_at(fmr, fnmr, 0.01),
            "fmr1000": 100.0 * _fnmr_at(fmr, fnmr, 0.001), "zero_fmr": 100.0 * _fnmr_at(fmr, fnmr, 0.0)}


def _eer(fmr: np.ndarray, fnmr: np.ndarray) -> float:
    below = np.flatnonzero(fnmr <= fmr)
    above = np.flatnonzero(fnmr >= fmr)
    if len(below) == 0 or len(above) == 0:
        return float(max(fmr.min(), fnmr.min()))
    t1, t2 = below[-1], above[0]
    if fnmr[t1] + fmr[t1] <= fnmr[t2] + fmr[t2]:
        low, high = fnmr[t1], fmr[t1]
    else:
        low, high = fmr[t2], fnmr[t2]
    return float((low + high) / 2.0)


def _fnmr_at(fmr: np.ndarray, fnmr: np.ndarray, target: float) -> float:
    ok = fmr <= target + 1e-12
    return float(fnmr[ok].min()) if ok.any() else 1.0


def scan_folder(path: str | Path) -> dict[tuple[str, int], Path]:
    """``{(finger, impression): file}`` for every ``{finger}_{impression}.{ext}`` image in ``path``."""
    found: dict[tuple[str, int], Path] = {}
    for file in sorted(Path(path).iterdir()):
        match = _NAME.match(file.stem)
        if match and file.suffix.lower() in IMAGE_SUFFIXES:
            found.setdefault((match["finger"], int(match["impression"])), file)
    return found


def extract_folder(path: str | Path, ppi: int | None = None,
                   params: ExtractionParameters = ExtractionParameters()) -> dict[tuple[str, int], Template | None]:
    """Templates of every image in an FVC-layout folder; ``None`` marks a failure to enrol."""
    out: dict[tuple[str, int], Template | None] = {}
    for key, file in scan_folder(path).items():
        pixels, declared = load_image(file)
        try:
            out[key] = extract(pixels, ppi or declared or 500, params)
        except PoorQualityError:
            out[key] = None
    return out


def protocol_scores(templates: dict[tuple[str, int], Template | None],
                    score: Callable[[Template, Template], float]) -> dict[str, tuple[list[float], list[float]]]:
    """Genuine and impostor scores for the all-pairs and FVC protocols."""
    keys = sorted(templates)
    firsts = {f: min(i for g, i in keys if g == f) for f, _ in keys}
    gen: list[float] = []
    imp_all: list[float] = []
    imp_fvc: list[float] = []
    for n, a in enumerate(keys):
        for b in keys[n + 1:]:
            s = _pair_score(templates[a], templates[b], score)
            if a[0] == b[0]:
                gen.append(s)
                continue
            imp_all.append(s)
            if a[1] == firsts[a[0]] and b[1] == firsts[b[0]]:
                imp_fvc.append(s)
    return {"all_pairs": (gen, imp_all), "fvc": (gen, imp_fvc)}


def _pair_score(a: Template | None, b: Template | None, score: Callable[[Template, Template], float]) -> float:
    if a is None or b is None:
        return _REJECTED
    return score(a, b)


def evaluate_folder(path: str | Path, ppi: int | None = None,
                    extraction: ExtractionParameters = ExtractionParameters(),
                    matching: MatchParameters = MatchParameters()) -> dict[str, dict[str, float]]:
    """Error rates (percent) of the engine on an FVC-layout folder under both protocols.

    ``ppi`` overrides the resolution (FVC2002 DB2 is 569 ppi but its files say nothing useful);
    otherwise the file's declared resolution is used when plausible, else 500.
    """
    templates = extract_folder(path, ppi, extraction)
    scores = protocol_scores(templates, lambda a, b: compare(a, b, matching))
    result: dict[str, dict[str, float]] = {}
    for name, (gen, imp) in scores.items():
        rates = error_rates(gen, imp)
        result[name] = {**rates, "genuine": len(gen), "impostor": len(imp),
                        "failures_to_enrol": sum(t is None for t in templates.values())}
    return result
