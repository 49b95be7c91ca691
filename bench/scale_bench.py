"""1:N scale: ten-print identify latency (p50/p95) and resident memory against gallery size.

Templates come from the synthetic generator (``scomm.sim``: AM-FM master fingers, realistic impressions,
then scomm's extractor). Rendering a master costs about 1.3 s of CPU, so a pool of distinct real templates
is made once (cached in ``--pool``) and large galleries are filled from it:

- *mates*: ``--mates`` synthetic people, ten fingers each, enrolled from one capture and searched with
  another (their probes are the measured searches; rank 1 is reported);
- *fillers*: every other gallery subject takes, for each finger position, a template of a *different*
  set of synthetic people (``--sources``), perturbed: rotated by up to ±20°, shifted by up to ±40 px,
  each minutia jittered by 2 px (normal) and 15 % of minutiae dropped. A filler's compact code (the
  first-stage index) is its source template's, since recomputing cylinders for millions of perturbed
  templates would take hours here; its minutiae (from which the exact stage builds cylinders) are the
  perturbed ones. No filler is made from a mate's finger, so mates meet fillers only as impostors.

Latency is wall time of ``InProcessBackend.identify`` (ten-finger probe, top 10) over all mates' probes,
after one warm-up search. Memory is the process's resident set size (VmRSS) growth while the gallery was
loaded, and the backend's own accounting (:meth:`InProcessBackend.resident_bytes`).

    python bench/scale_bench.py --sizes 10000 100000 --plot docs/scale.png --json bench/scale.json
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from scomm.fingerprints import InProcessBackend, Template
from scomm.fingerprints.search import FingerBlock, PackedFinger

POSITIONS = range(1, 11)
ENROL, PROBE = 1, 2


def _person_templates(seed: int) -> dict[str, dict[int, bytes]]:
    """Enrolment and probe captures of one synthetic person's ten fingers, as template bytes."""
    from scomm.errors import PoorQualityError
    from scomm.fingerprints import extract
    from scomm.sim.capture import BOOKING, ENROLMENT, PersonFingers

    fingers = PersonFingers(seed)
    out: dict[str, dict[int, bytes]] = {"enrol": {}, "probe": {}}
    for position in POSITIONS:
        for name, kind in (("enrol", ENROLMENT), ("probe", BOOKING)):
            try:
                out[name][position] = extract(fingers.capture(position, kind, 1), 500).to_bytes()
            except PoorQualityError:
                continue
    return out


def make_pool(path: Path, mates: int, sources: int, workers: int) -> dict[str, list[dict[str, dict[int, bytes]]]]:
    """Synthetic people for mates and filler sources, rendered once and cached as JSON of hex bytes."""
    if path.exists():
        cached = json.loads(path.read_text())
        if len(cached["mates"]) >= mates and len(cached["sources"]) >= sources:
            return {k: [{n: {int(p): bytes.fromhex(b) for p, b in f.items()} for n, f in person.items()}
                        for person in v] for k, v in cached.items()}
    from scomm.parallel import worker_pool

    seeds = [70_000 + i for i in range(mates + sources)]
    with worker_pool(workers) as pool:
        people = list(pool.map(_person_templates, seeds))
    result = {"mates": people[:mates], "sources": people[mates:]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({k: [{n: {p: b.hex() for p, b in f.items()} for n, f in person.items()}
                                    for person in v] for k, v in result.items()}))
    return result


def perturb(finger: PackedFinger, rng: np.random.Generator) -> PackedFinger:
    """Same code, minutiae rotated, shifted, jittered and thinned (see the module docstring)."""
    m = finger.minutiae.astype(np.float64)
    keep = rng.random(len(m)) >= 0.15
    keep[: min(len(m), 8)] |= ~keep.any()  # never empty
    m = m[keep]
    turn = rng.uniform(-math.radians(20), math.radians(20))
    centre = m[:, :2].mean(axis=0)
    c, s = math.cos(turn), math.sin(turn)
    xy = (m[:, :2] - centre) @ np.array([[c, s], [-s, c]]) + centre + rng.uniform(-40, 40, 2)
    xy += rng.normal(0.0, 2.0, xy.shape)
    theta = np.mod(m[:, 2] + turn + rng.normal(0.0, 0.05, len(m)), 2 * math.pi)
    return PackedFinger(finger.codes, finger.angles, np.column_stack([xy, theta]).astype(np.float32))


def fill(backend: InProcessBackend, count: int, sources: list[PackedFinger], seed: int, chunk: int = 20_000) -> None:
    """Enrol ``count`` filler subjects in blocks (bulk enrolment keeps Python overhead out of the way)."""
    rng = np.random.default_rng(seed)
    variants = [perturb(sources[i % len(sources)], rng) for i in range(max(len(sources) * 8, 1))]
    for start in range(0, count, chunk):
        ids = [f"filler-{i:07d}" for i in range(start, min(start + chunk, count))]
        blocks = {p: FingerBlock.of([variants[j] for j in rng.integers(len(variants), size=len(ids))])
                  for p in POSITIONS}
        backend.enroll_block(ids, blocks)


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def measure(size: int, pool: dict[str, list[dict[str, dict[int, bytes]]]], seed: int) -> dict[str, float]:
    mates = pool["mates"]
    before = rss_bytes()
    backend = InProcessBackend()
    sources = [backend.pack(Template.from_bytes(b)) for person in pool["sources"] for b in person["enrol"].values()]
    started = time.perf_counter()
    fill(backend, size - len(mates), sources, seed)
    for i, person in enumerate(mates):
        backend.enroll(f"mate-{i}", {p: Template.from_bytes(b) for p, b in person["enrol"].items()})
    load_s = time.perf_counter() - started
    probes = [{p: Template.from_bytes(b) for p, b in person["probe"].items()} for person in mates]
    backend.identify(probes[0])  # warm-up: compiles, consolidates the columns
    grown = rss_bytes() - before
    times, rank1, hits = [], 0, 0
    for i, probe in enumerate(probes):
        start = time.perf_counter()
        result = backend.identify(probe, top_k=10)
        times.append(time.perf_counter() - start)
        rank1 += bool(result) and result[0].subject_id == f"mate-{i}"
        hits += bool(result) and result[0].subject_id == f"mate-{i}" and result[0].is_hit
    accounted = backend.resident_bytes()
    return {"subjects": len(backend), "fingers": accounted["fingers"], "probes": len(probes),
            "p50_s": float(np.median(times)), "p95_s": float(np.percentile(times, 95)),
            "rss_growth_bytes": grown, "rss_per_finger": grown / accounted["fingers"],
            "gallery_bytes": accounted["gallery"], "gallery_per_finger": accounted["gallery"] / accounted["fingers"],
            "cylinder_cache_bytes": accounted["cylinder_cache"], "load_s": load_s,
            "rank1": rank1 / len(probes), "hit_rate": hits / len(probes)}


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    cores = len(os.sched_getaffinity(0))
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    return f"{model or platform.processor()}, {cores} cores, {memory:.0f} GiB, Python {platform.python_version()}"


def plot(rows: list[dict[str, float]], out: Path, extrapolated: dict[str, float] | None) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["subjects"] for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(sizes, [r["p50_s"] for r in rows], "o-", label="p50")
    left.plot(sizes, [r["p95_s"] for r in rows], "s--", label="p95")
    right.plot(sizes, [r["rss_growth_bytes"] / 2 ** 30 for r in rows], "o-", label="resident (RSS growth)")
    if extrapolated:
        left.plot([sizes[-1], extrapolated["subjects"]], [rows[-1]["p50_s"], extrapolated["p50_s"]], ":",
                  color="grey", label="p50, extrapolated")
        right.plot([sizes[-1], extrapolated["subjects"]],
                   [rows[-1]["rss_growth_bytes"] / 2 ** 30, extrapolated["rss_growth_bytes"] / 2 ** 30], ":",
                   color="grey", label="extrapolated")
    for axis, title, unit in ((left, "ten-print identify latency", "seconds"),
                              (right, "gallery memory", "GiB")):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("gallery subjects (ten fingers each)")
        axis.set_ylabel(unit)
        axis.set_title(title)
        axis.grid(True, which="both", alpha=0.3)
        axis.legend()
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)


def extrapolate(rows: list[dict[str, float]], target: int) -> dict[str, float]:
    """Linear in gallery size from the two largest measured points (both stages scan or grow linearly)."""
    a, b = rows[-2], rows[-1]
    slope = lambda key: (b[key] - a[key]) / (b["subjects"] - a["subjects"])  # noqa: E731
    return {"subjects": target, **{k: b[k] + slope(k) * (target - b["subjects"])
                                   for k in ("p50_s", "p95_s", "rss_growth_bytes")}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--mates", type=int, default=12)
    parser.add_argument("--sources", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2, help="processes rendering the synthetic pool")
    parser.add_argument("--pool", type=Path, default=Path("/tmp/scomm-scale-pool.json"))
    parser.add_argument("--extrapolate-to", type=int, default=1_000_000)
    parser.add_argument("--plot", type=Path, default=Path("docs/scale.png"))
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    started = time.perf_counter()
    pool = make_pool(args.pool, args.mates, args.sources, args.workers)
    pool = {"mates": pool["mates"][:args.mates], "sources": pool["sources"][:args.sources]}
    print(f"pool: {len(pool['mates'])} mates, {len(pool['sources'])} source people "
          f"({time.perf_counter() - started:.0f} s)", flush=True)
    rows = []
    for size in args.sizes:
        row = measure(size, pool, seed=size)
        rows.append(row)
        print(json.dumps(row), flush=True)
    far = extrapolate(rows, args.extrapolate_to) if len(rows) >= 2 and args.extrapolate_to > rows[-1]["subjects"] \
        else None
    plot(rows, args.plot, far)
    summary = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d"), "machine": machine(), "rows": rows,
               "extrapolated": far}
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
