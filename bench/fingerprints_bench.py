"""Benchmark of the fingerprint engine; rewrites the `## Fingerprint engine` section of BENCHMARKS.md.

    python bench/fingerprints_bench.py [--data /work/shared/data/fingerprints/fvc2002] [--subjects 600]
                                       [--synthetic /tmp/synth_fvc]

Accuracy: evaluate on FVC2002 DB1_B..DB4_B (both protocols). Speed: extraction ms/image per set
(one core, after numba warm-up), comparisons/s of the compiled 1:N scan, and identify latency of a
10-finger probe against a gallery of ``--subjects`` pseudo-subjects (two-stage search). Also derives
the ten-print hit threshold from pooled impostor scores (see scomm.fingerprints.calibration), and
measures the engine on synthetic impressions (generated into ``--synthetic`` when absent) beside
FVC2002 DB4_B.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import re
import subprocess
import time
from pathlib import Path

import numba
import numpy as np

from scomm.errors import PoorQualityError
from scomm.fingerprints import (
    EXTRACTOR_VERSION,
    FusionParameters,
    InProcessBackend,
    Template,
    compare,
)
from scomm.fingerprints.calibration import threshold_for
from scomm.fingerprints.evaluation import error_rates, protocol_scores, scan_folder
from scomm.fingerprints.extraction import extract
from scomm.fingerprints.images import load_image

SETS = {"DB1_B": 500, "DB2_B": 569, "DB3_B": 500, "DB4_B": 500}
ROOT = Path(__file__).resolve().parent.parent


def extract_timed(folder: Path, ppi: int) -> tuple[dict[tuple[str, int], Template | None], float]:
    images = {k: load_image(f)[0] for k, f in scan_folder(folder).items()}
    out: dict[tuple[str, int], Template | None] = {}
    times = []
    for key, pixels in images.items():
        start = time.process_time()  # CPU time of this (single-threaded) call: others' load does not count
        try:
            out[key] = extract(pixels, ppi)
        except PoorQualityError:
            out[key] = None
        times.append(time.process_time() - start)
    return out, 1000.0 * float(np.median(times))


def unrelated_copy(t: Template, rng: np.random.Generator) -> Template:
    """A filler with a real template's size and layout but no mate: directions are shuffled."""
    m = t.minutiae.copy()
    m[:, 2] = rng.permutation(m[:, 2])
    return Template(m, t.kinds, t.width, t.height, t.ppi, t.quality)


def identify_bench(templates: dict[str, dict[tuple[str, int], Template | None]], subjects: int) -> dict[str, float]:
    rng = np.random.default_rng(1)
    pool = [t for db in templates.values() for t in db.values() if t is not None]
    backend = InProcessBackend()
    for s in range(subjects - len(templates)):
        backend.enroll(f"filler-{s}", {p: unrelated_copy(pool[rng.integers(len(pool))], rng) for p in range(1, 11)})
    probes = {}
    for db, tpls in templates.items():  # one pseudo-subject per FVC set: its ten fingers
        fingers = sorted({f for f, _ in tpls})[:10]
        backend.enroll(db, {p: tpls[(f, 1)] for p, f in enumerate(fingers, 1) if tpls.get((f, 1))})
        for imp in range(2, 9):
            probes[(db, imp)] = {p: tpls[(f, imp)] for p, f in enumerate(fingers, 1) if tpls.get((f, imp))}
    backend.identify(next(iter(probes.values())))  # warm-up and packing
    times, rank1, hits = [], 0, 0
    for (db, _), probe in probes.items():
        runs = []
        for _ in range(3):  # best of three: the machine is shared, the best run is the least disturbed
            start = time.perf_counter()
            result = backend.identify(probe, top_k=10)
            runs.append(time.perf_counter() - start)
        times.append(min(runs))
        rank1 += result[0].subject_id == db
        hits += result[0].subject_id == db and result[0].is_hit
    from scomm.fingerprints.cylinders import Cylinders, cylinders_of
    from scomm.fingerprints.search import (
        _compact_prescan,
        _index_scan,
        _scan,
        compact_codes,
        pooled_words,
    )

    column = backend._columns[1]  # position 1 of every live subject: the stages' own resident arrays
    templates = column.templates_of(np.flatnonzero(backend._live()))
    templates = templates[templates >= 0]
    pack = backend._full_pack(1, templates)  # full cylinders, as the exact stage builds them for a shortlist
    probe = next(iter(probes.values()))[1]
    cyl = cylinders_of(probe, backend.params.match)
    every = np.arange(len(pack.starts) - 1)
    rates = []
    for _ in range(5):
        start = time.perf_counter()
        _scan(cyl.bits, cyl.valid, cyl.minutiae, pack.bits, pack.valid, pack.minutiae, pack.starts, every,
              backend._constants)
        rates.append(len(every) / (time.perf_counter() - start))
    # per core: the same compiled scan on one thread, timed in CPU seconds so that other
    # workers' load on this shared machine does not count against it
    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    per_core = []
    for _ in range(5):
        start = time.process_time()
        _scan(cyl.bits, cyl.valid, cyl.minutiae, pack.bits, pack.valid, pack.minutiae, pack.starts, every,
              backend._constants)
        per_core.append(len(every) / (time.process_time() - start))
    numba.set_num_threads(threads)
    q = backend.search.prefilter_minutiae
    codes = compact_codes(Cylinders(cyl.bits[:q], cyl.valid[:q], cyl.minutiae[:q]), backend.params.match)
    angles = cyl.minutiae[:q, 2].astype(np.float32)
    pre, index = [], []
    for _ in range(5):  # the compact stage over every template of the position
        start = time.perf_counter()
        _compact_prescan(codes, angles, column.codes, column.angles, column.code_starts, templates,
                         backend.search.compact_max_angle, backend._min_common, pooled_words(backend.params.match))
        pre.append(len(templates) / (time.perf_counter() - start))
    table = backend.probe_table(cyl, backend.search.index_minutiae)
    rough = np.zeros(len(backend._ids), np.float32)
    for _ in range(5):  # the index stage's scan (the probe table is made once per probe finger)
        start = time.perf_counter()
        _index_scan(table, column.words, column.code_starts, column.owners, rough)
        index.append((len(column.code_starts) - 1) / (time.perf_counter() - start))
    return {"subjects": len(backend), "probes": len(probes), "median_s": float(np.median(times)),
            "p95_s": float(np.percentile(times, 95)), "rank1": rank1 / len(probes), "hit_rate": hits / len(probes),
            "comparisons_per_s": float(np.max(rates)), "per_core_per_s": float(np.max(per_core)),
            "prefilter_per_s": float(np.max(pre)), "index_per_s": float(np.max(index)),
            "shortlist": backend.search.shortlist}


def synthetic_bench(folder: Path) -> dict[str, float]:
    """Single-finger EER (all pairs) of the engine on synthetic impressions, generated when absent."""
    if not folder.is_dir() or not any(folder.iterdir()):
        from scomm.sim.ridges.calibration import write_fvc_folder
        write_fvc_folder(folder, 20, 8, 1)
    tpls = {}
    for key, file in scan_folder(folder).items():
        try:
            tpls[key] = extract(load_image(file)[0], 500)
        except PoorQualityError:
            tpls[key] = None
    gen, imp = protocol_scores(tpls, compare)["all_pairs"]
    return {**error_rates(gen, imp), "images": len(tpls), "fte": sum(t is None for t in tpls.values())}


def machine() -> str:
    try:
        info = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        model = re.search(r"Model name:\s*(.+)", info)
        name = model.group(1).strip() if model else platform.processor()
    except (OSError, subprocess.CalledProcessError):
        name = platform.processor()
    import os
    return f"{name}, {os.cpu_count()} cores (shared with other workers), Python {platform.python_version()}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("/work/shared/data/fingerprints/fvc2002"))
    ap.add_argument("--subjects", type=int, default=600)
    ap.add_argument("--write", type=Path, default=ROOT / "BENCHMARKS.md")
    ap.add_argument("--synthetic", type=Path, default=Path("/tmp/synth_fvc"))
    args = ap.parse_args()
    extract(load_image(args.data / "DB1_B" / "101_1.tif")[0])  # numba warm-up
    rows, templates, impostors, genuines = [], {}, [], []
    for db, ppi in SETS.items():
        tpls, ms = extract_timed(args.data / db, ppi)
        templates[db] = tpls
        scores = protocol_scores(tpls, compare)
        rates = {name: error_rates(g, i) for name, (g, i) in scores.items()}
        impostors += scores["all_pairs"][1]
        genuines += scores["all_pairs"][0]
        mins = np.mean([len(t) for t in tpls.values() if t is not None])
        fte = sum(t is None for t in tpls.values())
        rows.append((db, ppi, ms, mins, fte, rates))
        print(db, f"{ms:.1f} ms/image", {k: {kk: round(v, 2) for kk, v in r.items()} for k, r in rates.items()},
              flush=True)
    thresholds = {t: threshold_for(impostors, t) for t in (1e-6, 1e-9)}
    print("thresholds", thresholds, "impostor max", max(impostors), "mean", np.mean(impostors))
    ident = identify_bench(templates, args.subjects)
    print(ident)
    synth = synthetic_bench(args.synthetic)
    print("synthetic", synth)
    section = render(rows, thresholds, ident, genuines, impostors, synth)
    write_section(args.write, section)


HOW_CHOSEN = ("How the parameters were chosen, with every experiment kept or reverted: the next section "
              "(kept by hand; this benchmark never rewrites it).")


def render(rows, thresholds, ident, genuines, impostors, synth) -> str:  # type: ignore[no-untyped-def]
    db4 = next(r for r in rows if r[0] == "DB4_B")[5]["all_pairs"]
    lines = ["## Fingerprint engine", "",
             f"Measured {dt.date.today().isoformat()} on {machine()}.", "",
             "Command: `. .venv/bin/activate && python bench/fingerprints_bench.py`", "",
             f"Extractor {EXTRACTOR_VERSION}: " + 'structure-tensor orientation, global ridge period, separable oriented band-pass enhancement at three along-ridge smoothings (σ 3, 4.5, 6.5; the minutiae of the two smoother ones are added where the first found none within 10 px), Zhang–Suen thinning, crossing numbers, gentle false-minutia removal; quality per minutia (a learned reliability, `scomm.fingerprints.reliability`; the 72 most reliable are kept) and per image (coherence over the foreground). Matcher: bit-packed Minutia Cylinder-Code (16×16×6) with greedy one-to-one pairing (bucketed) and relaxation (numba), the score scaled by a global consolidation (minutiae mated under the best of 30 anchor alignments, over those in the common area); `explain()` returns the paired minutiae (`scomm fingerprints explain A B --out pair.png`).', "",
             HOW_CHOSEN, "",
             "| set | ppi | extract CPU ms/image (median) | minutiae | FTE | EER all-pairs | FMR100 | FMR1000 | ZeroFMR | "
             "EER FVC | FMR100 FVC | FMR1000 FVC | ZeroFMR FVC |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for db, ppi, ms, mins, fte, r in rows:
        a, f = r["all_pairs"], r["fvc"]
        lines.append(f"| {db} | {ppi} | {ms:.1f} | {mins:.0f} | {fte} | {a['eer']:.2f}% | {a['fmr100']:.2f}% | "
                     f"{a['fmr1000']:.2f}% | {a['zero_fmr']:.2f}% | {f['eer']:.2f}% | {f['fmr100']:.2f}% | "
                     f"{f['fmr1000']:.2f}% | {f['zero_fmr']:.2f}% |")
    lines += ["", "All-pairs: 280 genuine, 2,880 impostor comparisons per set; FVC protocol: 280 genuine, 45 impostor "
              "(so its FMR100, FMR1000 and ZeroFMR coincide). FVC2002 DB2 is resampled from 569 to 500 ppi. "
              "Extraction time is CPU time of one single-threaded call.", "",
              "| 1:N | value |", "|---|---|",
              f"| exact compiled scan, one probe finger vs gallery (2 threads, best of 5) | "
              f"{ident['comparisons_per_s']:,.0f} comparisons/s |",
              f"| exact compiled scan, one thread (CPU time, best of 5) | "
              f"{ident['per_core_per_s']:,.0f} comparisons/s per core |",
              f"| index stage scan (codeword table look-ups, 20 a template; 2 threads, best of 5) | "
              f"{ident['index_per_s']:,.0f} templates/s |",
              f"| compact stage scan (pooled cylinders, 10 × 20 a template; 2 threads, best of 5) | "
              f"{ident['prefilter_per_s']:,.0f} templates/s |",
              f"| identify, 10-finger probe vs {ident['subjects']} subjects (median / p95 over probes, best of 3 each) | "
              f"{ident['median_s'] * 1000:.0f} ms / {ident['p95_s'] * 1000:.0f} ms |",
              f"| pseudo ten-print mates found at rank 1 / as hits ({ident['probes']} probes) | "
              f"{ident['rank1']:.0%} / {ident['hit_rate']:.0%} |", "",
              "Gallery: 4 pseudo-subjects (the ten fingers of each FVC set, impression 1) plus fillers whose "
              "minutiae are real templates with shuffled directions; probes are impressions 2–8. Identify "
              f"ranks every subject with the compact stage (the index stage starts at 10,000 subjects) and scores the best {ident['shortlist']} exactly.", "",
              "| synthetic vs SFinGe | EER all-pairs | FMR100 | FMR1000 | ZeroFMR |", "|---|---|---|---|---|",
              f"| scomm.sim.ridges, 20 fingers × 8 (`python -m scomm.sim.ridges.calibration /tmp/synth_fvc`) | "
              f"{synth['eer']:.2f}% | {synth['fmr100']:.2f}% | {synth['fmr1000']:.2f}% | {synth['zero_fmr']:.2f}% |",
              f"| FVC2002 DB4_B (SFinGe) | {db4['eer']:.2f}% | {db4['fmr100']:.2f}% | {db4['fmr1000']:.2f}% | "
              f"{db4['zero_fmr']:.2f}% |", "",
              f"Ten-print threshold (sum of ten finger scores, impostor distribution = ten-fold convolution of "
              f"{len(impostors):,} pooled all-pairs impostor scores): FMR 1e-6 → {thresholds[1e-6]:.3f}, "
              f"FMR 1e-9 → {thresholds[1e-9]:.3f}. Single-finger impostor max {max(impostors):.3f}, "
              f"genuine median {np.median([g for g in genuines if np.isfinite(g)]):.3f}. "
              f"FusionParameters.threshold is {FusionParameters().threshold:.2f} (margin over the 1e-9 point).", ""]
    return "\n".join(lines)


def write_section(path: Path, section: str) -> None:
    text = path.read_text() if path.exists() else "# Benchmarks\n\n"
    pattern = re.compile(r"^## Fingerprint engine\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)


if __name__ == "__main__":
    main()
