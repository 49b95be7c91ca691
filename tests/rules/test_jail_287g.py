from datetime import date

from .factories import enc, felony, misdemeanor, subject

from scomm.rules.facts import DetainerBasis
from scomm.rules.facts import EncounterKind as K
from scomm.rules.jail_287g import Agreement287g, screen_287g
from scomm.rules.levels import Level, classify
from scomm.rules.status import determine_status

MOA = Agreement287g("Example County Sheriff", signed=date(2009, 7, 1))


def screen(agreement=MOA, **kw):
    s = subject(**kw)
    return screen_287g(s, determine_status(s), classify(s), agreement)


def test_sentenced_removable_inmate_gets_officer_detainer():
    r = screen(convictions=(felony(sentence_days=400),), encounters=(enc(K.ENTRY_WITHOUT_INSPECTION),))
    assert (r.action, r.basis) == ("lodge", DetainerBasis.NOTICE_TO_APPEAR)
    assert "287(g)" in r.pathway


def test_unsentenced_arrestee_is_outside_the_jail_model():
    r = screen(encounters=(enc(K.ENTRY_WITHOUT_INSPECTION),))
    assert r.action == "no_action" and "sentenced" in r.reasons[0]


def test_no_moa_in_force():
    r = screen(Agreement287g("X", date(2013, 1, 1)), convictions=(felony(sentence_days=400),))
    assert r.action == "no_action" and "MOA" in r.reasons[0]


def test_citizen_evidence_goes_to_review():
    r = screen(pob="NY", claim="US", convictions=(felony(sentence_days=400),), encounters=(enc(K.PRIOR_REMOVAL),))
    assert r.action == "human_review"


def test_us_born_without_foreign_indication_is_not_screened():
    r = screen(pob="NY", claim=None, convictions=(felony(sentence_days=400),))
    assert r.action == "no_action" and "foreign birth" in r.reasons[0]


def test_moa_priority_levels():
    moa = Agreement287g("X", date(2009, 7, 1), priority_levels=(Level.LEVEL_1,))
    r = screen(moa, convictions=(misdemeanor(sentence_days=30),), encounters=(enc(K.VISA_OVERSTAY),))
    assert r.action == "no_action" and "level_3" in r.reasons[0]
