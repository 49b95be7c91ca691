"""The jail's release event and ICE's review: only the right caller, in scope, and only legal moves."""

from __future__ import annotations


def test_the_booking_agency_reports_release_and_the_hold_clock_starts(api, auth) -> None:
    answer = api.post("/v1/jail/TCN-A1/release", json={"release_at": "2012-03-09T17:00:00"}, headers=auth("agency_a"))
    assert answer.status_code == 200
    held = answer.json()
    assert held["state"] == "held" and held["hold_deadline"] == "2012-03-13T17:00:00"  # weekend excluded


def test_release_of_another_agencys_booking_is_404_and_by_ice_403(api, auth) -> None:
    assert api.post("/v1/jail/TCN-A1/release", json={}, headers=auth("agency_b")).status_code == 404
    assert api.post("/v1/jail/TCN-A1/release", json={}, headers=auth("ice_boston")).status_code == 403


def test_an_illegal_move_is_409_and_changes_nothing(api, auth) -> None:
    assert api.post("/v1/jail/TCN-A2/release", json={}, headers=auth("agency_a")).status_code == 409
    again = api.get("/v1/transactions/TCN-A2", headers=auth("agency_a")).json()
    assert again["detainer"]["state"] == "held"


def test_ice_reviews_only_in_its_office(api, auth) -> None:
    review = {"outcome": "birth certificate checked: not a citizen", "lodge": True}
    assert api.post("/v1/ice/TCN-B2/review", json=review, headers=auth("ice_boston")).status_code == 404
    answer = api.post("/v1/ice/TCN-B2/review", json=review, headers=auth("ice_chicago"))
    assert answer.status_code == 200 and answer.json()["state"] == "lodged"
    assert answer.json()["review_outcome"] == review["outcome"]


def test_a_malformed_body_is_422_invalid_request(api, auth) -> None:
    answer = api.post("/v1/ice/TCN-B2/review", json={"lodge": "perhaps"}, headers=auth("ice_chicago"))
    assert answer.status_code == 422 and answer.json()["reason"] == "invalid_request"
