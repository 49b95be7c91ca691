"""Fixtures shared by every test package: a fresh database, the real data folder, a pipeline context."""

from __future__ import annotations

from pathlib import Path

import pytest

from scomm.config import Settings
from scomm.pipeline import PipelineContext

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent")
    return SHARED_DATA


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "scomm-home")


@pytest.fixture
def ctx(settings: Settings) -> PipelineContext:
    context = PipelineContext.open(settings)
    yield context
    context.db.dispose()
