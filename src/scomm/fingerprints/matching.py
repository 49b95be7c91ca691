"""One-to-one comparison: MCC local similarities consolidated by greedy pairing, relaxation and a
global alignment.

The LSS-R score is the mean relaxed similarity of the nP most geometrically consistent minutia
pairs: 0 for unrelated prints (no pairs survive), rising towards 1 as more of the two prints'
minutiae agree in their neighbourhoods *and* with each other's relative positions. LSS-R only
looks at a few pairs, so it is then scaled by how many minutiae the two prints share under one
rigid alignment, relative to how many lie in their common area (:func:`_mated`): a genuine pair
whose neighbourhoods were spoilt by missing or spurious minutiae still has many minutiae in the
same places, an impostor pair rarely does. A chance pairing lies anywhere within the pairing
tolerance and a true one mostly near its partner, so each mated pair counts by how closely it agrees.
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
    carried the LSS-R score (the nP pairs relaxation kept), strongest first; ``weights`` their relaxed
    similarities. ``mated`` is how many minutiae paired one-to-one under the best single rigid
    alignment, and ``common`` how many of each print's minutiae lay within reach of the other's there,
    each counted by its reliability weight (so 12.4 can mean 15 minutiae, a few doubtful): the global
    consolidation that scaled the LSS-R score into ``score``. ``agreement`` is the mated count the score
    used: each mated pair counted by how closely it agrees once aligned (1 for a perfect fit, about 0.6 for
    a pair 12 px apart, or 20° apart; see ``MatchParameters.mated_sigma``).
    """

    score: float
    pairs: list[tuple[int, int]]
    weights: list[float]
    mated: int = 0
    common: tuple[float, float] = (0.0, 0.0)
    agreement: float = 0.0


def explain(a: Template, b: Template, params: MatchParameters = _DEFAULT) -> Explanation:
    """:func:`compare` plus the paired minutiae behind its score (same score, same kernel)."""
    ca, cb = cylinders_of(a, params), cylinders_of(b, params)
    if len(ca) == 0 or len(cb) == 0:
        return Explanation(0.0, [], [])
    score, pa, pb, lam, mated, soft, near_a, near_b = _consolidate(ca.bits, ca.valid, ca.minutiae, cb.bits, cb.valid,
                                                              cb.minutiae, constants(params))
    ia, ib = _template_rows(a, ca), _template_rows(b, cb)
    keep = lam > 0.0
    return Explanation(float(score), [(int(ia[i]), int(ib[j])) for i, j in zip(pa[keep], pb[keep])],
                       [float(v) for v in lam[keep]], int(mated), (round(float(near_a), 2), round(float(near_b), 2)),
                       round(float(soft), 2))


def _template_rows(template: Template, cyl: Cylinders) -> np.ndarray:
    """Row in ``template.minutiae`` of each cylinder (cylinders keep a subset, in order)."""
    rows = np.empty(len(cyl), dtype=np.int64)
    src = template.minutiae[:, :3]
    r = 0
    for k, m in enumerate(cyl.minutiae[:, :3]):
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
                     params.tau_rho_distance, params.mu_rho_angle, params.tau_rho_angle, params.mated_anchors,
                     params.mated_distance, params.mated_angle, params.mated_reach, params.mated_exponent,
                     params.overlap_exponent, params.mated_refits, params.mated_sigma, params.mated_sigma_angle,
                     params.mated_candidates],
                    dtype=np.float64)


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
    """Bit-MCC similarity of cylinders a[i] and b[j] over their commonly valid cells.

    A cylinder's bits are only ever set in its own valid cells, so masking a's bits with b's
    validity (and b's with a's) restricts both to the common cells.
    """
    common = 0
    for w in range(cw):
        common += _popcount(valid_a[i, w] & valid_b[j, w])
    if common < min_common:
        return 0.0
    na = 0
    nb = 0
    nd = 0
    for c in range(cw):
        va = valid_a[i, c]
        vb = valid_b[j, c]
        for w in range(c, bits_a.shape[1], cw):  # the same cells in every angular section
            x = bits_a[i, w] & vb
            y = bits_b[j, w] & va
            na += _popcount(x)
            nb += _popcount(y)
            nd += _popcount(x ^ y)
    if na + nb == 0:
        return 0.0
    return 1.0 - math.sqrt(nd) / (math.sqrt(na) + math.sqrt(nb))


# square roots of every bit count a cylinder of up to 64 words can have: a table lookup is cheaper
# than three square roots per cylinder pair
_ROOTS = np.sqrt(np.arange(64 * 64 + 1, dtype=np.float64))


@njit(cache=True)
def _wide_validity(valid, words):  # pragma: no cover - compiled
    """Validity repeated for every angular section, so a cylinder pair is one contiguous word loop."""
    n, cw = valid.shape
    out = np.empty((n, words), dtype=np.uint64)
    for i in range(n):
        for w in range(words):
            out[i, w] = valid[i, w % cw]
    return out


@njit(cache=True)
def _score(bits_a, valid_a, mins_a, bits_b, valid_b, mins_b, k):  # pragma: no cover - compiled
    # a 1:N scan passes row slices of its packed gallery, which numba types as non-contiguous;
    # copies of a few hundred words let the kernel compile for unit-stride access
    return _consolidate(np.ascontiguousarray(bits_a), np.ascontiguousarray(valid_a), np.ascontiguousarray(mins_a),
                        np.ascontiguousarray(bits_b), np.ascontiguousarray(valid_b), np.ascontiguousarray(mins_b),
                        k)[0]


@njit(cache=True)
def _local_matrix(bits_a, valid_a, mins_a, bits_b, valid_b, mins_b, k):  # pragma: no cover - compiled
    """Non-zero local similarities (values, rows of a, rows of b) of every pair within max_angle.

    Same value as :func:`_local`; this is the hot loop of a comparison, so the validity is
    expanded to every word once per template (one contiguous loop of popcounts per pair), the
    angle test is a dot product of unit vectors, and square roots come from a table.
    """
    na = bits_a.shape[0]
    nb = bits_b.shape[0]
    cw = valid_a.shape[1]
    words = bits_a.shape[1]
    roots = _ROOTS if words * 64 < _ROOTS.shape[0] else np.sqrt(np.arange(words * 64 + 1, dtype=np.float64))
    wide_a = _wide_validity(valid_a, words)
    wide_b = _wide_validity(valid_b, words)
    # |wrap(θa − θb)| ≤ max_angle ⇔ cos(θa − θb) ≥ cos(max_angle)
    cos_a = np.cos(mins_a[:, 2].astype(np.float64))
    sin_a = np.sin(mins_a[:, 2].astype(np.float64))
    cos_b = np.cos(mins_b[:, 2].astype(np.float64))
    sin_b = np.sin(mins_b[:, 2].astype(np.float64))
    min_cos = math.cos(k[0])
    min_common = k[1]
    sims = np.empty(na * nb)
    rows = np.empty(na * nb, dtype=np.int64)
    cols = np.empty(na * nb, dtype=np.int64)
    m = 0
    for i in range(na):
        for j in range(nb):
            if cos_a[i] * cos_b[j] + sin_a[i] * sin_b[j] < min_cos:
                continue
            common = 0
            for w in range(cw):
                common += _popcount(valid_a[i, w] & valid_b[j, w])
            if common < min_common:
                continue
            x_bits = 0
            y_bits = 0
            differ = 0
            for w in range(words):
                x = bits_a[i, w] & wide_b[j, w]
                y = bits_b[j, w] & wide_a[i, w]
                x_bits += _popcount(x)
                y_bits += _popcount(y)
                differ += _popcount(x ^ y)
            if x_bits + y_bits == 0:
                continue
            s = 1.0 - roots[differ] / (roots[x_bits] + roots[y_bits])
            if s > 0.0:
                sims[m] = s
                rows[m] = i
                cols[m] = j
                m += 1
    return sims[:m], rows[:m], cols[:m]


_BINS = 512  # similarity buckets for the greedy pairing's partial ordering


@njit(cache=True)
def _greedy_pairs(sims, rows, cols, na, nb, n_r):  # pragma: no cover - compiled
    """One-to-one pairs taken greedily from the strongest local similarity down, at most ``n_r``.

    Among impostors the same few cylinders match many others, so greedy pairing reads a
    few hundred similarities before it has ``n_r`` pairs; sorting them all would cost more
    than the rest of a comparison. Similarities (all in (0, 1]) are bucketed instead, and
    only the buckets that are reached get sorted (a handful of entries each). Within a bucket
    the sort is stable, so ties keep index order whatever the sorting algorithm.
    """
    m = sims.shape[0]
    bucket = np.empty(m, dtype=np.int64)
    starts = np.zeros(_BINS + 2, dtype=np.int64)
    for o in range(m):
        q = _BINS - min(int(sims[o] * _BINS), _BINS)  # strongest bucket first
        bucket[o] = q
        starts[q + 1] += 1
    for q in range(_BINS + 1):
        starts[q + 1] += starts[q]
    fill = starts[:-1].copy()
    order = np.empty(m, dtype=np.int64)
    for o in range(m):
        order[fill[bucket[o]]] = o
        fill[bucket[o]] += 1
    used_a = np.zeros(na, dtype=np.bool_)
    used_b = np.zeros(nb, dtype=np.bool_)
    pa = np.empty(n_r, dtype=np.int64)
    pb = np.empty(n_r, dtype=np.int64)
    lam = np.empty(n_r)
    r = 0
    for q in range(_BINS + 1):
        lo = starts[q]
        hi = starts[q + 1]
        for u in range(lo + 1, hi):  # insertion sort, strongest first, stable
            o = order[u]
            v = u
            while v > lo and sims[order[v - 1]] < sims[o]:
                order[v] = order[v - 1]
                v -= 1
            order[v] = o
        for u in range(lo, hi):
            o = order[u]
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
            if r == n_r:
                return pa, pb, lam
    return pa[:r], pb[:r], lam[:r]


@njit(cache=True)
def _consolidate(bits_a, valid_a, mins_a, bits_b, valid_b, mins_b, k):  # pragma: no cover - compiled
    """Score, the kept pairs (rows of a, rows of b, relaxed similarity) strongest first, and the global
    consolidation's counts (mated minutiae, their agreement, minutiae of a and of b in the common area)."""
    na = bits_a.shape[0]
    nb = bits_b.shape[0]
    # local similarity matrix, kept sparse: most pairs fail the angle or overlap test
    sims, rows, cols = _local_matrix(bits_a, valid_a, mins_a, bits_b, valid_b, mins_b, k)
    if sims.shape[0] == 0:
        none = np.zeros(0, dtype=np.int64)
        return 0.0, none, none, np.zeros(0), 0, 0.0, 0.0, 0.0
    n_p = int(k[3] + round(_sigmoid(min(na, nb), k[5], k[6]) * (k[4] - k[3])))
    # greedy one-to-one pairing of the strongest local matches (a cheap stand-in for LSA)
    pa, pb, lam = _greedy_pairs(sims, rows, cols, na, nb, int(min(k[7], min(na, nb))))
    score, best, relaxed = _relax(pa, pb, lam, mins_a, mins_b, n_p, k)
    mated = 0
    soft = 0.0
    near_a = 0.0
    near_b = 0.0
    if k[18] != 0.0 or k[19] != 0.0:
        mated, soft, near_a, near_b = _mated(mins_a, mins_b, pa, pb, int(k[14]), int(k[20]), k[15], k[16], k[17],
                                             k[21], k[22], int(k[23]))
        score = min(1.0, score * (soft + 1.0) ** k[18] / ((near_a + 1.0) * (near_b + 1.0)) ** k[19])
    return score, pa[best], pb[best], relaxed[best], mated, soft, near_a, near_b


@njit(cache=True)
def _mated(mins_a, mins_b, pa, pb, anchors, refits, distance, angle, reach, sigma,
           sigma_angle, candidates):  # pragma: no cover - compiled
    """Global consolidation: (mated minutiae, their agreement, weighted minutiae of a near b, of b near a)
    under the best rigid alignment.

    Of the first ``anchors`` pairs (strongest first), the ``candidates`` most supported by the others
    (:func:`_by_support`; all of them when 0) are each taken, most supported first, as a correspondence that
    fixes rotation and translation; the minutiae that then pair one-to-one (within ``distance`` pixels and
    ``angle`` radians, nearest first) are counted; an anchor already mated under the best alignment so
    far is skipped. The ``refits`` alignments that mated the most are refitted to their mated minutiae
    by least squares and counted again, which tolerates an anchor a few pixels off. Overlap is measured on
    minutiae, not masks (a template has no mask): those of each print within ``reach`` of one of
    the other's, once aligned, each counted by its weight (column 3 of the minutiae: its reliability
    raised to ``reliability_exponent``, see :func:`scomm.fingerprints.cylinders.overlap_weights`).
    The agreement counts the best alignment's mated pairs again, each by a Gaussian of how far apart it
    lies (``sigma`` pixels) and turns (``sigma_angle`` radians) once aligned; with ``sigma`` 0 it is the
    count itself.
    """
    na = mins_a.shape[0]
    nb = mins_b.shape[0]
    # b sorted by x: a mapped minutia only looks at b's within ±distance in x (a few of them)
    by_x = np.argsort(mins_b[:, 0], kind="mergesort")
    xs_b = np.empty(nb)
    for q in range(nb):
        xs_b[q] = mins_b[by_x[q], 0]
    cos_a = np.cos(mins_a[:, 2].astype(np.float64))
    sin_a = np.sin(mins_a[:, 2].astype(np.float64))
    cos_b = np.cos(mins_b[:, 2].astype(np.float64))
    sin_b = np.sin(mins_b[:, 2].astype(np.float64))
    cand_d = np.empty(na * nb)
    cand_i = np.empty(na * nb, dtype=np.int64)
    cand_j = np.empty(na * nb, dtype=np.int64)
    used_a = np.zeros(na, dtype=np.bool_)
    used_b = np.zeros(nb, dtype=np.bool_)
    ma = np.empty(min(na, nb), dtype=np.int64)
    mb = np.empty(min(na, nb), dtype=np.int64)
    min_cos = math.cos(angle)
    best = 0
    best_fit = np.zeros(5)  # rotation, a's origin (x, y), b's origin (x, y)
    fit = np.empty(5)
    n = min(anchors, pa.shape[0])
    counts = np.zeros(n, dtype=np.int64)
    partner = np.full(na, -1, dtype=np.int64)  # b's minutia paired with each of a's under the best alignment
    order = np.arange(n)
    if 0 < candidates < n:
        order = _by_support(mins_a, mins_b, pa, pb, n, cos_a, sin_a, cos_b, sin_b, distance, min_cos)[:candidates]
    for t in order:
        i = pa[t]
        j = pb[t]
        if partner[i] == j:  # already a mated pair of the best alignment: its own alignment is about the same
            continue
        _anchor_fit(mins_a, mins_b, i, j, fit)
        m = _pair_up(mins_a, mins_b, cos_a, sin_a, cos_b, sin_b, by_x, xs_b, fit, distance, min_cos,
                     cand_d, cand_i, cand_j, used_a, used_b, ma, mb)
        counts[t] = m
        if m > best:
            best = m
            best_fit[:] = fit
            partner[:] = -1
            for q in range(m):
                partner[ma[q]] = mb[q]
    # refit the few alignments that paired the most minutiae (an anchor a few pixels off pairs fewer)
    for t in np.argsort(-counts, kind="mergesort")[:refits]:
        if counts[t] < 3:
            break
        _anchor_fit(mins_a, mins_b, pa[t], pb[t], fit)
        m = _pair_up(mins_a, mins_b, cos_a, sin_a, cos_b, sin_b, by_x, xs_b, fit, distance, min_cos,
                     cand_d, cand_i, cand_j, used_a, used_b, ma, mb)
        _least_squares(mins_a, mins_b, ma, mb, m, fit)
        m = _pair_up(mins_a, mins_b, cos_a, sin_a, cos_b, sin_b, by_x, xs_b, fit, distance, min_cos,
                     cand_d, cand_i, cand_j, used_a, used_b, ma, mb)
        if m > best:
            best = m
            best_fit[:] = fit
            partner[:] = -1
            for q in range(m):
                partner[ma[q]] = mb[q]
    if best == 0:
        return 0, 0.0, 0.0, 0.0
    soft = _soft(mins_a, mins_b, partner, best_fit, sigma, sigma_angle) if sigma > 0.0 else float(best)
    c = math.cos(best_fit[0])
    s = math.sin(best_fit[0])
    reach2 = reach * reach
    near_b = np.zeros(nb, dtype=np.bool_)
    near_a = 0.0
    for i in range(na):
        x = mins_a[i, 0] - best_fit[1]
        y = mins_a[i, 1] - best_fit[2]
        tx = c * x - s * y + best_fit[3]
        ty = s * x + c * y + best_fit[4]
        hit = False
        for q in range(_lower_bound(xs_b, tx - reach), nb):
            if xs_b[q] > tx + reach:
                break
            j = by_x[q]
            dx = mins_b[j, 0] - tx
            dy = mins_b[j, 1] - ty
            if dx * dx + dy * dy < reach2:
                hit = True
                near_b[j] = True
        if hit:
            near_a += mins_a[i, 3]
    weight_b = 0.0
    for j in range(nb):
        if near_b[j]:
            weight_b += mins_b[j, 3]
    return best, soft, near_a, weight_b


@njit(cache=True)
def _by_support(mins_a, mins_b, pa, pb, n, cos_a, sin_a, cos_b, sin_b, distance, min_cos):  # pragma: no cover - compiled
    """The first ``n`` anchor pairs, most supported first: an anchor's support is how many of the other anchor
    pairs its alignment maps within ``distance`` and the angle limit of each other (a cheap stand-in for the
    count over every minutia). Ties keep the pairs' own order."""
    support = np.zeros(n)
    d2max = distance * distance
    for t in range(n):
        i = pa[t]
        j = pb[t]
        rot = mins_b[j, 2] - mins_a[i, 2]
        c = math.cos(rot)
        s = math.sin(rot)
        for q in range(n):
            if q == t:
                continue
            x = mins_a[pa[q], 0] - mins_a[i, 0]
            y = mins_a[pa[q], 1] - mins_a[i, 1]
            dx = c * x - s * y + mins_b[j, 0] - mins_b[pb[q], 0]
            dy = s * x + c * y + mins_b[j, 1] - mins_b[pb[q], 1]
            if dx * dx + dy * dy >= d2max:
                continue
            ct = c * cos_a[pa[q]] - s * sin_a[pa[q]]
            st = s * cos_a[pa[q]] + c * sin_a[pa[q]]
            if ct * cos_b[pb[q]] + st * sin_b[pb[q]] >= min_cos:
                support[t] += 1.0
    return np.argsort(-support, kind="mergesort")


@njit(cache=True)
def _soft(mins_a, mins_b, partner, fit, sigma, sigma_angle):  # pragma: no cover - compiled
    """Sum over the pairs (a's minutia i with b's ``partner[i]``, where not −1) of exp(−d²/2σ² − φ²/2σφ²), d and
    φ the pair's distance and turn under ``fit``."""
    c = math.cos(fit[0])
    s = math.sin(fit[0])
    soft = 0.0
    for i in range(partner.shape[0]):
        j = partner[i]
        if j < 0:
            continue
        x = mins_a[i, 0] - fit[1]
        y = mins_a[i, 1] - fit[2]
        dx = c * x - s * y + fit[3] - mins_b[j, 0]
        dy = s * x + c * y + fit[4] - mins_b[j, 1]
        turn = _wrap(mins_a[i, 2] + fit[0] - mins_b[j, 2])
        soft += math.exp(-0.5 * (dx * dx + dy * dy) / (sigma * sigma) - 0.5 * (turn / sigma_angle) ** 2)
    return soft


@njit(cache=True)
def _pair_up(mins_a, mins_b, cos_a, sin_a, cos_b, sin_b, by_x, xs_b, fit, distance, min_cos, cand_d, cand_i,
             cand_j, used_a, used_b, ma, mb):  # pragma: no cover - compiled
    """Minutiae of a, mapped by ``fit``, paired one-to-one with b's, nearest first; returns the count
    and leaves the pairs in ``ma``, ``mb``."""
    c = math.cos(fit[0])
    s = math.sin(fit[0])
    d2max = distance * distance
    nb = mins_b.shape[0]
    k = 0
    for i in range(mins_a.shape[0]):
        x = mins_a[i, 0] - fit[1]
        y = mins_a[i, 1] - fit[2]
        tx = c * x - s * y + fit[3]
        ty = s * x + c * y + fit[4]
        ct = c * cos_a[i] - s * sin_a[i]  # direction of a[i], rotated
        st = s * cos_a[i] + c * sin_a[i]
        for q in range(_lower_bound(xs_b, tx - distance), nb):
            if xs_b[q] > tx + distance:
                break
            j = by_x[q]
            dx = mins_b[j, 0] - tx
            dy = mins_b[j, 1] - ty
            d2 = dx * dx + dy * dy
            if d2 >= d2max or ct * cos_b[j] + st * sin_b[j] < min_cos:
                continue
            # insertion into the candidates kept sorted by distance, then by (i, j): few candidates
            u = k
            while u > 0 and (cand_d[u - 1] > d2 or (cand_d[u - 1] == d2 and (cand_i[u - 1] > i or (
                    cand_i[u - 1] == i and cand_j[u - 1] > j)))):
                cand_d[u] = cand_d[u - 1]
                cand_i[u] = cand_i[u - 1]
                cand_j[u] = cand_j[u - 1]
                u -= 1
            cand_d[u] = d2
            cand_i[u] = i
            cand_j[u] = j
            k += 1
    used_a[:] = False
    used_b[:] = False
    m = 0
    for o in range(k):
        i = cand_i[o]
        j = cand_j[o]
        if used_a[i] or used_b[j]:
            continue
        used_a[i] = True
        used_b[j] = True
        ma[m] = i
        mb[m] = j
        m += 1
    return m


@njit(cache=True)
def _lower_bound(sorted_values, v):  # pragma: no cover - compiled
    lo = 0
    hi = sorted_values.shape[0]
    while lo < hi:
        mid = (lo + hi) >> 1
        if sorted_values[mid] < v:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True)
def _anchor_fit(mins_a, mins_b, i, j, fit):  # pragma: no cover - compiled
    fit[0] = mins_b[j, 2] - mins_a[i, 2]
    fit[1] = mins_a[i, 0]
    fit[2] = mins_a[i, 1]
    fit[3] = mins_b[j, 0]
    fit[4] = mins_b[j, 1]


@njit(cache=True)
def _least_squares(mins_a, mins_b, ma, mb, m, fit):  # pragma: no cover - compiled
    """Rigid fit (rotation about the centroids) of b's paired minutiae to a's, written into ``fit``."""
    cax = 0.0
    cay = 0.0
    cbx = 0.0
    cby = 0.0
    for q in range(m):
        cax += mins_a[ma[q], 0]
        cay += mins_a[ma[q], 1]
        cbx += mins_b[mb[q], 0]
        cby += mins_b[mb[q], 1]
    cax /= m
    cay /= m
    cbx /= m
    cby /= m
    h00 = 0.0
    h01 = 0.0
    h10 = 0.0
    h11 = 0.0
    for q in range(m):
        xa = mins_a[ma[q], 0] - cax
        ya = mins_a[ma[q], 1] - cay
        xb = mins_b[mb[q], 0] - cbx
        yb = mins_b[mb[q], 1] - cby
        h00 += xa * xb
        h01 += xa * yb
        h10 += ya * xb
        h11 += ya * yb
    fit[0] = math.atan2(h01 - h10, h00 + h11)
    fit[1] = cax
    fit[2] = cay
    fit[3] = cbx
    fit[4] = cby


@njit(cache=True)
def _relax(pa, pb, lam0, mins_a, mins_b, n_p, k):  # pragma: no cover - compiled
    """MCC relaxation: pairs keep their weight only if other pairs agree with their geometry."""
    r = pa.shape[0]
    if r < 2:
        return lam0.sum() / n_p, np.arange(r), lam0.copy()
    # past this disagreement in distance the distance term is below 1e-3: such pairs cannot
    # support each other, and neither the exponential nor the angles are computed
    far = k[10] + math.log(999.0) / -k[11]
    rho = np.zeros((r, r))
    for t in range(r):
        atx = mins_a[pa[t], 0]
        aty = mins_a[pa[t], 1]
        ata = mins_a[pa[t], 2]
        btx = mins_b[pb[t], 0]
        bty = mins_b[pb[t], 1]
        bta = mins_b[pb[t], 2]
        for q in range(t + 1, r):
            ax = mins_a[pa[q], 0] - atx
            ay = mins_a[pa[q], 1] - aty
            bx = mins_b[pb[q], 0] - btx
            by = mins_b[pb[q], 1] - bty
            gap = abs(math.sqrt(ax * ax + ay * ay) - math.sqrt(bx * bx + by * by))
            if gap >= far:
                continue
            z1 = _sigmoid(gap, k[10], k[11])
            d2 = abs(_wrap(_wrap(ata - mins_a[pa[q], 2]) - _wrap(bta - mins_b[pb[q], 2])))
            # (θa − direction a→a') − (θb − direction b→b'): one atan2 gives the turn between
            # the two directions
            turn = math.atan2(bx * ay - by * ax, bx * ax + by * ay)
            d3 = abs(_wrap(_wrap(ata - bta) - turn))
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
        for t in range(r):  # not ``lam[:] = nxt``: see enhancement._oriented_passes
            lam[t] = nxt[t]
    efficiency = lam / lam0
    best = np.argsort(-efficiency)[:n_p]
    best = best[np.argsort(-lam[best])]
    return lam[best].sum() / n_p, best, lam
