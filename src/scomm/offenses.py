"""The statute table: NCIC offense codes with their class and maximum punishment.

Booking submissions carry only an NCIC code and a literal; the class and exposure of a charge come
from this table. The synthetic world draws its charges from it too.

The NCIC codes are the standard offense codes; the sentence exposures are typical US values chosen
for the simulation, not the law of any one state.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Offense:
    ncic_code: str
    literal: str
    offense_class: str  # felony / misdemeanor / infraction
    max_sentence_days: int  # maximum punishment, which the 2010+ levels look at
    aggravated_felony: bool = False
    weight: float = 1.0  # relative frequency among arrests


OFFENSES: tuple[Offense, ...] = (
    Offense("0911", "HOMICIDE-WILLFUL KILL-NONFAMILY-GUN", "felony", 36500, True, 0.15),
    Offense("1099", "KIDNAPPING", "felony", 7300, True, 0.1),
    Offense("1111", "SEXUAL ASSAULT-RAPE", "felony", 9125, True, 0.15),
    Offense("1201", "ROBBERY-BUSINESS-GUN", "felony", 5475, True, 0.4),
    Offense("1315", "AGGRAVATED ASSAULT-WEAPON", "felony", 3650, True, 0.6),
    Offense("1313", "SIMPLE ASSAULT", "misdemeanor", 365, False, 1.6),
    Offense("1316", "INTIMIDATION", "misdemeanor", 365, False, 0.3),
    Offense("2202", "BURGLARY-FORCED ENTRY-RESIDENCE", "felony", 3650, False, 0.6),
    Offense("2303", "SHOPLIFTING", "misdemeanor", 180, False, 1.6),
    Offense("2399", "LARCENY", "misdemeanor", 365, False, 0.8),
    Offense("2404", "THEFT OF VEHICLE", "felony", 1825, False, 0.3),
    Offense("2589", "FORGERY", "felony", 1825, False, 0.2),
    Offense("2699", "FRAUD", "felony", 1825, False, 0.3),
    Offense("2999", "DAMAGE PROPERTY", "misdemeanor", 365, False, 0.5),
    Offense("3532", "COCAINE-DISTRIBUTE", "felony", 3650, True, 0.4),
    Offense("3562", "MARIJUANA-POSSESS", "misdemeanor", 180, False, 1.2),
    Offense("3599", "DANGEROUS DRUGS", "felony", 1095, False, 0.4),
    Offense("3611", "SEX OFFENSE-INDECENT EXPOSURE", "misdemeanor", 365, False, 0.1),
    Offense("3801", "NEGLECT FAMILY", "misdemeanor", 365, False, 0.2),
    Offense("4801", "RESISTING OFFICER", "misdemeanor", 365, False, 0.5),
    Offense("5212", "WEAPON-CARRYING CONCEALED", "felony", 1825, False, 0.3),
    Offense("5401", "HIT AND RUN", "misdemeanor", 365, False, 0.3),
    Offense("5403", "DRIVING UNDER INFLUENCE-DRUGS", "misdemeanor", 365, False, 0.3),
    Offense("5404", "DRIVING UNDER INFLUENCE-LIQUOR", "misdemeanor", 365, False, 1.4),
    Offense("5499", "TRAFFIC OFFENSE", "misdemeanor", 90, False, 2.4),
    Offense("5707", "TRESPASSING", "misdemeanor", 90, False, 0.6),
    Offense("7399", "PUBLIC PEACE", "misdemeanor", 90, False, 1.0),
    Offense("0399", "IMMIGRATION", "misdemeanor", 180, False, 0.1),
)

BY_CODE: dict[str, Offense] = {o.ncic_code: o for o in OFFENSES}
