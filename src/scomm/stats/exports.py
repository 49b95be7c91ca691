"""Person-free exports of detainers and their outcomes for researchers (CSV or Parquet).

One row per detainer decision. The columns follow the fields researchers use in the FOIA detainer data
(TRAC, the Deportation Data Project, UWCHR; domain.md §7.2–7.3) and are documented in docs/exports.md.
No column identifies a person: no name, date of birth, TCN, FBI number, FIN, A-number, place of birth
or booking charges; dates are days, not times. The facility is an agency (ORI), not a person.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from scomm.errors import ScommError
from scomm.records import Agency, Booking, Detainer, DetainerState, Jurisdiction, LocalDecisionRecord
from scomm.rules.hold_clock import counted_time

COLUMNS: tuple[str, ...] = (
    "booking_date", "detainer_prepare_date", "facility_ori", "facility_name", "state", "county",
    "jurisdiction", "issuing_office", "level", "mscc_ncic", "iar_status", "action", "basis", "ice_policy",
    "local_policy", "local_hold", "local_rule", "outcome", "ice_assumed_custody", "transfer_date", "removed",
    "removal_date", "hold_hours_used", "hold_past_deadline", "apprehension_program")
FORBIDDEN: frozenset[str] = frozenset({"name", "dob", "tcn", "fbi_number", "fin", "a_number", "pob",
                                       "citizenship", "charges", "sex", "race"})
FORMATS = ("csv", "parquet")


class ExportError(ScommError, ValueError):
    """An export that cannot be written (unknown format, Parquet support missing)."""


def _day(at: datetime | None) -> str | None:
    return at.date().isoformat() if at else None


def _hold_hours(d: Detainer) -> float | None:
    """Counted hours (8 CFR 287.7(d) days) the person was held past the otherwise-release time."""
    if d.hold_deadline is None or d.release_at is None:
        return None
    ended = d.transferred_at or (d.closed_at if d.state == DetainerState.RELEASED else None)
    if ended is None:
        return None
    return round(counted_time(d.release_at, ended).total_seconds() / 3600, 1)


def detainer_rows(session: Session) -> Iterator[dict[str, object]]:
    """Every detainer decision as a person-free record with the columns of `COLUMNS`."""
    query = (select(Detainer, Booking.booked_at, Booking.ori, Booking.mscc_ncic, Booking.iar_status,
                    Agency.name, Jurisdiction, LocalDecisionRecord)
             .join(Booking, Booking.id == Detainer.booking_id)
             .outerjoin(Agency, Agency.ori == Booking.ori)
             .outerjoin(Jurisdiction, Jurisdiction.id == Booking.jurisdiction_id)
             .outerjoin(LocalDecisionRecord, LocalDecisionRecord.booking_id == Booking.id)
             .order_by(Booking.booked_at, Detainer.id))
    for d, booked_at, ori, mscc, iar, agency, j, local in session.execute(query):
        hours = _hold_hours(d)
        yield {
            "booking_date": _day(booked_at), "detainer_prepare_date": _day(d.created_at), "facility_ori": ori,
            "facility_name": agency or "", "state": j.state if j else "", "county": j.county if j else "",
            "jurisdiction": j.code if j else "", "issuing_office": d.issuing_office, "level": d.level,
            "mscc_ncic": mscc, "iar_status": iar, "action": d.action, "basis": d.basis, "ice_policy": d.policy,
            "local_policy": local.policy if local else None, "local_hold": local.hold if local else None,
            "local_rule": local.deciding_rule if local else None, "outcome": d.state,
            "ice_assumed_custody": d.transferred_at is not None, "transfer_date": _day(d.transferred_at),
            "removed": d.state == DetainerState.REMOVED,
            "removal_date": _day(d.closed_at) if d.state == DetainerState.REMOVED else None,
            "hold_hours_used": hours,
            "hold_past_deadline": (d.hold_deadline is not None and hours is not None
                                   and (d.transferred_at or d.closed_at or d.hold_deadline) > d.hold_deadline),
            "apprehension_program": "SC"}


def export_detainers(session: Session, path: Path, format: str = "csv") -> int:  # noqa: A002 - the CLI's word
    """Write the person-free detainer table to ``path``; returns the number of rows written."""
    if format not in FORMATS:
        raise ExportError(f"export format must be one of {', '.join(FORMATS)}, got {format!r}")
    rows = list(detainer_rows(session))
    path.parent.mkdir(parents=True, exist_ok=True)
    if format == "csv":
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
    else:
        _write_parquet(rows, path)
    return len(rows)


def _write_parquet(rows: list[dict[str, object]], path: Path) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pyarrow is an optional dependency
        raise ExportError("Parquet export needs pyarrow (pip install pyarrow); CSV needs nothing") from exc
    types = {"local_hold": pa.bool_(), "ice_assumed_custody": pa.bool_(), "removed": pa.bool_(),
             "hold_past_deadline": pa.bool_(), "hold_hours_used": pa.float64()}
    schema = pa.schema([(c, types.get(c, pa.string())) for c in COLUMNS])
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, path)
