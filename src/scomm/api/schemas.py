"""What the service answers, as pydantic models (they are the OpenAPI documentation)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from scomm.api.errors import ViolationOut

__all__ = ["ViolationOut"]


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class ResponseInfo(BaseModel):
    kind: str = Field(description="SRE, IDR, IAQ, IAR, I247 (ERRT for rejections).")
    created_at: datetime
    recipient: str
    summary: str
    content_type: str
    url: str


class DetainerView(BaseModel):
    tcn: str
    jurisdiction: str | None
    state: str
    action: str
    basis: str | None
    level: str | None
    issuing_office: str
    policy: str
    rule_id: str
    reason: str
    created_at: datetime
    review_outcome: str | None
    release_at: datetime | None
    hold_deadline: datetime | None
    transferred_at: datetime | None
    closed_at: datetime | None


class TransactionStatus(BaseModel):
    tcn: str
    submission_id: int
    status: Literal["done", "processing", "retrying", "failed"]
    stage: str
    ori: str
    jurisdiction: str | None
    received_at: datetime
    booked_at: datetime
    fbi_number: str | None
    criminal_hit: bool | None
    immigration_searched: bool | None
    immigration_hit: bool | None = Field(description="Shown only to callers who may read the IAR.")
    iar_status: str | None = Field(description="Shown only to callers who may read the IAR.")
    level: str | None = Field(description="Shown only to callers who may read the IAR.")
    error: str | None
    responses: list[ResponseInfo]
    detainer: DetainerView | None = Field(description="Shown only to callers who may read detainers.")


class SubmissionReceipt(BaseModel):
    accepted: Literal[True] = True
    duplicate: bool
    transaction: TransactionStatus


class DetainerList(BaseModel):
    count: int
    detainers: list[DetainerView]


class ReleaseIn(BaseModel):
    release_at: datetime | None = Field(default=None, description="Otherwise-release time (UTC); now if absent.")


class ReviewIn(BaseModel):
    outcome: str = Field(min_length=1, max_length=200, description="What the reviewer found.")
    lodge: bool = Field(description="Lodge the detainer (true) or cancel it (false).")


class CustodyIn(BaseModel):
    at: datetime | None = Field(default=None, description="Time ICE took custody (UTC); now if absent.")


class OverdueHoldView(BaseModel):
    tcn: str
    ori: str
    release_at: datetime
    deadline: datetime
    overdue_hours: float


class OverdueHolds(BaseModel):
    checked_at: datetime
    count: int
    holds: list[OverdueHoldView]


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


Cell = int | None  # None: a count of 1..threshold-1, withheld


class JurisdictionStats(BaseModel):
    code: str
    name: str
    state: str
    activated_on: str
    submissions: Cell
    immigration_searched: Cell
    immigration_matches: Cell
    detainers: Cell
    holds_honored: Cell
    holds_declined: Cell
    rules: dict[str, Cell]


class StatisticsSummary(BaseModel):
    """Counts only, no personal data; cells below the threshold are null (withheld), zero is shown."""

    suppression_threshold: int | None
    received: Cell
    accepted: Cell
    rejected: Cell
    bookings_done: Cell
    bookings_pending: Cell
    bookings_failed: Cell
    criminal_idents: Cell
    criminal_non_idents: Cell
    immigration_searched: Cell
    immigration_not_searched: Cell
    immigration_matches: Cell
    iar_statuses: dict[str, Cell]
    match_levels: dict[str, Cell]
    detainer_actions: dict[str, Cell]
    detainer_states: dict[str, Cell]
    removals_by_level: dict[str, Cell]
    jurisdictions: list[JurisdictionStats]
