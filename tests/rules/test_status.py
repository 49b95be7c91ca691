from datetime import date

from .factories import enc, felony, misdemeanor, subject

from scomm.rules.facts import EncounterKind as K
from scomm.rules.status import IARStatus as S
from scomm.rules.status import determine_status


def status(**kw):
    return determine_status(subject(**kw))


def test_no_encounters_is_no_record():
    d = status(convictions=(felony(),))
    assert d.status is S.NO_RECORD and not d.citizenship_evidence


def test_naturalized_is_usc_with_citizenship_evidence():
    d = status(encounters=(enc(K.LAWFUL_PERMANENT_RESIDENT, date(2000, 1, 1)), enc(K.NATURALIZATION, date(2006, 1, 1))),
               convictions=(felony("0911"),))
    assert d.status is S.USC_NATURALIZED and d.citizenship_evidence


def test_derived_citizenship_is_usc_derived():
    assert status(encounters=(enc(K.DERIVED_CITIZENSHIP),)).status is S.USC_DERIVED


def test_removal_order_after_naturalization_is_conflicting():
    d = status(encounters=(enc(K.NATURALIZATION, date(2006, 1, 1)), enc(K.FINAL_ORDER, date(2009, 1, 1))))
    assert d.status is S.FURTHER_INVESTIGATION and "conflicting" in d.reasons[0]


def test_lpr_without_qualifying_conviction_is_lawful():
    d = status(encounters=(enc(K.LAWFUL_PERMANENT_RESIDENT, date(2000, 1, 1)),),
               convictions=(misdemeanor("5499", date(2010, 1, 1)),))
    assert d.status is S.LAWFUL_STATUS_NOT_REMOVABLE


def test_lpr_with_aggravated_felony_is_removable_by_conviction():
    d = status(encounters=(enc(K.LAWFUL_PERMANENT_RESIDENT, date(2000, 1, 1)),),
               convictions=(felony("1201", aggravated_felony=True),))
    assert d.status is S.LPR_REMOVABLE_BY_CONVICTION
    assert any("aggravated felony" in r for r in d.reasons)


def test_lpr_with_drug_conviction_is_removable_by_conviction():
    d = status(encounters=(enc(K.LAWFUL_PERMANENT_RESIDENT, date(2000, 1, 1)),), convictions=(misdemeanor("3562"),))
    assert d.status is S.LPR_REMOVABLE_BY_CONVICTION


def test_lpr_single_cimt_counts_only_within_five_years_of_admission():
    admitted = (enc(K.LAWFUL_PERMANENT_RESIDENT, date(2000, 1, 1)),)
    early = felony("2699", date(2004, 12, 31))
    late = felony("2699", date(2005, 1, 2))
    assert status(encounters=admitted, convictions=(early,)).status is S.LPR_REMOVABLE_BY_CONVICTION
    assert status(encounters=admitted, convictions=(late,)).status is S.LAWFUL_STATUS_NOT_REMOVABLE


def test_lpr_two_cimts_at_any_time():
    d = status(encounters=(enc(K.LAWFUL_PERMANENT_RESIDENT, date(2000, 1, 1)),),
               convictions=(misdemeanor("2399", date(2009, 1, 1)), misdemeanor("2399", date(2011, 1, 1))))
    assert d.status is S.LPR_REMOVABLE_BY_CONVICTION


def test_overstay_is_removable_noncriminal():
    d = status(encounters=(enc(K.VISA_ISSUED, date(2005, 1, 1)), enc(K.VISA_OVERSTAY, date(2005, 7, 1))))
    assert d.status is S.REMOVABLE_NONCRIMINAL


def test_ewi_with_conviction_is_removable_criminal():
    assert status(encounters=(enc(K.ENTRY_WITHOUT_INSPECTION),), convictions=(misdemeanor(),)).status \
        is S.REMOVABLE_CRIMINAL


def test_prior_removal_and_final_order_are_removable():
    assert status(encounters=(enc(K.PRIOR_REMOVAL),)).status is S.REMOVABLE_NONCRIMINAL
    assert status(encounters=(enc(K.FINAL_ORDER),)).status is S.REMOVABLE_NONCRIMINAL


def test_tps_after_ewi_is_lawful():
    d = status(encounters=(enc(K.ENTRY_WITHOUT_INSPECTION, date(2000, 1, 1)),
                           enc(K.TEMPORARY_PROTECTED_STATUS, date(2001, 3, 9))))
    assert d.status is S.LAWFUL_STATUS_NOT_REMOVABLE


def test_border_apprehension_alone_is_thin():
    assert status(encounters=(enc(K.BORDER_APPREHENSION),)).status is S.FURTHER_INVESTIGATION


def test_pending_asylum_alone_is_thin():
    assert status(encounters=(enc(K.ASYLUM_APPLICATION),)).status is S.FURTHER_INVESTIGATION


def test_us_born_claim_with_foreign_record_is_conflicting():
    d = status(pob="TX", claim="US", encounters=(enc(K.ENTRY_WITHOUT_INSPECTION),))
    assert d.status is S.FURTHER_INVESTIGATION and d.citizenship_evidence


def test_us_claim_with_foreign_birth_is_not_citizenship_evidence():
    assert not status(pob="MX", claim="US", encounters=(enc(K.ENTRY_WITHOUT_INSPECTION),)).citizenship_evidence


def test_lawful_grant_after_prior_removal_is_conflicting():
    d = status(encounters=(enc(K.PRIOR_REMOVAL, date(2003, 1, 1)), enc(K.LAWFUL_PERMANENT_RESIDENT, date(2008, 1, 1))))
    assert d.status is S.FURTHER_INVESTIGATION


def test_match_alone_is_never_removability():
    """A subject whose only record is a visa issuance is lawful, not removable."""
    assert status(encounters=(enc(K.VISA_ISSUED),)).status is S.LAWFUL_STATUS_NOT_REMOVABLE
