"""Named synthetic worlds, each configured to resemble a published setting.

A preset sets only the *population* and the stream: who is booked, with which records, where and when.
The statistics later reported are computed from what the pipeline does with those bookings; no figure
from the source is written into any report.

`boston_pilot()` — Suffolk County, Massachusetts, one of the first Secure Communities activations
(12 Nov 2008), as the seeds cite it: about one removal in four was a Level 1 offender and more than half
of those removed had no criminal conviction. The population below is tilted towards removable profiles
(people without status, overstays, prior removals) with thin rap sheets, and the prior offenses those
who do have convictions carry are weighted towards the aggravated felonies that make Level 1.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from scomm.sim.jurisdictions import DEFAULT_JURISDICTIONS
from scomm.sim.population import PopulationParameters
from scomm.sim.stream import StreamParameters
from scomm.sim.world import WorldParameters

BOSTON_PILOT_START = date(2008, 11, 12)  # Suffolk County activation (domain.md: approximate)
BOSTON_PILOT_END = date(2010, 12, 31)

BOSTON_POPULATION = PopulationParameters(
    profile_weights={
        "us_born": 0.14, "naturalized": 0.04, "derived_citizen": 0.01, "lpr": 0.06, "visa_overstay": 0.22,
        "entry_without_inspection": 0.30, "prior_removal": 0.12, "final_order": 0.05, "u_visa": 0.01,
        "tps": 0.02, "visa_holder": 0.01, "undocumented_unknown": 0.02},
    prior_record_rate={"us_born": 0.85, "default": 0.72},
    mean_prior_arrests=1.3,
    conviction_rate=0.65,
    history_end=BOSTON_PILOT_START,
    # Prior-record offenses: aggravated felonies (Level 1) heavier than in the national default mix.
    offense_weights={"1315": 5.0, "3532": 3.5, "1201": 2.0, "1111": 0.5, "0911": 0.3},
)


def boston_pilot(people: int = 400, bookings: int = 600, seed: int = 2008, workers: int = 0) -> WorldParameters:
    """The Boston pilot world: Suffolk County only, bookings from activation to the end of 2010."""
    suffolk = tuple(j for j in DEFAULT_JURISDICTIONS if j.code == "MA-SUFFOLK")
    stream = StreamParameters(bookings=bookings, start=BOSTON_PILOT_START, end=BOSTON_PILOT_END,
                              never_enrolled_share=0.1, repeat_share=0.02, sentenced_share=0.2,
                              ice_pickup_rate=0.9)
    return WorldParameters(seed=seed, people=people, population=BOSTON_POPULATION, stream=stream,
                           jurisdictions=suffolk, workers=workers)


BOSTON_PILOT: WorldParameters = boston_pilot()


def scaled(params: WorldParameters, people: int, bookings: int) -> WorldParameters:
    """The same world with another population and stream size."""
    return replace(params, people=people, stream=replace(params.stream, bookings=bookings))
