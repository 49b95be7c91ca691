"""Published statistics as JSON: the interoperability report, monthly series, transparency indicators.

Open to the public with small cells withheld (null); auditors see every cell. The numbers come from
the statistics modules (scomm.stats); this module only chooses the window and what the caller sees.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request

from scomm.api.deps import ServiceDep, SessionDep, StatisticsReader
from scomm.api.disclosure import as_cells, disclose, threshold_for
from scomm.api.errors import ApiError, FailureReason, responses
from scomm.api.schemas import (InteroperabilityOut, InteroperabilityRowOut, MonthlyOut, MonthOut, TransparencyOut,
                               TransparencyRowOut)
from scomm.stats.interoperability import (FIRST_ACTIVATION, LEVELS, PUBLIC_SHARES, InteroperabilityRow,
                                          interoperability_report)
from scomm.stats.monthly import MonthTally, monthly_series
from scomm.stats.transparency import transparency_indicators

router = APIRouter(prefix="/v1/statistics", tags=["statistics"])
FAILURES = responses(FailureReason.INVALID_REQUEST, FailureReason.UNAUTHENTICATED, FailureReason.RATE_LIMITED)
State = Annotated[str | None, Query(pattern="^[A-Za-z]{2}$", description="Two-letter state")]
Start = Annotated[date, Query(description="First day counted (default: the first activation, 2008-10-27)")]
Through = Annotated[date | None, Query(description="Last day counted (default: today)")]
Code = Annotated[str | None, Query(max_length=32, description="Jurisdiction code, e.g. MA-SUFFOLK")]


def _window(start: date, through: date | None) -> date:
    through = through or date.today()
    if through < start:
        raise ApiError(FailureReason.INVALID_REQUEST, f"window ends ({through}) before it starts ({start})")
    return through


@router.get("/interoperability", responses=FAILURES)
def interoperability(request: Request, principal: StatisticsReader, session: SessionDep, service: ServiceDep,
                     start: Start = FIRST_ACTIVATION, through: Through = None,
                     state: State = None) -> InteroperabilityOut:
    """IDENT/IAFIS interoperability statistics, cumulative through a date: national, by state, by county."""
    threshold = threshold_for(principal, service)
    report = interoperability_report(session, _window(start, through), start, state)

    def row(r: InteroperabilityRow) -> InteroperabilityRowOut:
        return InteroperabilityRowOut.model_validate(disclose(r.as_dict(), PUBLIC_SHARES, threshold))

    answer = InteroperabilityOut(suppression_threshold=threshold, start=report.start.isoformat(),
                                 through=report.through.isoformat(), state=report.state_filter,
                                 national=row(report.national), states=[row(r) for r in report.states],
                                 counties=[row(r) for r in report.counties])
    service.audit(request, principal, "api.statistics.interop", session=session, suppression=threshold,
                  start=answer.start, through=answer.through, state=answer.state)
    return answer


def _levels(counts: dict[str, int]) -> dict[str, int]:
    return {level: counts.get(level, 0) for level in LEVELS}


def _month(m: MonthTally, threshold: int | None) -> MonthOut:
    t = m.interoperability
    flat = {"submissions": t.submissions, "matches": t.total_matches, "detainers": m.total_detainers,
            "book_ins": t.total_book_ins, "removals": t.total_removals}
    levels = {"matches_by_level": t.matches, "detainers_by_level": m.detainers, "removals_by_level": t.removals}
    return MonthOut.model_validate({"month": m.month, **disclose(flat, {}, threshold)}
                                   | {k: disclose(_levels(v), {}, threshold) for k, v in levels.items()})


@router.get("/monthly", responses=FAILURES)
def monthly(request: Request, principal: StatisticsReader, session: SessionDep, service: ServiceDep,
            start: Start = FIRST_ACTIVATION, through: Through = None, state: State = None,
            jurisdiction: Code = None) -> MonthlyOut:
    """Submissions, matches, detainers, book-ins and removals per month, with level breakdowns and a total."""
    threshold = threshold_for(principal, service)
    series = monthly_series(session, _window(start, through), start, state, jurisdiction)
    answer = MonthlyOut(suppression_threshold=threshold, start=series.start.isoformat(),
                        through=series.through.isoformat(), state=series.state, jurisdiction=series.jurisdiction,
                        months=[_month(m, threshold) for m in series.months], total=_month(series.total, threshold))
    service.audit(request, principal, "api.statistics.monthly", session=session, suppression=threshold,
                  start=answer.start, through=answer.through, state=answer.state, jurisdiction=jurisdiction)
    return answer


@router.get("/transparency", responses=FAILURES)
def transparency(request: Request, principal: StatisticsReader, session: SessionDep, service: ServiceDep,
                 start: Annotated[date | None, Query(description="First day counted")] = None,
                 through: Through = None, state: State = None, jurisdiction: Code = None) -> TransparencyOut:
    """Transparency indicators per jurisdiction and month (shares non-criminal and Level 1, citizens, ...)."""
    threshold = threshold_for(principal, service)
    if start and through and through < start:
        raise ApiError(FailureReason.INVALID_REQUEST, f"window ends ({through}) before it starts ({start})")
    rows = [r for r in transparency_indicators(session, through=through, start=start, state=state)
            if jurisdiction is None or r.jurisdiction == jurisdiction]
    out = [TransparencyRowOut.model_validate(as_cells(r.as_dict() if threshold is None else r.public_dict(threshold)))
           for r in rows]
    service.audit(request, principal, "api.statistics.transparency", session=session, suppression=threshold,
                  state=state, jurisdiction=jurisdiction)
    return TransparencyOut(suppression_threshold=threshold, rows=out)
