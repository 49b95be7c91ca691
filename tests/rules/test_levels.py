from datetime import date

import pytest
from .factories import charge, conviction, felony, misdemeanor, subject

from scomm.rules.facts import OffenseClass
from scomm.rules.levels import Level, LevelDefinition, classify

OLD = LevelDefinition.OFFENSE_CATEGORY_2008


def level(*convictions, definition=LevelDefinition.CONVICTION_2010, **kw):
    return classify(subject(convictions=convictions, **kw), definition).level


# --- 2010 conviction/sentence definition --------------------------------------------------------------

def test_no_conviction_is_non_criminal():
    result = classify(subject())
    assert result.level is Level.NON_CRIMINAL and result.mscc is None


def test_aggravated_felony_is_level_1_even_if_misdemeanor_class():
    assert level(misdemeanor(aggravated_felony=True)) is Level.LEVEL_1


def test_two_convictions_punishable_over_one_year_is_level_1():
    assert level(conviction(max_days=366), conviction(max_days=366)) is Level.LEVEL_1


def test_one_conviction_punishable_over_one_year_is_level_2():
    assert level(conviction(max_days=366)) is Level.LEVEL_2


def test_365_days_is_not_more_than_a_year():
    assert level(conviction(max_days=365), conviction(max_days=365)) is Level.LEVEL_3


def test_any_felony_is_level_2():
    assert level(felony(max_days=None)) is Level.LEVEL_2


def test_three_short_convictions_is_level_2_two_is_level_3():
    assert level(*[misdemeanor()] * 3) is Level.LEVEL_2
    assert level(*[misdemeanor()] * 2) is Level.LEVEL_3


def test_juvenile_adjudications_and_infractions_are_not_convictions():
    assert level(felony(juvenile=True), conviction(cls=OffenseClass.INFRACTION, max_days=0)) is Level.NON_CRIMINAL


def test_mscc_is_the_most_serious_conviction():
    f = felony("1201")
    result = classify(subject(convictions=(misdemeanor(), f, misdemeanor())))
    assert result.mscc == f


# --- 2008 offense-category definition (unverified table) ------------------------------------------------

@pytest.mark.parametrize(("code", "expected"), [
    ("0911", Level.LEVEL_1), ("1099", Level.LEVEL_1), ("5401", Level.LEVEL_1), ("1602", Level.LEVEL_1),
    ("2201", Level.LEVEL_2), ("5404", Level.LEVEL_2), ("6399", Level.LEVEL_2),
    ("0301", Level.LEVEL_3), ("7399", Level.LEVEL_3), ("0899", Level.LEVEL_3),
])
def test_2008_ncic_range_boundaries(code, expected):
    assert level(misdemeanor(code), definition=OLD) is expected


def test_2008_drugs_split_on_one_year():
    assert level(conviction("3562", max_days=366), definition=OLD) is Level.LEVEL_1
    assert level(conviction("3562", max_days=365), definition=OLD) is Level.LEVEL_2


def test_2008_counts_pending_charges():
    s = subject(charges=(charge("0911", OffenseClass.FELONY),))
    result = classify(s, OLD)
    assert result.level is Level.LEVEL_1 and result.mscc is None
    assert "charge" in result.reason


def test_2008_most_serious_offense_wins():
    assert level(misdemeanor("7399"), misdemeanor("2299"), misdemeanor("1201"), definition=OLD) is Level.LEVEL_1


def test_2008_nothing_is_non_criminal():
    assert classify(subject(), OLD).level is Level.NON_CRIMINAL


def test_definitions_disagree_on_charge_only_subject():
    s = subject(charges=(charge("1201", OffenseClass.FELONY, date(2012, 3, 1)),))
    assert classify(s, OLD).level is Level.LEVEL_1
    assert classify(s).level is Level.NON_CRIMINAL
