"""Examiner evidence for a booking's search result: the probe's prints beside the candidate's originals.

A 1:N hit is a claim an examiner must be able to check. For one candidate of one gallery this module puts,
finger by finger, the booking's own image next to the image the candidate was enrolled from (the original
kept at enrolment, or the booking transaction the candidate was created from), with the minutia pairs that
carried the finger's score joined by lines, the finger's score as recorded at search time and as recomputed
now, and the fused score against the hit threshold.

The recomputed score equals the recorded one unless a template changed since the search (a reindex after an
engine upgrade); then both are shown, so nobody mistakes one for the other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session

from scomm.errors import FormatError, PoorQualityError
from scomm.fingerprints import FusionParameters, Template, extract
from scomm.fingerprints.examiner import Style, render_pair
from scomm.fingerprints.extraction import normalise_resolution
from scomm.fingerprints.matching import explain
from scomm.formats import parse_transaction
from scomm.formats.images import decode_image
from scomm.records import Booking, FingerprintImage, MatchRecord, StoredTemplate, Submission

HEADER_ROWS = 34
PAIR_STYLE = Style(banner=30)


class EvidenceUnavailable(LookupError):
    """No evidence can be drawn; the message says why (no such candidate, no original kept, ...)."""


@dataclass(frozen=True)
class FingerEvidence:
    position: int
    recorded_score: float | None  # the per-finger score stored with the search result
    score: float  # recomputed from the probe image and the stored gallery template
    pairs: int
    probe_minutiae: int
    gallery_minutiae: int
    problem: str = ""  # why this finger could not be drawn (then score and pairs are 0)


@dataclass(frozen=True)
class HitEvidence:
    tcn: str
    gallery: str
    subject: str
    rank: int
    fused_score: float
    threshold: float
    is_hit: bool
    fingers: list[FingerEvidence]
    picture: Image.Image

    def png(self) -> bytes:
        from io import BytesIO

        out = BytesIO()
        self.picture.save(out, format="PNG", optimize=False, compress_level=6)
        return out.getvalue()


def hit_evidence(session: Session, tcn: str, gallery: str, rank: int = 1, positions: list[int] | None = None,
                 params: FusionParameters = FusionParameters()) -> HitEvidence:
    """Evidence for the candidate at ``rank`` of ``gallery`` for booking ``tcn`` (raises EvidenceUnavailable)."""
    booking = session.scalar(select(Booking).where(Booking.tcn == tcn))
    if booking is None:
        raise EvidenceUnavailable(f"no booking with TCN {tcn}")
    match = session.scalar(select(MatchRecord).where(MatchRecord.booking_id == booking.id,
                                                     MatchRecord.gallery == gallery, MatchRecord.rank == rank))
    if match is None:
        raise EvidenceUnavailable(f"booking {tcn} has no {gallery} candidate at rank {rank}"
                                  " (not searched there, or fewer candidates kept)")
    recorded = {int(p): float(s) for p, s in (match.finger_scores or {}).items()}
    wanted = sorted(recorded if positions is None else set(positions) & set(recorded))
    if not wanted:
        raise EvidenceUnavailable(f"finger(s) {positions} were not compared for this candidate "
                                  f"(compared: {sorted(recorded)})")
    probe_raw = session.scalar(select(Submission.raw).where(Submission.id == booking.submission_id))
    probe_images = _transaction_images(probe_raw)
    gallery_images, gallery_templates = _gallery_side(session, gallery, match.subject, wanted)
    fingers, pictures = [], []
    for position in wanted:
        finger, picture = _finger(position, recorded.get(position), probe_images.get(position),
                                  gallery_images.get(position), gallery_templates.get(position))
        fingers.append(finger)
        if picture is not None:
            pictures.append(picture)
    if not pictures:
        raise EvidenceUnavailable("; ".join(f"finger {f.position}: {f.problem}" for f in fingers))
    header = [f"booking {tcn}   {gallery} candidate rank {rank}: {match.subject}",
              f"fused score {match.score:.3f}   threshold {params.threshold:.2f}   "
              f"{'HIT' if match.is_hit else 'not a hit'}   fingers drawn {len(pictures)} of {len(wanted)}"]
    return HitEvidence(tcn, gallery, match.subject, rank, float(match.score), params.threshold, bool(match.is_hit),
                       fingers, _stack(header, pictures))


def _finger(position: int, recorded: float | None, probe: tuple[np.ndarray, int] | None,
            gallery: np.ndarray | None, template: Template | None) -> tuple[FingerEvidence, Image.Image | None]:
    def missing(reason: str) -> tuple[FingerEvidence, None]:
        return FingerEvidence(position, recorded, 0.0, 0, 0, len(template) if template else 0, reason), None

    if probe is None:
        return missing("the booking holds no image of this finger")
    if template is None:
        return missing("the candidate has no stored template of this finger")
    if gallery is None:
        return missing("no original image of the candidate's finger was kept")
    pixels, ppi = probe
    try:
        probe_template = extract(pixels, ppi)  # exactly as the pipeline extracted the probe
    except PoorQualityError as exc:
        return missing(f"the booking's image is unusable: {exc.reason}")
    result = explain(probe_template, template)
    picture = render_pair(_at_500(pixels, ppi), gallery, probe_template, template, result, None, PAIR_STYLE)
    draw = ImageDraw.Draw(picture)
    recorded_text = f"recorded at search {recorded:.3f}" if recorded is not None else "not recorded"
    draw.text((4, picture.height - 14), f"finger {position}: booking (left) / candidate (right)   "
                                         f"score now {result.score:.3f}, {recorded_text}", fill=(0, 0, 0))
    return FingerEvidence(position, recorded, result.score, len(result.pairs), len(probe_template),
                          len(template)), picture


def _transaction_images(raw: bytes | None) -> dict[int, tuple[np.ndarray, int]]:
    """The first image of each finger position (as probes are extracted) with its resolution."""
    if raw is None:
        return {}
    try:
        fingers = parse_transaction(raw).fingers
    except FormatError:
        return {}
    out: dict[int, tuple[np.ndarray, int]] = {}
    for f in fingers:
        position = int(f.position)
        if 1 <= position <= 10 and position not in out:
            out[position] = (f.pixels, f.ppi or 500)
    return out


def _gallery_side(session: Session, gallery: str, subject: str, positions: list[int]
                  ) -> tuple[dict[int, np.ndarray], dict[int, Template]]:
    """The candidate's stored templates, and the originals they were extracted from."""
    rows = session.scalars(select(StoredTemplate).where(StoredTemplate.gallery == gallery,
                                                        StoredTemplate.subject == subject,
                                                        StoredTemplate.position.in_(positions))).all()
    templates = {r.position: Template.from_bytes(r.data) for r in rows}
    images: dict[int, np.ndarray] = {}
    for image in session.scalars(select(FingerprintImage).where(FingerprintImage.gallery == gallery,
                                                                FingerprintImage.subject == subject,
                                                                FingerprintImage.position.in_(positions))):
        try:
            images[image.position] = _at_500(decode_image(image.data, image.compression), image.ppi or 500)
        except FormatError:
            continue
    sources = {r.source for r in rows if r.position not in images and r.source}
    for tcn in sources:  # enrolled from a booking: the whole transaction is the original
        raw = session.scalar(select(Submission.raw).where(Submission.tcn == tcn, Submission.accepted)
                             .order_by(Submission.id.desc()).limit(1))
        for position, (pixels, ppi) in _transaction_images(raw).items():
            images.setdefault(position, _at_500(pixels, ppi))
    return images, templates


def _at_500(pixels: np.ndarray, ppi: int) -> np.ndarray:
    """Grey pixels at the templates' 500 ppi, so minutia coordinates land on their ridges."""
    return np.clip(np.rint(normalise_resolution(pixels, ppi)), 0, 255).astype(np.uint8)


def _stack(header: list[str], pictures: list[Image.Image]) -> Image.Image:
    width = max(p.width for p in pictures)
    canvas = Image.new("RGB", (width, HEADER_ROWS + sum(p.height for p in pictures)), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    for n, line in enumerate(header):
        draw.text((4, 4 + 14 * n), line, fill=(0, 0, 0))
    top = HEADER_ROWS
    for p in pictures:
        canvas.paste(p, (0, top))
        draw.line([(0, top), (width, top)], fill=(160, 160, 160), width=1)
        top += p.height
    return canvas
