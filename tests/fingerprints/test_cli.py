from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from scomm.cli.fingerprints import app

from .conftest import fvc_folder


def test_compare_prints_a_score() -> None:
    folder = fvc_folder("DB1_B")
    result = CliRunner().invoke(app, ["compare", str(folder / "101_1.tif"), str(folder / "101_2.tif")])
    assert result.exit_code == 0
    assert 0.0 < float(result.output.strip()) <= 1.0


def test_compare_json_has_details() -> None:
    folder = fvc_folder("DB1_B")
    result = CliRunner().invoke(app, ["compare", str(folder / "101_1.tif"), str(folder / "102_1.tif"), "--json"])
    data = json.loads(result.output)
    assert {"score", "a", "b", "compare_ms"} <= set(data)
    assert data["a"]["minutiae"] > 0 and 0 < data["b"]["quality"] <= 1
    # the global consolidation behind the score: mated minutiae never exceed those in the common area
    near_a, near_b = data["common_area_minutiae"]
    assert 0 <= data["mated_minutiae"] <= min(near_a, near_b) <= max(data["a"]["minutiae"], data["b"]["minutiae"])


def test_evaluate_json_has_documented_shape(tmp_path: Path) -> None:
    source = fvc_folder("DB4_B")
    for finger in (101, 102, 103):
        for impression in (1, 2):
            shutil.copy(source / f"{finger}_{impression}.tif", tmp_path / f"{finger}_{impression}.tif")
    result = CliRunner().invoke(app, ["evaluate", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"all_pairs", "fvc"}
    assert data["all_pairs"]["genuine"] == 3 and data["fvc"]["impostor"] == 3
    text = CliRunner().invoke(app, ["evaluate", str(tmp_path)]).output
    assert "EER" in text and "ZeroFMR" in text


def test_explain_writes_side_by_side_png_with_pairs(tmp_path: Path) -> None:
    from PIL import Image

    from scomm.fingerprints.images import load_image

    folder = fvc_folder("DB1_B")
    out = tmp_path / "pair.png"
    a, b = folder / "101_1.tif", folder / "101_2.tif"
    result = CliRunner().invoke(app, ["explain", str(a), str(b), "--out", str(out)])
    assert result.exit_code == 0, result.output
    (ha, wa), (hb, wb) = load_image(a)[0].shape, load_image(b)[0].shape
    with Image.open(out) as picture:
        assert picture.size == (wa + wb, max(ha, hb))
    assert int(result.output.split()[1]) > 0  # "score N pairs -> path"
