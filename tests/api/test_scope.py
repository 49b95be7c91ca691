"""Each caller sees exactly its scope: agency → its ORI, bureau → its state, ICE → its office, auditor → all.

A booking outside the caller's scope answers 404, the same as an absent one, so that one agency
cannot learn that another booked a given TCN; the audit log records which of the two it was.
"""

from __future__ import annotations

import pytest

ALL = {"TCN-A1", "TCN-A2", "TCN-B1", "TCN-B2", "TCN-C1"}
SEES = {"agency_a": {"TCN-A1", "TCN-A2"}, "agency_b": {"TCN-B1", "TCN-B2"}, "sib_ma": {"TCN-A1", "TCN-A2", "TCN-C1"},
        "ice_boston": {"TCN-A1", "TCN-A2", "TCN-C1"}, "ice_chicago": {"TCN-B1", "TCN-B2"}, "auditor": ALL}


@pytest.mark.parametrize("who", sorted(SEES))
def test_each_caller_reads_exactly_the_bookings_of_its_scope(api, auth, who) -> None:
    for tcn in sorted(ALL):
        answer = api.get(f"/v1/transactions/{tcn}", headers=auth(who))
        assert answer.status_code == (200 if tcn in SEES[who] else 404), (who, tcn)


def test_out_of_scope_looks_exactly_like_absent(api, auth, audit_events) -> None:
    other = api.get("/v1/transactions/TCN-B1", headers=auth("agency_a"))
    absent = api.get("/v1/transactions/TCN-NONE", headers=auth("agency_a"))
    assert other.status_code == absent.status_code == 404
    assert other.json()["reason"] == absent.json()["reason"] == "not_found"
    denials = [e.details["scope"] for e in audit_events() if e.action == "api.denied"]
    assert denials == ["out_of_scope", "absent"]


@pytest.mark.parametrize("who", sorted(SEES))
def test_detainer_lists_are_scope_filtered(api, auth, who) -> None:
    answer = api.get("/v1/detainers", headers=auth(who))
    if who == "sib_ma":
        assert answer.status_code == 403  # a state bureau does not read detainers
        return
    assert {d["tcn"] for d in answer.json()["detainers"]} == SEES[who]


def test_a_jurisdiction_outside_the_office_lists_nothing(api, auth) -> None:
    mine = api.get("/v1/detainers", params={"jurisdiction": "MA-SUFFOLK"}, headers=auth("ice_boston")).json()
    other = api.get("/v1/detainers", params={"jurisdiction": "IL-COOK"}, headers=auth("ice_boston")).json()
    assert {d["tcn"] for d in mine["detainers"]} == {"TCN-A1", "TCN-A2"} and other["count"] == 0


@pytest.mark.parametrize("who,kind,status", [
    ("agency_a", "SRE", 200), ("agency_a", "IAR", 200), ("agency_a", "I247", 200), ("agency_a", "IAQ", 403),
    ("sib_ma", "SRE", 200), ("sib_ma", "IAR", 403), ("sib_ma", "I247", 403),
    ("ice_boston", "IAR", 200), ("ice_boston", "IAQ", 200), ("ice_boston", "SRE", 403),
    ("ice_chicago", "IAR", 404), ("agency_b", "IAR", 404), ("auditor", "IAQ", 200), ("auditor", "IAR", 200)])
def test_response_downloads_follow_role_and_scope(api, auth, who, kind, status) -> None:
    answer = api.get(f"/v1/transactions/TCN-A1/responses/{kind}", headers=auth(who))
    assert answer.status_code == status
    if status == 200:
        assert answer.content == f"{kind}:TCN-A1".encode()


def test_status_hides_immigration_results_from_those_who_may_not_read_the_iar(api, auth) -> None:
    bureau = api.get("/v1/transactions/TCN-A1", headers=auth("sib_ma")).json()
    agency = api.get("/v1/transactions/TCN-A1", headers=auth("agency_a")).json()
    assert bureau["iar_status"] is None and bureau["immigration_hit"] is None and bureau["detainer"] is None
    assert [r["kind"] for r in bureau["responses"]] == ["SRE"]
    assert agency["iar_status"] == "removable" and agency["detainer"]["state"] == "lodged"
    assert [r["kind"] for r in agency["responses"]] == ["SRE", "IAR", "I247"]


@pytest.mark.parametrize("path,body", [
    ("/v1/transactions", None), ("/v1/jail/TCN-A1/release", {}), ("/v1/ice/TCN-B2/review",
                                                                  {"outcome": "x", "lodge": True}),
    ("/v1/ice/TCN-A1/custody", {})])
def test_auditor_reads_everything_but_every_write_is_403(api, auth, path, body) -> None:
    answer = api.post(path, json=body, headers=auth("auditor"))
    assert answer.status_code == 403 and answer.json()["reason"] == "forbidden"


def test_overdue_holds_alarm_within_scope(api, auth) -> None:
    def tcns(who: str) -> set[str]:
        answer = api.get("/v1/alarms/overdue-holds", params={"at": "2012-03-20T00:00:00"}, headers=auth(who))
        return {h["tcn"] for h in answer.json()["holds"]}

    assert tcns("agency_a") == tcns("sib_ma") == tcns("ice_boston") == tcns("auditor") == {"TCN-A2"}
    assert tcns("agency_b") == tcns("ice_chicago") == set()


def test_reads_and_denials_are_audited_with_the_record(api, auth, audit_events) -> None:
    api.get("/v1/transactions/TCN-A1/responses/IAR", headers=auth("agency_a"))
    api.get("/v1/transactions/TCN-A1/responses/IAQ", headers=auth("agency_a"))
    api.get("/v1/detainers", headers=auth("ice_chicago"))
    api.post("/v1/jail/TCN-A1/release", json={}, headers=auth("auditor"))
    events = [(e.actor, e.action, e.tcn, e.subject, e.details.get("status")) for e in audit_events()
              if e.action.startswith("api.") and not e.action.startswith("api.client")]
    assert events[0] == ("api:booking_agency:agency_a", "api.responses.download", "TCN-A1", "IAR", None)
    assert events[1] == ("api:booking_agency:agency_a", "api.denied", "TCN-A1", None, 403)
    assert events[2][:2] == ("api:ice:ice_chicago", "api.detainers.list")
    assert events[3][:2] == ("api:auditor:auditor", "api.denied")
    assert [e for e in audit_events() if e.action == "api.detainers.list"][0].details["disclosed"] == [
        "TCN-B1", "TCN-B2"]
