"""GET /v1/bookings/{tcn}/timeline: scope-checked (404 outside), audited, filtered by what the role may read."""

from __future__ import annotations


def steps(api, auth, who: str, tcn: str = "TCN-A2") -> list[str]:
    answer = api.get(f"/v1/bookings/{tcn}/timeline", headers=auth(who))
    assert answer.status_code == 200, answer.text
    return [s["step"] for s in answer.json()["steps"]]


def test_public_is_refused(api) -> None:
    answer = api.get("/v1/bookings/TCN-A1/timeline")
    assert answer.status_code == 401 and answer.json()["reason"] == "unauthenticated"


def test_own_agency_sees_its_booking_in_time_order(api, auth) -> None:
    answer = api.get("/v1/bookings/TCN-A2/timeline", headers=auth("agency_a")).json()
    assert answer["transaction"]["tcn"] == "TCN-A2"
    names = [s["step"] for s in answer["steps"]]
    assert names[0] == "booked" and "response SRE" in names and "response I247" in names
    assert "response IAQ" not in names  # the IAQ goes to the LESC, not to the agency
    assert {"detainer lodge", "otherwise-release", "hold deadline", "local decision: hold"} <= set(names)
    times = [s["at"] for s in answer["steps"]]
    assert times == sorted(times)


def test_another_agencys_booking_is_absent_and_the_denial_audited(api, auth, audit_events) -> None:
    answer = api.get("/v1/bookings/TCN-A1/timeline", headers=auth("agency_b"))
    assert answer.status_code == 404
    assert api.get("/v1/bookings/TCN-NONE/timeline", headers=auth("agency_b")).json() == {
        "reason": "not_found", "detail": "no transaction TCN-NONE"}
    assert answer.json()["detail"] == "no transaction TCN-A1"  # same answer as an absent TCN
    denied = [e for e in audit_events() if e.action == "api.denied" and e.details.get("scope") == "out_of_scope"]
    assert denied and denied[-1].details["path"] == "/v1/bookings/TCN-A1/timeline"


def test_state_bureau_sees_no_immigration_side(api, auth) -> None:
    names = steps(api, auth, "sib_ma")
    assert "response SRE" in names
    assert not [n for n in names if n.startswith(("detainer", "local decision", "response I", "hold"))]


def test_access_is_audited_and_shown_to_auditors_only(api, auth, audit_events) -> None:
    steps(api, auth, "agency_a")
    event = [e for e in audit_events() if e.action == "api.bookings.timeline"][-1]
    assert event.tcn == "TCN-A2" and event.details["disclosed"] == ["TCN-A2"]
    assert "api.bookings.timeline" in steps(api, auth, "auditor")
    assert "api.bookings.timeline" not in steps(api, auth, "agency_a")
