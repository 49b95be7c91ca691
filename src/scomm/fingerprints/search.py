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
from scomm.fingerprints.matching import _score, constants
from scomm.fingerprints.parameters import FusionParameters
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
    concatenation, not one per subject.
    """

    def __init__(self, params: FusionParameters = FusionParameters()) -> None:
        self.params = params
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
        scores = np.zeros((len(self._ids), 11))
        compared = np.zeros((len(self._ids), 11), dtype=bool)
        for position, template in probe.items():
            pack = self._packs.get(_position(position))
            if pack is None:
                continue
            cyl = cylinders_of(template, self.params.match)
            per_template = _scan(cyl.bits, cyl.valid, cyl.minutiae, pack.bits, pack.valid, pack.minutiae,
                                 pack.starts, self._constants)
            scores[pack.owners, position] = per_template
            compared[pack.owners, position] = True
        fused = scores.sum(axis=1)
        best = np.argsort(-fused, kind="stable")[:top_k]
        return [self._candidate(int(row), scores[row], compared[row]) for row in best if compared[row].any()]

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
def _scan(bits, valid, mins, g_bits, g_valid, g_mins, starts, k):  # pragma: no cover - compiled
    n = starts.shape[0] - 1
    out = np.zeros(n)
    if bits.shape[0] == 0:
        return out
    for t in prange(n):
        a, b = starts[t], starts[t + 1]
        if b > a:
            out[t] = _score(bits, valid, mins, g_bits[a:b], g_valid[a:b], g_mins[a:b], k)
    return out
