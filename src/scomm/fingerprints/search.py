"""1:N search over a gallery of ten-prints.

``SearchBackend`` is the seam: the pipeline codes against it; :class:`InProcessBackend` is the
embedded implementation. A sharded backend (one gallery shard per Ray actor) implements the same
four methods — templates cross process boundaries as ``Template.to_bytes()`` and each shard's
top-k lists are combined with :func:`merge_candidates` — so callers do not change.

What stays resident per finger (:class:`PackedFinger`, about 1.2 KB + 12 bytes per minutia): a compact
code for the middle search stage — the template's ``prefilter_gallery_minutiae`` best-quality MCC
cylinders pooled from 16×16 to 8×8 cells (one 64-bit word per angular section plus one of validity)
with their directions —, for each of those cylinders the index of its most similar codeword (a uint16,
the index stage), and the minutiae themselves (x, y, angle as float32). Full cylinders (about 10 KB a
finger) are the heavier structure: they are built only for the shortlisted subjects, from the resident
minutiae, and kept in a bounded least-recently-used cache (``cache_mb``), which holds a whole small
gallery, so small galleries never rebuild anything.

Search is a cascade (stage sizes in :class:`~scomm.fingerprints.parameters.SearchParameters`):

0. *index* (galleries of ``index_from`` subjects or more): the codebook is ``codebook_size`` pooled
   cylinders of real fingers (FVC2002, ``bench/make_codebook.py``); each gallery cylinder was assigned,
   at enrolment, its most similar codeword. A probe finger's ``index_minutiae`` cylinders are compared
   with every codeword once per search (a table of K similarities: the best over the probe's cylinders),
   and a gallery finger scores the sum of the table at its codewords — one table look-up per coded
   cylinder, tens of ns a finger instead of µs. The best ``index_keep`` fraction of subjects (at least
   ``index_keep_min``) go on.
1. *compact prescan* of the survivors (of every subject in smaller galleries): the pooled cylinders
   compared pairwise, angle-gated; the best ``shortlist`` go on. When the survivors are many (more than
   twice ``precompact_keep``), a pass on fewer cylinders first keeps ``precompact_keep`` of them.
2. *exact* MCC on the shortlist: the scores candidates carry, identical to ``compare()``.

``device="gpu"`` (an NVIDIA GPU through numba.cuda, :mod:`scomm.fingerprints.gpu`) keeps the compact codes
resident on the GPU and runs stage 1 over the whole gallery there, with no stage 0: the same scores as the
CPU kernel, bit for bit, so the candidates are those of a CPU backend without the index and without the
pre-compact pass (``precompact_keep=0``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from numba import njit, prange

from scomm.errors import FingerprintError
from scomm.fingerprints import gpu
from scomm.fingerprints.cylinders import (
    WEIGHT_LEVELS,
    Cylinders,
    _build,
    _hull,
    cell_words,
    cylinders_of,
    disc_cells,
    weight_levels,
    weighted_minutiae,
)
from scomm.fingerprints.fusion import fuse
from scomm.fingerprints.matching import _popcount, _score, _wrap, constants
from scomm.fingerprints.parameters import (
    FusionParameters,
    MatchParameters,
    SearchParameters,
)
from scomm.fingerprints.templates import Template

POSITIONS = tuple(range(1, 11))
POOL = 2  # compact codes OR-pool 2×2 blocks of cylinder cells (16×16 → 8×8: one word per section)
DEFAULT_CACHE_MB = 256.0  # full cylinders kept for about 25,000 fingers (2,500 ten-print subjects)
CODEBOOK_PATH = Path(__file__).with_name("codebook.npz")  # written by bench/make_codebook.py


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


_TRIM_AFTER_BYTES = 64 << 20


def release_free_heap() -> None:
    """Give the C heap's free memory back to the operating system (glibc only; elsewhere nothing).

    A bulk load leaves its enrolment blocks and the columns' previous arrays freed but held by glibc: its
    adaptive mmap threshold (up to 32 MB) puts such arrays in the heap, and a heap only shrinks from its
    top. At 100,000 subjects that was 0.38 KB a finger of resident memory on top of the gallery's 1.69 KB
    (2.07 → 1.75 KB a finger of RSS growth, bench/scale_bench.py's gallery)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def _malloc_trim():  # type: ignore[no-untyped-def]
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS, Windows): nothing to give back this way
        return None


# -- compact codes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackedFinger:
    """The resident form of one gallery finger.

    ``codes`` (g, (nd + 1) · w) uint64: per coded cylinder, its pooled bits section by section, then
    its pooled validity (w words each; w = 1 for the default 16×16 cylinders); ``angles`` (g,) float32
    the coded minutiae's directions; ``minutiae`` (n, 3) float32 x, y, angle of every minutia, from
    which the exact cylinders are rebuilt bit for bit; ``words`` (g,) uint16 each coded cylinder's
    codeword (the index stage; zeros when the backend has no codebook); ``weights`` (n,) uint8 each
    minutia's overlap weight in levels of 1/255 (:func:`scomm.fingerprints.cylinders.weight_levels`).
    """

    codes: np.ndarray
    angles: np.ndarray
    minutiae: np.ndarray
    words: np.ndarray
    weights: np.ndarray

    @property
    def nbytes(self) -> int:
        return int(self.codes.nbytes + self.angles.nbytes + self.minutiae.nbytes + self.words.nbytes
                   + self.weights.nbytes)


@dataclass(frozen=True)
class FingerBlock:
    """Packed fingers of many subjects at one position, concatenated: the bulk-loading form."""

    codes: np.ndarray
    angles: np.ndarray
    code_counts: np.ndarray
    minutiae: np.ndarray
    minutia_counts: np.ndarray
    words: np.ndarray
    weights: np.ndarray

    @classmethod
    def of(cls, fingers: Sequence[PackedFinger]) -> FingerBlock:
        return cls(np.concatenate([f.codes for f in fingers]), np.concatenate([f.angles for f in fingers]),
                   np.array([len(f.codes) for f in fingers], np.int64), np.concatenate([f.minutiae for f in fingers]),
                   np.array([len(f.minutiae) for f in fingers], np.int64),
                   np.concatenate([f.words for f in fingers]).astype(np.uint16),
                   np.concatenate([f.weights for f in fingers]).astype(np.uint8))

    def __len__(self) -> int:
        return len(self.code_counts)

    @property
    def nbytes(self) -> int:
        return int(self.codes.nbytes + self.angles.nbytes + self.minutiae.nbytes + self.words.nbytes
                   + self.weights.nbytes)


def pooled_words(params: MatchParameters) -> int:
    """Words per pooled section (and per pooled validity mask)."""
    side = -(-params.ns // POOL)
    return -(-side * side // 64)


def pooled_disc_cells(params: MatchParameters) -> int:
    """Pooled cells wholly inside the cylinder's disc: the most a pooled validity mask can hold."""
    c = (np.arange(params.ns) - (params.ns - 1) / 2.0) * (2.0 * params.radius / params.ns)
    inside = (c[:, None] ** 2 + c[None, :] ** 2) <= params.radius ** 2
    return int(_pool(inside[None, None], params.ns, np.minimum).sum())


def _pool(cells: np.ndarray, ns: int, how: np.ufunc) -> np.ndarray:
    """(n, s, ns, ns) booleans → (n, s, m·m): each POOL×POOL block reduced with ``how`` (OR or AND)."""
    side = -(-ns // POOL)
    pad = side * POOL - ns
    if pad:
        cells = np.pad(cells, [(0, 0), (0, 0), (0, pad), (0, pad)])
    n, s = cells.shape[:2]
    blocks = cells.reshape(n, s, side, POOL, side, POOL)
    return how.reduce(how.reduce(blocks, axis=5), axis=3).reshape(n, s, side * side)


def compact_codes(cyl: Cylinders, params: MatchParameters) -> np.ndarray:
    """Pooled codes of every cylinder: bits OR-pooled (a neighbour anywhere in the block), validity
    AND-pooled (only blocks wholly valid are compared)."""
    n, nd, w = len(cyl), params.nd, pooled_words(params)
    out = np.zeros((n, (nd + 1) * w), np.uint64)
    if n:
        _pool_codes(cyl.bits, cyl.valid, params.ns, nd, cell_words(params), POOL, w, out)
    return out


@njit(cache=True)
def _pool_codes(bits, valid, ns, nd, cw, pool, w, out):  # pragma: no cover - compiled
    """Straight from the packed words (unpacking to one byte per cell made this half of a gallery's load
    time). A block reaching past the grid's edge holds absent cells, so its validity is off."""
    side = -(-ns // pool)
    cells = ns * ns
    count = np.zeros(side * side, np.int64)
    for i in range(bits.shape[0]):
        count[:] = 0
        for cell in range(cells):
            a = cell // ns
            b = cell - a * ns
            p = (a // pool) * side + b // pool
            if (valid[i, cell >> 6] >> np.uint64(cell & 63)) & np.uint64(1):
                count[p] += 1
            for s in range(nd):
                bit = s * cells + cell
                if (bits[i, bit >> 6] >> np.uint64(bit & 63)) & np.uint64(1):
                    out[i, s * w + (p >> 6)] |= np.uint64(1) << np.uint64(p & 63)
        for p in range(side * side):
            if count[p] == pool * pool:
                out[i, nd * w + (p >> 6)] |= np.uint64(1) << np.uint64(p & 63)


def pack_finger(template: Template, params: MatchParameters, coded: int,
                codebook: np.ndarray | None = None) -> tuple[PackedFinger, Cylinders]:
    """The resident form of ``template`` (its first ``coded`` cylinders coded) and its full cylinders."""
    cyl = cylinders_of(template, params)
    mins = np.ascontiguousarray(template.minutiae[:, :3], dtype=np.float32)
    codes = compact_codes(cyl, params)[:coded]
    return PackedFinger(codes, cyl.minutiae[:coded, 2].copy(), mins, assign_words(codes, codebook, params),
                        weight_levels(template, params)), cyl


def load_codebook(params: MatchParameters) -> np.ndarray | None:
    """The shipped codebook, or None when it does not fit these cylinder parameters (no index stage)."""
    book = _shipped_codebook()
    if book is None or book.shape[1] != (params.nd + 1) * pooled_words(params):
        return None
    return book


def load_baseline(params: MatchParameters) -> np.ndarray | None:
    """Each shipped codeword's mean probe-table value over the FVC templates it was drawn from."""
    return _shipped_baseline() if load_codebook(params) is not None else None


@lru_cache(maxsize=1)
def _shipped_codebook() -> np.ndarray | None:
    if not CODEBOOK_PATH.exists():
        return None
    with np.load(CODEBOOK_PATH) as data:
        book = np.ascontiguousarray(data["codewords"], dtype=np.uint64)
    book.setflags(write=False)
    return book


@lru_cache(maxsize=1)
def _shipped_baseline() -> np.ndarray:
    with np.load(CODEBOOK_PATH) as data:
        base = np.ascontiguousarray(data["baseline"], dtype=np.float32)
    base.setflags(write=False)
    return base


def _min_common(params: MatchParameters) -> int:
    return int(params.min_matchable * pooled_disc_cells(params))


def assign_words(codes: np.ndarray, codebook: np.ndarray | None, params: MatchParameters) -> np.ndarray:
    """Each pooled cylinder's most similar codeword (compact similarity; the first on ties), uint16."""
    if codebook is None or len(codes) == 0:
        return np.zeros(len(codes), np.uint16)
    return _assign(np.ascontiguousarray(codes), codebook, _min_common(params), pooled_words(params))


# -- resident gallery ------------------------------------------------------------------------------------


class _Column:
    """One finger position's resident gallery: append-only arrays, consolidated lazily before a search.

    Template indices are never reused (a re-enrolled or deleted subject's templates stay, unowned), so
    a cache key (position, template index) can never point at the wrong template.
    """

    def __init__(self, code_width: int) -> None:
        self.codes = np.zeros((0, code_width), np.uint64)
        self.angles = np.zeros(0, np.float32)
        self.words = np.zeros(0, np.uint16)
        self.code_starts = np.zeros(1, np.int64)
        self.minutiae = np.zeros((0, 3), np.float32)
        self.weights = np.zeros(0, np.uint8)
        self.minutia_starts = np.zeros(1, np.int64)
        self.owners = np.zeros(0, np.int64)
        self.of_row = np.full(0, -1, np.int32)  # row → its template at this position, -1 when none
        self.unassigned: list[tuple[int, int]] = []  # ranges of coded cylinders whose codeword is not computed
        self._pending: list[tuple[np.ndarray, FingerBlock, bool]] = []
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, rows: np.ndarray, block: FingerBlock, total_rows: int, assigned: bool = True) -> None:
        self._grow_rows(total_rows)
        self.of_row[rows] = np.arange(self._count, self._count + len(rows), dtype=np.int32)
        self._count += len(rows)
        self._pending.append((rows, block, assigned))

    def _grow_rows(self, total_rows: int) -> None:
        if total_rows > len(self.of_row):
            grown = np.full(max(total_rows, 2 * len(self.of_row), 1024), -1, np.int32)
            grown[:len(self.of_row)] = self.of_row
            self.of_row = grown

    def consolidate(self) -> int:
        """Append the pending blocks to the resident arrays; returns the bytes that were pending."""
        if not self._pending:
            return 0
        pending = sum(block.nbytes for _, block, _ in self._pending)
        rows = [r for r, _, _ in self._pending]
        blocks = [b for _, b, _ in self._pending]
        start = len(self.codes)
        for _, block, assigned in self._pending:
            if not assigned and len(block.codes):
                self.unassigned.append((start, start + len(block.codes)))
            start += len(block.codes)
        self.codes = np.concatenate([self.codes] + [b.codes for b in blocks])
        self.angles = np.concatenate([self.angles] + [b.angles for b in blocks])
        self.words = np.concatenate([self.words] + [b.words for b in blocks])
        self.code_starts = _extend_starts(self.code_starts, [b.code_counts for b in blocks])
        self.minutiae = np.concatenate([self.minutiae] + [b.minutiae for b in blocks])
        self.weights = np.concatenate([self.weights] + [b.weights for b in blocks])
        self.minutia_starts = _extend_starts(self.minutia_starts, [b.minutia_counts for b in blocks])
        self.owners = np.concatenate([self.owners] + [r.astype(np.int64) for r in rows])
        self._pending = []
        return pending

    def templates_of(self, rows: np.ndarray) -> np.ndarray:
        """Template index at this position of each row (int64), -1 where the row has none."""
        out = np.full(len(rows), -1, np.int64)
        known = rows < len(self.of_row)
        out[known] = self.of_row[rows[known]]
        return out

    def minutiae_of(self, t: int) -> np.ndarray:
        """(n, 4) x, y, angle, overlap weight of template ``t``: what its cylinders are built from."""
        a, b = self.minutia_starts[t], self.minutia_starts[t + 1]
        return np.column_stack([self.minutiae[a:b], self.weights[a:b] / WEIGHT_LEVELS])

    @property
    def nbytes(self) -> int:
        arrays = (self.codes, self.angles, self.words, self.code_starts, self.minutiae, self.weights,
                  self.minutia_starts, self.owners, self.of_row)
        return int(sum(a.nbytes for a in arrays))


def _extend_starts(starts: np.ndarray, counts: list[np.ndarray]) -> np.ndarray:
    added = np.cumsum(np.concatenate(counts)) + starts[-1]
    return np.concatenate([starts, added.astype(np.int64)])


class _CylinderCache:
    """Full cylinders of recently used gallery templates, least recently used dropped first."""

    def __init__(self, budget_bytes: int) -> None:
        self.budget = budget_bytes
        self.bytes = 0
        self._items: OrderedDict[tuple[int, int], Cylinders] = OrderedDict()

    def get(self, key: tuple[int, int]) -> Cylinders | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: tuple[int, int], cyl: Cylinders) -> None:
        size = cyl.bits.nbytes + cyl.valid.nbytes + cyl.minutiae.nbytes
        if size > self.budget:
            return
        old = self._items.pop(key, None)
        if old is not None:
            self.bytes -= old.bits.nbytes + old.valid.nbytes + old.minutiae.nbytes
        self._items[key] = cyl
        self.bytes += size
        while self.bytes > self.budget:
            _, dropped = self._items.popitem(last=False)
            self.bytes -= dropped.bits.nbytes + dropped.valid.nbytes + dropped.minutiae.nbytes

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class _Pack:
    """Full cylinders of some templates of one position, concatenated for a single compiled scan."""

    bits: np.ndarray
    valid: np.ndarray
    minutiae: np.ndarray
    starts: np.ndarray  # template t owns cylinders starts[t]:starts[t + 1]
    owners: np.ndarray  # subject row of template t


class InProcessBackend:
    """The embedded gallery: compact codes and minutiae resident per finger position.

    Galleries larger than ``search.shortlist`` subjects are searched in stages (see the module docstring
    and :class:`~scomm.fingerprints.parameters.SearchParameters`): from ``search.index_from`` subjects the
    codeword index keeps a fraction, the compact codes rank those, the best ``shortlist`` get the exact
    score, and candidates carry exact scores only (identical to :func:`~scomm.fingerprints.matching.compare`
    on the enrolled templates). ``codebook`` defaults to the shipped one (``codebook.npy``); None, or
    cylinder parameters it does not fit, turn the index stage off. ``device``: where the compact stage runs
    (``"cpu"``; ``"gpu"``, which raises when numba.cuda sees none; ``"auto"``).
    """

    def __init__(self, params: FusionParameters = FusionParameters(),
                 search: SearchParameters = SearchParameters(), cache_mb: float = DEFAULT_CACHE_MB,
                 codebook: np.ndarray | None | str = "shipped", device: str = "cpu") -> None:
        if device not in ("cpu", "gpu", "auto"):
            raise FingerprintError(f"search device must be cpu, gpu or auto, got {device!r}")
        self.params = params
        self.search = search
        self._constants = constants(params.match)
        self._code_width = (params.match.nd + 1) * pooled_words(params.match)
        self._min_common = params.match.min_matchable * pooled_disc_cells(params.match)
        self.codebook = load_codebook(params.match) if isinstance(codebook, str) else codebook
        self._baseline = load_baseline(params.match) if isinstance(codebook, str) else None
        if self.codebook is not None:
            self.codebook = np.ascontiguousarray(self.codebook[:search.codebook_size], dtype=np.uint64)
            self._baseline = (np.zeros(len(self.codebook), np.float32) if self._baseline is None
                              else np.ascontiguousarray(self._baseline[:search.codebook_size]))
        self._ids: list[str] = []  # row → subject id (rows of deleted subjects stay, not alive)
        self._rows: dict[str, int] = {}  # live subject → row
        self._alive = np.zeros(0, bool)
        self._columns = {p: _Column(self._code_width) for p in POSITIONS}
        self._cache = _CylinderCache(int(cache_mb * 2 ** 20))
        self._gpu = None
        if device == "gpu" or (device == "auto" and gpu.available()):
            self._gpu = gpu.GpuCompactScan(self._code_width, search.compact_max_angle, self._min_common,
                                           pooled_words(params.match))

    @property
    def device(self) -> str:
        """Where the compact stage runs: ``"gpu"`` (whole gallery, no index stage) or ``"cpu"``."""
        return "cpu" if self._gpu is None else "gpu"

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, subject_id: object) -> bool:
        return subject_id in self._rows

    # -- enrolment ---------------------------------------------------------------------------------------

    def pack(self, template: Template) -> PackedFinger:
        """The resident form of a template under this backend's parameters."""
        return pack_finger(template, self.params.match, self.search.prefilter_gallery_minutiae, self.codebook)[0]

    def enroll(self, subject_id: str, templates: Mapping[int, Template]) -> None:
        self.enroll_many({subject_id: templates})

    def enroll_many(self, subjects: Mapping[str, Mapping[int, Template]]) -> None:
        """Many subjects at once (loading a stored gallery, or one new subject): each position's cylinders
        are built in one parallel pass, coded in one vectorised pass, and kept in the cache while it has room."""
        by_positions: dict[tuple[int, ...], list[str]] = defaultdict(list)
        normalised = {s: {_position(p): t for p, t in templates.items()} for s, templates in subjects.items()}
        for subject_id, templates in normalised.items():
            by_positions[tuple(sorted(templates))].append(subject_id)
        # Codewords (~3 ms a finger) serve only the index stage: a gallery that stays below ``index_from``
        # never pays for them; one that grows past it gets them all at its first indexed search.
        assign = self._will_index(len(self._rows) + len(normalised))
        for positions, ids in by_positions.items():
            blocks, built = {}, {}
            for position in positions:
                templates = [normalised[s][position] for s in ids]
                built[position] = build_many([weighted_minutiae(t, self.params.match) for t in templates],
                                             self.params.match)
                blocks[position] = self._block(templates, built[position], assign)
            self.enroll_block(ids, blocks, words_assigned=assign)
            for position, cylinders in built.items():
                column = self._columns[position]
                for subject_id, cyl in zip(ids, cylinders):
                    self._cache.put((position, int(column.of_row[self._rows[subject_id]])), cyl)

    def _block(self, templates: Sequence[Template], cylinders: Sequence[Cylinders], assign: bool = True) -> FingerBlock:
        """``FingerBlock.of(pack_finger(t) for t in templates)``, with the codes computed in one pass."""
        coded = self.search.prefilter_gallery_minutiae
        counts = np.array([len(c) for c in cylinders], np.int64)
        codes = compact_codes(Cylinders(np.concatenate([c.bits for c in cylinders]),
                                        np.concatenate([c.valid for c in cylinders]),
                                        np.concatenate([c.minutiae for c in cylinders])), self.params.match)
        starts = np.concatenate([[0], np.cumsum(counts)])
        kept = np.concatenate([np.arange(a, min(b, a + coded)) for a, b in zip(starts[:-1], starts[1:])] +
                              [np.zeros(0, np.int64)]).astype(np.int64)
        words = np.zeros(len(codes), np.uint16)
        if assign:
            words[kept] = assign_words(codes[kept], self.codebook, self.params.match)
        return FingerBlock.of([
            PackedFinger(codes[a:b][:coded], c.minutiae[:coded, 2].copy(),
                         np.ascontiguousarray(t.minutiae[:, :3], dtype=np.float32), words[a:b][:coded],
                         weight_levels(t, self.params.match))
            for t, c, a, b in zip(templates, cylinders, starts[:-1], starts[1:])])

    def enroll_block(self, subject_ids: Sequence[str], blocks: Mapping[int, FingerBlock],
                     words_assigned: bool = True) -> None:
        """Bulk enrolment: subject ``subject_ids[i]`` gets finger i of every block (one block per position).
        ``words_assigned=False``: the blocks' codewords are not computed yet (done before an indexed search)."""
        if len(set(subject_ids)) != len(subject_ids):
            raise FingerprintError("a subject id appears twice in one enrolment block")
        for position, block in blocks.items():
            _position(position)
            if len(block) != len(subject_ids):
                raise FingerprintError(f"position {position}: {len(block)} fingers for {len(subject_ids)} subjects")
        for subject_id in subject_ids:
            self.delete(subject_id)
        first = len(self._ids)
        rows = np.arange(first, first + len(subject_ids), dtype=np.int64)
        self._ids.extend(subject_ids)
        self._rows.update(zip(subject_ids, rows.tolist()))
        if len(self._ids) > len(self._alive):  # grown by doubling: enrolling one by one stays linear
            grown = np.zeros(max(len(self._ids), 2 * len(self._alive), 1024), bool)
            grown[:len(self._alive)] = self._alive
            self._alive = grown
        self._alive[first:len(self._ids)] = True
        for position, block in blocks.items():
            self._columns[position].add(rows, block, len(self._ids), words_assigned)

    def delete(self, subject_id: str) -> None:
        row = self._rows.pop(subject_id, None)
        if row is not None:
            self._alive[row] = False

    # -- search ------------------------------------------------------------------------------------------

    def identify(self, probe: Mapping[int, Template], top_k: int = 10) -> list[Candidate]:
        if not self._rows:
            return []
        self._consolidate()
        probe_cyls = {_position(p): cylinders_of(t, self.params.match) for p, t in probe.items()}
        size = max(self.search.shortlist, top_k)
        rows = self._shortlist(probe_cyls, size) if len(self._rows) > size else np.flatnonzero(self._live())
        scores = np.zeros((len(rows), 11))
        compared = np.zeros((len(rows), 11), dtype=bool)
        for position, cyl in probe_cyls.items():
            column = self._columns[position]
            if len(column) == 0:
                continue
            which = column.templates_of(rows)
            present = np.flatnonzero(which >= 0)
            if len(present) == 0:
                continue
            pack = self._full_pack(position, which[present])
            scores[present, position] = _scan(cyl.bits, cyl.valid, cyl.minutiae, pack.bits, pack.valid,
                                              pack.minutiae, pack.starts, np.arange(len(present)), self._constants)
            compared[present, position] = True
        best = np.argsort(-scores.sum(axis=1), kind="stable")[:top_k]
        return [self._candidate(int(rows[i]), scores[i], compared[i]) for i in best if compared[i].any()]

    def _shortlist(self, probe_cyls: dict[int, Cylinders], size: int) -> np.ndarray:
        """Rows of the ``size`` live subjects with the best compact score (among the index stage's survivors
        when the gallery is large enough for it), ascending."""
        # on a GPU the whole gallery: scanning it there is cheaper than the index stage
        indexed = self._gpu is None and self._indexed()
        rows = self._index_survivors(probe_cyls) if indexed else np.flatnonzero(self._live())
        if len(rows) <= size:
            return rows
        q = self.search.prefilter_minutiae
        probes = [(position, compact_codes(Cylinders(cyl.bits[:q], cyl.valid[:q], cyl.minutiae[:q]), self.params.match),
                   cyl.minutiae[:q, 2].astype(np.float32)) for position, cyl in probe_cyls.items() if len(cyl)]
        if self._gpu is not None:
            rough = self._gpu.rough(probes, self._columns, len(self._ids))[rows]
        else:
            keep = self.search.precompact_keep
            if keep and len(rows) > 2 * keep:
                pre = self._compact_rough(probes, rows, self.search.precompact_minutiae,
                                          self.search.precompact_gallery_minutiae)
                rows = np.sort(rows[np.argpartition(-pre, keep - 1)[:keep]])
            rough = self._compact_rough(probes, rows, self.search.prefilter_minutiae, -1)
        best = np.argpartition(-rough, size - 1)[:size]
        return np.sort(rows[best])

    def _compact_rough(self, probes: list[tuple[int, np.ndarray, np.ndarray]], rows: np.ndarray, q: int,
                       g_max: int) -> np.ndarray:
        """Compact score of each of ``rows``: the probe's first ``q`` coded cylinders against each gallery
        finger's first ``g_max`` (all when negative), summed over positions in the probe's order."""
        rough = np.zeros(len(rows))
        for position, codes, angles in probes:
            column = self._columns[position]
            if len(column) == 0:
                continue
            which = column.templates_of(rows)
            present = np.flatnonzero(which >= 0)
            rough[present] += _compact_prescan(codes[:q], angles[:q], column.codes, column.angles, column.code_starts,
                                               which[present], self.search.compact_max_angle, self._min_common,
                                               pooled_words(self.params.match), g_max)
        return rough

    def _consolidate(self) -> None:
        """Pending enrolments into the resident arrays, and the heap they left behind back to the system."""
        if sum(column.consolidate() for column in self._columns.values()) >= _TRIM_AFTER_BYTES:
            release_free_heap()

    def _indexed(self) -> bool:
        return self._will_index(len(self._rows))

    def _will_index(self, subjects: int) -> bool:
        return self.codebook is not None and subjects >= self.search.index_from

    def _ensure_words(self) -> None:
        """Codewords for the coded cylinders enrolled while the gallery was too small to be indexed."""
        self._consolidate()
        for column in self._columns.values():
            for a, b in column.unassigned:
                column.words[a:b] = assign_words(column.codes[a:b], self.codebook, self.params.match)
            column.unassigned = []

    def _index_survivors(self, probe_cyls: dict[int, Cylinders]) -> np.ndarray:
        """Stage 0: rows of the best ``index_keep`` fraction of live subjects by codeword score, ascending."""
        self._ensure_words()
        live = self._live()
        keep = max(self.search.index_keep_min, math.ceil(self.search.index_keep * len(self._rows)))
        if keep >= len(self._rows):
            return np.flatnonzero(live)
        rough = np.zeros(len(self._ids), np.float32)
        q = self.search.index_minutiae
        for position, cyl in probe_cyls.items():
            column = self._columns[position]
            if len(column) == 0 or len(cyl) == 0:
                continue
            table = self.probe_table(cyl, q)
            _index_scan(table, column.words, column.code_starts, column.owners, rough)
        rough[~live] = -np.inf
        best = np.argpartition(-rough, keep - 1)[:keep]
        return np.sort(best)

    def probe_table(self, cyl: Cylinders, q: int, centred: bool = True) -> np.ndarray:
        """(K,) float32: each codeword's best compact similarity to the probe finger's first ``q`` cylinders,
        less (``centred``) the codeword's baseline, its mean over reference fingers."""
        codes = compact_codes(Cylinders(cyl.bits[:q], cyl.valid[:q], cyl.minutiae[:q]), self.params.match)
        table = _table(codes, self.codebook, _min_common(self.params.match), pooled_words(self.params.match))
        return table - self._baseline if centred else table

    def _full_pack(self, position: int, templates: np.ndarray) -> _Pack:
        """Full cylinders of these templates of ``position``: from the cache, the rest built (in parallel)."""
        column = self._columns[position]
        found: list[Cylinders | None] = [self._cache.get((position, int(t))) for t in templates]
        missing = [i for i, c in enumerate(found) if c is None]
        if missing:
            built = build_many([column.minutiae_of(int(templates[i])) for i in missing], self.params.match)
            for i, cyl in zip(missing, built):
                found[i] = cyl
                self._cache.put((position, int(templates[i])), cyl)
        cyls = [c for c in found if c is not None]
        sizes = np.array([len(c) for c in cyls], dtype=np.int64)
        cw = cell_words(self.params.match)
        return _Pack(
            bits=np.concatenate([c.bits for c in cyls]) if sizes.sum() else np.zeros((0, cw * self.params.match.nd),
                                                                                        np.uint64),
            valid=np.concatenate([c.valid for c in cyls]) if sizes.sum() else np.zeros((0, cw), np.uint64),
            minutiae=np.concatenate([c.minutiae for c in cyls]) if sizes.sum() else np.zeros((0, 4), np.float32),
            starts=np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
            owners=column.owners[templates])

    def _live(self) -> np.ndarray:
        return self._alive[:len(self._ids)]

    def _candidate(self, row: int, scores: np.ndarray, compared: np.ndarray) -> Candidate:
        fingers = {p: float(scores[p]) for p in POSITIONS if compared[p]}
        total = fuse(fingers, self.params)
        return Candidate(self._ids[row], total, fingers, total >= self.params.threshold)

    # -- accounting --------------------------------------------------------------------------------------

    def resident_bytes(self) -> dict[str, int]:
        """Bytes held: the resident gallery (codes, minutiae, indices) and the cylinder cache."""
        self._consolidate()
        return {"gallery": sum(c.nbytes for c in self._columns.values()) + int(self._alive.nbytes),
                "cylinder_cache": self._cache.bytes, "fingers": sum(len(c) for c in self._columns.values())}


def build_many(minutiae: Sequence[np.ndarray], params: MatchParameters) -> list[Cylinders]:
    """``cylinders.build`` of many templates' minutiae (n, 3), or (n, 4) with overlap weights, at once, in
    parallel: identical cylinders."""
    if not minutiae:
        return []
    counts = np.array([len(m) for m in minutiae], np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    xy = np.concatenate([np.asarray(m[:, :2], np.float64) for m in minutiae])
    theta = np.concatenate([np.asarray(m[:, 2], np.float64) for m in minutiae])
    weight = np.concatenate([np.asarray(m[:, 3], np.float64) if m.shape[1] > 3 else np.ones(len(m)) for m in minutiae])
    hulls = [_hull(xy[starts[t]:starts[t + 1]]) for t in range(len(minutiae))]
    hull_starts = np.concatenate([[0], np.cumsum([len(h) for h in hulls])]).astype(np.int64)
    cw = cell_words(params)
    bits = np.zeros((len(xy), cw * params.nd), np.uint64)
    valid = np.zeros((len(xy), cw), np.uint64)
    keep = np.zeros(len(xy), np.bool_)
    _build_batch(xy, theta, starts, np.concatenate(hulls).reshape(-1, 3), hull_starts, params.radius, params.ns,
                 params.nd, params.sigma_s, params.sigma_d, params.mu_psi, params.hull_margin,
                 params.min_valid_cells * disc_cells(params), params.min_neighbours, cw, bits, valid, keep)
    mins = np.column_stack([xy, theta, weight]).astype(np.float32)
    return [Cylinders(bits[a:b][keep[a:b]], valid[a:b][keep[a:b]], mins[a:b][keep[a:b]])
            for a, b in zip(starts[:-1], starts[1:])]


def _position(position: int) -> int:
    if int(position) not in POSITIONS:
        raise FingerprintError(f"finger position must be 1..10, got {position}")
    return int(position)


@njit(cache=True, parallel=True)
def _build_batch(xy, theta, starts, hulls, hull_starts, radius, ns, nd, sigma_s, sigma_d, mu_psi, margin,
                 min_valid, min_neighbours, cw, out_bits, out_valid, out_keep):  # pragma: no cover - compiled
    for t in prange(starts.shape[0] - 1):
        a, b = starts[t], starts[t + 1]
        bits, valid, keep = _build(xy[a:b], theta[a:b], hulls[hull_starts[t]:hull_starts[t + 1]], radius, ns, nd,
                                   sigma_s, sigma_d, mu_psi, margin, min_valid, min_neighbours, cw)
        # element loops, not slice assignments: see enhancement._oriented_passes
        for i in range(b - a):
            for word in range(bits.shape[1]):
                out_bits[a + i, word] = bits[i, word]
            for word in range(valid.shape[1]):
                out_valid[a + i, word] = valid[i, word]
            out_keep[a + i] = keep[i]


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


@njit(cache=True)
def _compact_local(p_codes, i, g_codes, j, min_common, w, nd, roots):  # pragma: no cover - compiled
    """MCC bit similarity of two pooled cylinders over their commonly valid pooled cells. ``roots``: the
    square root of every bit count (:func:`bit_roots`), cheaper than three square roots per pair."""
    common = 0
    for c in range(w):
        common += _popcount(p_codes[i, nd * w + c] & g_codes[j, nd * w + c])
    if common < min_common:
        return 0.0
    na = 0
    nb = 0
    differ = 0
    for c in range(w):
        m = p_codes[i, nd * w + c] & g_codes[j, nd * w + c]
        for sec in range(nd):
            x = p_codes[i, sec * w + c] & m
            y = g_codes[j, sec * w + c] & m
            na += _popcount(x)
            nb += _popcount(y)
            differ += _popcount(x ^ y)
    if na + nb == 0:
        return 0.0
    return 1.0 - roots[differ] / (roots[na] + roots[nb])


@njit(cache=True)
def bit_roots(width):  # pragma: no cover - compiled
    """Square roots of 0 … 64 · width: every bit count a pooled cylinder of ``width`` words can have, exact
    (IEEE square roots, the same values ``math.sqrt`` gives)."""
    return np.sqrt(np.arange(width * 64 + 1).astype(np.float64))


@njit(cache=True, parallel=True)
def _compact_prescan(p_codes, p_angles, g_codes, g_angles, starts, which, max_angle, min_common, w, g_max=-1
                     ):  # pragma: no cover - compiled
    """Compact score per gallery template ``which[u]``: sum over the probe's coded cylinders of their best
    pooled similarity among the template's first ``g_max`` (all when negative) coded cylinders, angle-gated
    like the exact matcher.

    The value of :func:`_compact_local` summed in the same order, but each gallery cylinder's words are read
    once for all the probe's cylinders, and square roots come from a table of the exact values
    (``np.sqrt`` of each possible bit count): 23 % less time, the same bits."""
    n = which.shape[0]
    q = p_codes.shape[0]
    nd = p_codes.shape[1] // w - 1
    roots = bit_roots(p_codes.shape[1])
    out = np.zeros(n)
    for block in prange((n + _BLOCK - 1) // _BLOCK):
        best = np.empty(q)  # once per block of templates: an allocation per template would cost 1 %
        for u in range(block * _BLOCK, min(n, (block + 1) * _BLOCK)):
            _compact_one(p_codes, p_angles, g_codes, g_angles, starts, which[u], max_angle, min_common, w, g_max,
                         nd, roots, best, out, u)
    return out


_BLOCK = 64  # templates per parallel work item of the compact prescan


@njit(cache=True)
def _compact_one(p_codes, p_angles, g_codes, g_angles, starts, t, max_angle, min_common, w, g_max, nd, roots, best,
                 out, u):  # pragma: no cover - compiled
    """Template t's compact score into out[u] (``best``: scratch, one per probe cylinder)."""
    q = p_codes.shape[0]
    for i in range(q):
        best[i] = 0.0
    end = starts[t + 1] if g_max < 0 else min(starts[t + 1], starts[t] + g_max)
    for j in range(starts[t], end):
        ga = g_angles[j]
        for i in range(q):
            if abs(_wrap(p_angles[i] - ga)) > max_angle:
                continue
            # _compact_local inlined: calling it here cost 20 % more time (its loads are not hoisted)
            common = 0
            for c in range(w):
                common += _popcount(p_codes[i, nd * w + c] & g_codes[j, nd * w + c])
            if common < min_common:
                continue
            na = 0
            nb = 0
            differ = 0
            for c in range(w):
                m = p_codes[i, nd * w + c] & g_codes[j, nd * w + c]
                for sec in range(nd):
                    x = p_codes[i, sec * w + c] & m
                    y = g_codes[j, sec * w + c] & m
                    na += _popcount(x)
                    nb += _popcount(y)
                    differ += _popcount(x ^ y)
            if na + nb == 0:
                continue
            best[i] = max(best[i], 1.0 - roots[differ] / (roots[na] + roots[nb]))
    total = 0.0
    for i in range(q):
        total += best[i]
    out[u] = total


@njit(cache=True, parallel=True)
def _assign(codes, book, min_common, w):  # pragma: no cover - compiled
    """Index of each pooled cylinder's most similar codeword (the first on ties)."""
    nd = codes.shape[1] // w - 1
    roots = bit_roots(codes.shape[1])
    out = np.zeros(codes.shape[0], np.uint16)
    for i in prange(codes.shape[0]):
        best = -1.0
        for k in range(book.shape[0]):
            s = _compact_local(codes, i, book, k, min_common, w, nd, roots)
            if s > best:
                best = s
                out[i] = k
    return out


@njit(cache=True, parallel=True)
def _table(p_codes, book, min_common, w):  # pragma: no cover - compiled
    """Per codeword, its best similarity to any of the probe's pooled cylinders (float32)."""
    nd = p_codes.shape[1] // w - 1
    roots = bit_roots(p_codes.shape[1])
    out = np.zeros(book.shape[0], np.float32)
    for k in prange(book.shape[0]):
        best = 0.0
        for i in range(p_codes.shape[0]):
            s = _compact_local(p_codes, i, book, k, min_common, w, nd, roots)
            best = max(best, s)
        out[k] = best
    return out


@njit(cache=True, parallel=True)
def _index_scan(table, words, starts, owners, rough):  # pragma: no cover - compiled
    """rough[owners[t]] += index score of gallery template t (the probe's table summed at its codewords).

    Added in place rather than returned: a separate scatter (``rough[owners] += scores``) cost half as much
    again as the scan. A template has one owner and an owner one template per position, so the threads
    never add to the same row."""
    for t in prange(starts.shape[0] - 1):
        total = np.float32(0.0)
        for j in range(starts[t], starts[t + 1]):
            total += table[words[j]]
        rough[owners[t]] += total
