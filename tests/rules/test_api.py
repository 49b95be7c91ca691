import scomm.rules as rules


def test_exported_api():
    assert set(rules.__all__) == {
        "Charge", "Conviction", "DetainerBasis", "Encounter", "EncounterKind", "FederalCalendar", "FixedCalendar",
        "HolidayCalendar", "IARStatus", "IssuanceDecision", "IssuancePolicy", "JurisdictionPolicy", "Level",
        "LevelDefinition", "LevelResult", "LocalDecision", "LocalFacts", "OffenseClass", "RuleOutcome",
        "StatusDetermination", "SubjectFacts", "classify", "determine_status", "hold_deadline", "is_overdue",
        "issuance_policy_for", "list_policies", "load_policy", "policy_in_force"}
    for name in rules.__all__:
        assert getattr(rules, name) is not None


def test_end_to_end_example():
    from datetime import date, datetime
    facts = rules.SubjectFacts(
        birth_date=date(1980, 2, 1), booking_time=datetime(2013, 4, 2, 22, 15), place_of_birth="MX",
        citizenship_claim="MX",
        convictions=(rules.Conviction("1201", date(2009, 6, 1), rules.OffenseClass.FELONY, 1825),),
        encounters=(rules.Encounter(rules.EncounterKind.ENTRY_WITHOUT_INSPECTION, date(2001, 1, 1)),))
    level = rules.classify(facts)
    status = rules.determine_status(facts)
    decision = rules.issuance_policy_for(facts.booking_date).decide(facts, status, level)
    assert (level.level, status.status, decision.action) == (rules.Level.LEVEL_2, rules.IARStatus.REMOVABLE_CRIMINAL,
                                                             "lodge")
    local = rules.load_policy("santa_clara_2011").evaluate(
        rules.LocalFacts(facts, decision.basis, reimbursement_agreement=True))
    assert local.hold.allowed and local.hold.rule_id == "3.54-b-ten-or-five-years"
