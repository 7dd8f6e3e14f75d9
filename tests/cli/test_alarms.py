from datetime import timedelta

import pytest
from typer.testing import CliRunner

import vigil.context
from cli.main import app
from tests.conftest import LOBBY_START
from vigil.adapters import SourceAlarm
from web.deps import alarm_desk

pytestmark = pytest.mark.slow
runner = CliRunner()


def test_alarms_show_list_and_review_from_the_command_line(monkeypatch, alarm_site):
    monkeypatch.setattr(vigil.context, "shared_context", lambda: alarm_site)
    desk = alarm_desk(alarm_site)
    record, _ = desk.take_in(
        "nvr", SourceAlarm("cli-1", "lobby", LOBBY_START + timedelta(seconds=12), "pir")
    )
    while desk.verify_next() is not None:
        pass
    shown = runner.invoke(app, ["alarms", "show", record.id])
    assert shown.exit_code == 0, shown.output
    assert "confirmed level 3" in shown.output and "holds  sample/lobby/after-hours" in shown.output
    assert "-> Send the night guard to the lobby" in shown.output
    listed = runner.invoke(app, ["alarms", "list", "--verdict", "confirmed", "--camera", "hall"])
    assert record.id in listed.output
    both = runner.invoke(app, ["alarms", "review", record.id, "--confirm", "a", "--overrule", "b"])
    assert both.exit_code == 2 and "exactly one of" in both.output
    overruled = runner.invoke(
        app, ["alarms", "review", record.id, "--overrule", "the cleaner", "--by", "anna"]
    )
    assert overruled.exit_code == 0 and "reviewed: false_alarm (anna)" in overruled.output
    missing = runner.invoke(app, ["alarms", "show", "nope"])
    assert missing.exit_code == 2 and "no alarm 'nope'" in missing.output
