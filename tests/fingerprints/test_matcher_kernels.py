"""The fast comparison kernels agree with their plain reference definitions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scomm.fingerprints.cylinders import build, cylinders_of
from scomm.fingerprints.matching import (
    _greedy_pairs,
    _local,
    _local_matrix,
    _mated,
    _relax,
    compare,
    constants,
)
from scomm.fingerprints.parameters import MatchParameters

from .conftest import fvc_template

PARAMS = MatchParameters()
K = constants(PARAMS)


@pytest.mark.parametrize("other", [("DB1_B", 101, 2), ("DB1_B", 104, 1)])
def test_local_matrix_matches_reference_local_similarity(other: tuple[str, int, int]) -> None:
    a = cylinders_of(fvc_template("DB1_B", 101, 1), PARAMS)
    b = cylinders_of(fvc_template(*other), PARAMS)
    sims, rows, cols = _local_matrix(a.bits, a.valid, a.minutiae, b.bits, b.valid, b.minutiae, K)
    expected = {}
    for i in range(len(a)):
        for j in range(len(b)):
            turn = (float(a.minutiae[i, 2]) - float(b.minutiae[j, 2]) + math.pi) % (2 * math.pi) - math.pi
            if abs(turn) > PARAMS.max_angle:
                continue
            s = _local(a.bits, a.valid, i, b.bits, b.valid, j, K[1], int(K[2]))
            if s > 0.0:
                expected[(i, j)] = s
    got = {(int(i), int(j)): float(s) for s, i, j in zip(sims, rows, cols)}
    assert len(got) > 0
    assert got.keys() == expected.keys()
    assert np.allclose([got[p] for p in expected], list(expected.values()), rtol=0, atol=1e-12)


def _reference_greedy(sims: np.ndarray, rows: np.ndarray, cols: np.ndarray, n_r: int) -> list[tuple[int, int]]:
    order = sorted(range(len(sims)), key=lambda o: (-sims[o], o))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for o in order:
        if rows[o] in used_a or cols[o] in used_b:
            continue
        used_a.add(int(rows[o]))
        used_b.add(int(cols[o]))
        pairs.append((int(rows[o]), int(cols[o])))
        if len(pairs) == n_r:
            break
    return pairs


@pytest.mark.parametrize("seed", range(5))
def test_greedy_pairs_follow_a_full_stable_sort(seed: int) -> None:
    rng = np.random.default_rng(seed)
    na, nb, m = 30, 25, 400
    rows = rng.integers(0, na, m)
    cols = rng.integers(0, nb, m)
    # coarse values make ties (and several entries per bucket) common
    sims = np.round(rng.uniform(0.01, 1.0, m), 2 if seed % 2 else 4)
    pa, pb, lam = _greedy_pairs(sims, rows, cols, na, nb, 24)
    assert list(zip(pa.tolist(), pb.tolist())) == _reference_greedy(sims, rows, cols, 24)
    assert np.all(np.diff(lam) <= 0)


def test_relaxation_geometry_matches_two_angle_definition() -> None:
    rng = np.random.default_rng(3)
    a = np.column_stack([rng.uniform(0, 300, 12), rng.uniform(0, 300, 12), rng.uniform(0, 2 * np.pi, 12)])
    # b: a rotated by 0.3 rad and shifted, with a little noise, so most pairs support each other
    c, s = math.cos(0.3), math.sin(0.3)
    b = np.column_stack([a[:, 0] * c - a[:, 1] * s + 20, a[:, 0] * s + a[:, 1] * c - 10, a[:, 2] + 0.3])
    b[:, :2] += rng.normal(0, 1.5, (12, 2))
    a, b = a.astype(np.float32), b.astype(np.float32)
    idx = np.arange(12)
    lam0 = np.full(12, 0.5)
    score, _, lam = _relax(idx, idx, lam0, a, b, 12, K)

    def sig(v: float, mu: float, tau: float) -> float:
        return 1.0 / (1.0 + math.exp(-tau * (v - mu)))

    def wrap(v: float) -> float:
        return (v + math.pi) % (2 * math.pi) - math.pi

    rho = np.zeros((12, 12))
    for t in range(12):
        for q in range(12):
            if t == q:
                continue
            da = math.dist(a[t, :2], a[q, :2])
            db = math.dist(b[t, :2], b[q, :2])
            z1 = sig(abs(da - db), K[10], K[11])
            if z1 < 1e-3:
                continue
            d2 = abs(wrap(wrap(a[t, 2] - a[q, 2]) - wrap(b[t, 2] - b[q, 2])))
            ra = wrap(a[t, 2] - math.atan2(a[q, 1] - a[t, 1], a[q, 0] - a[t, 0]))
            rb = wrap(b[t, 2] - math.atan2(b[q, 1] - b[t, 1], b[q, 0] - b[t, 0]))
            rho[t, q] = z1 * sig(d2, K[12], K[13]) * sig(abs(wrap(ra - rb)), K[12], K[13])
    ref = lam0.copy()
    for _ in range(int(K[8])):
        ref = K[9] * ref + (1 - K[9]) * rho @ ref / 11
    assert np.allclose(lam, ref, atol=1e-6)
    assert score > 0.1  # the rotated copy supports itself


def _reference_cylinder_bits(xy: np.ndarray, theta: np.ndarray, i: int, params: MatchParameters) -> set[int]:
    """MCC's definition cell by cell: a bit is on where the neighbours' spatial × directional
    contributions sum to at least μψ (validity aside: only cells inside the disc are listed)."""
    ns, nd, step = params.ns, params.nd, 2 * params.radius / params.ns
    reach, dd = 3 * params.sigma_s, 2 * math.pi / params.nd
    on = set()
    c, s = math.cos(theta[i]), math.sin(theta[i])
    others = [t for t in range(len(xy)) if t != i]
    for a in range(ns):
        for b in range(ns):
            u, v = (a - (ns - 1) / 2) * step, (b - (ns - 1) / 2) * step
            if u * u + v * v > params.radius ** 2:
                continue
            px, py = xy[i, 0] + u * c - v * s, xy[i, 1] + u * s + v * c
            for k in range(nd):
                total = 0.0
                for t in others:
                    d = math.hypot(xy[t, 0] - px, xy[t, 1] - py)
                    if d > reach:
                        continue
                    spatial = math.exp(-0.5 * (d / params.sigma_s) ** 2) / (params.sigma_s * math.sqrt(2 * math.pi))
                    dtheta = (theta[t] - theta[i] + math.pi) % (2 * math.pi) - math.pi
                    diff = (-math.pi + (k + 0.5) * dd - dtheta + math.pi) % (2 * math.pi) - math.pi
                    scale = 1 / (params.sigma_d * math.sqrt(2))
                    total += spatial * 0.5 * (math.erf((diff + dd / 2) * scale) - math.erf((diff - dd / 2) * scale))
                if total >= params.mu_psi:
                    on.add(k * ns * ns + a * ns + b)
    return on


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cylinder_bits_follow_the_cell_by_cell_definition(seed: int) -> None:
    """The compiled build visits each neighbour's window of cells; the definition visits every cell."""
    params = MatchParameters()
    rng = np.random.default_rng(seed)
    xy = rng.uniform(40, 260, (30, 2))
    theta = rng.uniform(0, 2 * math.pi, 30)
    cyl = build(np.column_stack([xy, theta, np.ones(30)]).astype(np.float32), params)
    xy32, theta32 = xy.astype(np.float32).astype(np.float64), theta.astype(np.float32).astype(np.float64)
    assert len(cyl) > 10
    checked = 0
    for row, m in enumerate(cyl.minutiae[:8]):
        i = int(np.flatnonzero((xy32[:, 0] == m[0]) & (xy32[:, 1] == m[1]))[0])
        words = cyl.bits[row]
        valid = cyl.valid[row]
        got = {bit for bit in range(params.nd * params.ns * params.ns)
               if (int(words[bit >> 6]) >> (bit & 63)) & 1}
        cells_valid = {cell for cell in range(params.ns * params.ns) if (int(valid[cell >> 6]) >> (cell & 63)) & 1}
        expected = {bit for bit in _reference_cylinder_bits(xy32, theta32, i, params)
                    if bit % (params.ns * params.ns) in cells_valid}
        differing = len(got ^ expected)
        assert differing <= max(1, len(expected) // 500), (row, differing, len(expected))
        checked += len(expected)
    assert checked > 300


def _facet_set(facets: np.ndarray) -> list[tuple[float, float, float]]:
    return sorted(tuple(round(v, 9) for v in f) for f in facets)


@pytest.mark.parametrize("seed", range(6))
def test_hull_facets_are_those_qhull_gives(seed: int) -> None:
    from scipy.spatial import ConvexHull

    from scomm.fingerprints.cylinders import _hull

    rng = np.random.default_rng(seed)
    for n in (3, 4, 12, 60):
        xy = rng.uniform(0, 400, (n, 2))
        if seed % 2:
            xy = np.round(xy)  # integer-like coordinates, with ties in x and collinear triples
        ours = _hull(xy)
        assert np.allclose(np.hypot(ours[:, 0], ours[:, 1]), 1.0)
        assert np.all(ours[:, :2] @ xy.T + ours[:, 2:3] <= 1e-9)  # every point inside or on every facet
        assert _facet_set(ours) == _facet_set(ConvexHull(xy).equations)


def test_degenerate_hulls_have_no_facets() -> None:
    from scomm.fingerprints.cylinders import _hull

    assert _hull(np.zeros((0, 2))).shape == (0, 3)
    assert _hull(np.array([[1.0, 2.0], [3.0, 4.0]])).shape == (0, 3)
    assert _hull(np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])).shape == (0, 3)  # on one line
    square = np.array([[0.0, 0.0], [0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0], [2.0, 0.0]])  # repeats, edge point
    assert len(_hull(square)) == 4


def _moved(mins: np.ndarray, angle: float, shift: tuple[float, float], jitter: float, seed: int) -> np.ndarray:
    """The same minutiae rotated about the origin, shifted, and jittered in position (pixels)."""
    rng = np.random.default_rng(seed)
    c, s = math.cos(angle), math.sin(angle)
    out = mins.astype(np.float64).copy()
    out[:, 0] = c * mins[:, 0] - s * mins[:, 1] + shift[0] + rng.uniform(-jitter, jitter, len(mins))
    out[:, 1] = s * mins[:, 0] + c * mins[:, 1] + shift[1] + rng.uniform(-jitter, jitter, len(mins))
    out[:, 2] = (mins[:, 2] + angle) % (2 * math.pi)
    return out.astype(np.float32)


def _weighted(mins: np.ndarray, weight: float = 1.0) -> np.ndarray:
    """x, y, angle and an overlap weight column, as cylinders carry them."""
    return np.column_stack([mins[:, :3], np.full(len(mins), weight)]).astype(np.float32)


def _mated_of(a: np.ndarray, b: np.ndarray, pa: np.ndarray, pb: np.ndarray) -> tuple[int, float, float]:
    """(mated count, weighted common area of a, of b)."""
    mated, _, near_a, near_b = _agreement_of(a, b, pa, pb)
    return mated, near_a, near_b


def _agreement_of(a: np.ndarray, b: np.ndarray, pa: np.ndarray, pb: np.ndarray) -> tuple[int, float, float, float]:
    return _mated(_weighted(a) if a.shape[1] == 3 else a, _weighted(b) if b.shape[1] == 3 else b,
                  pa.astype(np.int64), pb.astype(np.int64), PARAMS.mated_anchors, PARAMS.mated_refits,
                  PARAMS.mated_distance, PARAMS.mated_angle, PARAMS.mated_reach, PARAMS.mated_sigma,
                  PARAMS.mated_sigma_angle, PARAMS.mated_candidates)


@pytest.mark.parametrize("angle", [0.0, 0.4, -0.9])
def test_mated_counts_every_minutia_of_a_moved_copy(angle: float) -> None:
    a = fvc_template("DB1_B", 101, 1).minutiae[:, :3].copy()
    b = _moved(a, angle, (40.0, -25.0), jitter=3.0, seed=1)
    n = len(a)
    # anchors: the true correspondences, the first one deliberately wrong
    pa = np.arange(n)
    pb = np.roll(np.arange(n), -1)
    pb[1:] = np.arange(1, n)
    assert _mated_of(a, b, pa, pb) == (n, n, n)


def test_agreement_is_the_count_for_an_exact_copy_and_discounts_displaced_pairs() -> None:
    a = fvc_template("DB1_B", 101, 1).minutiae[:, :3].copy()
    n = len(a)
    anchors = np.arange(n)
    exact = _agreement_of(a, _moved(a, 0.4, (40.0, -25.0), jitter=0.0, seed=1), anchors, anchors)
    assert exact[0] == n and exact[1] == pytest.approx(n, rel=1e-6)
    # every minutia moved by at most 3 px on each axis: each pair counts exp(−d²/2σ²) ≥ exp(−18/288) of 1
    jittered = _agreement_of(a, _moved(a, 0.4, (40.0, -25.0), jitter=3.0, seed=1), anchors, anchors)
    assert jittered[0] == n and 0.94 * n < jittered[1] < n
    # turned 20° (σ of the angle term) but in place: each pair counts about exp(−½)
    turned = _moved(a, 0.0, (0.0, 0.0), jitter=0.0, seed=1)
    turned[:, 2] = (turned[:, 2] + math.radians(20.0)) % (2 * math.pi)
    assert _agreement_of(a, turned, anchors, anchors)[1] < 0.9 * n


def test_anchors_are_tried_most_supported_first() -> None:
    """True correspondences' alignments map each other's pairs onto each other; a wrong anchor's maps none."""
    from scomm.fingerprints.matching import _by_support

    a = fvc_template("DB1_B", 101, 1).minutiae[:, :3].astype(np.float64)
    b = _moved(a, 0.5, (30.0, 10.0), jitter=2.0, seed=4).astype(np.float64)
    n = 20
    pa, pb = np.arange(n), np.arange(n)
    pb[[3, 11]] = pb[[11, 3]]  # two anchors paired with the wrong minutiae
    pb[7] = n + 5
    cos_a, sin_a, cos_b, sin_b = np.cos(a[:, 2]), np.sin(a[:, 2]), np.cos(b[:, 2]), np.sin(b[:, 2])
    order = _by_support(a, b, pa, pb, n, cos_a, sin_a, cos_b, sin_b, PARAMS.mated_distance,
                        math.cos(PARAMS.mated_angle))
    assert sorted(order[-3:].tolist()) == [3, 7, 11]
    assert sorted(order.tolist()) == list(range(n))


def test_mated_refit_recovers_an_alignment_from_an_anchor_pixels_off() -> None:
    a = fvc_template("DB1_B", 101, 1).minutiae[:, :3].copy()
    b = _moved(a, 0.3, (10.0, 5.0), jitter=0.0, seed=2)
    # the only anchor's minutia in b is moved 6 px and turned 8°: its own alignment misplaces the
    # far minutiae, the least-squares refit to those it did pair puts them back
    anchor = int(np.argmin(np.hypot(a[:, 0] - a[:, 0].mean(), a[:, 1] - a[:, 1].mean())))
    b[anchor, 0] += 6.0
    b[anchor, 2] += math.radians(8.0)
    one = np.array([anchor])
    a, b = _weighted(a), _weighted(b)
    no_refit = _mated(a, b, one, one, 1, 0, PARAMS.mated_distance, PARAMS.mated_angle, PARAMS.mated_reach, 0.0, 1.0, 0)[0]
    refit = _mated(a, b, one, one, 1, 1, PARAMS.mated_distance, PARAMS.mated_angle, PARAMS.mated_reach, 0.0, 1.0, 0)[0]
    assert refit >= len(a) - 1 > no_refit


def test_mated_counts_few_minutiae_of_an_unrelated_print() -> None:
    a = fvc_template("DB1_B", 101, 1)
    c = fvc_template("DB3_B", 107, 1)
    ca, cc = cylinders_of(a, PARAMS), cylinders_of(c, PARAMS)
    sims, rows, cols = _local_matrix(ca.bits, ca.valid, ca.minutiae, cc.bits, cc.valid, cc.minutiae, K)
    pa, pb, _ = _greedy_pairs(sims, rows, cols, len(ca), len(cc), PARAMS.relax_pairs)
    mated, near_a, near_c = _mated_of(_weighted(ca.minutiae), _weighted(cc.minutiae), pa, pb)  # counts
    assert 0 < mated <= min(near_a, near_c)
    assert mated < 0.35 * min(len(ca), len(cc))
    # with the reliability weights the common area counts each minutia by its weight, the mated count not
    again, weighted_a, weighted_c = _mated_of(ca.minutiae, cc.minutiae, pa, pb)
    assert again == mated
    assert 0.1 * near_a < weighted_a < near_a and 0.1 * near_c < weighted_c < near_c


def test_common_area_counts_scale_with_the_weights() -> None:
    a = fvc_template("DB1_B", 101, 1).minutiae
    b = _moved(a[:, :3], 0.2, (15.0, 5.0), jitter=1.0, seed=3)
    n = len(a)
    anchors = np.arange(n)
    full = _mated_of(_weighted(a), _weighted(b), anchors, anchors)
    half = _mated_of(_weighted(a, 0.5), _weighted(b, 0.5), anchors, anchors)
    assert full == (n, n, n)
    assert half == (n, n / 2, n / 2)


def test_global_consolidation_off_is_plain_lss_r_and_on_separates_mates_further() -> None:
    plain = MatchParameters(mated_exponent=0.0, overlap_exponent=0.0)
    a, b, c = (fvc_template("DB1_B", 101, 1), fvc_template("DB1_B", 101, 2), fvc_template("DB1_B", 104, 1))
    ca, cb = cylinders_of(a, plain), cylinders_of(b, plain)
    k = constants(plain)
    sims, rows, cols = _local_matrix(ca.bits, ca.valid, ca.minutiae, cb.bits, cb.valid, cb.minutiae, k)
    pa, pb, lam = _greedy_pairs(sims, rows, cols, len(ca), len(cb), plain.relax_pairs)
    n_p = int(plain.min_np + round(1.0 / (1.0 + math.exp(-plain.tau_p * (min(len(ca), len(cb)) - plain.mu_p)))
                                   * (plain.max_np - plain.min_np)))
    lss_r = _relax(pa, pb, lam, ca.minutiae, cb.minutiae, n_p, k)[0]
    assert compare(a, b, plain) == pytest.approx(lss_r, abs=1e-12)
    # mates gain from the many minutiae they share; the impostor does not
    assert compare(a, b) / compare(a, b, plain) > 1.5
    assert compare(a, c) / max(compare(a, c, plain), 1e-9) < 1.2
