"""Examiner evidence for search candidates of the processed small world: the right prints, the right scores."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from scomm.pipeline.evidence import EvidenceUnavailable, hit_evidence
from scomm.records import Booking, MatchRecord


def _hit(session, gallery: str) -> MatchRecord:
    found = session.scalar(select(MatchRecord).where(MatchRecord.gallery == gallery, MatchRecord.rank == 1,
                                                     MatchRecord.is_hit).order_by(MatchRecord.id))
    assert found is not None, f"the small world has a {gallery} hit"
    return found


@pytest.mark.parametrize("gallery", ["criminal", "immigration"])
def test_each_finger_rescored_from_the_pictured_prints_equals_the_search(processed_ctx, gallery: str) -> None:
    """Recomputing a finger's score from the booking's image and the candidate's stored template gives the
    score the search recorded: the pictures are of the prints that were actually compared."""
    ctx, _ = processed_ctx
    with ctx.db.session() as s:
        match = _hit(s, gallery)
        tcn = s.get(Booking, match.booking_id).tcn
        evidence = hit_evidence(s, tcn, gallery)
    assert evidence.subject == match.subject and evidence.is_hit and evidence.fused_score == pytest.approx(match.score)
    assert [f.position for f in evidence.fingers] == sorted(int(p) for p in match.finger_scores)
    for f in evidence.fingers:
        assert not f.problem
        assert f.score == pytest.approx(match.finger_scores[str(f.position)], abs=1e-9)
        assert f.pairs > 0 or f.score == 0.0
    picture = Image.open(io.BytesIO(evidence.png()))
    assert picture.format == "PNG" and picture.height > 400 * len(evidence.fingers)


def test_one_finger_only(processed_ctx) -> None:
    ctx, _ = processed_ctx
    with ctx.db.session() as s:
        match = _hit(s, "criminal")
        tcn = s.get(Booking, match.booking_id).tcn
        whole = hit_evidence(s, tcn, "criminal")
        one = hit_evidence(s, tcn, "criminal", positions=[7])
    assert [f.position for f in one.fingers] == [7]
    assert one.picture.height < whole.picture.height / 5


def test_missing_evidence_says_why(processed_ctx) -> None:
    ctx, _ = processed_ctx
    with ctx.db.session() as s:
        tcn = s.get(Booking, _hit(s, "criminal").booking_id).tcn
        with pytest.raises(EvidenceUnavailable, match="no booking with TCN NOPE"):
            hit_evidence(s, "NOPE", "criminal")
        with pytest.raises(EvidenceUnavailable, match="no criminal candidate at rank 9"):
            hit_evidence(s, tcn, "criminal", rank=9)
        with pytest.raises(EvidenceUnavailable, match="were not compared"):
            hit_evidence(s, tcn, "criminal", positions=[11])


def test_cli_writes_the_booking_evidence_and_lists_each_finger(processed_world, tmp_path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from scomm.cli.fingerprints import app
    from scomm.config import Settings
    from scomm.records import Database

    db = Database(Settings(home=processed_world).url)
    with db.session() as s:
        match = _hit(s, "immigration")
        tcn = s.get(Booking, match.booking_id).tcn
    db.dispose()
    monkeypatch.setenv("SCOMM_HOME", str(processed_world))
    out = tmp_path / "evidence.png"
    result = CliRunner().invoke(app, ["explain", "--booking", tcn, "--gallery", "immigration", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{match.subject} fused {match.score:.3f}" in result.output and "HIT" in result.output
    assert result.output.count("finger ") == len(match.finger_scores)
    with Image.open(out) as picture:
        assert picture.format == "PNG"
    missing = CliRunner().invoke(app, ["explain", "--booking", "NOPE", "--out", str(tmp_path / "x.png")])
    assert missing.exit_code == 1 and "no booking with TCN NOPE" in missing.output
