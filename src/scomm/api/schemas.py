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


Share = float | None  # a fraction 0–1; None where the whole is zero or either count is withheld


class InteroperabilityRowOut(BaseModel):
    """One line of the IDENT/IAFIS interoperability report (national, a state, or a county)."""

    scope: Literal["national", "state", "county"]
    state: str
    name: str
    code: str = Field(description="Jurisdiction code on county rows; empty otherwise.")
    activated_on: str = Field(description="First activation (YYYY-MM-DD); empty when none.")
    submissions: Cell
    matches: Cell
    matches_level_1: Cell
    matches_level_2_3: Cell
    matches_non_criminal: Cell
    book_ins: Cell
    book_ins_level_1: Cell
    book_ins_level_2: Cell
    book_ins_level_3: Cell
    book_ins_non_criminal: Cell
    removals: Cell
    removals_level_1: Cell
    removals_level_2: Cell
    removals_level_3: Cell
    removals_non_criminal: Cell
    match_rate: Share
    matches_level_1_share: Share
    book_ins_level_1_share: Share
    book_ins_non_criminal_share: Share
    removals_level_1_share: Share
    removals_non_criminal_share: Share


class InteroperabilityOut(BaseModel):
    """Cumulative from `start` through `through`; cells below the threshold are null (withheld)."""

    suppression_threshold: int | None
    start: str
    through: str
    state: str | None
    national: InteroperabilityRowOut
    states: list[InteroperabilityRowOut]
    counties: list[InteroperabilityRowOut]


class LevelCells(BaseModel):
    level_1: Cell
    level_2: Cell
    level_3: Cell
    non_criminal: Cell


class MonthOut(BaseModel):
    """One month (`YYYY-MM`, or `total` for the whole window): counts by their own event dates."""

    month: str
    submissions: Cell
    matches: Cell
    detainers: Cell
    book_ins: Cell
    removals: Cell
    matches_by_level: LevelCells
    detainers_by_level: LevelCells
    removals_by_level: LevelCells


class MonthlyOut(BaseModel):
    suppression_threshold: int | None
    start: str
    through: str
    state: str | None
    jurisdiction: str | None
    months: list[MonthOut] = Field(description="Contiguous, from the first to the last month with any event.")
    total: MonthOut


class TransparencyRowOut(BaseModel):
    """Transparency indicators of one jurisdiction and month (see scomm.stats.transparency)."""

    jurisdiction: str
    state: str
    county: str
    month: str
    detainers: Cell
    detainers_non_criminal: Cell
    detainers_level_1: Cell
    removals: Cell
    removals_non_criminal: Cell
    removals_level_1: Cell
    citizen_detainers: Cell
    holds_past_deadline: Cell
    matches: Cell
    traffic_only_matches: Cell
    detainers_non_criminal_share: Share
    detainers_level_1_share: Share
    removals_non_criminal_share: Share
    removals_level_1_share: Share
    traffic_only_share: Share
    declined: Cell
    declined_by_rule: dict[str, Cell]


class TransparencyOut(BaseModel):
    suppression_threshold: int | None
    rows: list[TransparencyRowOut]


class PolicyInfo(BaseModel):
    name: str
    jurisdiction: str
    label: str
    hold_hours: int


class WhatIfTallyOut(BaseModel):
    """Holds and counted hold-hours; hours are withheld with the booking count they describe."""

    bookings: Cell
    actual_holds: Cell
    alternative_holds: Cell
    actual_hours: float | None
    alternative_hours: float | None


class WhatIfFlipOut(BaseModel):
    tcn: str
    level: str
    pathway: str
    actual_policy: str
    actual_rule: str
    actual_hold: bool
    alternative_rule: str
    alternative_hold: bool


class WhatIfOut(BaseModel):
    """A re-decision of the jurisdiction's lodged detainers under another policy (scomm.stats.what_if)."""

    suppression_threshold: int | None
    jurisdiction: str
    alternative_policy: str
    start: str
    end: str
    actual_policies: list[str]
    total: WhatIfTallyOut
    by_level: dict[str, WhatIfTallyOut]
    by_criminality: dict[str, WhatIfTallyOut]
    no_release_recorded: Cell
    assumed_to_deadline: Cell
    flip_count: Cell
    flips: list[WhatIfFlipOut] | None = Field(description="The bookings whose decision differs: auditors only.")


class CallerOut(BaseModel):
    """Who the service takes the caller to be, and what that unlocks."""

    role: str
    name: str | None = Field(description="The API client's name; null for the public.")
    ori: str | None
    state: str | None
    ice_office: str | None
    capabilities: list[str]
    suppression_threshold: int | None


class TimelineStep(BaseModel):
    at: datetime
    step: str = Field(description="What happened, e.g. `received`, `response SRE`, `detain.lodge`.")
    detail: str
    source: Literal["booking", "response", "detainer", "decision", "audit"]


class BookingTimelineOut(BaseModel):
    """A booking's steps in time order, limited to what the caller's role may read."""

    transaction: TransactionStatus
    steps: list[TimelineStep]
