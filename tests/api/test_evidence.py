"""GET /v1/transactions/{tcn}/evidence/{gallery}: the examiner's PNG, only to those who may read that answer."""

from __future__ import annotations

import io
import shutil

import pytest
from PIL import Image
from sqlalchemy import select

from scomm.api.clients import add_client
from scomm.config import Settings
from scomm.records import AuditEvent, Booking, Database, Jurisdiction, MatchRecord
from tests.api.conftest import make_client


@pytest.fixture
def served(processed_world, tmp_path):
    """The processed small world behind the service, with a token per role for one immigration hit."""
    home = tmp_path / "home"
    shutil.copytree(processed_world, home)
    settings = Settings(home=home)
    db = Database(settings.url)
    with db.session() as s:
        hit = s.scalar(select(MatchRecord).where(MatchRecord.gallery == "immigration", MatchRecord.rank == 1,
                                                 MatchRecord.is_hit).order_by(MatchRecord.id))
        booking = s.get(Booking, hit.booking_id)
        state = s.get(Jurisdiction, booking.jurisdiction_id).state
        tokens = {name: add_client(s, name, role, **scope)[1] for name, role, scope in [
            ("own_agency", "booking_agency", {"ori": booking.ori}),
            ("other_agency", "booking_agency", {"ori": "ZZ0000001"}),
            ("bureau", "state_bureau", {"state": state}),
            ("auditor", "auditor", {})]}
        tcn = booking.tcn
    with make_client(settings) as client:
        yield client, tcn, {k: {"Authorization": f"Bearer {v}"} for k, v in tokens.items()}, db
    db.dispose()


def test_agency_gets_both_galleries_pictures_and_the_disclosure_is_audited(served) -> None:
    client, tcn, auth, db = served
    for gallery in ("criminal", "immigration"):
        answer = client.get(f"/v1/transactions/{tcn}/evidence/{gallery}", headers=auth["own_agency"])
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "image/png"
        assert Image.open(io.BytesIO(answer.content)).format == "PNG"
    one = client.get(f"/v1/transactions/{tcn}/evidence/immigration?finger=2", headers=auth["auditor"])
    assert one.status_code == 200 and len(one.content) < len(answer.content)
    with db.session() as s:
        events = [e for e in s.scalars(select(AuditEvent).where(AuditEvent.action == "api.transactions.evidence"))]
    assert len(events) == 3 and {e.details["gallery"] for e in events} == {"criminal", "immigration"}
    assert all(e.tcn == tcn and e.subject for e in events)


def test_state_bureau_sees_the_criminal_candidate_only(served) -> None:
    client, tcn, auth, _ = served
    assert client.get(f"/v1/transactions/{tcn}/evidence/criminal", headers=auth["bureau"]).status_code == 200
    refused = client.get(f"/v1/transactions/{tcn}/evidence/immigration", headers=auth["bureau"])
    assert refused.status_code == 403 and refused.json()["reason"] == "forbidden"


def test_out_of_scope_absent_and_unknown_answers(served) -> None:
    client, tcn, auth, _ = served
    assert client.get(f"/v1/transactions/{tcn}/evidence/criminal").status_code == 401
    assert client.get(f"/v1/transactions/{tcn}/evidence/criminal", headers=auth["other_agency"]).status_code == 404
    late = client.get(f"/v1/transactions/{tcn}/evidence/criminal?rank=9", headers=auth["auditor"])
    assert late.status_code == 404 and "rank 9" in late.json()["detail"]
    assert client.get(f"/v1/transactions/{tcn}/evidence/dental", headers=auth["auditor"]).status_code == 422
