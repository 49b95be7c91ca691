"""Authentication: who gets in, with what, and how credentials are kept."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from scomm.api.clients import revoke_client
from scomm.records import ApiClient


@pytest.mark.parametrize("path", ["/healthz", "/v1/statistics/summary"])
def test_public_reads_health_and_aggregate_statistics_without_a_token(api, path) -> None:
    assert api.get(path).status_code == 200


@pytest.mark.parametrize("method,path", [
    ("GET", "/v1/transactions/TCN-A1"), ("GET", "/v1/transactions/TCN-A1/responses"),
    ("GET", "/v1/transactions/TCN-A1/responses/SRE"), ("GET", "/v1/detainers"), ("GET", "/v1/alarms/overdue-holds"),
    ("GET", "/v1/submissions/1/errt"), ("POST", "/v1/transactions"), ("POST", "/v1/jail/TCN-A1/release"),
    ("POST", "/v1/ice/TCN-B2/review"), ("POST", "/v1/ice/TCN-A1/custody")])
def test_everything_else_needs_a_token(api, method, path) -> None:
    answer = api.request(method, path)
    assert answer.status_code == 401
    assert answer.json()["reason"] == "unauthenticated"
    assert answer.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("token", ["nonsense", "scomm_1_wrong-secret", "scomm_999_x", "scomm.at.1.9999999999.00"])
def test_a_wrong_token_is_401(api, token) -> None:
    answer = api.get("/v1/transactions/TCN-A1", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401


def test_a_revoked_token_is_401_at_once(api, auth, db, world) -> None:
    assert api.get("/v1/transactions/TCN-A1", headers=auth("agency_a")).status_code == 200
    with db.session() as session:
        revoke_client(session, world.ids["agency_a"])
    assert api.get("/v1/transactions/TCN-A1", headers=auth("agency_a")).status_code == 401


def test_tokens_are_stored_only_as_salted_hashes(db, world) -> None:
    with db.session() as session:
        rows = {c.name: c.token_hash for c in session.scalars(select(ApiClient))}
        dump = "\n".join(str(r) for t in ("api_clients", "audit_events")
                         for r in session.execute(text(f"SELECT * FROM {t}")))
    for name, token in world.tokens.items():
        secret = token.split("_", 2)[2]  # scomm_<id>_<secret>; the secret may contain "_"
        assert secret not in rows[name] and secret not in dump
        assert rows[name].startswith("sha256$")
    assert len({h.split("$")[1] for h in rows.values()}) == len(rows)  # one salt per client


def test_oauth2_client_credentials_give_a_bearer_token_that_revocation_ends(api, world, db) -> None:
    form = {"grant_type": "client_credentials", "client_id": world.ids["auditor"],
            "client_secret": world.tokens["auditor"]}
    answer = api.post("/v1/oauth/token", data=form)
    assert answer.status_code == 200
    access = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    assert api.get("/v1/transactions/TCN-B1", headers=access).status_code == 200
    with db.session() as session:
        revoke_client(session, world.ids["auditor"])
    assert api.get("/v1/transactions/TCN-B1", headers=access).status_code == 401


def test_oauth2_wrong_secret_is_401(api, world) -> None:
    form = {"grant_type": "client_credentials", "client_id": world.ids["auditor"], "client_secret": "guess"}
    assert api.post("/v1/oauth/token", data=form).status_code == 401


def test_openapi_documents_every_route(api) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    for path in ("/v1/transactions", "/v1/transactions/{tcn}", "/v1/transactions/{tcn}/responses/{kind}",
                 "/v1/detainers", "/v1/jail/{tcn}/release", "/v1/ice/{tcn}/review", "/v1/alarms/overdue-holds",
                 "/v1/statistics/summary", "/healthz"):
        assert path in paths
