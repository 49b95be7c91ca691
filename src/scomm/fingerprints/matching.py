"""One-to-one comparison: MCC local similarities consolidated by greedy pairing and relaxation.

The score is the mean relaxed similarity of the nP most geometrically consistent minutia pairs:
0 for unrelated prints (no pairs survive), rising towards 1 as more of the two prints'
minutiae agree in their neighbourhoods *and* with each other's relative positions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

from scomm.fingerprints.cylinders import Cylinders, cell_words, cylinders_of, disc_cells
from scomm.fingerprints.parameters import MatchParameters
from scomm.fingerprints.templates import Template

_DEFAULT = MatchParameters()


def compare(a: Template, b: Template, params: MatchParameters = _DEFAULT) -> float:
    """Similarity of two templates, 0..1 (higher = more similar; 0 for unrelated prints).

    See :func:`explain` for the minutia pairs behind the score.
    """
    return compare_cylinders(cylinders_of(a, params), cylinders_of(b, params), params)


def compare_cylinders(a: Cylinders, b: Cylinders, params: MatchParameters = _DEFAULT) -> float:
    if len(a) == 0 or len(b) == 0:
        return 0.0
    return float(_score(a.bits, a.valid, a.minutiae, b.bits, b.valid, b.minutiae, constants(params)))


@dataclass(frozen=True)
class Explanation:
    """Why two templates scored what they did: the examiner's view of one comparison.

    ``pairs`` are (i, j) indices into ``a.minutiae`` and ``b.minutiae`` of the minutia pairs that
    carried the score (the nP pairs relaxation kept), strongest first; ``weights`` their relaxed
    similarities (each pair contributes ``weight / len(pairs)`` to ``score``).
    """

    score: float
    pairs: list[tuple[int, int]]
    weights: list[float]


def explain(a: Template, b: Template, params: MatchParameters = _DEFAULT) -> Explanation:
    """:func:`compare` plus the paired minutiae behind its score (same score, same kernel)."""
    ca, cb = cylinders_of(a, params), cylinders_of(b, params)
    if len(ca) == 0 or len(cb) == 0:
        return Explanation(0.0, [], [])
    score, pa, pb, lam = _consolidate(ca.bits, ca.valid, ca.minutiae, cb.bits, cb.valid, cb.minutiae,
                                      constants(params))
    ia, ib = _template_rows(a, ca), _template_rows(b, cb)
    keep = lam > 0.0
    return Explanation(float(score), [(int(ia[i]), int(ib[j])) for i, j in zip(pa[keep], pb[keep])],
                       [float(v) for v in lam[keep]])


def _template_rows(template: Template, cyl: Cylinders) -> np.ndarray:
    """Row in ``template.minutiae`` of each cylinder (cylinders keep a subset, in order)."""
    rows = np.empty(len(cyl), dtype=np.int64)
    src = template.minutiae[:, :3]
    r = 0
    for k, m in enumerate(cyl.minutiae):
        while not np.array_equal(src[r], m):
            r += 1
        rows[k] = r
        r += 1
    return rows


def constants(params: MatchParameters) -> np.ndarray:
    """The matcher's parameters as the flat float array the compiled kernels take."""
    return np.array([params.max_angle, params.min_matchable * disc_cells(params), cell_words(params),
                     params.min_np, params.max_np, params.mu_p, params.tau_p, params.relax_pairs,
                     params.relax_iterations, params.relax_weight, params.mu_rho_distance,
                     params.tau_rho_distance, params.mu_rho_angle, params.tau_rho_angle], dtype=np.float64)


@intrinsic
def _popcount(typingctx, x):  # pragma: no cover - compiled
    sig = types.uint64(types.uint64)

    def codegen(context, builder, signature, args):
        fn = builder.module.declare_intrinsic("llvm.ctpop", [ir.IntType(64)])
        return builder.call(fn, args)

    return sig, codegen


@njit(cache=True)
def _wrap(a):  # pragma: no cover - compiled
    # branches, not fmod: inputs are differences of angles already in [-2π, 2π]
    while a >= math.pi:
        a -= 2.0 * math.pi
    while a < -math.pi:
        a += 2.0 * math.pi
    return a


@njit(cache=True)
def _sigmoid(v, mu, tau):  # pragma: no cover - compiled
    return 1.0 / (1.0 + math.exp(-tau * (v - mu)))


@njit(cache=True)
def _local(bits_a, valid_a, i, bits_b, valid_b, j, min_common, cw):  # pragma: no cover - compiled
    """Bit-MCC similarity of cylinders a[i] and b[j] over their commonly valid cells."""
    common = 0
    for w in range(cw):
        common += _popcount(valid_a[i, w] & valid_b[j, w])
    if common < min_common:
        return 0.0
    na = 0
    nb = 0
    nd = 0
    for c in range(cw):
        m = valid_a[i, c] & valid_b[j, c]
        for w in range(c, bits_a.shape[1], cw):  # the same cells in every angular section
            x = bits_a[i, w] & m
            y = bits_b[j, w] & m
            na += _popcount(x)
            nb += _popcount(y)
            nd += _popcount(x ^ y)
    if na + nb == 0:
        return 0.0
    return 1.0 - math.sqrt(nd) / (math.sqrt(na) + math.sqrt(nb))


@njit(cache=True)
def _score(bits_a, valid_a, mins_a, bits_b, valid_b, mins_b, k):  # pragma: no cover - compiled
    return _consolidate(bits_a, valid_a, mins_a, bits_b, valid_b, mins_b, k)[0]


@njit(cache=True)
def _consolidate(bits_a, valid_a, mins_a, bits_b, valid_b, mins_b, k):  # pragma: no cover - compiled
    """Score and the kept pairs (rows of a, rows of b, relaxed similarity), strongest first."""
    na = bits_a.shape[0]
    nb = bits_b.shape[0]
    cw = int(k[2])
    # local similarity matrix, kept sparse: most pairs fail the angle or overlap test
    sims = np.empty(na * nb)
    rows = np.empty(na * nb, dtype=np.int64)
    cols = np.empty(na * nb, dtype=np.int64)
    m = 0
    for i in range(na):
        ta = mins_a[i, 2]
        for j in range(nb):
            if abs(_wrap(ta - mins_b[j, 2])) > k[0]:
                continue
            s = _local(bits_a, valid_a, i, bits_b, valid_b, j, k[1], cw)
            if s > 0.0:
                sims[m] = s
                rows[m] = i
                cols[m] = j
                m += 1
    if m == 0:
        none = np.zeros(0, dtype=np.int64)
        return 0.0, none, none, np.zeros(0)
    n_p = int(k[3] + round(_sigmoid(min(na, nb), k[5], k[6]) * (k[4] - k[3])))
    # greedy one-to-one pairing of the strongest local matches (a cheap stand-in for LSA)
    order = np.argsort(-sims[:m])
    n_r = int(min(k[7], min(na, nb)))
    used_a = np.zeros(na, dtype=np.bool_)
    used_b = np.zeros(nb, dtype=np.bool_)
    pa = np.empty(n_r, dtype=np.int64)
    pb = np.empty(n_r, dtype=np.int64)
    lam = np.empty(n_r)
    r = 0
    for o in order:
        if r >= n_r:
            break
        i = rows[o]
        j = cols[o]
        if used_a[i] or used_b[j]:
            continue
        used_a[i] = True
        used_b[j] = True
        pa[r] = i
        pb[r] = j
        lam[r] = sims[o]
        r += 1
    score, best, relaxed = _relax(pa[:r], pb[:r], lam[:r], mins_a, mins_b, n_p, k)
    return score, pa[:r][best], pb[:r][best], relaxed[best]


@njit(cache=True)
def _relax(pa, pb, lam0, mins_a, mins_b, n_p, k):  # pragma: no cover - compiled
    """MCC relaxation: pairs keep their weight only if other pairs agree with their geometry."""
    r = pa.shape[0]
    if r < 2:
        return lam0.sum() / n_p, np.arange(r), lam0.copy()
    rho = np.zeros((r, r))
    for t in range(r):
        at = mins_a[pa[t]]
        bt = mins_b[pb[t]]
        for q in range(t + 1, r):
            aq = mins_a[pa[q]]
            bq = mins_b[pb[q]]
            da = math.hypot(at[0] - aq[0], at[1] - aq[1])
            db = math.hypot(bt[0] - bq[0], bt[1] - bq[1])
            z1 = _sigmoid(abs(da - db), k[10], k[11])
            if z1 < 1e-3:  # distances disagree: the pair cannot support each other, skip the angles
                continue
            d2 = abs(_wrap(_wrap(at[2] - aq[2]) - _wrap(bt[2] - bq[2])))
            ra = _wrap(at[2] - math.atan2(aq[1] - at[1], aq[0] - at[0]))
            rb = _wrap(bt[2] - math.atan2(bq[1] - bt[1], bq[0] - bt[0]))
            d3 = abs(_wrap(ra - rb))
            v = z1 * _sigmoid(d2, k[12], k[13]) * _sigmoid(d3, k[12], k[13])
            rho[t, q] = v
            rho[q, t] = v
    lam = lam0.copy()
    nxt = np.empty(r)
    w = k[9]
    for _ in range(int(k[8])):
        for t in range(r):
            acc = 0.0
            for q in range(r):
                acc += rho[t, q] * lam[q]
            nxt[t] = w * lam[t] + (1.0 - w) * acc / (r - 1)
        lam[:] = nxt
    efficiency = lam / lam0
    best = np.argsort(-efficiency)[:n_p]
    best = best[np.argsort(-lam[best])]
    return lam[best].sum() / n_p, best, lam
