"""`scomm fingerprints …`: compare two prints (images or ISO/IEC 19794-2 minutiae records), explain a comparison as
a picture, evaluate an FVC-layout folder, export a template as an ISO record, re-extract a gallery after an upgrade."""

from __future__ import annotations

import json
import time
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from scomm.errors import FormatError, PoorQualityError

if TYPE_CHECKING:
    from scomm.fingerprints import Template

app = typer.Typer(help="Fingerprint engine: compare images, measure accuracy.", no_args_is_help=True)


ISO_SUFFIXES = (".iso", ".fmr", ".ist")


def _is_iso(path: Path) -> bool:
    if path.suffix.lower() in ISO_SUFFIXES:
        return True
    with path.open("rb") as handle:
        return handle.read(4) == b"FMR\x00"


def _extract_timed(path: Path, ppi: int | None) -> tuple[Template, float]:
    """A template from an image (extracted) or from an ISO 19794-2 record (read; ``ms`` is the read time)."""
    # imported here so `scomm --help` does not pay for numba
    from scomm.fingerprints import extract
    from scomm.fingerprints.images import load_image

    start = time.perf_counter()
    if _is_iso(path):
        from scomm.fingerprints.iso19794 import template_from_bytes

        return template_from_bytes(path.read_bytes(), ppi=ppi), (time.perf_counter() - start) * 1000.0
    pixels, declared = load_image(path)
    start = time.perf_counter()
    template = extract(pixels, ppi or declared or 500)
    return template, (time.perf_counter() - start) * 1000.0


@app.command()
def compare(image_a: Path, image_b: Path,
            ppi: int | None = typer.Option(None, help="resolution of both images (default: from file, else 500)"),
            as_json: bool = typer.Option(False, "--json", help="print details as JSON")) -> None:
    """Print the similarity score of two prints (0 = unrelated, higher = more similar).

    Each may be an image or an ISO/IEC 19794-2:2005 minutiae record (.iso, or any file starting "FMR").
    """
    from scomm.fingerprints import compare as compare_templates
    from scomm.fingerprints import explain

    a, ms_a = _template_or_exit(image_a, ppi)
    b, ms_b = _template_or_exit(image_b, ppi)
    start = time.perf_counter()
    score = compare_templates(a, b)
    ms_match = (time.perf_counter() - start) * 1000.0
    if not as_json:
        typer.echo(f"{score:.4f}")
        return
    why = explain(a, b)
    details = {"score": score, "a": _describe(image_a, a, ms_a), "b": _describe(image_b, b, ms_b),
               "compare_ms": round(ms_match, 3), "extractor": a.extractor, "version": a.version,
               "paired_minutiae": len(why.pairs), "mated_minutiae": why.mated,
               "mated_agreement": why.agreement,
               "common_area_minutiae": list(why.common)}
    typer.echo(json.dumps(details, indent=2))


def _template_or_exit(path: Path, ppi: int | None) -> tuple[Template, float]:
    try:
        return _extract_timed(path, ppi)
    except PoorQualityError as exc:
        typer.echo(f"poor quality: {exc}", err=True)
        raise typer.Exit(2) from exc
    except (FormatError, OSError) as exc:
        typer.echo(f"cannot read {path}: {exc}", err=True)
        raise typer.Exit(2) from exc


@app.command("export-iso")
def export_iso(image: Path, out: Path,
               ppi: int | None = typer.Option(None, help="resolution of the image (default: from file, else 500)"),
               position: int = typer.Option(0, help="finger position to record (0 unknown, 1-10)")) -> None:
    """Extract an image's minutiae and write them as an ISO/IEC 19794-2:2005 record (500 ppi)."""
    from scomm.fingerprints.iso19794 import template_to_bytes

    if not 0 <= position <= 10:
        typer.echo(f"finger position must be 0..10, got {position}", err=True)
        raise typer.Exit(2)
    template, _ = _template_or_exit(image, ppi)
    out.write_bytes(template_to_bytes(template, position))
    typer.echo(f"{len(template)} minutiae -> {out}")


class Gallery(str, Enum):
    criminal = "criminal"
    immigration = "immigration"


@app.command()
def explain(image_a: Path | None = typer.Argument(None, help="first print (image or ISO record)"),
            image_b: Path | None = typer.Argument(None, help="second print"),
            out: Path = typer.Option(Path("pair.png"), "--out", help="where to write the PNG"),
            ppi: int | None = typer.Option(None, help="resolution of both images (default: from file, else 500)"),
            finger: int | None = typer.Option(None, help="finger position (with --booking: draw only this finger)"),
            booking: str | None = typer.Option(None, "--booking", help="TCN of a processed booking: draw its "
                                               "search candidate instead of two files"),
            gallery: Gallery = typer.Option(Gallery.criminal, help="with --booking: which gallery's candidate"),
            rank: int = typer.Option(1, min=1, help="with --booking: the candidate's rank")) -> None:
    """Write a PNG of both prints side by side, paired minutiae joined, with the score.

    With --booking TCN: the examiner's evidence for that booking's candidate (rank 1 by default): each
    compared finger of the booking beside the candidate's enrolment original, with recorded and recomputed
    finger scores and the fused score against the threshold.
    """
    if booking is not None:
        _explain_booking(booking, gallery.value, rank, finger, out)
        return
    if image_a is None or image_b is None:
        typer.echo("give two prints, or --booking TCN", err=True)
        raise typer.Exit(2)
    from scomm.fingerprints.examiner import render_pair
    from scomm.fingerprints.extraction import normalise_resolution
    from scomm.fingerprints.images import load_image
    from scomm.fingerprints.matching import explain as explain_templates

    try:
        a, _ = _extract_timed(image_a, ppi)
        b, _ = _extract_timed(image_b, ppi)
    except PoorQualityError as exc:
        typer.echo(f"poor quality: {exc}", err=True)
        raise typer.Exit(2) from exc
    pictures = []
    for path, template in ((image_a, a), (image_b, b)):
        pixels, declared = load_image(path)
        pictures.append(normalise_resolution(pixels, ppi or declared or 500, template.ppi))
    explanation = explain_templates(a, b)
    render_pair(pictures[0], pictures[1], a, b, explanation, {finger or 1: explanation.score}).save(out)
    typer.echo(f"{explanation.score:.4f} {len(explanation.pairs)} pairs -> {out}")


def _explain_booking(tcn: str, gallery: str, rank: int, finger: int | None, out: Path) -> None:
    from scomm.config import Settings
    from scomm.pipeline.evidence import EvidenceUnavailable, hit_evidence
    from scomm.records import Database

    db = Database(Settings().url)
    try:
        with db.session() as s:
            evidence = hit_evidence(s, tcn, gallery, rank, [finger] if finger else None)
    except EvidenceUnavailable as exc:
        typer.echo(f"no evidence: {exc}", err=True)
        raise typer.Exit(1) from exc
    out.write_bytes(evidence.png())
    verdict = "HIT" if evidence.is_hit else "not a hit"
    typer.echo(f"{tcn} {gallery} rank {rank}: {evidence.subject} fused {evidence.fused_score:.3f} "
               f"(threshold {evidence.threshold:.2f}, {verdict}) -> {out}")
    for f in evidence.fingers:
        recorded = f"{f.recorded_score:.3f}" if f.recorded_score is not None else "-"
        detail = f.problem or f"{f.pairs} pairs, minutiae {f.probe_minutiae}/{f.gallery_minutiae}"
        typer.echo(f"  finger {f.position:2d}: score {f.score:.3f} (recorded {recorded})  {detail}")


def _describe(path: Path, template: Template, ms: float) -> dict[str, object]:
    return {"file": str(path), "minutiae": len(template), "quality": template.quality,
            "width": template.width, "height": template.height, "extract_ms": round(ms, 3),
            "extractor": template.extractor, "version": template.version}


@app.command()
def evaluate(folder: Path,
             ppi: int | None = typer.Option(None, help="resolution of the images (default: from file, else 500)"),
             as_json: bool = typer.Option(False, "--json", help="print the result object as JSON")) -> None:
    """EER, FMR100, FMR1000 and ZeroFMR (percent) on an FVC-layout folder, both protocols."""
    from scomm.fingerprints import evaluate_folder

    if not folder.is_dir():
        typer.echo(f"not a folder: {folder}", err=True)
        raise typer.Exit(2)
    result = evaluate_folder(folder, ppi)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    for protocol, rates in result.items():
        typer.echo(f"{protocol:9s} EER {rates['eer']:6.2f}%  FMR100 {rates['fmr100']:6.2f}%  "
                   f"FMR1000 {rates['fmr1000']:6.2f}%  ZeroFMR {rates['zero_fmr']:6.2f}%  "
                   f"(genuine {rates['genuine']}, impostor {rates['impostor']}, FTE {rates['failures_to_enrol']})")


class _Gallery(str, Enum):
    criminal = "criminal"
    immigration = "immigration"


@app.command()
def reindex(gallery: _Gallery | None = typer.Option(None, help="only this gallery (default: both)"),
            workers: int = typer.Option(0, help="extraction processes (default: one per core)"),
            batch: int = typer.Option(200, min=1, help="templates per batch; each batch is one transaction")) -> None:
    """Re-extract stale templates (made by an older engine version) from their kept originals.

    Resumable: every finished batch is committed, so running it again picks up where it stopped.
    """
    from rich.console import Console

    from scomm.cli.progress import progress_bars
    from scomm.config import Settings
    from scomm.fingerprints import EXTRACTOR_NAME, EXTRACTOR_VERSION
    from scomm.pipeline import PipelineContext
    from scomm.pipeline.reindex import reindex_and_reload

    console = Console(soft_wrap=True)
    ctx = PipelineContext.open(Settings())
    name = gallery.value if gallery else None
    with progress_bars(console) as bars:
        report = reindex_and_reload(ctx, name, workers or None, batch, bars)
    console.print(f"{EXTRACTOR_NAME} {EXTRACTOR_VERSION}, {name or 'both galleries'}: {report.stale} stale, "
                  f"{report.reindexed} re-extracted, {report.failed} failed, {report.no_original} without an "
                  f"original, {report.left_alone} already current ({report.batches} batches)")
    for line in report.problems[:20]:
        console.print(f"  {line}")
    if len(report.problems) > 20:
        console.print(f"  ... and {len(report.problems) - 20} more (see the audit log, action fingerprints.reindex)")
    if report.failed or report.no_original:
        raise typer.Exit(1)
