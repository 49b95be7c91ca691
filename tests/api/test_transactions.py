"""Uploads of real EBTS files: processed end to end, answered, downloadable; bad ones rejected whole."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from scomm.formats import parse_transaction
from scomm.records import ApiUpload, Booking, Submission
from scomm.records.audit import verify_chain

CAR = "transactions/openebts/NISTFile.ebts"
CAR2 = "transactions/openebts/NISTFile2.ebts"
RAW = {"Content-Type": "application/octet-stream"}


@pytest.fixture
def car(shared_data) -> bytes:
    return (shared_data / CAR).read_bytes()


def count(db, model) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_upload_is_processed_and_its_responses_downloadable(api, auth, car, db) -> None:
    answer = api.post("/v1/transactions", content=car, headers={**RAW, **auth("agency_test")})
    assert answer.status_code == 201
    tx = answer.json()["transaction"]
    assert tx["status"] == "done" and tx["ori"] == "TEST00001" and tx["fbi_number"]
    assert [r["kind"] for r in tx["responses"]] == ["SRE"]
    polled = api.get(f"/v1/transactions/{tx['tcn']}", headers=auth("agency_test")).json()
    assert polled["stage"] == "done"
    sre = api.get(tx["responses"][0]["url"], headers=auth("agency_test"))
    assert sre.status_code == 200 and parse_transaction(sre.content).tot == "SRE"
    with db.session() as session:
        assert session.scalar(select(ApiUpload.client_id)) is not None


def test_the_same_tcn_again_is_answered_from_the_store(api, auth, car, db) -> None:
    first = api.post("/v1/transactions", content=car, headers={**RAW, **auth("agency_test")})
    second = api.post("/v1/transactions", content=car, headers={**RAW, **auth("agency_test")})
    assert first.status_code == 201 and second.status_code == 200 and second.json()["duplicate"]
    assert count(db, Booking) == 6  # five factory bookings + this one


def test_multipart_upload(api, auth, shared_data) -> None:
    files = {"file": ("NISTFile2.ebts", (shared_data / CAR2).read_bytes(), "application/octet-stream")}
    answer = api.post("/v1/transactions", files=files, headers=auth("agency_test"))
    assert answer.status_code == 201 and answer.json()["transaction"]["status"] == "done"


def test_an_agency_cannot_submit_under_another_ori(api, auth, car, db) -> None:
    before = count(db, Submission)
    answer = api.post("/v1/transactions", content=car, headers={**RAW, **auth("agency_a")})
    assert answer.status_code == 403 and answer.json()["reason"] == "forbidden"
    assert count(db, Submission) == before  # nothing stored


@pytest.mark.parametrize("who", ["sib_ma", "ice_boston", "auditor"])
def test_only_booking_agencies_submit(api, auth, car, who) -> None:
    assert api.post("/v1/transactions", content=car, headers={**RAW, **auth(who)}).status_code == 403


def test_a_truncated_file_is_422_with_violations_and_a_stored_errt(api, auth, car, db) -> None:
    bookings = count(db, Booking)
    answer = api.post("/v1/transactions", content=car[: len(car) // 2], headers={**RAW, **auth("agency_test")})
    assert answer.status_code == 422
    body = answer.json()
    assert body["reason"] == "invalid_transaction" and body["violations"]
    assert all(v["message"] for v in body["violations"])
    errt = api.get(body["errt_url"], headers=auth("agency_test"))
    assert errt.status_code == 200 and parse_transaction(errt.content).tot == "ERRT"
    assert api.get(body["errt_url"], headers=auth("agency_a")).status_code == 404  # not the sender
    assert count(db, Booking) == bookings  # nothing half-written


def test_an_unsupported_content_type_is_415(api, auth, car) -> None:
    answer = api.post("/v1/transactions", content=car, headers={"Content-Type": "text/csv", **auth("agency_test")})
    assert answer.status_code == 415


def test_uploads_and_reads_leave_an_intact_audit_chain(api, auth, car, db, audit_events) -> None:
    api.post("/v1/transactions", content=car, headers={**RAW, **auth("agency_test")})
    actions = [e.action for e in audit_events()]
    assert "api.transactions.submit" in actions and "intake.accepted" in actions
    with db.session() as session:
        assert verify_chain(session) is None
