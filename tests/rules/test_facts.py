from datetime import date, datetime

import pytest

from scomm.rules.facts import Conviction, OffenseClass, SubjectFacts


def test_age_is_whole_years_at_booking():
    s = SubjectFacts(date(1994, 3, 15), datetime(2012, 3, 14, 23, 59), "MX", "MX")
    assert s.age == 17
    assert SubjectFacts(date(1994, 3, 14), datetime(2012, 3, 14), "MX", "MX").age == 18


def test_ncic_code_must_be_four_digits():
    with pytest.raises(ValueError, match="4 digits"):
        Conviction("911", date(2010, 1, 1), OffenseClass.FELONY, 3650)
