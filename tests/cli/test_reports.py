"""Users, keys, reports, packages and the audit log from the command line."""

from __future__ import annotations

import json
import sqlite3
import zipfile

import pytest
from typer.testing import CliRunner

from agent.services import services_of
from cli.main import app
from tests.conftest import verified_lobby_alarm
from tests.web.conftest import TEST_ADMIN

pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture
def invoke(alarm_site):
    """`vigil` on the shared sample site; the users a test adds are removed after it."""
    services = services_of(alarm_site)
    yield lambda *args, **kw: runner.invoke(app, list(args), obj=services, **kw)
    for user in alarm_site.store.users.list():
        if user.name == TEST_ADMIN:
            continue
        removed = runner.invoke(app, ["users", "remove", user.name], obj=services)
        assert removed.exit_code == 0


def test_users_reports_packages_and_the_audit_log(invoke, alarm_site, tmp_path):
    for name, role in (("cli-olivia", "operator"), ("cli-sam", "supervisor")):
        added = invoke(
            "users", "add", name, "--role", role, "--password-stdin", input="a long passphrase\n"
        )
        assert added.exit_code == 0, added.output
    assert "cli-sam" in invoke("users", "list").output
    short = invoke("users", "passwd", "cli-sam", "--password-stdin", input="short\n")
    assert short.exit_code == 2 and "at least 10" in short.output

    record = verified_lobby_alarm(alarm_site, "cli-report-1", 14)
    drafted = invoke("report", "draft", "--alarm", record.id, "--as", "cli-olivia")
    assert drafted.exit_code == 0 and drafted.output.startswith("exists "), drafted.output
    incident = drafted.output.split()[1]
    assert "check: actions taken" in drafted.output

    edited = invoke(
        "report", "edit", incident, "--action", "Guard sent at 22:05", "--as", "cli-olivia"
    )
    assert edited.exit_code == 0 and " edited " in edited.output, edited.output
    shown = json.loads(invoke("report", "show", incident, "--json").output)
    shown["description"][0]["frames"] = ["no-such-frame"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(shown))
    refused = invoke("report", "edit", incident, "--file", str(bad), "--as", "cli-olivia")
    assert refused.exit_code == 2 and "no-such-frame" in refused.output
    assert invoke("report", "submit", incident, "--as", "cli-olivia").exit_code == 0
    denied = invoke("report", "approve", incident, "--as", "cli-olivia")
    assert denied.exit_code == 2 and "supervisor" in denied.output
    approved = invoke("report", "approve", incident, "--as", "cli-sam", "--note", "ok")
    assert " approved " in approved.output

    for fmt in ("md", "json", "html", "pdf"):
        out = tmp_path / f"r.{fmt}"
        made = invoke("report", "export", incident, "--format", fmt, "-o", str(out))
        assert made.exit_code == 0 and out.stat().st_size > 500, made.output
    assert "Guard sent at 22:05" in (tmp_path / "r.md").read_text()
    missing = invoke("report", "export", "nope", "--format", "pdf")
    assert missing.exit_code == 2 and "no incident 'nope'" in missing.output

    key_made = invoke("keys", "init", "--replace")
    assert key_made.exit_code == 0 and "fingerprint" in key_made.output
    package = tmp_path / "evidence.zip"
    denied = invoke("report", "package", incident, "-o", str(package), "--as", "cli-olivia")
    assert denied.exit_code == 2 and "supervisor" in denied.output
    made = invoke("report", "package", incident, "-o", str(package), "--as", "cli-sam")
    assert made.exit_code == 0, made.output
    key = str(alarm_site.settings.keys_dir / "site-signing.pub")
    ok = invoke("verify", str(package), "--key", key)
    assert ok.exit_code == 0 and "intact" in ok.output, ok.output
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(tampered, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name))
        dst.writestr("frames/extra.jpg", b"planted")
    named = invoke("verify", str(tampered), "--key", key)
    assert named.exit_code == 1 and "frames/extra.jpg: added" in named.output
    data = package.read_bytes()
    broken = tmp_path / "broken.zip"
    broken.write_bytes(data[:-30] + bytes([data[-30] ^ 0xFF]) + data[-29:])
    unopened = invoke("verify", str(broken), "--key", key)
    assert unopened.exit_code == 1 and "TAMPERED" in unopened.output, unopened.output

    assert invoke("audit", "verify").exit_code == 0
    listed = invoke("audit", "list", "--subject", f"incident:{incident}").output
    assert "report.approve" in listed and "report.package" in listed
    db = sqlite3.connect(alarm_site.settings.data_dir / "vigil.db")
    seq, detail = db.execute(
        "select seq, detail from audit_entries where action='report.approve' order by seq desc"
    ).fetchone()
    db.execute("update audit_entries set detail='{}' where seq=?", (seq,))
    db.commit()
    try:
        broken = invoke("audit", "verify")
        assert broken.exit_code == 1 and f"entry {seq} (report.approve" in broken.output
    finally:
        db.execute("update audit_entries set detail=? where seq=?", (detail, seq))
        db.commit()
    assert invoke("audit", "verify").exit_code == 0
