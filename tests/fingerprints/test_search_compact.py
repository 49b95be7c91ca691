"""The compact resident gallery: codes + minutiae resident, full cylinders only for the shortlist."""

from __future__ import annotations

import numpy as np
import pytest

from scomm.errors import FingerprintError
from scomm.fingerprints import (
    InProcessBackend,
    MatchParameters,
    SearchParameters,
    Template,
    compare,
)
from scomm.fingerprints.cylinders import Cylinders, build, cylinders_of, weighted_minutiae
from scomm.fingerprints.search import (
    FingerBlock,
    build_many,
    compact_codes,
    pooled_disc_cells,
)

from .conftest import fvc_template

PARAMS = MatchParameters()
FINGERS = list(range(101, 111))


def subject(db: str, impression: int) -> dict[int, Template]:
    return {pos: fvc_template(db, f, impression) for pos, f in enumerate(FINGERS, start=1)}


def test_parallel_build_gives_the_same_cylinders_bit_for_bit() -> None:
    templates = [fvc_template(db, f, 1) for db in ("DB1_B", "DB3_B") for f in (101, 105, 109)]
    tiny = np.array([[10, 10, 0.5], [40, 12, 1.0]], np.float32)  # too few for a hull or a kept cylinder
    built = build_many([weighted_minutiae(t, PARAMS) for t in templates] + [tiny], PARAMS)
    for t, got in zip(templates, built):
        want = build(weighted_minutiae(t, PARAMS), PARAMS)
        assert np.array_equal(got.bits, want.bits) and np.array_equal(got.valid, want.valid)
        assert np.array_equal(got.minutiae, want.minutiae) and len(got) > 0
        assert np.array_equal(want.minutiae, cylinders_of(t, PARAMS).minutiae)
        assert 0 < got.minutiae[:, 3].min() < got.minutiae[:, 3].max() <= 1  # the reliability weights came along
    assert len(built[-1]) == len(build(tiny, PARAMS)) == 0


def test_pooled_code_is_set_when_any_cell_of_its_block_is() -> None:
    bits = np.zeros((1, 24), np.uint64)
    valid = np.full((1, 4), np.iinfo(np.uint64).max, np.uint64)
    cell = 3 * 16 + 5  # row 3, column 5 → pooled block (1, 2) = pooled cell 10
    section = 4
    bit = section * 256 + cell
    bits[0, bit // 64] = np.uint64(1) << np.uint64(bit % 64)
    codes = compact_codes(Cylinders(bits, valid, np.zeros((1, 3), np.float32)), PARAMS)
    assert codes.shape == (1, 7)
    assert [int(w) for w in codes[0, :6]] == [0, 0, 0, 0, 1 << 10, 0]
    assert int(codes[0, 6]) == (1 << 64) - 1  # every block wholly valid
    assert 0 < pooled_disc_cells(PARAMS) < 64


def test_candidates_carry_the_exact_pairwise_scores() -> None:
    backend = InProcessBackend(search=SearchParameters(shortlist=2))
    for db in ("DB1_B", "DB2_B", "DB4_B"):
        backend.enroll(db, subject(db, 1))
    probe = subject("DB4_B", 3)
    best = backend.identify(probe, top_k=2)[0]
    assert best.subject_id == "DB4_B"
    for position, score in best.finger_scores.items():
        # same kernel, compiled twice (parallel scan vs single call): they differ below 1e-8, as they did
        # before the gallery was compact
        assert score == pytest.approx(compare(probe[position], fvc_template("DB4_B", FINGERS[position - 1], 1)),
                                      abs=1e-8)


def test_a_tiny_cylinder_cache_changes_nothing_but_memory() -> None:
    roomy, tight = InProcessBackend(search=SearchParameters(shortlist=3)), \
        InProcessBackend(search=SearchParameters(shortlist=3), cache_mb=0.02)
    for backend in (roomy, tight):
        for db in ("DB1_B", "DB2_B", "DB3_B", "DB4_B"):
            backend.enroll(f"{db}-1", subject(db, 1))
            backend.enroll(f"{db}-2", subject(db, 2))
    probe = subject("DB2_B", 5)
    assert roomy.identify(probe, top_k=5) == tight.identify(probe, top_k=5)
    assert tight.resident_bytes()["cylinder_cache"] <= 0.02 * 2 ** 20 < roomy.resident_bytes()["cylinder_cache"]


def test_resident_gallery_is_under_two_kilobytes_a_finger() -> None:
    backend = InProcessBackend(cache_mb=0)
    for db in ("DB1_B", "DB2_B", "DB3_B", "DB4_B"):
        for impression in (1, 2, 3):
            backend.enroll(f"{db}-{impression}", subject(db, impression))
    used = backend.resident_bytes()
    assert used["fingers"] == 120 and used["cylinder_cache"] == 0
    # extractor 1.2 keeps the union of three enhancements' minutiae: 42 a finger here against 38
    # with 1.1 (2,022 → 2,083 bytes a finger); 1.3 keeps 43 and a byte of overlap weight each (2,174
    # bytes, of which 341 are this small gallery's row tables, 1,024 rows at least), so the bound is
    # 2 KiB plus about 16 bytes a minutia
    assert used["gallery"] / used["fingers"] < 2048 + 160
    assert backend.identify(subject("DB3_B", 4), top_k=1)[0].subject_id.startswith("DB3_B")


def test_bulk_enrolment_matches_one_by_one() -> None:
    one, bulk = InProcessBackend(), InProcessBackend()
    subjects = {db: subject(db, 1) for db in ("DB1_B", "DB2_B", "DB4_B")}
    for name, fingers in subjects.items():
        one.enroll(name, fingers)
    blocks = {p: FingerBlock.of([bulk.pack(s[p]) for s in subjects.values()]) for p in range(1, 11)}
    bulk.enroll_block(list(subjects), blocks)
    probe = subject("DB1_B", 2)
    assert one.identify(probe, top_k=3) == bulk.identify(probe, top_k=3)
    with pytest.raises(FingerprintError, match="twice"):
        bulk.enroll_block(["a", "a"], {1: FingerBlock.of([bulk.pack(probe[1])] * 2)})
    with pytest.raises(FingerprintError, match="1 fingers for 2 subjects"):
        bulk.enroll_block(["a", "b"], {1: FingerBlock.of([bulk.pack(probe[1])])})


def test_deleted_subjects_never_reach_the_shortlist() -> None:
    backend = InProcessBackend(search=SearchParameters(shortlist=2))
    for db in ("DB1_B", "DB2_B", "DB3_B", "DB4_B"):
        backend.enroll(db, subject(db, 1))
    backend.delete("DB2_B")
    result = backend.identify(subject("DB2_B", 2), top_k=2)
    assert "DB2_B" not in [c.subject_id for c in result] and len(backend) == 3
    backend.enroll("DB2_B", subject("DB2_B", 3))
    assert backend.identify(subject("DB2_B", 2), top_k=2)[0].subject_id == "DB2_B"


def test_subjects_with_different_fingers_enrolled() -> None:
    backend = InProcessBackend()
    backend.enroll("thumbs", {1: fvc_template("DB1_B", 101, 1), 6: fvc_template("DB1_B", 106, 1)})
    for i in range(30):  # later rows only at position 2: position 1's row index stays short
        backend.enroll(f"p2-{i}", {2: fvc_template("DB4_B", 101 + i % 10, 1 + i // 10)})
    result = backend.identify({1: fvc_template("DB1_B", 101, 2), 2: fvc_template("DB4_B", 103, 5)}, top_k=3)
    assert {c.subject_id for c in result} >= {"thumbs", "p2-2"}
    assert set(next(c for c in result if c.subject_id == "thumbs").finger_scores) == {1}


def test_probe_cylinders_equal_the_templates_own(db1_template: Template) -> None:
    backend = InProcessBackend()
    packed = backend.pack(db1_template)
    cyl = cylinders_of(db1_template, PARAMS)
    assert len(packed.codes) == min(len(cyl), backend.search.prefilter_gallery_minutiae)
    assert np.array_equal(packed.minutiae, db1_template.minutiae[:, :3])
    assert packed.nbytes < 2048


def _resident(backend: InProcessBackend) -> dict[int, tuple[np.ndarray, ...]]:
    out = {}
    for position, column in backend._columns.items():
        column.consolidate()
        out[position] = (column.codes, column.angles, column.code_starts, column.minutiae, column.minutia_starts,
                         column.owners)
    return out


def test_loading_many_subjects_at_once_equals_packing_them_one_by_one() -> None:
    subjects = {db: subject(db, 1) for db in ("DB1_B", "DB2_B", "DB3_B", "DB4_B")}
    subjects["two-fingers"] = {1: fvc_template("DB4_B", 105, 3), 7: fvc_template("DB3_B", 102, 4)}
    one, many = InProcessBackend(), InProcessBackend()
    for name, fingers in subjects.items():  # the reference: each finger packed on its own by pack_finger
        one.enroll_block([name], {p: FingerBlock.of([one.pack(t)]) for p, t in fingers.items()})
    many.enroll_many(subjects)
    assert [many._ids[many._rows[s]] for s in subjects] == list(subjects)
    mine, theirs = _resident(many), _resident(one)
    # Rows are grouped by the fingers they carry, so compare each subject's finger, not the row order.
    for name, fingers in subjects.items():
        for position in fingers:
            def finger(b: InProcessBackend, arrays: dict[int, tuple[np.ndarray, ...]]) -> list[np.ndarray]:
                codes, angles, code_starts, minutiae, minutia_starts, _ = arrays[position]
                t = int(b._columns[position].of_row[b._rows[name]])
                return [codes[code_starts[t]:code_starts[t + 1]], angles[code_starts[t]:code_starts[t + 1]],
                        minutiae[minutia_starts[t]:minutia_starts[t + 1]]]
            assert all(np.array_equal(a, b) for a, b in zip(finger(many, mine), finger(one, theirs)))
    for probe in (subject("DB1_B", 2), subject("DB3_B", 5), {1: fvc_template("DB4_B", 105, 6)}):
        assert many.identify(probe, top_k=4) == one.identify(probe, top_k=4)


def test_compact_scores_are_the_pairwise_sums_and_g_max_reads_only_the_first_cylinders() -> None:
    """The prescan kernel (gallery cylinders outer, square roots from a table) against its definition:
    per probe cylinder the best ``_compact_local`` among the template's first g_max cylinders, summed."""
    from scomm.fingerprints.search import (
        _compact_local,
        _compact_prescan,
        bit_roots,
        pooled_words,
    )

    backend = InProcessBackend(codebook=None)
    w = pooled_words(PARAMS)
    packed = [backend.pack(fvc_template(db, f, 1)) for db in ("DB1_B", "DB2_B") for f in (101, 102)]
    codes = np.concatenate([p.codes for p in packed])
    angles = np.concatenate([p.angles for p in packed])
    starts = np.concatenate([[0], np.cumsum([len(p.codes) for p in packed])]).astype(np.int64)
    probe = backend.pack(fvc_template("DB1_B", 102, 2))
    p_codes, p_angles = probe.codes[:10], probe.angles[:10]
    which = np.array([3, 1, 0], np.int64)
    for g_max in (-1, 5):
        got = _compact_prescan(p_codes, p_angles, codes, angles, starts, which, backend.search.compact_max_angle,
                               backend._min_common, w, g_max)
        for u, t in enumerate(which):
            end = starts[t + 1] if g_max < 0 else starts[t] + g_max
            total = 0.0
            for i in range(len(p_codes)):
                best = 0.0
                for j in range(starts[t], end):
                    gap = (float(np.float32(p_angles[i] - angles[j])) + np.pi) % (2 * np.pi) - np.pi
                    if abs(gap) <= backend.search.compact_max_angle:
                        best = max(best, _compact_local(p_codes, i, codes, j, backend._min_common, w, PARAMS.nd,
                                                        bit_roots(codes.shape[1])))
                total += best
            assert got[u] == pytest.approx(total, abs=1e-12)
        assert got[1] > 1.3 * max(got[0], got[2])  # template 1 is DB1_B finger 102, the probe's mate
