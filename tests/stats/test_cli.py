"""`scomm stats report | transparency | export` through typer's CliRunner on hand-built records."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scomm.cli.stats import app
from tests.stats import factories as f

runner = CliRunner()


@pytest.fixture
def home(ctx, settings, monkeypatch) -> Path:
    with ctx.db.session() as s:
        j = f.jurisdiction(s, "MA-SUFFOLK", "MA")
        t = f.jurisdiction(s, "TX-HARRIS", "TX")
        for i in range(12):
            f.removed(s, j, datetime(2009, 1, 5, 9), "non_criminal" if i % 2 else "level_1", datetime(2009, 2, 2))
        f.booking(s, t, datetime(2009, 1, 5))
    monkeypatch.setenv("SCOMM_HOME", str(settings.home))
    return settings.home


def test_report_json_national_state_county(home) -> None:
    result = runner.invoke(app, ["report", "--through", "2009-02-28", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [r["scope"] for r in data["rows"]] == ["national", "state", "state", "county", "county"]
    assert data["rows"][0]["removals"] == 12 and data["rows"][0]["removals_level_1_share"] == 0.5


def test_report_state_filter_csv(home) -> None:
    result = runner.invoke(app, ["report", "--through", "2009-02-28", "--state", "TX"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("scope,state,name") and len(lines) == 4  # header, national, TX, Harris


def test_report_html_to_file_public(home, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", "--through", "2009-02-28", "--format", "html", "--public", "--out",
                                 str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "<svg" in html and "<caption>" in html and "scope='col'" in html and "&lt;10" in html
    assert "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")  # no external assets


def test_report_rejects_bad_date_and_format(home) -> None:
    assert runner.invoke(app, ["report", "--through", "2009-02-30"]).exit_code != 0
    assert runner.invoke(app, ["report", "--through", "2009-02-28", "--format", "pdf"]).exit_code != 0


def test_transparency_public_csv(home) -> None:
    result = runner.invoke(app, ["transparency", "--public"])
    assert result.exit_code == 0, result.output
    assert "MA-SUFFOLK,MA,Suffolk,2009-02" in result.output and "<10" in result.output


def test_export_csv(home, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    result = runner.invoke(app, ["export", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "12 detainer rows" in result.output and out.read_text().startswith("booking_date,")
