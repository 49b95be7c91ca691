from datetime import date

import pytest
from .factories import enc, felony, misdemeanor, subject

from scomm.errors import PolicyError
from scomm.rules.detainers import DetainerBasis as B
from scomm.rules.detainers import issuance_policy_for
from scomm.rules.facts import EncounterKind as K
from scomm.rules.levels import classify
from scomm.rules.status import determine_status

BEFORE = date(2011, 6, 1)
AFTER = date(2013, 6, 1)


def decide(on, **kw):
    s = subject(**kw)
    return issuance_policy_for(on).decide(s, determine_status(s), classify(s))


def test_policy_selection_by_booking_date():
    assert issuance_policy_for(date(2012, 12, 20)).spec.name == "ice_2011"
    assert issuance_policy_for(date(2012, 12, 21)).spec.name == "ice_2012_12"


def test_no_policy_before_secure_communities():
    with pytest.raises(PolicyError, match="no ICE issuance policy"):
        issuance_policy_for(date(2007, 1, 1))


@pytest.mark.parametrize("on", [BEFORE, AFTER])
def test_naturalized_citizen_goes_to_human_review_never_lodged(on):
    d = decide(on, encounters=(enc(K.NATURALIZATION),), convictions=(felony("0911"),))
    assert d.action == "human_review" and d.basis is None and d.rule_id == "safeguard-citizenship-evidence"


@pytest.mark.parametrize("on", [BEFORE, AFTER])
def test_us_claim_with_us_birth_goes_to_human_review(on):
    d = decide(on, pob="CA", claim="US", encounters=(enc(K.PRIOR_REMOVAL),), convictions=(felony(),))
    assert d.action == "human_review"


@pytest.mark.parametrize("on", [BEFORE, AFTER])
def test_crime_victim_flag_goes_to_human_review(on):
    d = decide(on, encounters=(enc(K.FINAL_ORDER),), convictions=(felony(),), crime_victim_indicated=True)
    assert (d.action, d.rule_id) == ("human_review", "safeguard-crime-victim")


@pytest.mark.parametrize("on", [BEFORE, AFTER])
def test_u_visa_holder_goes_to_human_review(on):
    d = decide(on, encounters=(enc(K.ENTRY_WITHOUT_INSPECTION, date(2001, 1, 1)), enc(K.CRIME_VICTIM_VISA)))
    assert d.action == "human_review"


@pytest.mark.parametrize("on", [BEFORE, AFTER])
@pytest.mark.parametrize("encounters", [(), (enc(K.LAWFUL_PERMANENT_RESIDENT),)])
def test_lawful_and_no_record_never_lodge(on, encounters):
    assert decide(on, encounters=encounters, convictions=(felony(),)).action == "no_action"


def test_2011_lodges_non_criminal_overstay():
    d = decide(BEFORE, encounters=(enc(K.VISA_OVERSTAY),))
    assert (d.action, d.basis) == ("lodge", B.NOTICE_TO_APPEAR)
    assert d.policy == "ice_2011 2011-06"


def test_2011_lodges_on_investigation_initiated_when_status_unclear():
    d = decide(BEFORE, encounters=(enc(K.BORDER_APPREHENSION),))
    assert (d.action, d.basis) == ("lodge", B.INVESTIGATION_INITIATED)


def test_2012_never_uses_investigation_initiated():
    d = decide(AFTER, encounters=(enc(K.BORDER_APPREHENSION),), convictions=(felony(),))
    assert d.action == "human_review" and d.basis is None


def test_2012_skips_non_priority_overstay():
    d = decide(AFTER, encounters=(enc(K.VISA_OVERSTAY),), convictions=(misdemeanor(),))
    assert (d.action, d.rule_id) == ("no_action", "not-a-priority")


@pytest.mark.parametrize(("kw", "rule"), [
    ({"convictions": (felony(),)}, "felony-conviction"),
    ({"convictions": (misdemeanor(), misdemeanor(), misdemeanor())}, "three-misdemeanors"),
    ({"convictions": (misdemeanor("5404"),)}, "significant-misdemeanor"),
    ({"convictions": (misdemeanor("1313"),)}, "significant-misdemeanor"),
    ({"gang_or_terror_watchlist": True}, "national-security"),
    ({"convictions": (misdemeanor("0302"),)}, "immigration-fraud"),
])
def test_2012_priority_categories(kw, rule):
    d = decide(AFTER, encounters=(enc(K.ENTRY_WITHOUT_INSPECTION),), **kw)
    assert (d.action, d.rule_id, d.basis) == ("lodge", rule, B.NOTICE_TO_APPEAR)


def test_2012_prior_removal_lodges_on_reinstatement():
    d = decide(AFTER, encounters=(enc(K.PRIOR_REMOVAL),))
    assert (d.action, d.rule_id, d.basis) == ("lodge", "prior-removal-order", B.REINSTATEMENT)


def test_final_order_basis():
    assert decide(AFTER, encounters=(enc(K.FINAL_ORDER),)).basis is B.FINAL_ORDER
