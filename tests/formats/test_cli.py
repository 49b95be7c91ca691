"""`scomm ebts check|dump` through typer's CliRunner: exit codes, no tracebacks."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from scomm.cli.ebts import app
from scomm.formats import write_car

from .conftest import OPENEBTS, make_submission, real_bytes

runner = CliRunner()


def test_check_valid_real_file() -> None:
    real_bytes(OPENEBTS / "NISTFile.ebts")
    result = runner.invoke(app, ["check", str(OPENEBTS / "NISTFile.ebts")])
    assert result.exit_code == 0 and "VALID TOT CAR" in result.output and "missing-fingers" in result.output


def test_check_invalid_and_garbage(tmp_path: Path) -> None:
    sub = make_submission()
    sub.fingers = {}
    booking = tmp_path / "b.ebts"
    booking.write_bytes(write_car(sub))
    garbage = tmp_path / "g.ebts"
    garbage.write_bytes(b"\x00garbage")
    for path, fragment in ((booking, "no-fingerprints"), (garbage, "missing-type1"),
                           (tmp_path / "absent.ebts", "cannot read file")):
        result = runner.invoke(app, ["check", str(path)])
        assert result.exit_code == 1 and fragment in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_dump_summarises_images(tmp_path: Path) -> None:
    path = tmp_path / "b.ebts"
    path.write_bytes(write_car(make_submission()))
    result = runner.invoke(app, ["dump", str(path)])
    assert result.exit_code == 0
    assert "2.018 NAM" in result.output and "FGP 1 RIGHT_THUMB, IMP 1, 400x440 px, 500 ppi, WSQ" in result.output
