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
after one warm-up search and with the cylinder cache emptied; CPU time (all threads) is recorded beside it,
per stage too (index, compact, exact), with the share of mates each stage kept. Memory is the process's resident set size (VmRSS) growth while the gallery was
loaded, and the backend's own accounting (:meth:`InProcessBackend.resident_bytes`).

    python bench/scale_bench.py --sizes 10000 100000 --plot docs/scale.png --json bench/scale.json
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from scomm.fingerprints import EXTRACTOR_VERSION, InProcessBackend, Template
from scomm.fingerprints.cylinders import cylinders_of
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
    """Synthetic people for mates and filler sources, rendered once and cached as JSON of hex bytes.

    The first 12 mates and 24 sources are seeds 70,000-70,035 (the original pool); mates beyond them are
    seeds 71,012 onwards, so a larger pool extends a cached one (saved every 20 people) instead of
    re-rendering it."""
    from scomm.parallel import worker_pool

    decode = lambda people: [{n: {int(p): bytes.fromhex(b) for p, b in f.items()} for n, f in person.items()}
                             for person in people]
    cached = json.loads(path.read_text()) if path.exists() else {"mates": [], "sources": []}
    result = {k: decode(v) for k, v in cached.items()}
    stale = {Template.from_bytes(b).version for people in result.values() for person in people[:1]
             for b in list(person["enrol"].values())[:1]} - {EXTRACTOR_VERSION}
    if stale:  # templates of another extractor version would measure that version, not this one
        print(f"pool {path}: extractor {', '.join(sorted(stale))} templates, re-rendering with {EXTRACTOR_VERSION}",
              file=sys.stderr, flush=True)
        result = {"mates": [], "sources": []}
    if len(result["mates"]) >= mates and len(result["sources"]) >= sources:
        return result
    if len(result["sources"]) < sources or len(result["mates"]) < min(mates, 12):  # the original seed layout
        seeds = [70_000 + i for i in range(min(mates, 12) + sources)]
        with worker_pool(workers) as pool:
            people = list(pool.map(_person_templates, seeds))
        result = {"mates": people[:min(mates, 12)], "sources": people[min(mates, 12):]}
        _save_pool(path, result)
    while len(result["mates"]) < mates:
        first = len(result["mates"])
        seeds = [71_000 + i for i in range(first, min(first + 20, mates))]
        with worker_pool(workers) as pool:
            result["mates"].extend(pool.map(_person_templates, seeds))
        _save_pool(path, result)
        print(f"pool: {len(result['mates'])} mates rendered", file=sys.stderr, flush=True)
    return result


def _save_pool(path: Path, pool: dict[str, list[dict[str, dict[int, bytes]]]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({k: [{n: {p: b.hex() for p, b in f.items()} for n, f in person.items()}
                                   for person in v] for k, v in pool.items()}))
    tmp.replace(path)


def perturb(finger: PackedFinger, rng: np.random.Generator) -> PackedFinger:
    """Same codes and codewords, minutiae rotated, shifted, jittered and thinned (see the module docstring)."""
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
    return PackedFinger(finger.codes, finger.angles, np.column_stack([xy, theta]).astype(np.float32), finger.words,
                        finger.weights[keep])


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


def measure(size: int, pool: dict[str, list[dict[str, dict[int, bytes]]]], seed: int,
            device: str = "cpu") -> dict[str, float]:
    mates = pool["mates"]
    warm = InProcessBackend(device=device)  # compile every kernel first, so the baseline holds numba's code already
    warm.enroll("warm", {p: Template.from_bytes(b) for p, b in mates[0]["enrol"].items()})
    warm.identify({p: Template.from_bytes(b) for p, b in mates[0]["probe"].items()})
    warm.probe_table(cylinders_of(Template.from_bytes(mates[0]["probe"][1]), warm.params.match), 20)
    del warm
    before = rss_bytes()
    backend = InProcessBackend(device=device)
    sources = [backend.pack(Template.from_bytes(b)) for person in pool["sources"] for b in person["enrol"].values()]
    started = time.perf_counter()
    fill(backend, size - len(mates), sources, seed)
    for i, person in enumerate(mates):
        backend.enroll(f"mate-{i}", {p: Template.from_bytes(b) for p, b in person["enrol"].items()})
    load_s = time.perf_counter() - started
    probes = [{p: Template.from_bytes(b) for p, b in person["probe"].items()} for person in mates]
    backend.identify(probes[0])  # warm-up: compiles, consolidates the columns
    backend._cache = type(backend._cache)(backend._cache.budget)
    grown = rss_bytes() - before
    stages = _instrument(backend)
    times, cpu, rank1, hits, impostor_hits = [], [], 0, 0, 0
    kept0, kept1, per_stage = 0, 0, {"index": [], "compact": [], "exact": []}
    for i, probe in enumerate(probes):
        stages.clear()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = backend.identify(probe, top_k=10)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)  # all threads: the machine is shared, wall time is not ours
        row = backend._rows[f"mate-{i}"]
        index_s = stages.get("index_s", (0.0, 0.0))
        shortlist_s = stages.get("shortlist_s", (0.0, 0.0))
        per_stage["index"].append(index_s)
        per_stage["compact"].append((shortlist_s[0] - index_s[0], shortlist_s[1] - index_s[1]))
        per_stage["exact"].append((times[-1] - shortlist_s[0], cpu[-1] - shortlist_s[1]))
        kept0 += "index" not in stages or row in stages["index"]
        kept1 += "shortlist" not in stages or row in stages["shortlist"]
        found = bool(result) and result[0].subject_id == f"mate-{i}"
        rank1 += found
        hits += found and result[0].is_hit
        impostor_hits += any(c.is_hit for c in result if c.subject_id != f"mate-{i}")
    accounted = backend.resident_bytes()
    fingers = accounted["fingers"]
    stage = lambda name, k: float(np.median([x[k] for x in per_stage[name]]))
    survivors = max(backend.search.index_keep_min, math.ceil(backend.search.index_keep * len(backend)))
    scanned = survivors if "index" in stages else len(backend)  # subjects the compact stage scored
    return {"subjects": len(backend), "fingers": fingers, "probes": len(probes), "device": backend.device,
            "p50_s": float(np.median(times)), "p95_s": float(np.percentile(times, 95)),
            "cpu_p50_s": float(np.median(cpu)), "cpu_p95_s": float(np.percentile(cpu, 95)),
            "index_p50_s": stage("index", 0), "index_cpu_p50_s": stage("index", 1),
            "compact_p50_s": stage("compact", 0), "compact_cpu_p50_s": stage("compact", 1),
            "exact_p50_s": stage("exact", 0), "exact_cpu_p50_s": stage("exact", 1),
            "indexed": "index" in stages, "index_survivors": scanned,
            "index_ns_per_finger_cpu": stage("index", 1) / fingers * 1e9 if "index" in stages else None,
            "compact_ns_per_finger_cpu": stage("compact", 1) / (fingers * min(scanned, len(backend)) / len(backend))
            * 1e9,
            "mates_kept_by_index": kept0 / len(probes), "mates_kept_by_compact": kept1 / len(probes),
            "load_average": os.getloadavg()[0],
            "rss_growth_bytes": grown, "rss_per_finger": grown / fingers,
            "gallery_bytes": accounted["gallery"], "gallery_per_finger": accounted["gallery"] / fingers,
            "cylinder_cache_bytes": accounted["cylinder_cache"], "load_s": load_s,
            "rank1": rank1 / len(probes), "hit_rate": hits / len(probes),
            "searches_with_impostor_hit": impostor_hits / len(probes)}


def _instrument(backend: InProcessBackend) -> dict[str, object]:
    """Wrap the backend's stages: their rows and (wall, CPU) seconds of the latest search."""
    seen: dict[str, object] = {}

    def wrap(name: str, method):
        def timed(*args, **kwargs):
            wall, cpu = time.perf_counter(), time.process_time()
            rows = method(*args, **kwargs)
            seen[name + "_s"] = (time.perf_counter() - wall, time.process_time() - cpu)
            seen[name] = set(rows.tolist())
            return rows
        return timed

    backend._index_survivors = wrap("index", backend._index_survivors)  # type: ignore[method-assign]
    backend._shortlist = wrap("shortlist", backend._shortlist)  # type: ignore[method-assign]
    return seen


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0))
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    return f"{model or platform.processor()}, {cores} cores, {memory:.0f} GiB, Python {platform.python_version()}"


def plot(rows: list[dict[str, float]], out: Path, extrapolated: dict[str, float] | None) -> None:
    """Two log-log panels (latency, memory) drawn with Pillow, so the benchmark needs no plotting library."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1000, 420), "white")
    draw = ImageDraw.Draw(image)
    far = [extrapolated] if extrapolated else []
    panels = [("ten-print identify latency (s)", [("p50", "p50_s", (31, 119, 180)), ("p95", "p95_s", (255, 127, 14)),
                                                   ("CPU p50 (both threads)", "cpu_p50_s", (148, 103, 189)),
                                                   ("index stage CPU p50", "index_cpu_p50_s", (44, 160, 44)),
                                                   ("compact stage CPU p50", "compact_cpu_p50_s", (214, 39, 40)),
                                                   ("exact stage CPU p50", "exact_cpu_p50_s", (127, 127, 127))]),
              ("resident memory (GiB, RSS growth)", [("gallery", "rss_gib", (31, 119, 180))])]
    points = [dict(r, rss_gib=r["rss_growth_bytes"] / 2 ** 30) for r in rows]
    far_points = [dict(r, rss_gib=r["rss_growth_bytes"] / 2 ** 30) for r in far]
    for k, (title, series) in enumerate(panels):
        box = (70 + 500 * k, 40, 470 + 500 * k, 360)
        values = [p[key] for p in points + far_points for _, key, _ in series if p.get(key)]
        sizes = [p["subjects"] for p in points + far_points]
        _axes(draw, box, title, (min(sizes), max(sizes)), (min(values), max(values)))
        for label, key, colour in series:
            line = [_at(box, p["subjects"], p[key], (min(sizes), max(sizes)), (min(values), max(values)))
                    for p in points if p.get(key)]
            draw.line(line, fill=colour, width=2)
            for x, y in line:
                draw.ellipse((x - 3, y - 3, x + 3, y + 3), fill=colour)
            if far_points and far_points[0].get(key):
                end = _at(box, far_points[0]["subjects"], far_points[0][key], (min(sizes), max(sizes)),
                          (min(values), max(values)))
                _dashed(draw, line[-1], end, colour)
            draw.text((box[0] + 8, box[1] + 8 + 14 * series.index((label, key, colour))), label, fill=colour)
    draw.text((70, 395), "gallery subjects, ten fingers each (log); dashed: extrapolated", fill="black")
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(out)


def _at(box: tuple[int, int, int, int], x: float, y: float, xs: tuple[float, float], ys: tuple[float, float]
        ) -> tuple[float, float]:
    fx = (math.log10(x) - math.log10(xs[0])) / max(math.log10(xs[1]) - math.log10(xs[0]), 1e-9)
    low, high = math.log10(ys[0]) - 0.1, math.log10(ys[1]) + 0.1
    fy = (math.log10(y) - low) / (high - low)
    return box[0] + fx * (box[2] - box[0]), box[3] - fy * (box[3] - box[1])


def _axes(draw: object, box: tuple[int, int, int, int], title: str, xs: tuple[float, float],
          ys: tuple[float, float]) -> None:
    draw.rectangle(box, outline="black")  # type: ignore[attr-defined]
    draw.text((box[0], box[1] - 20), title, fill="black")  # type: ignore[attr-defined]
    for exponent in range(math.floor(math.log10(xs[0])), math.ceil(math.log10(xs[1])) + 1):
        if xs[0] <= 10 ** exponent <= xs[1]:
            x, _ = _at(box, 10 ** exponent, ys[0], xs, ys)
            draw.text((x - 12, box[3] + 4), f"1e{exponent}", fill="black")  # type: ignore[attr-defined]
    for value in (ys[0], ys[1]):
        _, y = _at(box, xs[0], value, xs, ys)
        draw.text((box[0] - 62, y - 6), f"{value:.3g}", fill="black")  # type: ignore[attr-defined]


def _dashed(draw: object, start: tuple[float, float], end: tuple[float, float], colour: tuple[int, int, int]) -> None:
    for i in range(0, 20, 2):
        a = (start[0] + (end[0] - start[0]) * i / 20, start[1] + (end[1] - start[1]) * i / 20)
        b = (start[0] + (end[0] - start[0]) * (i + 1) / 20, start[1] + (end[1] - start[1]) * (i + 1) / 20)
        draw.line([a, b], fill=colour, width=2)  # type: ignore[attr-defined]


def extrapolate(rows: list[dict[str, float]], target: int) -> dict[str, float]:
    """Linear in gallery size from the two largest measured points (both stages scan or grow linearly)."""
    a, b = rows[-2], rows[-1]
    slope = lambda key: (b[key] - a[key]) / (b["subjects"] - a["subjects"])
    return {"subjects": target, **{k: b[k] + slope(k) * (target - b["subjects"])
                                   for k in ("p50_s", "p95_s", "cpu_p50_s", "rss_growth_bytes")
                                   if k in a and k in b}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--mates", type=int, default=12)
    parser.add_argument("--sources", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2, help="processes rendering the synthetic pool")
    parser.add_argument("--pool", type=Path, default=Path("/tmp/scomm-scale-pool.json"))
    parser.add_argument("--extrapolate-to", type=int, default=0)
    parser.add_argument("--plot", type=Path, default=Path("docs/scale.png"))
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--device", choices=["cpu", "gpu"], default="cpu",
                        help="where the compact stage runs (gpu: the whole gallery, no index; needs numba.cuda)")
    parser.add_argument("--one", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    started = time.perf_counter()
    pool = make_pool(args.pool, args.mates, args.sources, args.workers)
    pool = {"mates": pool["mates"][:args.mates], "sources": pool["sources"][:args.sources]}
    if not args.one:
        print(f"pool: {len(pool['mates'])} mates, {len(pool['sources'])} source people "
              f"({time.perf_counter() - started:.0f} s)", flush=True)
    if args.one:
        print(json.dumps(measure(args.one, pool, seed=args.one, device=args.device)))
        return
    rows = []
    for size in args.sizes:  # a fresh process per size: memory freed by one gallery never flatters the next
        command = [sys.executable, __file__, "--one", str(size), "--pool", str(args.pool), "--mates",
                   str(args.mates), "--sources", str(args.sources), "--device", args.device]
        row = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
        rows.append(row)
        print(json.dumps(row), flush=True)
    far = extrapolate(rows, args.extrapolate_to) if len(rows) >= 2 and args.extrapolate_to > rows[-1]["subjects"] \
        else None
    plot(rows, args.plot, far)
    summary = {"date": datetime.now(UTC).strftime("%Y-%m-%d"), "machine": machine(), "rows": rows,
               "extrapolated": far}
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
