from pathlib import Path

from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()
SAMPLE = Path(__file__).resolve().parents[2] / "policies" / "sample.yaml"


def test_policy_check_says_valid_or_prints_each_problem_with_its_line(tmp_path):
    ok = runner.invoke(app, ["policy", "check", str(SAMPLE)])
    assert ok.exit_code == 0 and "9 rules: valid" in ok.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(SAMPLE.read_text().replace("level: 3", "level: 9").replace("min_count: 6", ""))
    result = runner.invoke(app, ["policy", "check", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:" in result.output and "rules[0].level" in result.output
    missing = runner.invoke(app, ["policy", "check", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and "no such policy file" in missing.output


def test_policy_explain_lists_armed_and_disarmed_clauses_with_reasons():
    result = runner.invoke(app, ["policy", "explain", str(SAMPLE), "--at", "Sat 02:00"])
    assert result.exit_code == 0, result.output
    assert "armed    sample/lobby/after-hours" in result.output
    assert "disarmed sample/lobby/loitering-at-table" in result.output
    assert "office-hours off at Sat 02:00" in result.output
    one = runner.invoke(
        app, ["policy", "explain", str(SAMPLE), "--at", "Tue 10:00", "--camera", "de hal"]
    )
    assert "sample/plaza" not in one.output and "armed    sample/lobby/loitering" in one.output
    unknown = runner.invoke(
        app, ["policy", "explain", str(SAMPLE), "--at", "Tue 10:00", "--camera", "garage"]
    )
    assert unknown.exit_code == 2 and "no camera called 'garage'" in unknown.output


def test_policy_schema_prints_the_json_schema():
    result = runner.invoke(app, ["policy", "schema"])
    assert result.exit_code == 0 and '"additionalProperties": false' in result.output


def test_policy_draft_writes_a_checked_draft_and_never_overwrites(tmp_path, monkeypatch):
    import json
    from types import SimpleNamespace

    from tests.fakes import ScriptedModel

    words = tmp_path / "words.txt"
    words.write_text("Nobody may be on the square at night.")
    hours = [{"days": ["mon"], "from": "08:00", "to": "18:00"}]
    rule = {
        "title": "Someone on the square at night", "name": "square-at-night",
        "camera": "parking", "zone": "lanes", "objects": ["person"], "when": "outside open",
        "min_dwell_s": 0, "min_count": 1, "seen": [], "required_wear": [], "wearing": [],
        "verdict": "confirmed",
        "level": 2, "priority": "high", "actions": ["Send the guard"], "escalate_to": [],
    }  # fmt: skip
    model = ScriptedModel(
        [
            json.dumps({"schedules": [{"name": "open", "hours": hours}]}),
            json.dumps({"sets_a_rule": True, "rules": [rule]}),
        ]
    )
    handed = SimpleNamespace(ctx=SimpleNamespace(models=SimpleNamespace(llm=model)))
    out = tmp_path / "draft.yaml"
    args = ["policy", "draft", str(words), "--base", str(SAMPLE), "--out", str(out)]
    made = runner.invoke(app, args, obj=handed)
    assert made.exit_code == 0, made.output
    assert "1 rules drafted; review every clause" in made.output
    # "the square" is the plaza's alias: the rule is moved there, off the parking's zone
    checked = runner.invoke(app, ["policy", "check", str(out)])
    assert checked.exit_code == 0 and "valid" in checked.output
    assert "id: sample/plaza/square-at-night" in out.read_text()
    again = runner.invoke(app, args, obj=handed)
    assert again.exit_code == 2 and "exists" in again.output
