"""Fixtures shared by every test package: a fresh database, the real data folder, the small world."""

from __future__ import annotations

import os

# The GPU kernels (scomm.fingerprints.gpu) run on numba's CUDA simulator unless a run asks for the real
# device (NUMBA_ENABLE_CUDASIM=0 on a machine with an NVIDIA GPU). numba reads this once, when imported.
os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from scomm.config import Settings
from scomm.pipeline import PipelineContext
from scomm.sim.world import World
from tests import worlds

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
def ctx(settings: Settings) -> Iterator[PipelineContext]:
    context = PipelineContext.open(settings)
    yield context
    context.db.dispose()


@pytest.fixture(scope="session")
def built_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A world home with repositories enrolled and booking files written, nothing submitted yet."""
    home = tmp_path_factory.mktemp("world-home")
    worlds.build(home)
    return home


@pytest.fixture(scope="session")
def processed_world(built_world: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small world with every booking processed and outcomes played out. Tests only read it."""
    home = tmp_path_factory.mktemp("processed-home")
    shutil.copytree(built_world, home, dirs_exist_ok=True)
    worlds.process(home)
    return home


def _open(home: Path) -> tuple[PipelineContext, World]:
    settings = Settings(home=home)
    ctx = PipelineContext.open(settings)
    return ctx, World(ctx.db, settings.world_dir, worlds.SMALL)


@pytest.fixture
def world_ctx(built_world: Path, tmp_path: Path) -> Iterator[tuple[PipelineContext, World]]:
    """A private copy of the small world, opened, nothing submitted: for tests that change it."""
    home = tmp_path / "home"
    shutil.copytree(built_world, home)
    ctx, world = _open(home)
    yield ctx, world
    ctx.db.dispose()


@pytest.fixture
def processed_ctx(processed_world: Path) -> Iterator[tuple[PipelineContext, World]]:
    """The processed small world, opened (shared: read, do not change)."""
    ctx, world = _open(processed_world)
    yield ctx, world
    ctx.db.dispose()
