from datetime import date, datetime

import pytest
from .factories import BOOKED, charge, enc, felony, local, misdemeanor, subject

from scomm.errors import PolicyError
from scomm.rules.facts import EncounterKind as K
from scomm.rules.facts import OffenseClass
from scomm.rules.policies import FLAGS, list_policies, load_policy, policy_in_force

REQUIRED = {"honor_all", "reimbursement_required", "violent_convictions_only", "no_minors_no_nonconvicted",
            "cook_county_2011", "santa_clara_2011", "massachusetts_lunn_2017", "dc_2012", "nyc_2011"}


def hold(name, subj=None, **kw):
    return load_policy(name).evaluate(local(subj or subject(), **kw)).hold


def test_bundled_policies_load_and_cite_sources():
    policies = {p.name: p for p in list_policies()}
    assert REQUIRED <= set(policies)
    for p in policies.values():
        assert p.spec.source.citation and p.spec.source.url.startswith("http")


def test_unknown_policy_name():
    with pytest.raises(PolicyError, match="no policy named"):
        load_policy("atlantis_2099")


def test_no_detainer_means_nothing_to_honor():
    d = load_policy("honor_all").evaluate(local(subject(), basis=None))
    assert not d.hold.allowed and d.hold.rule_id == "no-detainer"
    assert d.ice_access.allowed


def test_honor_all_holds_and_gives_deadline():
    d = load_policy("honor_all").evaluate(local(subject(), release_time=datetime(2011, 12, 23, 17)))
    assert all(getattr(d, f).allowed for f in FLAGS)
    assert d.hold_hours == 48 and d.hold_until == datetime(2011, 12, 28, 17)


# --- generic policies -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("agreement", "allowed"), [(True, True), (False, False)])
def test_reimbursement_required(agreement, allowed):
    d = load_policy("reimbursement_required").evaluate(local(subject(), reimbursement_agreement=agreement))
    assert d.hold.allowed is allowed and d.notify.allowed is allowed and d.ice_access.allowed


@pytest.mark.parametrize(("age", "convictions", "allowed", "rule"), [
    (30, (misdemeanor("1313"),), True, "violent-conviction"),
    (30, (felony("2299"),), False, "otherwise"),
    (17, (felony("0911"),), False, "no-minors"),
    (30, (), False, "otherwise"),
])
def test_violent_convictions_only(age, convictions, allowed, rule):
    out = hold("violent_convictions_only", subject(age=age, convictions=convictions))
    assert (out.allowed, out.rule_id) == (allowed, rule)


@pytest.mark.parametrize(("age", "convictions", "allowed"), [
    (17, (felony(),), False), (18, (), False), (18, (misdemeanor(),), True), (18, (felony(juvenile=True),), False)])
def test_no_minors_no_nonconvicted(age, convictions, allowed):
    d = load_policy("no_minors_no_nonconvicted").evaluate(local(subject(age=age, convictions=convictions)))
    assert d.hold.allowed is allowed and d.notify.allowed is allowed


# --- Cook County 2011 ---------------------------------------------------------------------------------------

def test_cook_46_37_declines_every_detainer_without_reimbursement():
    d = load_policy("cook_county_2011").evaluate(local(subject(convictions=(felony("0911"),))))
    assert not d.hold.allowed and not d.transfer_in_facility.allowed
    assert "46-37" in d.hold.citation


def test_cook_46_37_honors_with_full_reimbursement():
    assert hold("cook_county_2011", reimbursement_agreement=True).allowed


def test_cook_46_37_no_release_dates_to_ice_even_if_reimbursed():
    d = load_policy("cook_county_2011").evaluate(local(subject(), reimbursement_agreement=True))
    assert not d.notify.allowed


def test_cook_46_37_no_ice_access_without_criminal_warrant():
    policy = load_policy("cook_county_2011")
    assert not policy.evaluate(local(subject())).ice_access.allowed
    assert policy.evaluate(local(subject(), judicial_warrant=True)).ice_access.allowed


# --- Santa Clara Board Policy 3.54 (2011) -----------------------------------------------------------------

def _sc(subj, r=True):
    return hold("santa_clara_2011", subj, reimbursement_agreement=r)


def test_santa_clara_3_54_homicide_regardless_of_date():
    out = _sc(subject(convictions=(felony("0911", date(1980, 1, 1)),)))
    assert (out.allowed, out.rule_id) == (True, "3.54-homicide")


def test_santa_clara_3_54_requires_reimbursement_even_for_homicide():
    out = _sc(subject(convictions=(felony("0911"),)), r=False)
    assert (out.allowed, out.rule_id) == (False, "3.54-reimbursement")


def test_santa_clara_3_54_no_juveniles():
    assert _sc(subject(age=17, convictions=(felony("0911"),))).rule_id == "3.54-no-juveniles"


@pytest.mark.parametrize(("convicted", "released", "allowed"), [
    (date(2002, 3, 14), None, True),              # exactly 10 years before booking
    (date(2002, 3, 13), None, False),             # a day older
    (date(1995, 1, 1), date(2007, 3, 14), True),  # released exactly 5 years before booking
    (date(1995, 1, 1), date(2007, 3, 13), False),
])
def test_santa_clara_3_54_b_ten_years_or_five_since_release_whichever_later(convicted, released, allowed):
    assert _sc(subject(convictions=(felony("1201", convicted, release_date=released),))).allowed is allowed


def test_santa_clara_3_54_a_in_custody_on_serious_felony():
    c = felony("1201", date(1990, 1, 1), release_date=date(2015, 1, 1))
    assert _sc(subject(convictions=(c,))).rule_id == "3.54-a-in-custody"


def test_santa_clara_3_54_serious_misdemeanor_does_not_qualify():
    assert not _sc(subject(convictions=(misdemeanor("1201"),))).allowed


def test_santa_clara_3_54_holds_at_most_24_hours():
    assert load_policy("santa_clara_2011").spec.hold_hours == 24


# --- Massachusetts after Lunn (2017) ------------------------------------------------------------------------

def test_lunn_no_hold_past_release_but_notify_allowed():
    s = subject(booked=datetime(2018, 1, 5, 9), convictions=(felony("0911"),))
    d = load_policy("massachusetts_lunn_2017").evaluate(local(s, reimbursement_agreement=True))
    assert not d.hold.allowed and d.notify.allowed and d.hold_until is None


# --- Washington DC 2012 -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("age", "convictions", "r", "rule", "allowed"), [
    (30, (felony("0911", date(1970, 1, 1)),), True, "dc-homicide", True),
    (17, (felony("0911"),), True, "dc-adults-only", False),
    (30, (felony("1201"),), False, "dc-reimbursement", False),
    (30, (felony("1201", date(2005, 1, 1)),), True, "dc-dangerous-or-violent", True),
    (30, (felony("1201", date(1990, 1, 1)),), True, "otherwise", False),
    (30, (felony("2399"),), True, "otherwise", False),
])
def test_dc_2012_adults_convicted_of_dangerous_or_violent_crimes(age, convictions, r, rule, allowed):
    out = hold("dc_2012", subject(age=age, convictions=convictions), reimbursement_agreement=r)
    assert (out.rule_id, out.allowed) == (rule, allowed)


# --- New York City Local Law 62 of 2011 ---------------------------------------------------------------------

@pytest.mark.parametrize(("kw", "rule"), [
    ({"convictions": (misdemeanor(),)}, "9-131-conviction"),
    ({"charges": (charge(cls=OffenseClass.MISDEMEANOR),)}, "9-131-pending-case"),
    ({"outstanding_criminal_warrant": True}, "9-131-warrant"),
    ({"encounters": (enc(K.PRIOR_REMOVAL),)}, "9-131-removal-order"),
    ({"gang_or_terror_watchlist": True}, "9-131-watchlist"),
])
def test_nyc_ll62_2011_exceptions_honor(kw, rule):
    d = load_policy("nyc_2011").evaluate(local(subject(**kw)))
    assert d.hold.allowed and d.hold.rule_id == rule and d.notify.allowed


def test_nyc_ll62_2011_declines_when_no_exception_applies():
    d = load_policy("nyc_2011").evaluate(local(subject(encounters=(enc(K.VISA_OVERSTAY),))))
    assert not d.hold.allowed and not d.notify.allowed and not d.transfer_in_facility.allowed


# --- versions ----------------------------------------------------------------------------------------------

def test_policy_in_force_picks_the_version():
    nyc = [p for p in list_policies() if p.jurisdiction == "new_york_city"]
    assert policy_in_force(nyc, date(2012, 6, 1)).name == "nyc_2011"
    with pytest.raises(PolicyError):
        policy_in_force(nyc, date(2010, 1, 1))


def test_explain_names_every_rule():
    text = load_policy("santa_clara_2011").explain()
    assert "3.54-homicide" in text and "ALLOW" in text and "otherwise: DENY" in text


def test_booking_fixture_date():
    assert BOOKED.date() == date(2012, 3, 14)
