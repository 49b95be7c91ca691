"""The same tests on PostgreSQL: each test gets a database of its own on the server named by
SCOMM_TEST_POSTGRES_URL (an admin URL, e.g. postgresql+psycopg://postgres:pw@127.0.0.1/postgres).

Without that variable the tests skip, unless SCOMM_REQUIRE_POSTGRES is set (CI sets both), so a laptop
without a server still passes `make test` while CI cannot skip them silently.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.orm import Session

from scomm.config import Settings
from scomm.pipeline import PipelineContext

ADMIN_URL = os.environ.get("SCOMM_TEST_POSTGRES_URL")


@pytest.fixture(scope="session")
def postgres_admin() -> str:
    if not ADMIN_URL:
        if os.environ.get("SCOMM_REQUIRE_POSTGRES"):
            pytest.fail("SCOMM_REQUIRE_POSTGRES is set but SCOMM_TEST_POSTGRES_URL is not")
        pytest.skip("no PostgreSQL server: set SCOMM_TEST_POSTGRES_URL to run these tests")
    return ADMIN_URL


@pytest.fixture
def settings(postgres_admin: str, tmp_path: Path) -> Iterator[Settings]:
    """Overrides the SQLite `settings` of tests/conftest.py for every test collected under this folder."""
    name = f"scomm_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_admin, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_admin).set(database=name).render_as_string(hide_password=False)
    try:
        yield Settings(home=tmp_path / "scomm-home", database_url=url)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def session(ctx: PipelineContext) -> Iterator[Session]:
    """The statistics tests' session fixture (tests/stats/conftest.py), here on PostgreSQL."""
    with ctx.db.session() as s:
        yield s
