"""Sign-in, roles, reports and the audit log over HTTP on the sample site."""

from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient

from tests.conftest import verified_lobby_alarm
from vigil.keys import init_keys
from web.app import create_app
from web.deps import get_context

pytestmark = pytest.mark.slow
PASSWORD = "a long passphrase"


@pytest.fixture
def site(alarm_site):
    """The sample site with an operator, a supervisor and a confirmed alarm; the users are
    removed after the test."""
    users = alarm_site.store.users
    users.add("web-olivia", "operator", PASSWORD, "test")
    users.add("web-sam", "supervisor", PASSWORD, "test")
    init_keys(alarm_site.settings.keys_dir, replace=True)
    record = verified_lobby_alarm(alarm_site, "web-report-1", 16)
    app = create_app(alarm_services=False)
    app.dependency_overrides[get_context] = lambda: alarm_site
    yield TestClient(app), record.id
    for name in ("web-olivia", "web-sam"):
        users.remove(name, "test")


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> dict:
    answer = client.post("/api/auth/login", json={"name": name, "password": password})
    assert answer.status_code == 200, answer.text
    client.cookies.clear()  # each request below names its user by its bearer token
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_once_users_exist_every_route_needs_a_sign_in_and_roles_are_checked(site, alarm_site):
    client, alarm_id = site
    for path in ("/api/search?q=person", "/api/alarms", "/api/reports", "/api/audit"):
        assert client.get(path).status_code == 401, path
    wrong = client.post("/api/auth/login", json={"name": "web-sam", "password": "not it at all"})
    assert wrong.status_code == 401
    forged = client.get("/api/reports", headers={"Authorization": "Bearer v1.e30.00"})
    assert forged.status_code == 401
    operator = sign_in(client, "web-olivia")
    assert client.get("/api/auth/me", headers=operator).json()["role"] == "operator"
    assert client.get("/api/search?q=person", headers=operator).status_code == 200
    assert client.get("/api/audit", headers=operator).status_code == 403
    supervisor = sign_in(client, "web-sam")
    log = client.get("/api/audit", headers=supervisor).json()
    actions = [e["action"] for e in log]
    assert {"login", "login.failed", "search"} <= set(actions)
    assert client.get("/api/audit/verify", headers=supervisor).json()["intact"] is True


def test_an_incident_over_http_from_draft_to_approved_export_and_package(site, alarm_site):
    client, alarm_id = site
    operator, supervisor = sign_in(client, "web-olivia"), sign_in(client, "web-sam")
    drafted = client.post("/api/reports", json={"alarm_id": alarm_id}, headers=operator)
    assert drafted.status_code == 201, drafted.text
    incident = drafted.json()
    assert incident["origin"] == "alarm" and incident["report"]["evidence"]
    report = {**incident["report"], "title": "Lobby intrusion"}
    edited = client.put(
        f"/api/reports/{incident['id']}",
        headers=operator,
        json={"report": report, "version": incident["version"], "note": "title"},
    )
    assert edited.status_code == 200 and edited.json()["status"] == "edited"
    stale = client.put(
        f"/api/reports/{incident['id']}",
        headers=operator,
        json={"report": report, "version": incident["version"]},
    )
    assert stale.status_code == 409
    assert client.post(f"/api/reports/{incident['id']}/submit", headers=operator).status_code == 200
    refused = client.post(f"/api/reports/{incident['id']}/approve", headers=operator)
    assert refused.status_code == 403 and "supervisor" in refused.json()["detail"]
    approved = client.post(f"/api/reports/{incident['id']}/approve", headers=supervisor)
    assert approved.json()["status"] == "approved"
    read_only = client.put(
        f"/api/reports/{incident['id']}",
        headers=operator,
        json={"report": report, "version": approved.json()["version"]},
    )
    assert read_only.json()["status"] == "edited"  # an amendment: a new version
    assert (
        client.get(
            f"/api/reports/{incident['id']}?version={approved.json()['version']}", headers=operator
        ).json()["status"]
        == "approved"
    )

    pdf = client.get(f"/api/reports/{incident['id']}/export?format=pdf", headers=operator)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    unblurred = client.get(f"/api/reports/{incident['id']}/export?internal=true", headers=operator)
    assert unblurred.status_code == 403
    assert client.get(f"/api/reports/{incident['id']}/package", headers=operator).status_code == 403
    package = client.get(f"/api/reports/{incident['id']}/package", headers=supervisor)
    assert package.status_code == 200
    assert "manifest.sig" in zipfile.ZipFile(io.BytesIO(package.content)).namelist()
    missing = client.get("/api/reports/nope/export", headers=operator)
    assert missing.status_code == 404
    schema = client.get("/api/reports/schema", headers=operator).json()
    assert schema["title"] == "ReportDocument"
    exports = [
        e
        for e in alarm_site.store.audit.entries(subject=f"incident:{incident['id']}")
        if e.action in ("report.export", "report.package")
    ]
    assert [e.actor for e in exports] == ["web-olivia", "web-sam"]


def test_the_assistant_writes_a_reports_description_over_http(site, alarm_site, make_agent):
    import json as jsonlib

    from tests.fakes import ScriptedModel
    from web.deps import get_chat_agent

    client, alarm_id = site
    model = ScriptedModel(
        [
            jsonlib.dumps(
                {
                    "sentences": [
                        {"text": "A person in a dark top walks into the lobby.", "frames": ["F1"]},
                    ]
                }
            )
        ]
    )
    client.app.dependency_overrides[get_chat_agent] = lambda: make_agent(model)
    operator = sign_in(client, "web-olivia")
    incident = client.post("/api/reports", json={"alarm_id": alarm_id}, headers=operator).json()
    written = client.post(f"/api/reports/{incident['id']}/narrate", headers=operator)
    assert written.status_code == 200, written.text
    description = written.json()["report"]["description"]
    assert description == [
        {
            "text": "A person in a dark top walks into the lobby.",
            "frames": [incident["report"]["evidence"][0]["frame_id"]],
            "by": "vigil-model",
        }
    ]
    assert written.json()["version"] == incident["version"] + 1
