"""GPU compact scan against the CPU kernel: same scores bit for bit, and comparisons per second on each.

One finger position of a gallery of ``--templates`` fingers is filled with the scale bench's real synthetic
templates (its pool, ``bench/scale_bench.py``), repeated; every search compares a probe finger's
``prefilter_minutiae`` pooled cylinders with every template's ``prefilter_gallery_minutiae``. Both
kernels run on the same arrays in the same process: the CPU one (numba, all cores) on a few probes, the
GPU one (numba.cuda) on many. Their scores must be equal, not close; the run fails otherwise.

    python bench/gpu_bench.py --templates 1000000 --pool /tmp/scomm-scale-pool.json --json bench/gpu.json
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from scomm.fingerprints import InProcessBackend, Template, gpu
from scomm.fingerprints.cylinders import Cylinders, cylinders_of
from scomm.fingerprints.search import _compact_prescan, compact_codes, pooled_words


def pooled_probe(backend: InProcessBackend, template: Template) -> tuple[np.ndarray, np.ndarray]:
    q = backend.search.prefilter_minutiae
    cyl = cylinders_of(template, backend.params.match)
    head = Cylinders(cyl.bits[:q], cyl.valid[:q], cyl.minutiae[:q])
    return compact_codes(head, backend.params.match), np.ascontiguousarray(cyl.minutiae[:q, 2], np.float32)


def gallery(backend: InProcessBackend, templates: list[Template], size: int) -> tuple[np.ndarray, ...]:
    """``size`` packed fingers, the pool's repeated in turn: codes, directions, template starts."""
    packed = [backend.pack(t) for t in templates]
    reps = -(-size // len(packed))
    counts = np.tile([len(p.codes) for p in packed], reps)[:size]
    codes = np.concatenate([p.codes for p in packed])
    angles = np.concatenate([p.angles for p in packed])
    whole = size // len(packed)
    tail = int(counts[whole * len(packed):].sum())
    codes = np.concatenate([np.tile(codes, (whole, 1)), codes[:tail]])
    angles = np.concatenate([np.tile(angles, whole), angles[:tail]])
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return np.ascontiguousarray(codes), np.ascontiguousarray(angles), starts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--templates", type=int, default=1_000_000)
    parser.add_argument("--pool", type=Path, default=Path("/tmp/scomm-scale-pool.json"))
    parser.add_argument("--cpu-probes", type=int, default=3)
    parser.add_argument("--gpu-probes", type=int, default=50)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    if not gpu.available():
        raise SystemExit("numba.cuda sees no GPU")
    from numba import cuda

    pool = json.loads(args.pool.read_text())
    enrol = [Template.from_bytes(bytes.fromhex(b)) for person in pool["sources"] + pool["mates"]
             for b in person["enrol"].values()]
    probes = [Template.from_bytes(bytes.fromhex(person["probe"][str(p)])) for person in pool["mates"]
              for p in (1, 2, 6, 7) if str(p) in person["probe"]]
    backend = InProcessBackend(codebook=None)
    k, min_common, w = backend.search.compact_max_angle, backend._min_common, pooled_words(backend.params.match)
    started = time.perf_counter()
    codes, angles, starts = gallery(backend, enrol, args.templates)
    pooled = [pooled_probe(backend, t) for t in probes[:args.gpu_probes]]
    print(f"gallery: {args.templates:,} templates, {len(codes):,} coded cylinders from {len(enrol)} real ones "
          f"({time.perf_counter() - started:.1f} s)", flush=True)

    which = np.arange(args.templates, dtype=np.int64)
    _compact_prescan(*pooled[0], codes[:1000], angles[:1000], starts[:11], which[:10], k, min_common, w)  # compile
    cpu_scores, cpu_times = [], []
    for p_codes, p_angles in pooled[:args.cpu_probes]:
        t0 = time.perf_counter()
        cpu_scores.append(_compact_prescan(p_codes, p_angles, codes, angles, starts, which, k, min_common, w))
        cpu_times.append(time.perf_counter() - t0)
    print(f"cpu: {np.median(cpu_times):.3f} s a probe finger", flush=True)

    t0 = time.perf_counter()
    d_codes, d_angles, d_starts = cuda.to_device(codes), cuda.to_device(angles), cuda.to_device(starts)
    cuda.synchronize()
    upload_s = time.perf_counter() - t0
    out = cuda.device_array(args.templates, np.float64)
    t0 = time.perf_counter()
    gpu.compact_scan(*pooled[0], d_codes, d_angles, d_starts, k, min_common, w, out)
    cuda.synchronize()
    compile_s = time.perf_counter() - t0
    identical = 0
    for (p_codes, p_angles), want in zip(pooled, cpu_scores):
        got = gpu.compact_scan(p_codes, p_angles, d_codes, d_angles, d_starts, k, min_common, w, out).copy_to_host()
        if not np.array_equal(got, want):
            bad = np.flatnonzero(got != want)
            raise SystemExit(f"GPU and CPU scores differ at {len(bad)} templates, first {bad[:5]}: "
                             f"{got[bad[:5]]} vs {want[bad[:5]]}")
        identical += 1
    gpu_times = []
    for p_codes, p_angles in pooled:
        t0 = time.perf_counter()
        gpu.compact_scan(p_codes, p_angles, d_codes, d_angles, d_starts, k, min_common, w, out)
        cuda.synchronize()
        gpu_times.append(time.perf_counter() - t0)
    try:
        name = cuda.get_current_device().name
        name = name.decode() if isinstance(name, bytes) else str(name)
    except AttributeError:  # numba's CUDA simulator
        name = "numba CUDA simulator"
    cpu_s, gpu_s = float(np.median(cpu_times)), float(np.median(gpu_times))
    cores = len(os.sched_getaffinity(0))
    result = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"), "gpu": name, "cpu_cores": cores, "templates": args.templates,
        "coded_cylinders": len(codes), "probe_cylinders": len(pooled[0][0]),
        "identical_probes": identical, "upload_s": upload_s, "first_launch_s": compile_s,
        "cpu_s_per_probe_finger": cpu_s, "gpu_s_per_probe_finger": gpu_s,
        "gpu_p95_s": float(np.percentile(gpu_times, 95)),
        "cpu_comparisons_per_s": args.templates / cpu_s, "cpu_comparisons_per_s_per_core": args.templates / cpu_s / cores,
        "gpu_comparisons_per_s": args.templates / gpu_s, "speedup": cpu_s / gpu_s,
        "ten_print_gpu_s_estimate": 10 * gpu_s,
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
