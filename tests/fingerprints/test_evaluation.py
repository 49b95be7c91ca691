from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scomm.fingerprints import evaluate_folder
from scomm.fingerprints.evaluation import error_rates

from .conftest import fvc_folder

KEYS = {"eer", "fmr100", "fmr1000", "zero_fmr", "genuine", "impostor"}


def test_error_rates_of_separable_scores_are_zero() -> None:
    assert error_rates([0.9, 0.8], [0.1, 0.2, 0.3]) == {"eer": 0.0, "fmr100": 0.0, "fmr1000": 0.0, "zero_fmr": 0.0}


def test_error_rates_follow_fvc_definitions() -> None:
    rates = error_rates([0.9, 0.5, 0.2, 0.8], [0.1, 0.6, 0.3, 0.05])
    assert rates["eer"] == pytest.approx(25.0)
    assert rates["zero_fmr"] == pytest.approx(50.0)  # only 0.9 and 0.8 beat the 0.6 impostor


def test_failure_to_enrol_is_a_rejection_everywhere() -> None:
    rates = error_rates([0.9, float("-inf")], [0.1, float("-inf")])
    assert rates["zero_fmr"] == pytest.approx(50.0)
    assert rates["eer"] > 0


def test_evaluate_folder_on_a_subset(tmp_path: Path) -> None:
    source = fvc_folder("DB1_B")
    for finger in (101, 102, 103, 104):
        for impression in (1, 2, 3):
            shutil.copy(source / f"{finger}_{impression}.tif", tmp_path / f"{finger}_{impression}.tif")
    result = evaluate_folder(tmp_path)
    assert set(result) == {"all_pairs", "fvc"}
    assert KEYS <= set(result["all_pairs"]) and KEYS <= set(result["fvc"])
    assert result["all_pairs"]["genuine"] == 4 * 3
    assert result["all_pairs"]["impostor"] == 12 * 11 // 2 - 12
    assert result["fvc"]["impostor"] == 6
    for rates in result.values():
        assert 0.0 <= rates["eer"] <= 30.0
        assert rates["eer"] <= rates["zero_fmr"] <= 100.0
