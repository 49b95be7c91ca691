from __future__ import annotations

import pytest

from scomm.fingerprints import compare

from .conftest import fvc_template


@pytest.mark.parametrize("db,finger,other", [("DB1_B", 101, 102), ("DB2_B", 103, 104), ("DB4_B", 105, 106)])
def test_genuine_scores_above_impostor(db: str, finger: int, other: int) -> None:
    a, b = fvc_template(db, finger, 1), fvc_template(db, finger, 2)
    c = fvc_template(db, other, 1)
    genuine = compare(a, b)
    assert genuine > compare(a, c)
    assert genuine > compare(b, c)


def test_score_range_and_symmetry() -> None:
    a, b = fvc_template("DB1_B", 101, 1), fvc_template("DB1_B", 101, 3)
    assert 0.0 <= compare(a, b) <= 1.0
    assert compare(a, b) == pytest.approx(compare(b, a), abs=0.1)
    assert compare(a, a) > 0.9


def test_unrelated_prints_score_near_zero() -> None:
    assert compare(fvc_template("DB1_B", 101, 1), fvc_template("DB3_B", 107, 1)) < 0.1


def test_explain_gives_compare_score_and_valid_pairs() -> None:
    from scomm.fingerprints.matching import explain

    a, b = fvc_template("DB1_B", 101, 1), fvc_template("DB1_B", 101, 2)
    result = explain(a, b)
    assert result.score == pytest.approx(compare(a, b))
    assert len(result.pairs) > 0 and len(result.pairs) == len(result.weights)
    assert len({i for i, _ in result.pairs}) == len(result.pairs)  # one-to-one
    assert all(0 <= i < len(a) and 0 <= j < len(b) for i, j in result.pairs)
    # two impressions of one finger share many minutiae under one alignment, an unrelated print few
    unrelated = explain(a, fvc_template("DB1_B", 104, 1))
    assert result.mated >= 12 > unrelated.mated
    # the common area counts each minutia by its reliability weight (at most 1), so at most every minutia
    assert 0 < min(result.common) and result.common[0] <= len(a) and result.common[1] <= len(b)


def test_mated_pairs_count_by_how_closely_they_agree() -> None:
    """Each mated pair counts at most 1 (a perfect fit) in the agreement the score uses; a mate's pairs lie
    closer once aligned than an impostor's chance pairings, so they keep more of their count."""
    import dataclasses

    from scomm.fingerprints.matching import explain
    from scomm.fingerprints.parameters import MatchParameters

    a = fvc_template("DB1_B", 101, 1)
    mate = explain(a, fvc_template("DB1_B", 101, 3))  # 0.36: not saturated at 1
    impostor = explain(a, fvc_template("DB1_B", 104, 1))
    for why in (mate, impostor):
        assert 0 < why.agreement < why.mated
    assert mate.agreement / mate.mated > impostor.agreement / impostor.mated
    hard = dataclasses.replace(MatchParameters(), mated_sigma=0.0)
    plain = explain(a, fvc_template("DB1_B", 101, 3), hard)
    assert plain.agreement == plain.mated == mate.mated
    assert plain.score > mate.score  # the same alignment, every pair counted 1
