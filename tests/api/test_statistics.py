"""Public statistics: aggregate counts only, small cells withheld; auditors see every cell."""

from __future__ import annotations

PERSONAL = ("dob", "tcn", "fbi_number", "a_number", "fin", "ori", "iar_status")


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_public_summary_withholds_small_cells_and_carries_no_personal_data(api) -> None:
    answer = api.get("/v1/statistics/summary")
    assert answer.status_code == 200
    s = answer.json()
    assert s["suppression_threshold"] == 10
    assert s["received"] is None and s["immigration_matches"] is None  # 5 bookings: withheld
    assert s["rejected"] == 0  # zero is shown
    assert not _keys(s) & set(PERSONAL)
    assert "DOE" not in answer.text and "TCN-" not in answer.text and "123456AB7" not in answer.text


def test_auditor_sees_every_cell(api, auth) -> None:
    s = api.get("/v1/statistics/summary", headers=auth("auditor")).json()
    assert s["suppression_threshold"] is None and s["received"] == 5 and s["immigration_matches"] == 5


def test_public_reads_are_audited(api, audit_events) -> None:
    api.get("/v1/statistics/summary")
    assert [e.actor for e in audit_events() if e.action == "api.statistics.summary"] == ["api:public:testclient"]
