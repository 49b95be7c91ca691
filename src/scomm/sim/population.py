"""Synthetic people: who they are, where they were born, their rap sheets and immigration histories.

The mix of profiles is set by `PopulationParameters`; the statistics scomm later reports are computed
from the records the pipeline produces for these people, never written in directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from scomm.sim.names import synthetic_name
from scomm.offenses import OFFENSES, Offense

US_STATES = ("MA", "IL", "CA", "TX", "NY", "DC", "FL", "AZ", "WA", "GA")
# NCIC country codes (EBTS POB/CTZ code tables) for places of birth outside the US: Mexico, Guatemala,
# El Salvador, Honduras, Dominican Republic, Cuba, Peru, Ecuador, Philippines, Vietnam, India, China,
# Poland, Italy, Nigeria, Ghana, Brazil.
FOREIGN = ("MM", "GT", "EL", "HD", "DR", "CC", "PU", "EU", "PI", "RV", "II", "RC", "PO", "IT", "NG", "GG", "BZ")

PROFILES = ("us_born", "naturalized", "derived_citizen", "lpr", "visa_overstay", "entry_without_inspection",
            "prior_removal", "final_order", "u_visa", "tps", "visa_holder", "undocumented_unknown")


@dataclass(frozen=True)
class PopulationParameters:
    """Shares of each immigration profile, and how often people carry criminal records."""

    profile_weights: dict[str, float] = field(default_factory=lambda: {
        "us_born": 0.40, "naturalized": 0.07, "derived_citizen": 0.02, "lpr": 0.10, "visa_overstay": 0.10,
        "entry_without_inspection": 0.12, "prior_removal": 0.07, "final_order": 0.03, "u_visa": 0.02,
        "tps": 0.02, "visa_holder": 0.02, "undocumented_unknown": 0.03})
    # Probability that a person already has a rap sheet before the booking stream starts.
    prior_record_rate: dict[str, float] = field(default_factory=lambda: {"us_born": 0.85, "default": 0.45})
    mean_prior_arrests: float = 1.8
    conviction_rate: float = 0.6
    earliest_birth: date = date(1950, 1, 1)
    latest_birth: date = date(1996, 12, 31)
    history_start: date = date(1995, 1, 1)
    history_end: date = date(2011, 5, 31)
    # Relative weights of prior-record offenses by NCIC code, overriding the statute table's own weights
    # (`Offense.weight`) for the codes listed; empty = the table's weights. Booking charges are unaffected.
    offense_weights: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class SyntheticCharge:
    offense: Offense
    disposition: str  # convicted / dismissed / pending
    disposition_date: date | None
    sentence_days: int | None


@dataclass(frozen=True)
class SyntheticArrest:
    date: date
    charges: tuple[SyntheticCharge, ...]


@dataclass(frozen=True)
class SyntheticEncounter:
    kind: str  # an EncounterKind value of scomm.rules
    date: date
    detail: str = ""


@dataclass(frozen=True)
class SyntheticPerson:
    key: str
    seed: int
    name: str
    dob: date
    sex: str
    race: str
    pob: str
    citizenship: str
    profile: str
    arrests: tuple[SyntheticArrest, ...]
    encounters: tuple[SyntheticEncounter, ...]

    @property
    def in_criminal_repository(self) -> bool:
        return bool(self.arrests)

    @property
    def in_immigration_repository(self) -> bool:
        return bool(self.encounters)

    @property
    def foreign_born(self) -> bool:
        return self.pob not in US_STATES and self.pob != "US"


def _random_date(rng: np.random.Generator, start: date, end: date) -> date:
    span = max((end - start).days, 1)
    return start + timedelta(days=int(rng.integers(span)))


def draw_offense(rng: np.random.Generator, overrides: dict[str, float] | None = None) -> Offense:
    """An offense drawn by weight; `overrides` replaces the weight of the NCIC codes it lists."""
    table = overrides or {}
    weights = np.array([table.get(o.ncic_code, o.weight) for o in OFFENSES])
    return OFFENSES[int(rng.choice(len(OFFENSES), p=weights / weights.sum()))]


def _charge(rng: np.random.Generator, arrested: date, p: PopulationParameters) -> SyntheticCharge:
    offense = draw_offense(rng, p.offense_weights)
    if rng.random() < p.conviction_rate:
        when = arrested + timedelta(days=int(rng.integers(20, 240)))
        sentence = int(min(offense.max_sentence_days, rng.integers(1, max(offense.max_sentence_days // 3, 2))))
        return SyntheticCharge(offense, "convicted", when, sentence)
    return SyntheticCharge(offense, "dismissed", arrested + timedelta(days=int(rng.integers(5, 120))), None)


def _arrests(rng: np.random.Generator, dob: date, p: PopulationParameters) -> tuple[SyntheticArrest, ...]:
    count = 1 + int(rng.poisson(max(p.mean_prior_arrests - 1.0, 0.0)))
    adult = max(date(dob.year + 18, dob.month, min(dob.day, 28)), p.history_start)
    if adult >= p.history_end:
        return ()
    dates = sorted(_random_date(rng, adult, p.history_end) for _ in range(count))
    return tuple(SyntheticArrest(d, tuple(_charge(rng, d, p) for _ in range(1 + int(rng.random() < 0.3))))
                 for d in dates)


def _encounters(rng: np.random.Generator, profile: str, dob: date, p: PopulationParameters
                ) -> tuple[SyntheticEncounter, ...]:
    arrival = _random_date(rng, max(date(dob.year + 16, 1, 1), date(1990, 1, 1)), date(2010, 12, 31))
    later = lambda years: arrival + timedelta(days=int(365 * years + rng.integers(0, 300)))  # noqa: E731
    E = SyntheticEncounter
    match profile:
        case "naturalized":
            return (E("lawful_permanent_resident", arrival), E("naturalization", later(5)))
        case "derived_citizen":
            return (E("lawful_permanent_resident", arrival, "admitted as a child"),
                    E("derived_citizenship", later(3), "parent naturalized before 18"))
        case "lpr":
            return (E("visa_issued", arrival), E("lawful_permanent_resident", later(1)))
        case "visa_overstay":
            return (E("visa_issued", arrival, "B-2 visitor"), E("visa_overstay", later(0.6)))
        case "entry_without_inspection":
            return (E("border_apprehension", arrival, "voluntary return"),
                    E("entry_without_inspection", later(0.3)))
        case "prior_removal":
            return (E("border_apprehension", arrival), E("prior_removal", later(1)))
        case "final_order":
            return (E("visa_issued", arrival), E("visa_overstay", later(1)), E("final_order", later(3)))
        case "u_visa":
            return (E("entry_without_inspection", arrival), E("crime_victim_visa", later(2), "U-1"))
        case "tps":
            return (E("entry_without_inspection", arrival), E("temporary_protected_status", later(1)))
        case "visa_holder":
            return (E("visa_issued", arrival, "H-1B"),)
    return ()


def make_person(index: int, world_seed: int, params: PopulationParameters = PopulationParameters(),
                profile: str | None = None) -> SyntheticPerson:
    """One person, fully determined by (world seed, index) so the world can be rebuilt exactly."""
    seed = int(np.random.SeedSequence([world_seed, index]).generate_state(1)[0])
    rng = np.random.default_rng(seed)
    if profile is None:
        names, weights = zip(*params.profile_weights.items(), strict=True)
        w = np.array(weights, dtype=float)
        profile = names[int(rng.choice(len(names), p=w / w.sum()))]
    sex = "M" if rng.random() < 0.82 else "F"  # arrestees are mostly men
    dob = _random_date(rng, params.earliest_birth, params.latest_birth)
    born_here = profile == "us_born"
    pob = US_STATES[rng.integers(len(US_STATES))] if born_here else FOREIGN[rng.integers(len(FOREIGN))]
    citizen = profile in ("us_born", "naturalized", "derived_citizen")
    record_rate = params.prior_record_rate.get(profile, params.prior_record_rate["default"])
    arrests = _arrests(rng, dob, params) if rng.random() < record_rate else ()
    return SyntheticPerson(
        key=f"P{index:06d}", seed=seed, name=synthetic_name(rng, sex), dob=dob, sex=sex,
        race="WBAI"[int(rng.integers(4))], pob=pob, citizenship="US" if citizen else pob, profile=profile,
        arrests=arrests, encounters=_encounters(rng, profile, dob, params))


def make_unenrolled_person(index: int, world_seed: int, params: PopulationParameters = PopulationParameters()
                           ) -> SyntheticPerson:
    """A first-time arrestee unknown to both repositories (a citizen, or someone never encountered by DHS)."""
    rng = np.random.default_rng([world_seed, index, 99])
    profile = "us_born" if rng.random() < 0.7 else "undocumented_unknown"
    person = make_person(index, world_seed, params, profile=profile)
    return SyntheticPerson(**{**person.__dict__, "arrests": (), "encounters": ()})
