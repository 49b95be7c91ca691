"""The small synthetic world the integration tests share, and helpers to push it through the pipeline."""

from __future__ import annotations

from pathlib import Path

from scomm.config import Settings
from scomm.pipeline import PipelineContext, run_pending, submit
from scomm.sim.outcomes import play_outcomes
from scomm.sim.stream import StreamParameters
from scomm.sim.world import World, WorldParameters

SMALL = WorldParameters(seed=77, people=30, stream=StreamParameters(bookings=14), workers=2)


def submit_all(ctx: PipelineContext, world: World) -> None:
    for f in world.booking_files():
        assert submit(ctx, f.read_bytes(), f.name).accepted, f"{f.name} rejected"


def build(home: Path) -> None:
    ctx = PipelineContext.open(Settings(home=home))
    World(ctx.db, Settings(home=home).world_dir, SMALL).build()
    ctx.db.dispose()


def process(home: Path) -> None:
    """Submit every booking, run the pipeline to the end and play out the outcomes."""
    settings = Settings(home=home)
    ctx = PipelineContext.open(settings)
    world = World(ctx.db, settings.world_dir, SMALL)
    submit_all(ctx, world)
    assert run_pending(ctx).failed == []
    play_outcomes(ctx, world.plan())
    ctx.db.dispose()
