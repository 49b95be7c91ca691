"""Clause tables for the policies beyond the required set (domain.md §5)."""

from datetime import date, datetime

import pytest
from .factories import charge, enc, felony, local, misdemeanor, subject

from scomm.rules.facts import EncounterKind as K
from scomm.rules.facts import OffenseClass
from scomm.rules.policies import list_policies, load_policy, policy_in_force

IN_2014 = datetime(2014, 6, 2, 9)
IN_2015 = datetime(2015, 6, 2, 9)


def hold(name, booked=IN_2014, **kw):
    facts = {k: kw.pop(k) for k in ("reimbursement_agreement", "judicial_warrant") if k in kw}
    return load_policy(name).evaluate(local(subject(booked=booked, **kw), **facts)).hold


@pytest.mark.parametrize(("on", "name"), [(date(2012, 1, 1), "nyc_2011"), (date(2013, 3, 18), "nyc_2013"),
                                          (date(2014, 12, 13), "nyc_2013"), (date(2014, 12, 14), "nyc_2014")])
def test_nyc_versions_by_date(on, name):
    nyc = [p for p in list_policies() if p.jurisdiction == "new_york_city"]
    assert policy_in_force(nyc, on).name == name


def test_nyc_2013_old_misdemeanor_ignored_without_felony():
    assert not hold("nyc_2013", convictions=(misdemeanor(on=date(2003, 1, 1)),)).allowed
    assert hold("nyc_2013", convictions=(misdemeanor(on=date(2005, 1, 1)),)).allowed


def test_nyc_2013_juvenile_adjudication_does_not_count():
    assert not hold("nyc_2013", convictions=(felony(juvenile=True),)).allowed


def test_nyc_2014_needs_judicial_warrant_and_recent_violent_conviction():
    recent = (felony("1201", date(2012, 1, 1)),)
    assert hold("nyc_2014", booked=IN_2015, convictions=recent).rule_id == "9-131-judicial-warrant"
    assert hold("nyc_2014", booked=IN_2015, convictions=recent, judicial_warrant=True).allowed
    old = (felony("1201", date(2008, 1, 1)),)
    assert not hold("nyc_2014", booked=IN_2015, convictions=old, judicial_warrant=True).allowed


def test_nyc_2014_no_ice_office_on_rikers():
    s = subject(booked=IN_2015)
    assert not load_policy("nyc_2014").evaluate(local(s, judicial_warrant=True)).ice_access.allowed


@pytest.mark.parametrize(("kw", "allowed"), [
    ({"convictions": (felony("1201"),)}, True),
    ({"convictions": (misdemeanor("5404", on=date(2010, 1, 1)), misdemeanor("5404", on=date(2012, 1, 1)))}, True),
    ({"convictions": (misdemeanor("5404"),)}, False),
    ({"charges": (charge("1201", OffenseClass.FELONY),)}, False),     # charged, not convicted
    ({"convictions": (felony("1201", date(2000, 1, 1)),)}, False),   # older than 10 years
    ({"age": 17, "convictions": (felony("1201"),)}, False),
])
def test_king_county_17706_convicted_of_listed_offense_within_10_years(kw, allowed):
    assert hold("king_county_2013", **kw).allowed is allowed


def test_king_county_17886_judicial_warrant_only():
    assert not hold("king_county_2014", booked=IN_2015, convictions=(felony("0911"),)).allowed
    assert hold("king_county_2014", booked=IN_2015, judicial_warrant=True).allowed


@pytest.mark.parametrize(("kw", "allowed"), [
    ({"convictions": (misdemeanor("5499"),)}, False),   # traffic misdemeanor
    ({"convictions": (misdemeanor("2399"),)}, True),
    ({"charges": (charge(),)}, True), ({"outstanding_criminal_warrant": True}, True), ({}, False)])
def test_milwaukee_2012_non_traffic_misdemeanor(kw, allowed):
    assert hold("milwaukee_2012", booked=datetime(2013, 1, 7), **kw).allowed is allowed


def test_miami_dade_r_1008_13_no_agreement_no_hold_no_notification():
    d = load_policy("miami_dade_2013").evaluate(local(subject(booked=IN_2014, convictions=(felony(),))))
    assert not d.hold.allowed and not d.notify.allowed


def test_miami_dade_r_1008_13_felon_with_agreement():
    assert hold("miami_dade_2013", convictions=(felony(),), reimbursement_agreement=True).allowed
    assert not hold("miami_dade_2013", convictions=(misdemeanor(),), reimbursement_agreement=True).allowed


@pytest.mark.parametrize(("kw", "rule"), [
    ({"convictions": (felony("1201", date(1995, 1, 1)),)}, "7282.5(a)(1)-serious-violent"),
    ({"convictions": (felony("2399", date(2011, 1, 1)),)}, "7282.5(a)(2)-state-prison"),
    ({"convictions": (misdemeanor("2399", aggravated_felony=True),)}, "7282.5(a)(5)-aggravated-felony"),
    ({"charges": (charge("1201", OffenseClass.FELONY),)}, "7282.5(b)-probable-cause"),
    ({"convictions": (misdemeanor("1313"),)}, "otherwise"),
])
def test_california_trust_act_7282_5(kw, rule):
    assert hold("california_trust_2014", **kw).rule_id == rule


@pytest.mark.parametrize(("kw", "allowed"), [
    ({"convictions": (felony(),)}, True), ({"convictions": (misdemeanor(),)}, False),
    ({"encounters": (enc(K.FINAL_ORDER),)}, True), ({"charges": (charge(),)}, True)])
def test_connecticut_54_192h_exceptions(kw, allowed):
    assert hold("connecticut_trust_2014", **kw).allowed is allowed


def test_newark_declines_even_for_serious_convictions():
    assert not hold("newark_2013", convictions=(felony("0911"),)).allowed
