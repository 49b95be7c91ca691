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
                         backend._constants[0], backend._min_common, pooled_words(backend.params.match))
        pre.append(len(templates) / (time.perf_counter() - start))
    table = backend.probe_table(cyl, backend.search.index_minutiae)
    for _ in range(5):  # the index stage's scan (the probe table is made once per probe finger)
        start = time.perf_counter()
        _index_scan(table, column.words, column.code_starts)
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


HOW_CHOSEN = """How parameters were chosen. Since 2026-11-30 a candidate change is decided on DB1_B + DB3_B (the
*tune* sets: average all-pairs EER, and 1 − AUC as a less noisy tie-breaker) and only then looked at on
DB2_B + DB4_B (the *confirm* sets); nothing is chosen per set. Before that (extractor 1.0 → 1.1) changes
were kept when the average over all four sets fell, so the 1.1 defaults are tuning-set figures. With 280
genuine pairs per set a single change moves one set's EER by about ±0.5 % at random.

Log, 2026-11-30 (extractor 1.1 unchanged; EER tune / confirm / average of four, baseline 7.14 / 4.10 / 5.62 %):

- Diagnosis against the vendor minutiae (.iso beside each image). Only DB4_B shares our frame (offset 6 px);
  DB1–DB3 coordinates are in a rescaled 300×400 frame, so their 2.5 % "vendor minutiae" figure is not a
  clean matcher bound (mapped to the image frame it is 1.87 %, see the ISO section). On DB4_B our minutiae find 76 % of the vendor's and 67 % of ours are found by the
  vendor (10 px, 30°); median direction error 4.5°. Of vendor minutiae ≥ 20 px inside our mask, 83 % are
  found, 9 % are detected but removed by the false-minutia filters, 8 % are never detected.
- Extractor, all reverted: bilinear sampling in the oriented filters 7.31 / 5.34 / 6.33; segmentation
  closing ×4 (fills notches) 9.99 / 6.38 / 8.19; ridge period from a whitened spectrum (power × f²)
  7.16 / 3.38 / 5.27 (helps DB1, DB2, DB4 but not DB3; neutral on the tune sets, 1 − AUC 2.76 vs 2.72, so not
  adopted), × f 7.85 / 3.58 / 5.72; period = median of 64×64 block spectra 7.51 / 4.85 / 6.18, whitened × f
  6.12 / 4.82 / 5.47 (tune better, confirm worse); minutiae below coherence 0.30 / 0.45 dropped
  10.40 / 6.78 / 8.59 and 19.27 / 17.14 / 18.20 (precision against the vendor rises to 0.75 / 0.82, EER
  climbs: missing minutiae still cost more than spurious ones); at most 100 minutiae 7.13 / 4.28 / 5.70;
  orientation σ 5 / 7: 9.00 / 5.88 / 7.44 and 7.40 / 4.47 / 5.94; gradient σ 1.3 / 0.8: 8.26 / 5.04 / 6.65
  and 8.20 / 3.43 / 5.82; trace length 14: 7.49 / 4.27 / 5.88 (8 and segmentation window 13: no change);
  bifurcation direction by a vote of its three branches (flipped bifurcations against the vendor on DB4_B
  33 → 23 of 329): 7.32 / 4.18 / 5.75.
- Matcher on the same templates, all reverted: distance tolerance growing with distance (μ + 5 % / 10 %)
  tune 7.49 / 7.67; local similarity weighted by minutia quality (√(qa·qb) to the power 0.5 / 1) tune
  9.63 / 13.03; nP at most 8: 7.23 / 4.13; nP 3…6: 7.21 / 4.45; δθ π/3 / π/4: 7.32 / 4.32 and 7.86 / 4.27;
  optimal one-to-one assignment (Hungarian, LSA-R) instead of greedy pairing 7.06 / 4.52 / 5.79; scores
  normalised by the impostor mean expected for the two minutiae counts (fitted on the tune sets; impostor
  score vs √(na·nb) correlation 0.29), subtracted or divided: 5.88–6.07 average.
- Kept: a faster exact-comparison kernel (same algorithm; scores equal to within 1e-3, EER unchanged,
  ten-print threshold points unchanged). Same run, one thread, CPU time, the 1,600 comparisons of 40 DB1_B
  templates called as the 1:N scan calls them: 159–193 µs → 62–85 µs per comparison (about 5,300–6,300 →
  12,000–16,000 per second; the machine was shared, load average ≈ 6 on 2 cores). Changes: the local
  similarity loop runs over contiguous words (validity expanded per angular section once per template;
  a cylinder's bits only live in its own valid cells, so one mask per side suffices), the angle test is a
  dot product, square roots come from a table; greedy pairing buckets the similarities and sorts only the
  buckets it reaches (a full sort of ≈700 similarities cost ≈50 µs; impostor pairings read a median of
  160 of them); relaxation skips pairs whose distance term is below 1e-3 before any exponential and uses
  one atan2 per pair. In the bench's own scan (600-subject pack, one probe finger, one thread, CPU time),
  same run: 10,600–12,900 → 22,000–28,400 comparisons/s per core. Caution: numba's on-disk cache does not
  notice a change in a kernel it inlined, so search.py's compiled scan kept the old `_score` until its
  cache files (`src/scomm/fingerprints/__pycache__/search.*.nbi/.nbc`) were deleted (this bench before
  that: 10,819/s per core; after: 23,968/s). After: ≈38 µs local similarities (≈717 non-zero cylinder pairs, ≈53 ns each),
  ≈12 µs pairing, ≈8 µs relaxation. Tried, not kept: bit-sliced per-cell counts (fewer popcounts but
  slower overall), branch-free gathering of angle-compatible rows (no gain). This host is Zen 3 (AVX2,
  no AVX-512), so popcounts are scalar. 200,000 comparisons/s per core is not reached and will not be by
  kernel tuning: at ≈50 ns per cylinder pair it needs fewer than 100 cylinder pairs per comparison,
  i.e. fewer or smaller cylinders, or a cheap pre-selection of pairs.

Log, extractor 1.0 → 1.1 (average EER over the four sets):

- 9.09 % baseline (1.0). Diagnosis: the *same* MCC matcher on the vendor's ISO minutiae scores 2.53 %
  average, so the extractor was the bottleneck. On DB4_B, dropping the ISO minutiae our extractor did not
  find raised that EER from 1.2 % to 14 %, while adding our unmatched (partly spurious) minutiae only
  raised it to 1.8 %: missing minutiae cost far more than spurious ones.
- 5.99 % gentler false-minutia removal (close pairs 6 → 3 px, facing endings 15 → 8 px, spurs 12 → 8 px,
  border 12 → 8 px); 5.82 % with border 10 px; 5.62 % with segmentation fraction 0.12 → 0.16.
  Going further (no close/facing removal, border 6 px) made it worse: 8.81 %.
- Did not help (reverted): local ridge frequency from 32×32 block spectra with a per-pixel band-pass
  (5.98–6.28 %, and 3–4× slower); local contrast normalisation before segmentation (10.6 %, noise
  becomes foreground); weaker along-ridge smoothing (σ 1.5: 14.7 %, σ 2.0: 8.1 %); wider across-ridge
  envelope (7.2 %); orientation σ 8 (6.2 %); a global-alignment consolidation (best Hough-style anchor pair,
  rigid refit, matched-pair count normalised by overlap: 7.9 % alone, 5.6 % fused with MCC, not worth its
  cost); LSS without one-to-one pairing (6.9–7.3 %); MCC variants (nR 40, nP up to 16, minVC 0.6,
  ω 30/70, δθ 0.8, μρ 8 px, 3 relaxation rounds, σS 7): all within ±0.3 % or worse. Also worse: dropping
  minutiae of quality < 0.25/0.35/0.45 (8.9/11.4/17.9 %), along-ridge σ 3.0 (6.2 %), across-ridge envelope
  0.38 (7.1 %), spurs 10 px (6.4 %), border 7 px (6.2 %), facing endings 6 px (6.4 %), close pairs 2 px
  (6.4 %); segmentation fraction 0.20/0.25 gave 5.52/5.79 % (flat: 0.16 kept).
- Extractor 1.0 per set (all-pairs EER): DB1_B 6.06 %, DB2_B 5.70 %, DB3_B 16.06 %, DB4_B 8.56 %;
  22–33 minutiae per image.
- Speed: more minutiae make an exact comparison about twice as dear, so 1:N runs in two stages
  (`SearchParameters`: a prefilter of best local similarities ranks every subject, the best 60 are
  compared exactly); cylinders are built 2.7× faster (a neighbour's angular weights are computed once
  per cylinder, not once per cell; identical bits).
- Synthetic impressions: with extractor 1.1 the synthetic EER is above DB4_B's, so the
  `ImpressionParameters` defaults were left as they are."""


def render(rows, thresholds, ident, genuines, impostors, synth) -> str:  # type: ignore[no-untyped-def]
    db4 = next(r for r in rows if r[0] == "DB4_B")[5]["all_pairs"]
    lines = ["## Fingerprint engine", "",
             f"Measured {dt.date.today().isoformat()} on {machine()}.", "",
             "Command: `. .venv/bin/activate && python bench/fingerprints_bench.py`", "",
             f"Extractor {EXTRACTOR_VERSION}: structure-tensor orientation, global ridge period, separable oriented "
             "band-pass enhancement, Zhang–Suen thinning, crossing numbers, gentle false-minutia removal; quality "
             "per minutia (local coherence × distance from the mask edge) and per image. Matcher: bit-packed "
             "Minutia Cylinder-Code (16×16×6) with greedy one-to-one pairing (bucketed) and relaxation (numba); "
             "`explain()` returns the paired minutiae (`scomm fingerprints explain A B --out pair.png`).", "",
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
