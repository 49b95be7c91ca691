"""Alembic environment: runs against the connection scomm hands it, or the configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import scomm.records  # noqa: F401  (registers every model on the metadata)
from scomm.records.base import Base

target_metadata = Base.metadata


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            _migrate(connection)
    else:
        _migrate(connection)


def _migrate(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run()
