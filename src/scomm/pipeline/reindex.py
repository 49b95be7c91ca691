"""Re-extracting a gallery after an engine upgrade, from the originals kept at enrolment.

A stored template is *stale* when its version is not the running engine's ``EXTRACTOR_VERSION``.
Its original is found in one of two places:

- ``fingerprint_images``: the WSQ image of every finger captured at enrolment (world enrolment, and
  anything else that enrols from images);
- the booking it was enrolled from: ``StoredTemplate.source`` is the booking's TCN, and the whole
  transaction is kept in ``Submission.raw``.

Work goes in batches of stale templates: originals are read, extraction runs in a worker pool, and
each batch's new templates and its audit event are written in one transaction. A run that stops
part-way leaves every finished batch done and the rest still stale, so running again resumes.
Templates already at the current version are never touched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scomm.fingerprints.templates import EXTRACTOR_NAME, EXTRACTOR_VERSION
from scomm.parallel import cpu_count, worker_pool
from scomm.pipeline.context import PipelineContext
from scomm.records import Database, FingerprintImage, GalleryName, StoredTemplate, Submission
from scomm.records.audit import append

ACTOR = "scomm:reindex"
Progress = Callable[[str, int], Callable[[int], None]]  # (description, total) -> advance(n)


def _no_progress(description: str, total: int) -> Callable[[int], None]:
    return lambda n: None


@dataclass
class ReindexReport:
    """Counts of one run. ``left_alone`` were already current; ``failed`` had an original the new engine
    could not extract from (their old template is kept); ``no_original`` had none to re-extract from."""

    gallery: str | None
    version: str = EXTRACTOR_VERSION
    stale: int = 0
    reindexed: int = 0
    failed: int = 0
    no_original: int = 0
    left_alone: int = 0
    batches: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Original:
    """The source of one or more stale templates: an image, or a whole transaction holding several fingers."""

    kind: str  # "image" or "transaction"
    data: bytes
    targets: tuple[tuple[int, int], ...]  # (template id, finger position)
    compression: str = ""
    ppi: int = 500


@dataclass(frozen=True)
class Extracted:
    template_id: int
    data: bytes | None
    quality: float
    error: str = ""


def extract_original(original: Original) -> list[Extracted]:
    """Run the current extractor on one original (in a worker process: plain values in and out)."""
    from scomm.errors import FormatError, PoorQualityError
    from scomm.fingerprints import extract
    from scomm.formats import parse_transaction
    from scomm.formats.images import decode_image

    try:
        if original.kind == "image":
            pictures = {original.targets[0][1]: (decode_image(original.data, original.compression), original.ppi)}
        else:
            pictures = {}
            for f in parse_transaction(original.data).fingers:  # the first image of a finger, as probes use
                pictures.setdefault(int(f.position), (f.pixels, f.ppi))
    except FormatError as exc:
        return [Extracted(tid, None, 0.0, f"original unreadable: {exc}") for tid, _ in original.targets]
    out = []
    for template_id, position in original.targets:
        if position not in pictures:
            out.append(Extracted(template_id, None, 0.0, f"finger {position} is not in the original"))
            continue
        pixels, ppi = pictures[position]
        try:
            t = extract(pixels, ppi or 500)
        except PoorQualityError as exc:
            out.append(Extracted(template_id, None, exc.quality, exc.reason))
            continue
        out.append(Extracted(template_id, t.to_bytes(), t.quality))
    return out


def stale_ids(session: Session, gallery: str | None = None) -> list[int]:
    query = select(StoredTemplate.id).where(StoredTemplate.version != EXTRACTOR_VERSION).order_by(StoredTemplate.id)
    if gallery is not None:
        query = query.where(StoredTemplate.gallery == gallery)
    return list(session.scalars(query))


def find_originals(session: Session, template_ids: list[int]) -> tuple[list[Original], list[int]]:
    """The originals of these templates, and the ids of those that have none."""
    rows = session.execute(select(StoredTemplate.id, StoredTemplate.gallery, StoredTemplate.subject,
                                  StoredTemplate.position, StoredTemplate.source)
                           .where(StoredTemplate.id.in_(template_ids))).all()
    subjects = {r.subject for r in rows}
    images = {(i.gallery, i.subject, i.position): i for i in session.scalars(
        select(FingerprintImage).where(FingerprintImage.subject.in_(subjects)))}
    originals: list[Original] = []
    by_tcn: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r in rows:
        image = images.get((r.gallery, r.subject, r.position))
        if image is not None:
            originals.append(Original("image", image.data, ((r.id, r.position),), image.compression, image.ppi))
        else:
            by_tcn[r.source].append((r.id, r.position))
    missing: list[int] = []
    for tcn, targets in by_tcn.items():
        raw = session.scalar(select(Submission.raw).where(Submission.tcn == tcn, Submission.accepted)
                             .order_by(Submission.id.desc()).limit(1)) if tcn else None
        if raw is None:
            missing.extend(tid for tid, _ in targets)
        else:
            originals.append(Original("transaction", raw, tuple(targets)))
    return originals, missing


def _batches(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def reindex(db: Database, gallery: str | None = None, workers: int | None = None, batch_size: int = 200,
            progress: Progress = _no_progress) -> ReindexReport:
    """Re-extract every stale template of ``gallery`` (both galleries when None); see the module docstring."""
    report = ReindexReport(gallery)
    with db.session() as s:
        ids = stale_ids(s, gallery)
        count = select(func.count()).select_from(StoredTemplate)
        total = s.scalar(count.where(StoredTemplate.gallery == gallery) if gallery else count)
    report.stale = len(ids)
    report.left_alone = int(total or 0) - len(ids)
    advance = progress(f"Re-extracting {gallery or 'both galleries'} to {EXTRACTOR_NAME} {EXTRACTOR_VERSION}",
                       len(ids))
    workers = workers or cpu_count()
    pool = worker_pool(workers) if workers > 1 and ids else None
    try:
        for batch in _batches(ids, batch_size):
            with db.session() as s:
                originals, missing = find_originals(s, batch)
            groups = pool.map(extract_original, originals) if pool else map(extract_original, originals)
            results = [e for group in groups for e in group]
            _store_batch(db, report, results, missing)
            advance(len(batch))
    finally:
        if pool is not None:
            pool.shutdown()
    return report


def _store_batch(db: Database, report: ReindexReport, results: list[Extracted], missing: list[int]) -> None:
    """One transaction: the batch's new templates and one audit event naming what happened to each."""
    done, failed = [], []
    with db.session() as s:
        for e in results:
            row = s.get(StoredTemplate, e.template_id)
            if row is None or row.version == EXTRACTOR_VERSION:  # deleted or re-extracted meanwhile
                continue
            if e.data is None:
                failed.append({"id": e.template_id, "subject": row.subject, "position": row.position,
                               "reason": e.error})
                continue
            previous = row.version
            row.data, row.extractor, row.version, row.quality = e.data, EXTRACTOR_NAME, EXTRACTOR_VERSION, e.quality
            done.append({"id": e.template_id, "from": previous})
        append(s, ACTOR, "fingerprints.reindex", gallery=report.gallery or "all", version=EXTRACTOR_VERSION,
               reindexed=len(done), failed=failed, no_original=missing,
               from_versions=sorted({d["from"] for d in done}))
    report.batches += 1
    report.reindexed += len(done)
    report.failed += len(failed)
    report.no_original += len(missing)
    report.problems.extend(f"template {f['id']} ({f['subject']} finger {f['position']}): {f['reason']}"
                           for f in failed)
    report.problems.extend(f"template {tid}: no original kept" for tid in missing)


def reindex_and_reload(ctx: PipelineContext, gallery: str | None = None, workers: int | None = None,
                       batch_size: int = 200, progress: Progress = _no_progress) -> ReindexReport:
    """:func:`reindex`, then reload the context's in-memory backends that hold the re-extracted gallery."""
    report = reindex(ctx.db, gallery, workers, batch_size, progress)
    if report.reindexed:
        for name in [gallery] if gallery else list(GalleryName):
            ctx.reload(name)
    return report
