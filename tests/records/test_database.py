from __future__ import annotations

from sqlalchemy import inspect

from scomm.records import Base, Database


def test_migrations_create_every_model_table_and_are_idempotent(tmp_path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'm.db'}")
    db.migrate()
    db.migrate()  # a second run applies nothing and fails nothing
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables
