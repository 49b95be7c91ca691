"""`scomm ebts check|dump` through typer's CliRunner: exit codes, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from scomm.cli.ebts import app
from scomm.errors import Violation
from scomm.formats import violations_to_json, write_car

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


def test_check_json_valid_real_file() -> None:
    real_bytes(OPENEBTS / "NISTFile.ebts")
    result = runner.invoke(app, ["check", "--json", str(OPENEBTS / "NISTFile.ebts")])
    body = json.loads(result.output)
    assert result.exit_code == 0
    assert (body["valid"], body["tot"], body["tcn"], body["violations"]) == (
        True, "CAR", "TEST-20080528173758-SOFT-0001-1C629", [])
    assert [w["rule"] for w in body["warnings"]] == ["missing-fingers"]


def test_check_json_lists_every_violation(tmp_path: Path) -> None:
    path = tmp_path / "b.ebts"
    path.write_bytes(write_car(make_submission(pob="QQ", ctz=["ZZ"], fingers={})))
    result = runner.invoke(app, ["check", "--json", str(path)])
    body = json.loads(result.output)
    assert result.exit_code == 1 and body["valid"] is False and body["tot"] == "CAR"
    assert {(v["field"], v["rule"], v["value"]) for v in body["violations"]} == {
        ("2.020", "bad-code", "QQ"), ("2.021", "bad-code", "ZZ"), ("", "no-fingerprints", "")}
    assert set(body["violations"][0]) == {"record", "field", "rule", "message", "value"}


def test_check_bare_image_is_not_a_transaction(tmp_path: Path) -> None:
    path = tmp_path / "finger.wsq"
    path.write_bytes(b"\xff\xa0\xff\xa8\x00\x10NIST_COM")
    result = runner.invoke(app, ["check", "--json", str(path)])
    body = json.loads(result.output)
    assert result.exit_code == 1 and body["tot"] is None
    assert body["violations"][0]["message"] == "not an ANSI/NIST-ITL transaction: the file is a WSQ image"


def test_violations_to_json_round_trips_through_json() -> None:
    violation = Violation("2", "2.022", "missing-mandatory-field", "record 2: field 2.022 DOB missing")
    assert json.loads(json.dumps(violations_to_json([violation]))) == [violation.to_dict()]


def test_survey_prints_one_row_per_file(tmp_path: Path) -> None:
    (tmp_path / "b.ebts").write_bytes(write_car(make_submission(fingers={})))
    (tmp_path / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = runner.invoke(app, ["survey", str(tmp_path)])
    assert result.exit_code == 0
    assert "| b.ebts | parsed, violations | CAR | 0 |" in result.output.replace(tmp_path.name + "/", "")
    assert "not an ANSI/NIST-ITL transaction: the file is a PNG image" in result.output
