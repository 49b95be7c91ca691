"""GET /v1/statistics/policies and /v1/statistics/what-if: bundled policies only, flips to auditors only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from scomm.records import Database, Jurisdiction

WINDOW = {"jurisdiction": "MA-SUFFOLK", "start": "2012-01-01", "end": "2012-12-31"}


@pytest.fixture
def honoring(db: Database) -> None:
    """Suffolk under the bundled honor_all (the shared API world names a policy file that does not exist)."""
    with db.session() as s:
        s.scalar(select(Jurisdiction).where(Jurisdiction.code == "MA-SUFFOLK")).policy_names = ["honor_all"]
        s.commit()


def test_policies_lists_the_bundled_files(api) -> None:
    names = {p["name"] for p in api.get("/v1/statistics/policies").json()}
    assert {"honor_all", "cook_county_2011", "santa_clara_2011"} <= names


def test_public_gets_withheld_counts_and_no_bookings(api, honoring) -> None:
    body = api.get("/v1/statistics/what-if", params=WINDOW | {"policy": "santa_clara_2011"}).json()
    assert body["total"]["bookings"] is None and body["total"]["actual_hours"] is None  # 2 detainers: withheld
    assert body["flips"] is None and "TCN-" not in str(body)


def test_auditor_gets_the_flipped_bookings(api, auth, audit_events, honoring) -> None:
    body = api.get("/v1/statistics/what-if", params=WINDOW | {"policy": "santa_clara_2011"},
                   headers=auth("auditor")).json()
    assert body["total"]["bookings"] == 2 and body["actual_policies"] == ["honor_all"]
    assert len(body["flips"]) == body["flip_count"] == 2  # Santa Clara (2011) declined holds without reimbursement
    event = [e for e in audit_events() if e.action == "api.statistics.what_if"][-1]
    assert event.details["disclosed"] == [f["tcn"] for f in body["flips"]]


def test_only_bundled_policies_by_name(api) -> None:
    for policy in ("no_such_policy", "/etc/passwd.yaml", "../../rules/policies/local/honor_all.yaml"):
        answer = api.get("/v1/statistics/what-if", params=WINDOW | {"policy": policy})
        assert answer.status_code == 404, policy


def test_unknown_jurisdiction_and_reversed_range(api) -> None:
    answer = api.get("/v1/statistics/what-if", params={"jurisdiction": "XX-NONE", "policy": "honor_all"})
    assert answer.status_code == 404
    answer = api.get("/v1/statistics/what-if", params=WINDOW | {"policy": "honor_all", "end": "2011-01-01"})
    assert answer.status_code == 422


def test_a_jurisdiction_without_a_policy_in_force_is_a_conflict(api) -> None:
    answer = api.get("/v1/statistics/what-if", params=WINDOW | {"policy": "honor_all"})
    assert answer.status_code == 409 and "honor-all" in answer.json()["detail"]
