"""Policy comparison: the bundled detainer policies, and the what-if re-decision of one jurisdiction.

Results of `scomm policy simulate` are not stored (only its audit event is), so the simulation runs on
request; it reads the jurisdiction's lodged detainers in the window once. Aggregates follow the
statistics rules (small cells withheld for the public); the bookings that flip are listed to auditors
only, since a TCN names a person's booking.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request

from scomm.api.deps import ServiceDep, SessionDep, StatisticsReader
from scomm.api.disclosure import disclose, threshold_for
from scomm.api.errors import ApiError, FailureReason, responses
from scomm.api.schemas import PolicyInfo, WhatIfFlipOut, WhatIfOut, WhatIfTallyOut
from scomm.errors import PolicyError
from scomm.rules.policies import JurisdictionPolicy, list_policies
from scomm.stats.interoperability import FIRST_ACTIVATION
from scomm.stats.what_if import Tally, WhatIf, simulate_policy

router = APIRouter(prefix="/v1/statistics", tags=["statistics"])
HOURS = ("actual_hours", "alternative_hours")


def _bundled() -> dict[str, JurisdictionPolicy]:
    return {p.name: p for p in list_policies()}


@router.get("/policies", responses=responses(FailureReason.UNAUTHENTICATED, FailureReason.RATE_LIMITED))
def policies(request: Request, principal: StatisticsReader, session: SessionDep,
             service: ServiceDep) -> list[PolicyInfo]:
    """The bundled local detainer policies a what-if comparison may apply (public information)."""
    answer = [PolicyInfo(name=p.name, jurisdiction=p.jurisdiction, label=p.label, hold_hours=p.spec.hold_hours)
              for p in _bundled().values()]
    service.audit(request, principal, "api.statistics.policies", session=session)
    return answer


def _tally(t: Tally, threshold: int | None) -> WhatIfTallyOut:
    counts = disclose({"bookings": t.bookings, "actual_holds": t.actual_holds,
                       "alternative_holds": t.alternative_holds}, {}, threshold)
    withheld = counts["bookings"] is None  # hours of a withheld group would describe those few people
    hours = {h: None if withheld else getattr(t, h) for h in HOURS}
    return WhatIfTallyOut.model_validate(counts | hours)


def _answer(result: WhatIf, threshold: int | None, flips: bool) -> WhatIfOut:
    counts = disclose({"no_release_recorded": result.no_release_recorded,
                       "assumed_to_deadline": result.assumed_to_deadline, "flip_count": len(result.flips)},
                      {}, threshold)
    return WhatIfOut.model_validate({
        "suppression_threshold": threshold, "jurisdiction": result.jurisdiction,
        "alternative_policy": result.alternative_policy, "start": result.start.isoformat(),
        "end": result.end.isoformat(), "actual_policies": result.actual_policies,
        "total": _tally(result.total, threshold),
        "by_level": {k: _tally(v, threshold) for k, v in result.by_level.items()},
        "by_criminality": {k: _tally(v, threshold) for k, v in result.by_criminality.items()},
        **counts, "flips": [WhatIfFlipOut.model_validate(asdict(f)) for f in result.flips] if flips else None})


FAILURES = responses(FailureReason.INVALID_REQUEST, FailureReason.NOT_FOUND, FailureReason.CONFLICT,
                     FailureReason.UNAUTHENTICATED, FailureReason.RATE_LIMITED)


@router.get("/what-if", responses=FAILURES)
def what_if(request: Request, principal: StatisticsReader, session: SessionDep, service: ServiceDep,
            jurisdiction: Annotated[str, Query(max_length=32, description="Jurisdiction code, e.g. IL-COOK")],
            policy: Annotated[str, Query(max_length=80, description="A bundled policy name (see /policies)")],
            start: Annotated[date, Query(description="First booking day")] = FIRST_ACTIVATION,
            end: Annotated[date | None, Query(description="Last booking day (default: today)")] = None) -> WhatIfOut:
    """Holds and hold-hours had the jurisdiction followed `policy`, by level and criminality."""
    end = end or date.today()
    if end < start:
        raise ApiError(FailureReason.INVALID_REQUEST, f"range ends ({end}) before it starts ({start})")
    alternative = _bundled().get(policy)  # by name only: a path would read files of the caller's choosing
    if alternative is None:
        raise ApiError(FailureReason.NOT_FOUND, f"no bundled policy named {policy!r}", audit={"policy": policy})
    threshold = threshold_for(principal, service)
    try:
        result = simulate_policy(session, alternative, jurisdiction, start, end, actor=principal.actor)
    except PolicyError as exc:  # e.g. no policy of the jurisdiction in force on some booking date
        raise ApiError(FailureReason.CONFLICT, str(exc)[:400], audit={"policy": policy}) from exc
    answer = _answer(result, threshold, flips=threshold is None)
    service.audit(request, principal, "api.statistics.what_if", session=session, suppression=threshold,
                  jurisdiction=jurisdiction, policy=policy, disclosed=[f.tcn for f in answer.flips or []])
    return answer
