"""Requests the schemathesis run found answered with 500 before: now a 4xx naming the problem, audited."""

from __future__ import annotations

HUGE = str(2**70)  # past any database integer


def test_an_out_of_range_submission_number_is_422_not_500(api, auth) -> None:
    answer = api.get(f"/v1/submissions/{HUGE}/errt", headers=auth("auditor"))
    assert answer.status_code == 422
    assert answer.json()["reason"] == "invalid_request"


def test_an_out_of_range_client_id_is_422_not_500(api) -> None:
    form = {"grant_type": "client_credentials", "client_id": HUGE, "client_secret": "x"}
    assert api.post("/v1/oauth/token", data=form).status_code == 422


def test_a_token_with_an_overlong_client_number_is_401_not_500(api) -> None:
    answer = api.get("/v1/transactions/TCN-A1", headers={"Authorization": f"Bearer scomm_{HUGE}_secret"})
    assert answer.status_code == 401


def test_multipart_without_a_boundary_is_400_with_its_reason(api, auth, audit_events) -> None:
    answer = api.post("/v1/transactions", content=b"--x\r\n",
                      headers={**auth("agency_test"), "Content-Type": "multipart/form-data"})
    assert answer.status_code == 400
    assert answer.json()["reason"] == "bad_request"
    assert audit_events()[-1].details["status"] == 400
