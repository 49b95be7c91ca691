"""Aggregate statistics: open to the public, counts only, small cells withheld."""

from __future__ import annotations

from fastapi import APIRouter, Request

from scomm.api.deps import ServiceDep, SessionDep, StatisticsReader
from scomm.api.errors import FailureReason, responses
from scomm.api.principal import Capability
from scomm.api.schemas import Cell, JurisdictionStats, StatisticsSummary
from scomm.stats.summary import JurisdictionRow, ProgramSummary, program_summary

router = APIRouter(prefix="/v1/statistics", tags=["statistics"])
COUNTS = ("received", "accepted", "rejected", "bookings_done", "bookings_pending", "bookings_failed",
          "criminal_idents", "criminal_non_idents", "immigration_searched", "immigration_not_searched",
          "immigration_matches")
TABLES = ("iar_statuses", "match_levels", "detainer_actions", "detainer_states", "removals_by_level")
ROW_COUNTS = ("submissions", "immigration_searched", "immigration_matches", "detainers", "holds_honored",
              "holds_declined")


def suppress(n: int, threshold: int | None) -> Cell:
    """A count of 1..threshold-1 is withheld (None): small cells can identify people. Zero is shown."""
    return None if threshold and 0 < n < threshold else n


def _row(row: JurisdictionRow, t: int | None) -> JurisdictionStats:
    return JurisdictionStats(code=row.code, name=row.name, state=row.state, activated_on=row.activated_on,
                             rules={k: suppress(v, t) for k, v in row.rules.items()},
                             **{f: suppress(getattr(row, f), t) for f in ROW_COUNTS})


def public_view(s: ProgramSummary, threshold: int | None) -> StatisticsSummary:
    return StatisticsSummary(
        suppression_threshold=threshold, jurisdictions=[_row(r, threshold) for r in s.jurisdictions],
        **{f: suppress(getattr(s, f), threshold) for f in COUNTS},
        **{f: {k: suppress(v, threshold) for k, v in getattr(s, f).items()} for f in TABLES})


@router.get("/summary", responses=responses(FailureReason.UNAUTHENTICATED, FailureReason.RATE_LIMITED))
def summary(request: Request, principal: StatisticsReader, session: SessionDep,
            service: ServiceDep) -> StatisticsSummary:
    """The program summary as aggregate counts; open without credentials. Auditors see every cell."""
    threshold = None if principal.may(Capability.UNSUPPRESSED_STATISTICS) else service.settings.suppress_below
    answer = public_view(program_summary(session), threshold)
    service.audit(request, principal, "api.statistics.summary", session=session, suppression=threshold)
    return answer
