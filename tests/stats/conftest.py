"""Fixtures for the statistics tests: a migrated, empty database per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from scomm.pipeline import PipelineContext


@pytest.fixture
def session(ctx: PipelineContext) -> Iterator[Session]:
    with ctx.db.session() as s:
        yield s
