from __future__ import annotations

from sqlalchemy import update

from scomm.records import AuditEvent, Database
from scomm.records.audit import append, verify_chain


def _db(tmp_path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'a.db'}")
    db.migrate()
    return db


def test_chain_of_appended_events_verifies(tmp_path) -> None:
    db = _db(tmp_path)
    with db.session() as s:
        for n in range(5):
            append(s, "tester", "step", tcn="T1", n=n)
    with db.session() as s:
        assert verify_chain(s) is None


def test_altered_event_is_detected_at_its_position(tmp_path) -> None:
    db = _db(tmp_path)
    with db.session() as s:
        for n in range(5):
            append(s, "tester", "step", tcn="T1", n=n)
    with db.session() as s:
        s.execute(update(AuditEvent).where(AuditEvent.id == 3).values(details={"n": 99}))
    with db.session() as s:
        assert verify_chain(s) == 3


def test_deleted_event_breaks_the_link_of_the_next(tmp_path) -> None:
    db = _db(tmp_path)
    with db.session() as s:
        for n in range(4):
            append(s, "tester", "step", n=n)
    with db.session() as s:
        s.delete(s.get(AuditEvent, 2))
    with db.session() as s:
        assert verify_chain(s) == 3


def test_events_of_a_rolled_back_step_leave_no_trace(tmp_path) -> None:
    db = _db(tmp_path)
    try:
        with db.session() as s:
            append(s, "tester", "doomed")
            raise RuntimeError("crash inside the step")
    except RuntimeError:
        pass
    with db.session() as s:
        assert s.query(AuditEvent).count() == 0
