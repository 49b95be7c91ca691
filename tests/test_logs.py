"""Operational log lines: key=value by default, JSON on request, routed through stdlib logging."""

from __future__ import annotations

import json
import logging

import pytest

from scomm.logs import get_logger


def test_lines_are_key_value_pairs_with_level_and_time(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="scomm.test"):
        get_logger("scomm.test").warning("stage failed", tcn="T1", attempt=2)
    line = caplog.records[-1].getMessage()
    assert line.startswith("event='stage failed'")
    assert "attempt=2" in line and "tcn='T1'" in line and "level='warning'" in line and "timestamp=" in line


def test_json_format_gives_one_object_per_line(caplog: pytest.LogCaptureFixture,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCOMM_LOG_FORMAT", "json")
    with caplog.at_level(logging.WARNING, logger="scomm.test"):
        get_logger("scomm.test").warning("hold past its deadline", tcn="T9", overdue_hours=1.5)
    record = json.loads(caplog.records[-1].getMessage())
    assert record["event"] == "hold past its deadline" and record["overdue_hours"] == 1.5


def test_levels_below_the_threshold_are_dropped(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="scomm.test"):
        get_logger("scomm.test").info("routine")
    assert not [r for r in caplog.records if "routine" in r.getMessage()]
