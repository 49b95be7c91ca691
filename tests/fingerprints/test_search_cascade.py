"""The cascaded search (codeword index → compact prescan → exact MCC) on galleries where every stage is
active: forced with small stage sizes."""

from __future__ import annotations

import numpy as np
import pytest

from scomm.fingerprints import InProcessBackend, SearchParameters, Template
from scomm.fingerprints.cylinders import cylinders_of
from scomm.fingerprints.search import (
    _compact_local,
    assign_words,
    bit_roots,
    compact_codes,
    load_baseline,
    load_codebook,
    pooled_words,
)

from .conftest import fvc_template

FINGERS = list(range(101, 111))
DBS = ("DB1_B", "DB2_B", "DB3_B", "DB4_B")
# every stage active on a gallery of 12: the index keeps 6, the compact prescan 3, top_k asks for 2
CASCADE = SearchParameters(index_from=4, index_keep=0.5, index_keep_min=1, shortlist=3)
EXHAUSTIVE = SearchParameters(shortlist=10_000)  # every subject scored exactly


def subject(db: str, impression: int, offset: int = 0) -> dict[int, Template]:
    """Fingers of one FVC set standing in for a person; ``offset`` rotates which finger sits where."""
    return {pos: fvc_template(db, FINGERS[(pos - 1 + offset) % 10], impression) for pos in range(1, 11)}


GALLERY = [(f"{db}-{impression}-{offset}", db, impression, offset)
           for db in DBS for impression, offset in ((1, 0), (2, 3), (3, 6))]


@pytest.fixture(scope="module")
def gallery() -> dict[str, dict[int, Template]]:
    return {name: subject(db, impression, offset) for name, db, impression, offset in GALLERY}


def test_codebook_is_shipped_and_fits_the_default_cylinders() -> None:
    book = load_codebook(InProcessBackend().params.match)
    assert book is not None and load_baseline(InProcessBackend().params.match).shape == (len(book),) and book.shape == (SearchParameters().codebook_size, 7) and book.dtype == np.uint64


def test_codewords_are_the_most_similar_ones(db1_template: Template) -> None:
    backend = InProcessBackend()
    packed = backend.pack(db1_template)
    p = backend.params.match
    book, w = backend.codebook, pooled_words(p)
    assert len(packed.words) == len(packed.codes) > 0
    roots = bit_roots(book.shape[1])
    for i, word in enumerate(packed.words[:5]):
        sims = [_compact_local(packed.codes, i, book, k, int(backend._min_common), w, p.nd, roots)
                for k in range(len(book))]
        assert int(word) == int(np.argmax(sims))  # the first of the best
    assert np.array_equal(assign_words(packed.codes, book, p), packed.words)


def test_probe_table_is_each_codewords_best_similarity(db1_template: Template) -> None:
    backend = InProcessBackend()
    p = backend.params.match
    cyl = cylinders_of(db1_template, p)
    codes = compact_codes(cyl, p)[:7]
    table = backend.probe_table(cyl, 7, centred=False)
    for k in (0, 17, 4095):
        want = max(_compact_local(codes, i, backend.codebook, k, int(backend._min_common), pooled_words(p), p.nd,
                                  bit_roots(codes.shape[1]))
                   for i in range(len(codes)))
        assert table[k] == pytest.approx(want, abs=1e-6)


def test_cascade_finds_what_the_exhaustive_exact_scan_finds(gallery: dict[str, dict[int, Template]]) -> None:
    cascade, exhaustive = InProcessBackend(search=CASCADE), InProcessBackend(search=EXHAUSTIVE)
    cascade.enroll_many(gallery)
    exhaustive.enroll_many(gallery)
    for db, offset, impression in (("DB1_B", 0, 4), ("DB3_B", 3, 5), ("DB4_B", 6, 6)):
        probe = subject(db, impression, offset)
        got, want = cascade.identify(probe, top_k=2), exhaustive.identify(probe, top_k=len(gallery))
        probe_cyls = {p: cylinders_of(t, cascade.params.match) for p, t in probe.items()}  # columns consolidated
        assert cascade._indexed() and len(cascade._index_survivors(probe_cyls)) == 6
        assert len(cascade._shortlist(probe_cyls, 3)) == 3
        assert got[0] == want[0] and got[0].subject_id.startswith(f"{db}-") and got[0].subject_id.endswith(f"-{offset}")
        exact = {c.subject_id: c for c in want}
        assert all(c == exact[c.subject_id] for c in got)  # exact scores, identical to the exhaustive scan's


def test_deleted_subjects_never_come_back_through_the_cascade(gallery: dict[str, dict[int, Template]]) -> None:
    backend = InProcessBackend(search=CASCADE)
    backend.enroll_many(gallery)
    probe = subject("DB2_B", 4, 3)
    assert backend.identify(probe, top_k=2)[0].subject_id == "DB2_B-2-3"
    backend.delete("DB2_B-2-3")
    for _ in range(2):
        assert "DB2_B-2-3" not in [c.subject_id for c in backend.identify(probe, top_k=len(gallery))]
    backend.enroll("DB2_B-2-3", gallery["DB2_B-2-3"])
    assert backend.identify(probe, top_k=2)[0].subject_id == "DB2_B-2-3"


def test_enrolling_many_equals_one_by_one_including_codewords(gallery: dict[str, dict[int, Template]]) -> None:
    one, many = InProcessBackend(search=CASCADE), InProcessBackend(search=CASCADE)
    for name, fingers in gallery.items():
        one.enroll(name, fingers)
    many.enroll_many(gallery)
    one._ensure_words()  # the first few were enrolled below index_from, without codewords
    for name in gallery:
        for position in range(1, 11):
            a, b = one._columns[position], many._columns[position]
            a.consolidate()
            b.consolidate()
            ta, tb = int(a.of_row[one._rows[name]]), int(b.of_row[many._rows[name]])
            assert np.array_equal(a.words[a.code_starts[ta]:a.code_starts[ta + 1]],
                                  b.words[b.code_starts[tb]:b.code_starts[tb + 1]])
            assert np.array_equal(a.codes[a.code_starts[ta]:a.code_starts[ta + 1]],
                                  b.codes[b.code_starts[tb]:b.code_starts[tb + 1]])
    probe = subject("DB3_B", 4, 3)
    assert one.identify(probe, top_k=3) == many.identify(probe, top_k=3)


def test_a_gallery_growing_past_the_index_size_gets_its_codewords_at_the_first_indexed_search(gallery) -> None:
    """Below ``index_from`` no codeword is computed (the demo's galleries never pay for them); crossing it,
    the first search assigns them all and answers as a gallery enrolled with codewords from the start."""
    names = sorted(gallery)
    grown = InProcessBackend(search=CASCADE)
    for name in names[:3]:  # three subjects: below index_from=4
        grown.enroll(name, gallery[name])
    column = grown._columns[1]
    column.consolidate()
    assert sum(b - a for a, b in column.unassigned) == len(column.codes) > 0 and not column.words.any()
    grown.enroll_many({name: gallery[name] for name in names[3:]})  # now indexed: these are assigned at once
    direct = InProcessBackend(search=CASCADE)
    direct.enroll_many(gallery)
    probe = subject("DB3_B", 5, 3)
    assert [(c.subject_id, c.score) for c in grown.identify(probe, top_k=2)] == \
        [(c.subject_id, c.score) for c in direct.identify(probe, top_k=2)]
    for position in range(1, 11):
        a, b = grown._columns[position], direct._columns[position]
        assert a.unassigned == [] and np.array_equal(np.sort(a.words), np.sort(b.words))


def test_the_precompact_pass_hands_only_its_best_rows_to_the_full_compact_pass(
        gallery: dict[str, dict[int, Template]]) -> None:
    """Index keeps 6 of 12; the pre-pass (5 probe × 10 gallery cylinders) keeps 2; the full pass 1."""
    params = SearchParameters(index_from=4, index_keep=0.5, index_keep_min=1, shortlist=1, precompact_keep=2)
    backend, exhaustive = InProcessBackend(search=params), InProcessBackend(search=EXHAUSTIVE)
    backend.enroll_many(gallery)
    exhaustive.enroll_many(gallery)
    calls: list[tuple[np.ndarray, int, int, np.ndarray]] = []
    rough = backend._compact_rough

    def recorded(probes, rows, q, g_max):
        scores = rough(probes, rows, q, g_max)
        calls.append((rows.copy(), q, g_max, scores))
        return scores

    backend._compact_rough = recorded
    probe = subject("DB3_B", 5, 3)
    got = backend.identify(probe, top_k=1)
    assert got[0] == exhaustive.identify(probe, top_k=1)[0] and got[0].subject_id == "DB3_B-2-3"
    (pre_rows, pre_q, pre_g, pre_scores), (full_rows, full_q, full_g, _) = calls
    assert (len(pre_rows), pre_q, pre_g) == (6, 5, 10) and (full_q, full_g) == (10, -1)
    assert sorted(full_rows) == sorted(pre_rows[np.argsort(-pre_scores)[:2]])


def test_a_bulk_load_gives_its_freed_heap_back_once_consolidated(gallery, monkeypatch) -> None:
    """Consolidation frees the enrolment blocks; a load of at least ``_TRIM_AFTER_BYTES`` hands the heap back
    (at 100,000 subjects, 2.07 → 1.75 KB a finger of RSS), and a search with nothing pending does not."""
    from scomm.fingerprints import search

    calls: list[int] = []
    monkeypatch.setattr(search, "release_free_heap", lambda: calls.append(1))
    backend = InProcessBackend(search=CASCADE)
    backend.enroll_many(gallery)
    pending = sum(block.nbytes for column in backend._columns.values() for _, block, _ in column._pending)
    monkeypatch.setattr(search, "_TRIM_AFTER_BYTES", pending)
    probe = subject("DB3_B", 4, 3)
    backend.identify(probe)
    assert calls == [1]
    backend.identify(probe)
    assert calls == [1]
    monkeypatch.setattr(search, "_TRIM_AFTER_BYTES", pending + 1)
    backend.enroll_many(gallery)  # the same again: under the bar
    backend.identify(probe)
    assert calls == [1]


def test_releasing_the_free_heap_is_harmless_wherever_it_runs() -> None:
    from scomm.fingerprints.search import release_free_heap

    release_free_heap()  # glibc: malloc_trim; elsewhere nothing, never an error
