from pathlib import Path

from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()
SAMPLE = Path(__file__).resolve().parents[2] / "policies" / "sample.yaml"


def test_policy_check_says_valid_or_prints_each_problem_with_its_line(tmp_path):
    ok = runner.invoke(app, ["policy", "check", str(SAMPLE)])
    assert ok.exit_code == 0 and "6 rules: valid" in ok.output
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
