"""Hand-built records for the statistics tests: jurisdictions, bookings, detainers, local decisions."""

from __future__ import annotations

from datetime import date, datetime
from itertools import count

from sqlalchemy.orm import Session

from scomm.records import Agency, Booking, Detainer, Jurisdiction, LocalDecisionRecord, Submission

_seq = count(1)


def jurisdiction(s: Session, code: str, state: str, activated: date | None = date(2009, 1, 1)) -> Jurisdiction:
    j = Jurisdiction(code=code, name=f"{code} County", state=state, county=code.split("-")[-1].title(),
                     activated_on=activated, ice_office="ERO Test")
    j.agencies = [Agency(ori=f"{state}{next(_seq):07d}", name=f"{code} Sheriff")]
    s.add(j)
    s.flush()
    return j


def booking(s: Session, j: Jurisdiction | None, booked: datetime, *, hit: bool = False, searched: bool = True,
            level: str = "non_criminal", iar: str | None = None, charges: tuple[str, ...] = ("1313",),
            mscc: str | None = None) -> Booking:
    n = next(_seq)
    sub = Submission(sha256=f"{n:064d}", tcn=f"T{n}", raw=b"", accepted=True)
    s.add(sub)
    s.flush()
    b = Booking(tcn=f"T{n}", submission_id=sub.id, ori=j.agencies[0].ori if j else "XX0000000", tot="CAR",
                jurisdiction_id=j.id if j else None, booked_at=booked, stage="done", name="DOE, JOHN",
                dob=date(1980, 1, 1), charges=[{"ncic_code": c, "literal": "X", "date": None} for c in charges],
                fbi_number=f"{n}SC", criminal_hit=True, immigration_searched=searched, immigration_hit=hit,
                fin=f"FIN{n}" if hit else None, a_number=f"A{n:09d}" if hit else None,
                iar_status=iar or ("removable_noncriminal" if hit else None), level=level, mscc_ncic=mscc)
    s.add(b)
    s.flush()
    return b


def detainer(s: Session, b: Booking, *, action: str = "lodge", state: str = "lodged", level: str | None = None,
             transferred: datetime | None = None, closed: datetime | None = None, release: datetime | None = None,
             deadline: datetime | None = None, review: str | None = None) -> Detainer:
    d = Detainer(booking_id=b.id, state=state, action=action, basis="notice_to_appear", policy="ice_2011",
                 rule_id="r", reason="test", level=level or b.level, created_at=b.booked_at, review_outcome=review,
                 release_at=release, hold_deadline=deadline, transferred_at=transferred, closed_at=closed,
                 issuing_office="ERO Test")
    s.add(d)
    s.flush()
    return d


def decision(s: Session, b: Booking, d: Detainer, *, hold: bool, rule: str = "otherwise") -> LocalDecisionRecord:
    r = LocalDecisionRecord(booking_id=b.id, detainer_id=d.id, policy="test_policy", hold=hold, notify=True,
                            transfer_in_facility=hold, ice_access=True, hold_hours=48 if hold else 0,
                            deciding_rule=rule)
    s.add(r)
    s.flush()
    return r


def removed(s: Session, j: Jurisdiction, booked: datetime, level: str, removed_at: datetime) -> Detainer:
    """A matched booking whose detainer was honored, the person transferred and removed."""
    b = booking(s, j, booked, hit=True, level=level)
    d = detainer(s, b, state="removed", transferred=booked.replace(hour=20), closed=removed_at)
    decision(s, b, d, hold=True)
    return d
