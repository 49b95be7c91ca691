"""The GPU compact scan: bit-identical to the CPU kernel, and a GPU backend finds what a CPU one finds.

Without a GPU these run on numba's CUDA simulator (tests/conftest.py switches it on), which executes the
same kernel source thread by thread on the CPU; on a machine with an NVIDIA GPU, NUMBA_ENABLE_CUDASIM=0
runs them on the device.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from scomm.errors import FingerprintError
from scomm.fingerprints import InProcessBackend, SearchParameters, Template, gpu
from scomm.fingerprints.cylinders import Cylinders, cylinders_of
from scomm.fingerprints.search import _compact_prescan, compact_codes, pooled_words

from .conftest import fvc_template

pytestmark = pytest.mark.skipif(not gpu.available(), reason="numba.cuda has neither a GPU nor its simulator")

BACKEND = InProcessBackend(codebook=None)
MATCH = BACKEND.params.match
W = pooled_words(MATCH)


def _cpu_scores(p_codes, p_angles, g_codes, g_angles, starts) -> np.ndarray:
    which = np.arange(len(starts) - 1, dtype=np.int64)
    return _compact_prescan(p_codes, p_angles, g_codes, g_angles, starts, which, BACKEND.search.compact_max_angle,
                            BACKEND._min_common, W)


def _gpu_scores(p_codes, p_angles, g_codes, g_angles, starts) -> np.ndarray:
    return gpu.compact_scan(p_codes, p_angles, g_codes, g_angles, starts, BACKEND.search.compact_max_angle,
                            BACKEND._min_common, W).copy_to_host()


def _coded(template: Template, count: int) -> tuple[np.ndarray, np.ndarray]:
    cyl = cylinders_of(template, MATCH)
    head = Cylinders(cyl.bits[:count], cyl.valid[:count], cyl.minutiae[:count])
    return compact_codes(head, MATCH), np.ascontiguousarray(cyl.minutiae[:count, 2], np.float32)


def test_scores_of_real_fingers_are_bit_identical_to_the_cpu_kernel() -> None:
    gallery = [_coded(fvc_template(db, f, i), 20) for db in ("DB1_B", "DB2_B") for f in (101, 102, 103)
               for i in (1, 2)]
    codes = np.concatenate([c for c, _ in gallery])
    angles = np.concatenate([a for _, a in gallery])
    starts = np.concatenate([[0], np.cumsum([len(c) for c, _ in gallery])]).astype(np.int64)
    p_codes, p_angles = _coded(fvc_template("DB1_B", 102, 3), 10)
    want = _cpu_scores(p_codes, p_angles, codes, angles, starts)
    got = _gpu_scores(p_codes, p_angles, codes, angles, starts)
    assert np.array_equal(got, want)  # not approx: same operations in the same order
    others = np.delete(want, [2, 3])
    assert want[2:4].min() > 1.3 * others.max()  # the mate's two impressions (finger 102 of DB1_B) lead


def test_scores_of_random_codes_are_bit_identical_including_gated_and_empty_templates() -> None:
    rng = np.random.default_rng(7)
    width = (MATCH.nd + 1) * W

    def codes(n: int) -> np.ndarray:
        out = rng.integers(0, 2 ** 63, size=(n, width), dtype=np.uint64) << np.uint64(1)
        out |= rng.integers(0, 2, size=(n, width), dtype=np.uint64)
        # validity dense enough that most pairs pass the overlap test, some fail it
        out[:, -W:] |= rng.integers(0, 2 ** 63, size=(n, W), dtype=np.uint64) | (out[:, -W:] >> np.uint64(1))
        return out

    counts = rng.integers(0, 21, size=150)
    counts[[0, 17]] = 0  # templates with no coded cylinder score 0
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    g_codes, g_angles = codes(int(starts[-1])), rng.uniform(0, 2 * np.pi, int(starts[-1])).astype(np.float32)
    p_codes, p_angles = codes(10), rng.uniform(0, 2 * np.pi, 10).astype(np.float32)
    want = _cpu_scores(p_codes, p_angles, g_codes, g_angles, starts)
    got = _gpu_scores(p_codes, p_angles, g_codes, g_angles, starts)
    assert np.array_equal(got, want)
    assert want[0] == want[17] == 0.0 and np.count_nonzero(want) > 100


def test_too_many_probe_cylinders_is_refused_with_the_limit() -> None:
    with pytest.raises(FingerprintError, match="at most 32 probe cylinders"):
        gpu.compact_scan(np.zeros((33, 7), np.uint64), np.zeros(33, np.float32), np.zeros((0, 7), np.uint64),
                         np.zeros(0, np.float32), np.zeros(1, np.int64), 1.0, 1.0, W)


FINGERS = (101, 103, 105, 107, 109)


def _subject(db: str, first: int, impression: int) -> dict[int, Template]:
    """Three fingers of one database as one subject (a small stand-in for a ten-print)."""
    return {p: fvc_template(db, FINGERS[(first + p) % len(FINGERS)], impression) for p in (1, 2, 7)}


def test_a_gpu_backend_returns_the_candidates_of_a_cpu_backend_without_index() -> None:
    """Through enrolment in several steps, deletion and re-enrolment (each uploads only what is new)."""
    search = SearchParameters(shortlist=3, index_from=4, index_keep=0.25, index_keep_min=1, precompact_keep=4)
    subjects = {f"{db}-{k}": _subject(db, k, 1) for db in ("DB1_B", "DB3_B", "DB4_B") for k in range(len(FINGERS))}
    names = list(subjects)
    # no codebook: no index stage; no pre-compact pass either
    cpu = InProcessBackend(search=replace(search, precompact_keep=0), codebook=None)
    indexed = InProcessBackend(search=search)
    dev = InProcessBackend(search=search, device="gpu")
    assert (cpu.device, dev.device) == ("cpu", "gpu")
    dev._index_survivors = lambda *_: pytest.fail("a GPU backend scans the whole gallery, never the index")
    dev._compact_rough = lambda *_: pytest.fail("a GPU backend runs neither compact pass on the CPU")
    probe = _subject("DB3_B", 2, 3)

    def same() -> list[str]:
        want = cpu.identify(probe, top_k=3)
        assert dev.identify(probe, top_k=3) == want
        return [c.subject_id for c in want]

    for backend in (cpu, indexed, dev):
        backend.enroll_many({n: subjects[n] for n in names[:6]})
    unrelated = same()[0]
    assert unrelated in names[:6] and unrelated != "DB3_B-2"  # its mate is not enrolled yet: an impostor leads
    for backend in (cpu, indexed, dev):
        backend.enroll_many({n: subjects[n] for n in names[6:]})
        backend.delete(unrelated)
    before = same()
    assert before[0] == "DB3_B-2"
    for backend in (cpu, indexed, dev):
        backend.delete("DB3_B-2")
        backend.enroll("DB3_B-2", {1: subjects["DB3_B-2"][1]})  # re-enrolled with one finger only
    assert same() != before
    assert indexed._indexed()  # these parameters index a CPU backend that has the codebook


def test_asking_for_a_gpu_where_there_is_none_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gpu, "available", lambda: False)
    with pytest.raises(FingerprintError, match="no CUDA GPU"):
        InProcessBackend(device="gpu")
    assert InProcessBackend(device="auto").device == "cpu"
    with pytest.raises(FingerprintError, match="cpu, gpu or auto"):
        InProcessBackend(device="tpu")


def test_the_pipeline_searches_on_the_device_its_settings_name(tmp_path) -> None:
    from pydantic import ValidationError

    from scomm.config import Settings
    from scomm.pipeline import PipelineContext

    ctx = PipelineContext.open(Settings(home=tmp_path, search_device="gpu"))
    try:
        assert ctx.criminal.device == "gpu" and ctx.immigration.device == "gpu"
    finally:
        ctx.db.dispose()
    default = PipelineContext.open(Settings(home=tmp_path / "b"))
    try:
        assert default.criminal.device == "cpu"
    finally:
        default.db.dispose()
    with pytest.raises(ValidationError):
        Settings(home=tmp_path, search_device="tpu")


def test_settings_asking_for_a_missing_gpu_fail_at_start_up(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from scomm.config import Settings

    monkeypatch.setattr(gpu, "available", lambda: False)
    with pytest.raises(ValidationError, match="SCOMM_SEARCH_DEVICE=gpu, but numba.cuda sees no CUDA GPU"):
        Settings(home=tmp_path, search_device="gpu")
    assert Settings(home=tmp_path, search_device="auto").search_device == "auto"
