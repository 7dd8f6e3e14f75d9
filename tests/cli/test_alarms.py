from datetime import timedelta

import pytest
from typer.testing import CliRunner

from agent.services import services_of
from cli.main import app
from tests.conftest import LOBBY_START
from vigil.adapters import SourceAlarm
from web.deps import alarm_desk

pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture
def invoke(alarm_site):
    """`vigil` handed the services of the sample site."""
    return lambda args: runner.invoke(app, args, obj=services_of(alarm_site))


def test_alarms_show_list_and_review_from_the_command_line(alarm_site, invoke):
    desk = alarm_desk(alarm_site)
    record, _ = desk.take_in(
        "nvr", SourceAlarm("cli-1", "lobby", LOBBY_START + timedelta(seconds=12), "pir")
    )
    while desk.verify_next() is not None:
        pass
    shown = invoke(["alarms", "show", record.id])
    assert shown.exit_code == 0, shown.output
    assert "confirmed level 3" in shown.output and "holds  sample/lobby/after-hours" in shown.output
    assert "-> Send the night guard to the lobby" in shown.output
    listed = invoke(["alarms", "list", "--verdict", "confirmed", "--camera", "hall"])
    assert record.id in listed.output
    both = invoke(["alarms", "review", record.id, "--confirm", "a", "--overrule", "b"])
    assert both.exit_code == 2 and "exactly one of" in both.output
    overruled = invoke(["alarms", "review", record.id, "--overrule", "the cleaner", "--by", "anna"])
    assert overruled.exit_code == 0 and "reviewed: false_alarm (anna)" in overruled.output
    missing = invoke(["alarms", "show", "nope"])
    assert missing.exit_code == 2 and "no alarm 'nope'" in missing.output


def test_a_test_alarm_sent_from_the_command_line_is_verified_and_in_the_inbox(alarm_site, invoke):
    """What `make demo` prints: with the server running, one command sends a signed alarm."""
    from tests.web.conftest import signed_client
    from tests.web.test_chat_streaming import Server
    from web.app import create_app
    from web.deps import get_context

    web_app = create_app(alarm_services=False)
    web_app.dependency_overrides[get_context] = lambda: alarm_site
    server = Server(web_app, alarm_site.settings)
    try:
        sent = invoke(["alarms", "send-test", "--camera", "de hal", "--url", server.url])
        assert sent.exit_code == 2 and "--source" in sent.output  # two sources: say which
        sent = invoke(
            ["alarms", "send-test", "--camera", "lobby", "--url", server.url, "--source", "nvr"],
        )
        assert sent.exit_code == 0, sent.output
        alarm_id = sent.output.split()[1]
        assert f"/alarms?selected={alarm_id}" in sent.output
    finally:
        server.stop()
    desk = alarm_desk(alarm_site)
    while desk.verify_next() is not None:
        pass
    assert desk.get(alarm_id).verdict.verdict == "confirmed"  # a person after hours
    inbox = signed_client(web_app, alarm_site).get(f"/alarms?selected={alarm_id}")
    assert f'id="row-{alarm_id}"' in inbox.text
    nobody = invoke(["alarms", "send-test", "--camera", "lobby", "--source", "nvr",
                  "--url", "http://127.0.0.1:9"],
    )  # fmt: skip
    assert nobody.exit_code == 2 and "vigil serve" in nobody.output
