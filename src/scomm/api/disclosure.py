"""Who sees which cells: the suppression threshold of a caller, and records with small cells withheld.

The statistics modules mark a withheld count with the string "<10" (their CSV and HTML renderings print
it); the API answers null instead, so every count field stays `int | null` in the OpenAPI schema.
"""

from __future__ import annotations

from collections.abc import Mapping

from scomm.api.principal import Capability, Principal
from scomm.api.service import ApiService
from scomm.stats.disclosure import SUPPRESSED, suppress_record


def threshold_for(principal: Principal, service: ApiService) -> int | None:
    """None (every cell shown) for callers who may see unsuppressed statistics; the public threshold else."""
    return None if principal.may(Capability.UNSUPPRESSED_STATISTICS) else service.settings.suppress_below


def as_cells(value: object) -> object:
    """The statistics modules' "<10" marker as null, through nested dicts."""
    if isinstance(value, dict):
        return {k: as_cells(v) for k, v in value.items()}
    return None if value == SUPPRESSED else value


def disclose(record: Mapping[str, object], shares: Mapping[str, tuple[str, str]],
             threshold: int | None) -> dict[str, object]:
    """A flat statistics record as this caller may see it: counts and the shares built on them."""
    if threshold is None:
        return dict(record)
    return {k: as_cells(v) for k, v in suppress_record(record, shares, threshold).items()}
