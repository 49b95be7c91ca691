import json

from typer.testing import CliRunner

from scomm.cli.policy import app

runner = CliRunner()

FACTS = {
    "age": 35, "booking_time": "2012-03-14T10:30", "release_time": "2012-03-16T17:00",
    "place_of_birth": "MX", "citizenship_claim": "MX",
    "convictions": [{"ncic_code": "0911", "date": "1990-01-01", "offense_class": "felony", "max_sentence_days": 9000}],
    "reimbursement_agreement": True,
}


def test_list_shows_bundled_policies():
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0 and "santa_clara_2011" in result.output


def test_evaluate_prints_decision_json(tmp_path):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(FACTS))
    result = runner.invoke(app, ["evaluate", "--policy", "santa_clara_2011", "--facts", str(path)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["hold"]["allowed"] and out["hold"]["rule_id"] == "3.54-homicide"
    assert out["hold_hours"] == 24 and out["hold_until"] == "2012-03-19T17:00:00"


def test_evaluate_rejects_bad_facts(tmp_path):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps({**FACTS, "shoe_size": 9}))
    result = runner.invoke(app, ["evaluate", "--policy", "honor_all", "--facts", str(path)])
    assert result.exit_code == 2 and "shoe_size" in result.output


def test_explain_prints_rules():
    result = runner.invoke(app, ["explain", "cook_county_2011"])
    assert result.exit_code == 0 and "46-37(a)-reimbursed" in result.output


def test_explain_unknown_policy():
    assert runner.invoke(app, ["explain", "nowhere"]).exit_code == 2
