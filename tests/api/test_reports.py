"""The statistics behind the dashboard: interoperability, monthly series, transparency, who am I."""

from __future__ import annotations

from datetime import date

from scomm.stats.interoperability import interoperability_report
from tests.api.test_statistics import PERSONAL, _keys

MARCH = {"start": "2012-03-01", "through": "2012-03-31"}


def test_public_interoperability_withholds_small_cells_and_their_shares(api) -> None:
    answer = api.get("/v1/statistics/interoperability", params=MARCH)
    assert answer.status_code == 200
    body = answer.json()
    assert body["suppression_threshold"] == 10
    national = body["national"]
    assert national["submissions"] is None and national["matches"] is None  # 5 bookings: withheld
    assert national["removals"] == 0 and national["match_rate"] is None
    assert {c["code"] for c in body["counties"]} == {"MA-SUFFOLK", "MA-MIDDLESEX", "IL-COOK"}
    assert not _keys(body) & set(PERSONAL) and "DOE" not in answer.text


def test_auditor_interoperability_has_every_cell(api, auth) -> None:
    body = api.get("/v1/statistics/interoperability", params=MARCH | {"state": "MA"}, headers=auth("auditor")).json()
    assert body["suppression_threshold"] is None and body["state"] == "MA"
    assert body["national"]["submissions"] == 5 and body["national"]["match_rate"] == 1.0
    assert {s["state"]: s["submissions"] for s in body["states"]} == {"MA": 3}


def test_monthly_series_agrees_with_a_one_month_report(api, auth, db) -> None:
    body = api.get("/v1/statistics/monthly", headers=auth("auditor")).json()
    assert [m["month"] for m in body["months"]] == ["2012-03"]
    march = body["months"][0]
    with db.session() as s:
        report = interoperability_report(s, date(2012, 3, 31), date(2012, 3, 1))
    assert march["submissions"] == report.national.tally.submissions == 5
    assert march["matches_by_level"] == report.national.tally.matches
    assert march["detainers"] == 5 and march["detainers_by_level"]["level_1"] == 5  # all five lodged, Level 1
    assert body["total"] | {"month": "2012-03"} == march


def test_monthly_series_filters_by_jurisdiction_and_state(api, auth) -> None:
    cook = api.get("/v1/statistics/monthly", params={"jurisdiction": "IL-COOK"}, headers=auth("auditor")).json()
    assert cook["total"]["submissions"] == 2
    ma = api.get("/v1/statistics/monthly", params={"state": "ma"}, headers=auth("auditor")).json()
    assert ma["state"] == "MA" and ma["total"]["submissions"] == 3
    nothing = api.get("/v1/statistics/monthly", params={"through": "2011-12-31"}, headers=auth("auditor")).json()
    assert nothing["months"] == [] and nothing["total"]["submissions"] == 0


def test_a_window_ending_before_it_starts_is_refused(api) -> None:
    answer = api.get("/v1/statistics/monthly", params={"start": "2012-03-01", "through": "2012-02-01"})
    assert answer.status_code == 422 and answer.json()["reason"] == "invalid_request"
    assert api.get("/v1/statistics/interoperability", params={"state": "Massachusetts"}).status_code == 422


def test_transparency_rows_per_jurisdiction_and_month(api, auth) -> None:
    public = api.get("/v1/statistics/transparency").json()
    assert {r["jurisdiction"] for r in public["rows"]} == {"MA-SUFFOLK", "MA-MIDDLESEX", "IL-COOK"}
    assert all(r["detainers"] is None for r in public["rows"])  # 1 or 2 per jurisdiction: withheld
    audited = api.get("/v1/statistics/transparency", params={"jurisdiction": "IL-COOK"},
                      headers=auth("auditor")).json()
    assert [(r["jurisdiction"], r["month"], r["detainers"], r["matches"]) for r in audited["rows"]] == \
        [("IL-COOK", "2012-03", 2, 2)]  # both Cook detainers are recorded with action "lodge"


def test_me_names_the_role_and_scope(api, auth) -> None:
    assert api.get("/v1/me").json() | {"capabilities": []} == {
        "role": "public", "name": None, "ori": None, "state": None, "ice_office": None, "capabilities": [],
        "suppression_threshold": 10}
    agency = api.get("/v1/me", headers=auth("agency_a")).json()
    assert (agency["role"], agency["ori"], agency["suppression_threshold"]) == ("booking_agency", "MA0000001", 10)
    assert api.get("/v1/me", headers={"Authorization": "Bearer scomm_1_wrong"}).status_code == 401


def test_statistics_reads_are_audited(api, audit_events) -> None:
    for path in ("interoperability", "monthly", "transparency", "policies"):
        assert api.get(f"/v1/statistics/{path}").status_code == 200
    actions = [e.action for e in audit_events()]
    for action in ("api.statistics.interop", "api.statistics.monthly", "api.statistics.transparency",
                   "api.statistics.policies"):
        assert action in actions


def test_openapi_documents_the_dashboard_endpoints(api) -> None:
    spec = api.get("/openapi.json").json()
    expected = {"/v1/statistics/interoperability": "InteroperabilityOut", "/v1/statistics/monthly": "MonthlyOut",
                "/v1/statistics/transparency": "TransparencyOut", "/v1/statistics/what-if": "WhatIfOut",
                "/v1/bookings/{tcn}/timeline": "BookingTimelineOut", "/v1/me": "CallerOut"}
    for path, model in expected.items():
        schema = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{model}"}, path
    assert "/dashboard" not in spec["paths"]
