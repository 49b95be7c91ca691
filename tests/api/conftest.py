"""An app on a fresh SQLite database under a temporary SCOMM_HOME, with the factory world in it."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():  # starlette 1.x prefers httpx2; the pinned test extra installs httpx
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from scomm.api import ApiSettings, create_app
from scomm.config import Settings
from scomm.records import AuditEvent, Database
from tests.api.factories import World, build_world

RELAXED = ApiSettings(rate_per_s=1000, rate_burst=1000)


def make_client(settings: Settings, api: ApiSettings = RELAXED) -> TestClient:
    return TestClient(create_app(settings, api), raise_server_exceptions=True)


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    """Migrate and populate once; each test then starts from a copy of this file (migrations are slow)."""
    path = tmp_path_factory.mktemp("template") / "scomm.db"
    database = Database(f"sqlite:///{path}")
    database.migrate()
    with database.session() as session:
        world = build_world(session)
    database.dispose()  # checkpoints the WAL into the file
    return path, world


@pytest.fixture
def db(settings: Settings, template: tuple[Path, World]) -> Iterator[Database]:
    target = Path(settings.url.removeprefix("sqlite:///"))
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template[0], target)
    database = Database(settings.url)
    yield database
    database.dispose()


@pytest.fixture
def world(db: Database, template: tuple[Path, World]) -> World:
    return template[1]


@pytest.fixture
def api(settings: Settings, world: World) -> Iterator[TestClient]:
    with make_client(settings) as client:
        yield client


@pytest.fixture
def auth(world: World) -> Callable[[str], dict[str, str]]:
    return lambda who: {"Authorization": f"Bearer {world.tokens[who]}"}


@pytest.fixture
def audit_events(db: Database) -> Callable[[], list[AuditEvent]]:
    def read() -> list[AuditEvent]:
        with db.session() as session:
            return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))

    return read
