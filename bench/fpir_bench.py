"""FNIR at FPIR on synthetic ten-prints: mated and non-mated 1:N searches against a gallery of --size subjects.

People come from ``bench/scale_bench.py``'s cached pool (``--pool``): ``mates`` synthetic people with an
enrolment and a booking capture's templates each, and ``sources`` people whose perturbed fingers fill the
gallery (see that module: fillers are the measured gallery's bulk, made from only 24 people's fingers).

The mates are split into two halves, and each half in turn is the gallery's real subjects (enrolled from
their enrolment capture, with fillers up to ``--size``) while the other half is never enrolled:

- *mated searches*: the enrolled half's booking captures; the mate's fused score is read from the
  candidate list (top 10; a mate not in it counts as a miss at every threshold);
- *non-mated searches*: ten-prints of the other half: for each finger position, the finger of a person
  drawn at random from that half, from one of their two captures. No finger of such a probe is in the
  gallery, and the generator draws every finger independently, so these are non-mated searches at every
  position; their highest candidate score is what a threshold must stay above.

FPIR(t) is the share of non-mated searches with any candidate at or above t; FNIR(t) the share of mated
searches whose mate is not returned at or above t. Reported: both at the gallery's decision threshold,
and FNIR at the threshold where FPIR is 0.1 % (the smallest t with FPIR(t) ≤ 0.1 %).

    python bench/fpir_bench.py --size 10000 --nonmated 1000
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_bench import fill, machine, make_pool  # noqa: E402

from scomm.fingerprints import InProcessBackend, Template  # noqa: E402

POSITIONS = range(1, 11)


def _templates(finger_bytes: dict[int, bytes]) -> dict[int, Template]:
    return {p: Template.from_bytes(b) for p, b in finger_bytes.items()}


def run_half(enrolled: list[dict], others: list[dict], size: int, nonmated: int, pool: dict, seed: int,
             device: str = "cpu") -> tuple[list[float], list[float], float]:
    """(mate scores of the mated searches, best scores of the non-mated searches, decision threshold)."""
    backend = InProcessBackend(device=device)
    sources = [backend.pack(Template.from_bytes(b)) for person in pool["sources"] for b in person["enrol"].values()]
    fill(backend, size - len(enrolled), sources, seed)
    for i, person in enumerate(enrolled):
        backend.enroll(f"mate-{i}", _templates(person["enrol"]))
    mated = []
    for i, person in enumerate(enrolled):
        found = [c.score for c in backend.identify(_templates(person["probe"]), top_k=10) if c.subject_id == f"mate-{i}"]
        mated.append(found[0] if found else -math.inf)
    rng = np.random.default_rng(seed)
    best = []
    started = time.perf_counter()
    for n in range(nonmated):
        probe = {}
        for p in POSITIONS:
            person = others[int(rng.integers(len(others)))]
            capture = person["enrol" if rng.random() < 0.5 else "probe"]
            if p in capture:
                probe[p] = Template.from_bytes(capture[p])
        result = backend.identify(probe, top_k=10)
        best.append(result[0].score if result else 0.0)
        if (n + 1) % 100 == 0:
            print(f"  {n + 1} non-mated searches, {(time.perf_counter() - started) / (n + 1):.2f} s each",
                  file=sys.stderr, flush=True)
    return mated, best, float(backend.params.threshold)


def rates(mated: np.ndarray, best: np.ndarray, threshold: float) -> tuple[float, float]:
    return float(np.mean(best >= threshold)), float(np.mean(mated < threshold))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--nonmated", type=int, default=1000, help="non-mated searches per half")
    parser.add_argument("--mates", type=int, default=212)
    parser.add_argument("--pool", type=Path, default=Path("/tmp/scomm-scale-pool.json"))
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--device", choices=["cpu", "gpu"], default="cpu",
                        help="where the compact stage runs (gpu: the whole gallery, no index; needs numba.cuda)")
    args = parser.parse_args()
    pool = make_pool(args.pool, args.mates, 24, 2)
    people = pool["mates"][: args.mates]
    half = len(people) // 2
    started = time.perf_counter()
    mated, best, thresholds = [], [], []
    for k, (enrolled, others) in enumerate([(people[:half], people[half:]), (people[half:], people[:half])]):
        m, b, t = run_half(enrolled, others, args.size, args.nonmated, pool, seed=1000 + k, device=args.device)
        mated += m
        best += b
        thresholds.append(t)
        print(f"half {k + 1}: {len(m)} mated, {len(b)} non-mated searches", file=sys.stderr, flush=True)
    mated_a, best_a = np.array(mated), np.array(best)
    threshold = thresholds[0]
    fpir, fnir = rates(mated_a, best_a, threshold)
    # the smallest threshold at which at most 0.1 % of non-mated searches return a candidate
    allowed = int(math.floor(0.001 * len(best_a)))
    ranked = np.sort(best_a)[::-1]
    t_01 = float(np.nextafter(ranked[allowed], np.inf)) if allowed < len(ranked) else 0.0
    fpir_01, fnir_01 = rates(mated_a, best_a, t_01)
    out = {"date": datetime.now(UTC).isoformat(timespec="minutes"), "machine": machine(),
           "command": "python " + " ".join(sys.argv), "device": args.device, "subjects": args.size, "mated_searches": len(mated),
           "nonmated_searches": len(best), "decision_threshold": threshold,
           "fpir_at_threshold": fpir, "fnir_at_threshold": fnir,
           "threshold_at_fpir_0.1%": t_01, "fpir_there": fpir_01, "fnir_at_fpir_0.1%": fnir_01,
           "nonmated_best_max": float(best_a.max()), "nonmated_best_p99": float(np.percentile(best_a, 99)),
           "mated_min": float(mated_a.min()), "mated_p01": float(np.percentile(mated_a, 1)),
           "mates_not_returned": int(np.sum(~np.isfinite(mated_a))), "seconds": time.perf_counter() - started}
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
