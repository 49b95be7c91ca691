from __future__ import annotations

import pytest

from scomm.errors import FingerprintError
from scomm.fingerprints import Candidate, FusionParameters, InProcessBackend, SearchBackend, Template
from scomm.fingerprints.search import merge_candidates

from .conftest import fvc_template

FINGERS = list(range(101, 111))


def pseudo_subject(db: str, impression: int, fingers: list[int]) -> dict[int, Template]:
    """Fingers of one FVC set standing in for the ten positions of one person."""
    return {pos: fvc_template(db, f, impression) for pos, f in enumerate(fingers, start=1)}


@pytest.fixture(scope="module")
def backend() -> InProcessBackend:
    b = InProcessBackend()
    for db in ("DB1_B", "DB2_B", "DB4_B"):
        b.enroll(f"{db}-A", pseudo_subject(db, 1, FINGERS[:5]))
        b.enroll(f"{db}-B", pseudo_subject(db, 1, FINGERS[5:]))
    return b


def test_backend_implements_protocol(backend: InProcessBackend) -> None:
    assert isinstance(backend, SearchBackend)
    assert len(backend) == 6


@pytest.mark.parametrize("subject", ["DB1_B-A", "DB2_B-B", "DB4_B-A"])
def test_identify_finds_the_mate_first(backend: InProcessBackend, subject: str) -> None:
    db, half = subject[:5], subject[-1]
    fingers = FINGERS[:5] if half == "A" else FINGERS[5:]
    result = backend.identify(pseudo_subject(db, 3, fingers), top_k=3)
    assert [type(c) for c in result] == [Candidate] * 3
    assert result[0].subject_id == subject
    assert result[0].is_hit
    assert result[0].score > result[1].score
    assert not result[1].is_hit
    assert result[0].score == pytest.approx(sum(result[0].finger_scores.values()))
    assert set(result[0].finger_scores) == {1, 2, 3, 4, 5}


def test_partial_probe_compares_only_present_fingers(backend: InProcessBackend) -> None:
    result = backend.identify({2: fvc_template("DB1_B", 102, 4)}, top_k=6)
    assert result[0].subject_id == "DB1_B-A"
    assert all(set(c.finger_scores) == {2} for c in result)


def test_reenrol_replaces_and_delete_removes() -> None:
    b = InProcessBackend()
    b.enroll("x", {1: fvc_template("DB1_B", 101, 1)})
    b.enroll("y", {1: fvc_template("DB1_B", 103, 1)})
    b.enroll("x", {1: fvc_template("DB1_B", 104, 1)})
    assert len(b) == 2
    assert b.identify({1: fvc_template("DB1_B", 104, 2)})[0].subject_id == "x"
    b.delete("x")
    b.delete("never-enrolled")
    assert [c.subject_id for c in b.identify({1: fvc_template("DB1_B", 104, 2)})] == ["y"]


def test_empty_gallery_and_bad_position() -> None:
    b = InProcessBackend(FusionParameters())
    assert b.identify({1: fvc_template("DB1_B", 101, 1)}) == []
    with pytest.raises(FingerprintError):
        b.enroll("z", {11: fvc_template("DB1_B", 101, 1)})


def test_merge_candidates_orders_shards() -> None:
    a = [Candidate("a", 3.0, {1: 3.0}, True), Candidate("b", 1.0, {1: 1.0}, False)]
    c = [Candidate("c", 2.0, {1: 2.0}, True)]
    assert [x.subject_id for x in merge_candidates([a, c], 2)] == ["a", "c"]


def test_shortlist_search_keeps_mate_and_exact_scores(backend: InProcessBackend) -> None:
    from scomm.fingerprints import SearchParameters

    small = InProcessBackend(search=SearchParameters(shortlist=2))
    for db in ("DB1_B", "DB2_B", "DB4_B"):
        small.enroll(f"{db}-A", pseudo_subject(db, 1, FINGERS[:5]))
        small.enroll(f"{db}-B", pseudo_subject(db, 1, FINGERS[5:]))
    probe = pseudo_subject("DB2_B", 4, FINGERS[5:])
    quick = small.identify(probe, top_k=2)
    exact = {c.subject_id: c.score for c in backend.identify(probe, top_k=6)}
    assert len(quick) == 2 and quick[0].subject_id == "DB2_B-B"
    assert all(c.score == pytest.approx(exact[c.subject_id]) for c in quick)  # shortlisted ones scored exactly
