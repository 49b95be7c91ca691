"""A small synthetic world, built once per test session and copied for each test that changes it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scomm.config import Settings
from scomm.pipeline import PipelineContext, submit
from scomm.sim.stream import StreamParameters
from scomm.sim.world import World, WorldParameters

SMALL = WorldParameters(seed=77, people=30, stream=StreamParameters(bookings=14), workers=2)


@pytest.fixture(scope="session")
def built_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A world home with repositories enrolled and booking files written, nothing submitted yet."""
    home = tmp_path_factory.mktemp("world-home")
    ctx = PipelineContext.open(Settings(home=home))
    World(ctx.db, Settings(home=home).world_dir, SMALL).build()
    ctx.db.dispose()
    return home


@pytest.fixture
def world_ctx(built_world: Path, tmp_path: Path) -> tuple[PipelineContext, World]:
    """A private copy of the small world, opened."""
    home = tmp_path / "home"
    shutil.copytree(built_world, home)
    settings = Settings(home=home)
    ctx = PipelineContext.open(settings)
    yield ctx, World(ctx.db, settings.world_dir, SMALL)
    ctx.db.dispose()


def submit_all(ctx: PipelineContext, world: World) -> None:
    for f in world.booking_files():
        assert submit(ctx, f.read_bytes(), f.name).accepted, f"{f.name} rejected"
