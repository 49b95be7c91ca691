"""The jurisdictions of the default synthetic world: real places, with their real policy history.

Activation dates are approximate (domain.md marks most as unverified); they are data, not logic,
and a different world can pass its own list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class AgencySpec:
    ori: str
    name: str


@dataclass(frozen=True)
class JurisdictionSpec:
    code: str
    name: str
    state: str
    county: str
    activated_on: date | None
    policy_names: tuple[str, ...]  # local policy files; the one in force on the booking date applies
    agencies: tuple[AgencySpec, ...]
    state_signed_moa: bool = True
    reimbursement_agreement: bool = False
    ice_office: str = ""
    weight: float = 1.0  # share of the booking stream


DEFAULT_JURISDICTIONS: tuple[JurisdictionSpec, ...] = (
    JurisdictionSpec(
        "MA-SUFFOLK", "Suffolk County (Boston)", "MA", "Suffolk", date(2008, 11, 12),
        ("honor_all", "massachusetts_lunn_2017"),
        (AgencySpec("MA0130100", "Boston Police Department"), AgencySpec("MA013015C", "Suffolk County Sheriff")),
        state_signed_moa=False, ice_office="ERO Boston", weight=1.4),
    JurisdictionSpec(
        "IL-COOK", "Cook County", "IL", "Cook", date(2009, 12, 8), ("honor_all", "cook_county_2011"),
        (AgencySpec("IL0160000", "Cook County Sheriff"), AgencySpec("IL0161600", "Chicago Police Department")),
        ice_office="ERO Chicago", weight=1.2),
    JurisdictionSpec(
        "CA-SANTACLARA", "Santa Clara County", "CA", "Santa Clara", date(2010, 5, 11),
        ("honor_all", "santa_clara_2011"),
        (AgencySpec("CA0430000", "Santa Clara County Sheriff"), AgencySpec("CA0431100", "San Jose Police Department")),
        ice_office="ERO San Francisco", weight=1.0),
    JurisdictionSpec(
        "TX-HARRIS", "Harris County", "TX", "Harris", date(2008, 10, 27), ("honor_all",),
        (AgencySpec("TX1010000", "Harris County Sheriff"), AgencySpec("TX1010200", "Houston Police Department")),
        ice_office="ERO Houston", weight=1.4),
    JurisdictionSpec(
        "DC-DC", "District of Columbia", "DC", "District of Columbia", date(2010, 6, 15), ("honor_all", "dc_2012"),
        (AgencySpec("DCMPD0000", "Metropolitan Police Department"), AgencySpec("DCDOC0000", "DC Department of Corrections")),
        ice_office="ERO Washington", weight=0.7),
    JurisdictionSpec(
        "NY-NYC", "New York City", "NY", "New York", date(2012, 5, 15), ("honor_all", "nyc_2011"),
        (AgencySpec("NY0303000", "New York City Police Department"), AgencySpec("NY030015C", "NYC Department of Correction")),
        ice_office="ERO New York", weight=1.0),
)
