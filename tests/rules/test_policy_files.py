"""Bad policy files are rejected with the file and the line at fault."""

from pathlib import Path

import pytest

from scomm.errors import PolicyFileError
from scomm.rules.detainers import load_issuance_policies
from scomm.rules.policies import load_policies, load_policy

GOOD = """\
name: {name}
jurisdiction: {jurisdiction}
title: "Test policy"
source: {{citation: "Test Act", url: "https://example.org/act"}}
effective_from: {start}
effective_to: {end}
hold_hours: 48
hold:
  rules:
    - {{id: adults, allowed: false, when: {{age_under: 18}}, reason: "minor"}}
  otherwise: {{allowed: true, reason: "ok"}}
notify: {{otherwise: {{allowed: true, reason: "ok"}}}}
transfer_in_facility: {{otherwise: {{allowed: true, reason: "ok"}}}}
ice_access: {{otherwise: {{allowed: true, reason: "ok"}}}}
"""


def write(tmp_path: Path, name: str = "test_policy", start: str = "2012-01-01", end: str = "null",
          jurisdiction: str = "testland", replace: tuple[str, str] | None = None) -> Path:
    text = GOOD.format(name=name, jurisdiction=jurisdiction, start=start, end=end)
    if replace:
        assert replace[0] in text
        text = text.replace(*replace)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return path


def rejected(path: Path) -> PolicyFileError:
    with pytest.raises(PolicyFileError) as info:
        load_policy(path)
    assert info.value.path == str(path)
    return info.value


def test_good_file_loads(tmp_path):
    assert load_policy(write(tmp_path)).name == "test_policy"


def test_unknown_top_level_field(tmp_path):
    err = rejected(write(tmp_path, replace=("hold_hours: 48", "hold_hours: 48\nsunset_clause: true")))
    assert err.line == 8 and "sunset_clause" in err.reason


def test_unknown_condition_key(tmp_path):
    err = rejected(write(tmp_path, replace=("age_under: 18", "age_below: 18")))
    assert err.line == 10 and "age_below" in err.reason


def test_impossible_date(tmp_path):
    err = rejected(write(tmp_path, start="2012-02-30"))
    assert err.line == 5


def test_not_a_date(tmp_path):
    err = rejected(write(tmp_path, start="soon"))
    assert err.line == 5 and "effective_from" in err.reason


def test_end_before_start(tmp_path):
    err = rejected(write(tmp_path, start="2012-01-01", end="2011-01-01"))
    assert "before effective_from" in err.reason


def test_hold_hours_must_be_24_or_48(tmp_path):
    err = rejected(write(tmp_path, replace=("hold_hours: 48", "hold_hours: 72")))
    assert err.line == 7


def test_contradictory_rules_same_condition_opposite_outcomes(tmp_path):
    extra = '\n    - {id: kids-ok, allowed: true, when: {age_under: 18}, reason: "x"}'
    err = rejected(write(tmp_path, replace=('reason: "minor"}', 'reason: "minor"}' + extra)))
    assert err.line == 11 and "contradictory" in err.reason


def test_contradictory_condition_can_never_hold(tmp_path):
    err = rejected(write(tmp_path, replace=("age_under: 18", "age_under: 18, age_at_least: 21")))
    assert err.line == 10 and "contradictory" in err.reason


def test_unreachable_rule_after_unconditional_rule(tmp_path):
    rules = ('    - {id: adults, allowed: false, when: {age_under: 18}, reason: "minor"}',
             '    - {id: all, allowed: true, when: {always: true}, reason: "x"}\n'
             '    - {id: adults, allowed: false, when: {age_under: 18}, reason: "minor"}')
    err = rejected(write(tmp_path, replace=rules))
    assert err.line == 11 and "unreachable" in err.reason


def test_duplicate_key(tmp_path):
    err = rejected(write(tmp_path, replace=("hold_hours: 48", "hold_hours: 48\nhold_hours: 24")))
    assert err.line == 8 and "duplicate" in err.reason


def test_yaml_syntax_error(tmp_path):
    err = rejected(write(tmp_path, replace=("otherwise: {allowed: true, reason: \"ok\"}\n",
                                            "otherwise: {allowed: true, reason: \"ok\"\n")))
    assert err.line is not None


def test_name_must_match_file(tmp_path):
    path = write(tmp_path)
    path.rename(tmp_path / "other.yaml")
    err = rejected(tmp_path / "other.yaml")
    assert err.line == 1


def test_overlapping_effective_dates(tmp_path):
    write(tmp_path, "test_2012", start="2012-01-01", end="2013-06-30")
    later = write(tmp_path, "test_2013", start="2013-03-18")
    with pytest.raises(PolicyFileError) as info:
        load_policies(tmp_path)
    assert info.value.path == str(later) and info.value.line == 5 and "overlap" in info.value.reason


def test_versions_of_different_jurisdictions_may_overlap(tmp_path):
    write(tmp_path, "a_2012", jurisdiction="a")
    write(tmp_path, "b_2012", jurisdiction="b")
    assert len(load_policies(tmp_path)) == 2


def test_ice_file_lodging_investigation_initiated_when_forbidden(tmp_path):
    src = Path(__file__).parents[2] / "src/scomm/rules/policies/ice/ice_2011.yaml"
    bad = src.read_text().replace("allow_investigation_initiated: true", "allow_investigation_initiated: false")
    (tmp_path / "ice_2011.yaml").write_text(bad)
    with pytest.raises(PolicyFileError, match="contradictory"):
        load_issuance_policies(tmp_path)


def test_ice_files_must_not_overlap(tmp_path):
    src = Path(__file__).parents[2] / "src/scomm/rules/policies/ice"
    for f in src.glob("*.yaml"):
        (tmp_path / f.name).write_text(f.read_text().replace("effective_to: 2012-12-20", "effective_to: 2013-01-01"))
    with pytest.raises(PolicyFileError, match="overlap"):
        load_issuance_policies(tmp_path)
