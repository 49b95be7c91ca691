from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from scomm.fingerprints import EXTRACTOR_VERSION, Template, extract
from scomm.formats.car_writer import CarSubmission, write_car
from scomm.formats.images import decode_image, encode_wsq
from scomm.pipeline import reindex as reindex_module
from scomm.pipeline.context import PipelineContext
from scomm.pipeline.reindex import reindex, reindex_and_reload
from scomm.records import AuditEvent, Database, FingerprintImage, StoredTemplate, Submission

from .conftest import fvc_pixels, fvc_template

OLD = "0.9"
TCN = "TESTREINDEX0001"


def _template_row(gallery: str, subject: str, position: int, version: str, data: bytes, source: str = "enrolment"
                  ) -> StoredTemplate:
    return StoredTemplate(gallery=gallery, subject=subject, position=position, data=data, extractor="scomm-minutiae",
                          version=version, quality=0.5, source=source)


def _image_row(gallery: str, subject: str, position: int, pixels: np.ndarray) -> FingerprintImage:
    return FingerprintImage(gallery=gallery, subject=subject, position=position, compression="WSQ", ppi=500,
                            width=pixels.shape[1], height=pixels.shape[0], data=encode_wsq(pixels), source="test")


def _booking(fingers: dict[int, np.ndarray]) -> bytes:
    day = date(2026, 11, 30)
    return write_car(CarSubmission(tcn=TCN, ori="MA0130000", dai="WVIAFIS0Z", date=day, name="DOE, JOHN",
                                   dob=date(1980, 1, 1), sex="M", race="W", pob="MA", ctz=["US"], doa=day,
                                   fingers=fingers))


@pytest.fixture
def db(tmp_path: Path) -> Database:
    """Immigration: two stale fingers with WSQ originals, one current, one blank original, one with none.
    Criminal: two stale fingers enrolled from a booking whose transaction is kept."""
    database = Database(f"sqlite:///{tmp_path / 'scomm.db'}")
    database.migrate()
    current = fvc_template("DB1_B", 103, 1).to_bytes()
    with database.session() as s:
        s.add_all([
            _image_row("immigration", "F1", 1, fvc_pixels("DB1_B", 101, 1)),
            _image_row("immigration", "F1", 2, fvc_pixels("DB1_B", 102, 1)),
            _image_row("immigration", "F2", 1, fvc_pixels("DB1_B", 103, 1)),
            _image_row("immigration", "F3", 1, np.full((300, 300), 200, np.uint8)),
            _template_row("immigration", "F1", 1, OLD, b"old-1"),
            _template_row("immigration", "F1", 2, OLD, b"old-2"),
            _template_row("immigration", "F2", 1, EXTRACTOR_VERSION, current),
            _template_row("immigration", "F3", 1, OLD, b"old-blank"),
            _template_row("immigration", "F4", 1, OLD, b"old-lost", source="lost-batch"),
            _template_row("criminal", "C1", 1, OLD, b"old-c1", source=TCN),
            _template_row("criminal", "C1", 2, OLD, b"old-c2", source=TCN),
        ])
        raw = _booking({1: fvc_pixels("DB4_B", 101, 1), 2: fvc_pixels("DB4_B", 102, 1)})
        s.add(Submission(sha256="0" * 64, tcn=TCN, ori="MA0130000", raw=raw, accepted=True))
    return database


def _rows(db: Database) -> dict[tuple[str, str, int], StoredTemplate]:
    with db.session() as s:
        return {(r.gallery, r.subject, r.position): r for r in s.scalars(select(StoredTemplate))}


def test_stale_templates_are_reextracted_and_current_ones_left_alone(db: Database) -> None:
    before = _rows(db)
    report = reindex(db, workers=1, batch_size=3)
    after = _rows(db)
    assert (report.stale, report.reindexed, report.failed, report.no_original, report.left_alone) == (6, 4, 1, 1, 1)
    assert report.batches == 2
    # re-extracted from the WSQ original exactly as the engine extracts it now
    with db.session() as s:
        wsq = s.scalar(select(FingerprintImage.data).where(FingerprintImage.subject == "F1",
                                                           FingerprintImage.position == 2))
    expected = extract(decode_image(wsq, "WSQ"), 500)
    assert Template.from_bytes(after["immigration", "F1", 2].data) == expected
    # the booking's fingers come from the kept transaction
    c1 = Template.from_bytes(after["criminal", "C1", 1].data)
    assert c1.version == EXTRACTOR_VERSION and len(c1) >= 8
    for key in [("immigration", "F1", 1), ("immigration", "F1", 2), ("criminal", "C1", 1), ("criminal", "C1", 2)]:
        assert after[key].version == EXTRACTOR_VERSION and after[key].id == before[key].id
    # current, unextractable and original-less templates keep their bytes
    for key in [("immigration", "F2", 1), ("immigration", "F3", 1), ("immigration", "F4", 1)]:
        assert (after[key].data, after[key].version) == (before[key].data, before[key].version)
    assert any("F3 finger 1" in p for p in report.problems)
    assert any("no original" in p for p in report.problems)


def test_each_batch_is_audited_and_a_second_run_finds_only_the_unfixable(db: Database) -> None:
    reindex(db, workers=1, batch_size=4)
    with db.session() as s:
        events = list(s.scalars(select(AuditEvent).where(AuditEvent.action == "fingerprints.reindex")))
    assert len(events) == 2
    assert sum(e.details["reindexed"] for e in events) == 4
    assert [f["subject"] for e in events for f in e.details["failed"]] == ["F3"]
    again = reindex(db, workers=1)
    assert (again.stale, again.reindexed, again.failed, again.no_original) == (2, 0, 1, 1)


def test_one_gallery_only(db: Database) -> None:
    report = reindex(db, gallery="criminal", workers=1)
    assert (report.stale, report.reindexed, report.left_alone) == (2, 2, 0)
    assert _rows(db)["immigration", "F1", 1].version == OLD


def test_a_run_stopped_part_way_resumes(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    real = reindex_module._store_batch
    calls = []

    def crash_on_second(*args: object) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(reindex_module, "_store_batch", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        reindex(db, gallery="immigration", workers=1, batch_size=2)
    monkeypatch.setattr(reindex_module, "_store_batch", real)
    assert sum(r.version == EXTRACTOR_VERSION for r in _rows(db).values()) == 3  # F2 + the first batch
    report = reindex(db, gallery="immigration", workers=1, batch_size=2)
    assert (report.stale, report.reindexed) == (2, 0)  # the first run's second batch held F3, F4: unfixable


def test_worker_pool_gives_the_same_templates(db: Database, tmp_path: Path) -> None:
    reindex(db, gallery="immigration", workers=2, batch_size=10)
    pooled = _rows(db)["immigration", "F1", 1].data
    with db.session() as s:
        wsq = s.scalar(select(FingerprintImage.data).where(FingerprintImage.subject == "F1",
                                                           FingerprintImage.position == 1))
    assert Template.from_bytes(pooled) == extract(decode_image(wsq, "WSQ"), 500)


def test_loaded_backend_is_reloaded_with_the_new_templates(db: Database) -> None:
    from scomm.config import Settings

    ctx = PipelineContext(db=db, settings=Settings())
    with db.session() as s:  # the stale bytes are not templates: give the old backend something loadable
        for row in s.scalars(select(StoredTemplate).where(StoredTemplate.version == OLD)):
            row.data = fvc_template("DB2_B", 101, 1).to_bytes()
    old_backend = ctx.immigration
    reindex_and_reload(ctx, "immigration", workers=1)
    assert ctx.immigration is not old_backend
    probe = {1: fvc_template("DB1_B", 101, 2)}
    assert ctx.immigration.identify(probe, top_k=1)[0].subject_id == "F1"


def test_cli_reports_counts(db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from scomm.cli.fingerprints import app

    monkeypatch.setenv("SCOMM_DATABASE_URL", db.url)
    result = CliRunner().invoke(app, ["reindex", "--gallery", "criminal", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "2 stale, 2 re-extracted, 0 failed, 0 without an original, 0 already current" in result.output
    result = CliRunner().invoke(app, ["reindex", "--workers", "1"])
    assert result.exit_code == 1 and "no original kept" in result.output
