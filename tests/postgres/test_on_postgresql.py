"""scomm on PostgreSQL (the database by URL): migrations, the audit chain under concurrent writers, intake
and the pipeline on real EBTS files, and the statistics queries. The imported tests run here against
PostgreSQL through this folder's `settings` fixture; the ones defined here are PostgreSQL-specific."""

from __future__ import annotations

import threading

from sqlalchemy import inspect

from scomm.pipeline import PipelineContext
from scomm.records import Base
from scomm.records.audit import append, verify_chain
from tests.pipeline.test_intake import (  # noqa: F401 - collected again, on PostgreSQL
    test_corrupted_image_gets_a_violation_naming_the_record,
    test_not_a_booking_tot_is_rejected_with_the_reason,
    test_real_car_is_accepted_stored_whole_and_identified,
    test_same_tcn_twice_is_answered_from_the_store,
    test_ten_print_card_identification_request_is_searched_but_creates_no_record,
    test_truncated_transaction_is_rejected_and_the_rejection_stored,
)
from tests.stats.test_exports import (  # noqa: F401
    records,
    test_csv_has_the_documented_columns_and_no_personal_fields,
    test_rows_carry_level_outcome_and_local_decision,
)
from tests.stats.test_interoperability import *  # noqa: F403
from tests.stats.test_transparency import *  # noqa: F403


def test_migrations_create_every_table_on_postgresql_and_are_idempotent(ctx: PipelineContext) -> None:
    assert ctx.db.engine.dialect.name == "postgresql"
    ctx.db.migrate()  # PipelineContext.open migrated once already: a second run applies nothing
    assert set(Base.metadata.tables) <= set(inspect(ctx.db.engine).get_table_names())


def test_concurrent_writers_keep_the_audit_chain_intact(ctx: PipelineContext) -> None:
    # Each append reads the chain's last hash and links to it; without the advisory lock two writers read
    # the same predecessor and the chain forks. Eight threads, many small transactions each.
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                with ctx.db.session() as s:
                    append(s, f"writer-{n}", "test.step", tcn=f"T{n}", i=i)
        except BaseException as e:  # noqa: BLE001 - reported by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with ctx.db.session() as s:
        assert verify_chain(s) is None
