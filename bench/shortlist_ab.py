"""Search parameters A/B on one large synthetic gallery: identify latency and rank-1 hits of several
``SearchParameters``, alternating per probe so every variant meets the same host state, each search starting
with an empty cylinder cache (the shortlist's cylinders all built, as for a gallery whose shortlists rarely
repeat). Gallery and probes as in ``scale_bench.py`` (its cached pool).

    python bench/shortlist_ab.py 1000000 120
    python bench/shortlist_ab.py 1000000 120 anchors   # the matcher's anchor alignments: 10 of 30 counted, or all
"""
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale_bench as sb
from scomm.fingerprints import InProcessBackend, Template
from scomm.fingerprints.matching import constants

size, n_probes = int(sys.argv[1]), int(sys.argv[2])
family = sys.argv[3] if len(sys.argv) > 3 else "shortlist"
pool = sb.make_pool(Path('/tmp/scomm-scale-pool.json'), 660, 24, 2)
mates = pool['mates']
backend = InProcessBackend()
sources = [backend.pack(Template.from_bytes(b)) for person in pool['sources'] for b in person['enrol'].values()]
sb.fill(backend, size - len(mates), sources, 0)
for i, person in enumerate(mates):
    backend.enroll(f"mate-{i}", {p: Template.from_bytes(b) for p, b in person['enrol'].items()})
probes = [{p: Template.from_bytes(b) for p, b in person['probe'].items()} for person in mates]
backend.identify(probes[0])
base = backend.search
match = backend.params.match
if family == "anchors":  # (search parameters, matcher constants)
    configs = {'10 of 30 anchors counted': (base, constants(match)),
               'all 30 anchors counted': (base, constants(replace(match, mated_candidates=0)))}
else:
    configs = {name: (sp, constants(match)) for name, sp in {
        'shortlist 60, index 5%': replace(base, shortlist=60), 'shortlist 40': replace(base, shortlist=40),
        'shortlist 40, index 4.5%': replace(base, shortlist=40, index_keep=0.045),
        'shortlist 30': replace(base, shortlist=30)}.items()}
times = {k: [] for k in configs}; rank1 = {k: 0 for k in configs}
rng = np.random.default_rng(0)
picks = rng.choice(len(probes), n_probes, replace=False)
for n, i in enumerate(picks):
    for name, (sp, k) in configs.items():
        backend.search = sp
        backend._constants = k
        backend._cache = type(backend._cache)(backend._cache.budget)  # same cold cache for each
        t = time.perf_counter(); r = backend.identify(probes[i], top_k=10); times[name].append(time.perf_counter() - t)
        rank1[name] += bool(r) and r[0].subject_id == f"mate-{i}" and r[0].is_hit
    if n % 20 == 19:
        print(n + 1, {k: round(float(np.median(v)), 3) for k, v in times.items()}, flush=True)
print(json.dumps({k: {'p50': float(np.median(v)), 'p95': float(np.percentile(v, 95)), 'rank1_hits': rank1[k], 'probes': len(v)} for k, v in times.items()}, indent=1))
