"""1:N search over a gallery of ten-prints.

``SearchBackend`` is the seam: the pipeline codes against it; :class:`InProcessBackend` is the
embedded implementation. A sharded backend (one gallery shard per Ray actor) implements the same
four methods — templates cross process boundaries as ``Template.to_bytes()`` and each shard's
top-k lists are combined with :func:`merge_candidates` — so callers do not change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
from numba import njit, prange

from scomm.errors import FingerprintError
from scomm.fingerprints.cylinders import Cylinders, cell_words, cylinders_of
from scomm.fingerprints.fusion import fuse
from scomm.fingerprints.matching import _local, _score, _wrap, constants
from scomm.fingerprints.parameters import FusionParameters, SearchParameters
from scomm.fingerprints.templates import Template

POSITIONS = tuple(range(1, 11))


@dataclass(frozen=True)
class Candidate:
    """One gallery subject returned by a search.

    ``score`` is the fused score (sum of per-finger similarities, see
    :class:`~scomm.fingerprints.parameters.FusionParameters`); ``is_hit`` is ``score >= threshold``.
    """

    subject_id: str
    score: float
    finger_scores: dict[int, float] = field(hash=False)
    is_hit: bool


@runtime_checkable
class SearchBackend(Protocol):
    """A gallery of subjects, each with up to ten finger templates, searchable 1:N."""

    def enroll(self, subject_id: str, templates: Mapping[int, Template]) -> None:
        """Add a subject, replacing any earlier enrolment under the same id."""

    def delete(self, subject_id: str) -> None:
        """Remove a subject; deleting an unknown id is not an error."""

    def identify(self, probe: Mapping[int, Template], top_k: int = 10) -> list[Candidate]:
        """Best ``top_k`` candidates, best first, comparing finger i of the probe with finger i."""

    def __len__(self) -> int:
        """Number of enrolled subjects."""


def merge_candidates(lists: Iterable[list[Candidate]], top_k: int) -> list[Candidate]:
    """Combine per-shard results: shards are disjoint, so the global best are the best of all."""
    pooled = [c for lst in lists for c in lst]
    return sorted(pooled, key=lambda c: (-c.score, c.subject_id))[:top_k]


@dataclass
class _Pack:
    """All gallery cylinders of one finger position, concatenated for a single compiled scan."""

    bits: np.ndarray
    valid: np.ndarray
    minutiae: np.ndarray
    starts: np.ndarray  # template t owns cylinders starts[t]:starts[t + 1]
    owners: np.ndarray  # subject row of template t


class InProcessBackend:
    """The embedded gallery: descriptors built at enrolment, packed per finger position.

    Packs are rebuilt lazily on the first search after a change, so bulk enrolment costs one
    concatenation, not one per subject. Galleries larger than ``search.shortlist`` subjects are
    searched in two stages (see :class:`~scomm.fingerprints.parameters.SearchParameters`): every
    subject gets a cheap score, the best ``shortlist`` get the exact one, and candidates carry
    exact scores only.
    """

    def __init__(self, params: FusionParameters = FusionParameters(),
                 search: SearchParameters = SearchParameters()) -> None:
        self.params = params
        self.search = search
        self._constants = constants(params.match)
        self._subjects: dict[str, dict[int, Cylinders]] = {}
        self._ids: list[str] = []
        self._packs: dict[int, _Pack] = {}
        self._dirty = True

    def __len__(self) -> int:
        return len(self._subjects)

    def __contains__(self, subject_id: object) -> bool:
        return subject_id in self._subjects

    def enroll(self, subject_id: str, templates: Mapping[int, Template]) -> None:
        self._subjects[subject_id] = {_position(p): cylinders_of(t, self.params.match)
                                      for p, t in templates.items()}
        self._dirty = True

    def delete(self, subject_id: str) -> None:
        if self._subjects.pop(subject_id, None) is not None:
            self._dirty = True

    def identify(self, probe: Mapping[int, Template], top_k: int = 10) -> list[Candidate]:
        if self._dirty:
            self._repack()
        probe_cyls = {_position(p): cylinders_of(t, self.params.match) for p, t in probe.items()}
        shortlist = None
        if len(self._ids) > max(self.search.shortlist, top_k):
            shortlist = self._shortlist(probe_cyls, max(self.search.shortlist, top_k))
        scores = np.zeros((len(self._ids), 11))
        compared = np.zeros((len(self._ids), 11), dtype=bool)
        for position, cyl in probe_cyls.items():
            pack = self._packs.get(position)
            if pack is None:
                continue
            which = np.arange(len(pack.owners)) if shortlist is None else np.flatnonzero(shortlist[pack.owners])
            per_template = _scan(cyl.bits, cyl.valid, cyl.minutiae, pack.bits, pack.valid, pack.minutiae,
                                 pack.starts, which, self._constants)
            scores[pack.owners[which], position] = per_template
            compared[pack.owners, position] = True
        fused = scores.sum(axis=1)
        if shortlist is not None:
            fused[~shortlist] = -1.0
        best = np.argsort(-fused, kind="stable")[:top_k]
        return [self._candidate(int(row), scores[row], compared[row]) for row in best if compared[row].any()]

    def _shortlist(self, probe_cyls: dict[int, Cylinders], size: int) -> np.ndarray:
        """Rows of the ``size`` subjects with the best first-pass score, as a boolean mask."""
        rough = np.zeros(len(self._ids))
        q = self.search.prefilter_minutiae
        for position, cyl in probe_cyls.items():
            pack = self._packs.get(position)
            if pack is None or len(cyl) == 0:
                continue
            rough[pack.owners] += _prescan(cyl.bits[:q], cyl.valid[:q], cyl.minutiae[:q], pack.bits, pack.valid,
                                           pack.minutiae, pack.starts, self.search.prefilter_gallery_minutiae,
                                           self._constants)
        mask = np.zeros(len(self._ids), dtype=bool)
        mask[np.argsort(-rough, kind="stable")[:size]] = True
        return mask

    def _candidate(self, row: int, scores: np.ndarray, compared: np.ndarray) -> Candidate:
        fingers = {p: float(scores[p]) for p in POSITIONS if compared[p]}
        total = fuse(fingers, self.params)
        return Candidate(self._ids[row], total, fingers, total >= self.params.threshold)

    def _repack(self) -> None:
        self._ids = list(self._subjects)
        self._packs = {}
        cw = cell_words(self.params.match)
        words = self.params.match.nd * cw
        for position in POSITIONS:
            owned = [(row, fingers[position]) for row, fingers in enumerate(self._subjects.values())
                     if position in fingers]
            if not owned:
                continue
            cyls = [c for _, c in owned]
            sizes = np.array([len(c) for c in cyls], dtype=np.int64)
            self._packs[position] = _Pack(
                bits=np.concatenate([c.bits for c in cyls]) if sizes.sum() else np.zeros((0, words), np.uint64),
                valid=np.concatenate([c.valid for c in cyls]) if sizes.sum() else np.zeros((0, cw), np.uint64),
                minutiae=np.concatenate([c.minutiae for c in cyls]) if sizes.sum() else np.zeros((0, 3), np.float32),
                starts=np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
                owners=np.array([row for row, _ in owned], dtype=np.int64))
        self._dirty = False


def _position(position: int) -> int:
    if int(position) not in POSITIONS:
        raise FingerprintError(f"finger position must be 1..10, got {position}")
    return int(position)


@njit(cache=True, parallel=True)
def _scan(bits, valid, mins, g_bits, g_valid, g_mins, starts, which, k):  # pragma: no cover - compiled
    """Exact scores of the probe against gallery templates ``which`` (indices into ``starts``)."""
    n = which.shape[0]
    out = np.zeros(n)
    if bits.shape[0] == 0:
        return out
    for u in prange(n):
        t = which[u]
        a, b = starts[t], starts[t + 1]
        if b > a:
            out[u] = _score(bits, valid, mins, g_bits[a:b], g_valid[a:b], g_mins[a:b], k)
    return out


@njit(cache=True, parallel=True)
def _prescan(bits, valid, mins, g_bits, g_valid, g_mins, starts, per_template, k):  # pragma: no cover - compiled
    """First-pass score per gallery template: sum of each probe cylinder's best local similarity
    among the template's first ``per_template`` (best-quality) cylinders."""
    n = starts.shape[0] - 1
    out = np.zeros(n)
    cw = int(k[2])
    for t in prange(n):
        total = 0.0
        for i in range(bits.shape[0]):
            best = 0.0
            for j in range(starts[t], min(starts[t + 1], starts[t] + per_template)):
                if abs(_wrap(mins[i, 2] - g_mins[j, 2])) > k[0]:
                    continue
                s = _local(bits, valid, i, g_bits, g_valid, j, k[1], cw)
                if s > best:
                    best = s
            total += best
        out[t] = total
    return out
