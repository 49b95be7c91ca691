import pytest

from scomm.rules import ncic


@pytest.mark.parametrize(("code", "name"), [("0911", "homicide"), ("5401", "hit_and_run"), ("5499", "traffic"),
                                            ("5404", "dui"), ("9999", "unknown"), ("1313", "simple_assault")])
def test_narrowest_range_names_the_category(code, name):
    assert ncic.category(code).name == name


def test_violent_and_serious_flags():
    assert ncic.is_violent("1201") and ncic.is_serious("1201")
    assert not ncic.is_violent("2399") and not ncic.is_serious("2399")
    assert ncic.is_violent("1313") and not ncic.is_serious("1313")


@pytest.mark.parametrize(("pob", "us"), [("CA", True), ("US", True), ("pr", True), ("MX", False), (None, False)])
def test_us_place_of_birth(pob, us):
    assert ncic.table().is_us_place_of_birth(pob) is us
