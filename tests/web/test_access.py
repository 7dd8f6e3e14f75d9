"""What a hostile low-privilege user tried (issue 21): every id a client sends is checked
against what that user may see, and the server, not the client, says who wrote what."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from tests.conftest import verified_lobby_alarm
from web.app import create_app
from web.deps import get_context, login_throttle

pytestmark = pytest.mark.slow
PASSWORD = "a long passphrase"


@pytest.fixture
def site(alarm_site):
    """The sample site with an operator limited to the lobby, an operator and a supervisor
    of every camera (removed after the test), and a confirmed lobby alarm."""
    users = alarm_site.store.users
    users.add("acc-lina", "operator", PASSWORD, "test", ["lobby"])
    users.add("acc-omar", "operator", PASSWORD, "test")
    users.add("acc-sara", "supervisor", PASSWORD, "test")
    record = verified_lobby_alarm(alarm_site, "access-1", 16)
    app = create_app(alarm_services=False)
    app.dependency_overrides[get_context] = lambda: alarm_site
    yield TestClient(app), record.id
    for name in ("acc-lina", "acc-omar", "acc-sara"):
        users.remove(name, "test")
    login_throttle._failures.clear()


def bearer(client: TestClient, name: str) -> dict[str, str]:
    answer = client.post("/api/auth/login", json={"name": name, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_evidence_is_named_by_frame_id_and_filled_from_the_store(site, alarm_site):
    client, alarm_id = site
    lina = bearer(client, "acc-lina")
    incident = client.post("/api/reports", json={"alarm_id": alarm_id}, headers=lina).json()
    report = incident["report"]
    lobby = report["evidence"][0]
    parking = alarm_site.store.keyframes.list("parking", limit=1)[0]

    def images() -> set[str]:
        html = client.get(f"/api/reports/{incident['id']}/export?format=html", headers=lina)
        return set(re.findall(r"data:image/jpeg;base64,[A-Za-z0-9+/=]+", html.text))

    shown = images()
    forged = {
        **lobby,
        "video_id": parking.video_id,
        "offset_s": 18.4,
        "thumbnail": "/usr/share/pixmaps/debian-logo.png",
        "camera": "parking",
        "caption": "forged",
    }
    edited = client.put(
        f"/api/reports/{incident['id']}",
        headers=lina,
        json={
            "report": {**report, "evidence": [forged, *report["evidence"][1:]]},
            "version": incident["version"],
        },
    )
    assert edited.status_code == 200, edited.text
    kept = edited.json()["report"]["evidence"][0]
    stored = alarm_site.store.keyframes.get(lobby["frame_id"])
    assert (kept["video_id"], kept["offset_s"], kept["thumbnail"], kept["camera"]) == (
        stored.video_id,
        stored.offset_s,
        stored.thumbnail,
        "lobby",
    )
    assert kept["caption"] == stored.caption
    assert images() == shown  # the lobby frames, not a parking frame or a file of the server

    def put_evidence(frame_id: str):
        entry = {**lobby, "frame_id": frame_id}
        current = client.get(f"/api/reports/{incident['id']}", headers=lina).json()
        body = {
            "report": {**report, "evidence": [*report["evidence"], entry]},
            "version": current["version"],
        }
        return client.put(f"/api/reports/{incident['id']}", headers=lina, json=body)

    foreign, missing = put_evidence(parking.id), put_evidence("0" * 16 + "-9-0000001")
    assert foreign.status_code == missing.status_code == 404
    # the same answer whether the frame exists: nothing tells which ids are stored
    assert foreign.json()["detail"].replace(parking.id, "X") == missing.json()["detail"].replace(
        "0" * 16 + "-9-0000001", "X"
    )


def test_a_thumbnail_name_is_never_a_path():
    from vigil.errors import InvalidInputError
    from vigil.store.thumbnails import ThumbnailStore

    thumbnails = ThumbnailStore(__import__("pathlib").Path("/tmp/thumbs"))
    with pytest.raises(InvalidInputError):
        thumbnails.path_of("/usr/share/pixmaps/debian-logo.png")
    with pytest.raises(InvalidInputError):
        thumbnails.path_of("../../etc/passwd.jpg")


def test_the_server_says_who_wrote_each_statement(site, alarm_site):
    client, alarm_id = site
    omar = bearer(client, "acc-omar")
    incident = client.post("/api/reports", json={"alarm_id": alarm_id}, headers=omar).json()
    report = incident["report"]
    kept = report["description"][0]
    claimed = {"text": "The supervisor saw it too.", "frames": [], "by": "acc-sara"}
    body = {
        "report": {**report, "description": [kept, claimed], "actions_taken": [claimed]},
        "version": incident["version"],
    }
    edited = client.put(f"/api/reports/{incident['id']}", headers=omar, json=body).json()
    description = edited["report"]["description"]
    assert description[0]["by"] == kept["by"] == "vigil"  # unchanged: its author stays
    assert description[1]["by"] == edited["report"]["actions_taken"][0]["by"] == "acc-omar"


def test_a_conversation_is_its_askers_and_supervisors(site, alarm_site):
    client, _ = site
    conversations = alarm_site.store.conversations
    parking = alarm_site.store.keyframes.list("parking", limit=1)[0]
    asked = conversations.start("was there a car?", owner="acc-omar")
    conversations.add_turn(
        asked,
        question="was there a car?",
        answer=f"Yes [{parking.id}].",
        citations=[parking.id],
        tool_calls=[],
        window={},
        model="test",
        prompt_versions={},
    )
    lina, omar, sara = (bearer(client, n) for n in ("acc-lina", "acc-omar", "acc-sara"))
    assert client.get(f"/api/conversations/{asked}", headers=omar).status_code == 200
    assert client.get(f"/api/conversations/{asked}", headers=sara).status_code == 200
    unknown = client.get("/api/conversations/nope", headers=lina)
    for other in (lina,):
        refused = client.get(f"/api/conversations/{asked}", headers=other)
        assert refused.status_code == unknown.status_code == 404
        drafted = client.post("/api/reports", json={"conversation_id": asked}, headers=other)
        assert drafted.status_code == 404
    other_operator = conversations.start("mine", owner="acc-lina")
    assert client.get(f"/api/conversations/{other_operator}", headers=omar).status_code == 404
    followed = client.post(
        "/api/chat", json={"question": "and then?", "conversation_id": asked}, headers=lina
    )
    assert followed.status_code == 403  # a limited user cannot ask at all
    drafted = client.post("/api/reports", json={"conversation_id": asked}, headers=omar)
    assert drafted.status_code == 201


def test_signing_out_ends_the_token_it_was_called_with(site):
    client, _ = site
    token = bearer(client, "acc-omar")
    assert client.get("/api/auth/me", headers=token).status_code == 200
    assert client.post("/api/auth/logout", headers=token).status_code == 204
    after = client.get("/api/auth/me", headers=token)
    assert after.status_code == 401 and "signed out" in after.json()["detail"]
    assert client.get("/api/auth/me", headers=bearer(client, "acc-omar")).status_code == 200


def test_metrics_show_a_limited_user_only_their_cameras(site):
    client, _ = site
    lina = client.get("/metrics", headers=bearer(client, "acc-lina")).text
    assert 'camera="lobby"' in lina and "parking" not in lina and "incidents" not in lina
    omar = client.get("/metrics", headers=bearer(client, "acc-omar")).text
    assert 'camera="parking"' in omar and "vigil_incidents" in omar


def test_only_health_sign_in_and_the_language_answer_without_a_sign_in(site):
    client, _ = site
    for path in ("/openapi.json", "/api/reports/schema", "/api/alarms", "/metrics"):
        assert client.get(path).status_code == 401, path
    assert client.get("/docs", follow_redirects=False).status_code == 303
    omar = bearer(client, "acc-omar")
    assert client.get("/openapi.json", headers=omar).json()["info"]["title"] == "Vigil"
    assert client.get("/health").status_code == 200
    assert client.get("/login").status_code == 200
    assert client.post("/lang", data={"lang": "nl"}, follow_redirects=False).status_code == 303


def test_one_typist_cannot_lock_a_whole_control_room_out(site):
    client, _ = site
    for _ in range(5):
        wrong = client.post("/api/auth/login", json={"name": "acc-omar", "password": "x" * 12})
        assert wrong.status_code == 401
    locked = client.post("/api/auth/login", json={"name": "acc-omar", "password": PASSWORD})
    assert locked.status_code == 429  # that name, from that address, waits
    colleague = client.post("/api/auth/login", json={"name": "acc-sara", "password": PASSWORD})
    assert colleague.status_code == 200  # the next guard behind the same address signs in


def test_every_response_carries_the_browsers_guards(site):
    client, _ = site
    for path in ("/login", "/health", "/api/alarms"):
        headers = client.get(path).headers
        assert headers["x-frame-options"] == "DENY", path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy
    page = client.get("/login").text
    assert "onchange=" not in page and "onclick=" not in page


@pytest.mark.parametrize("trusted", [[], ["127.0.0.1"]])
def test_a_forwarded_address_is_believed_only_from_a_configured_proxy(alarm_site, trusted):
    import httpx

    from tests.web.test_chat_streaming import Server

    settings = alarm_site.settings.model_copy(update={"trusted_proxies": trusted})
    app = create_app(alarm_services=False)
    app.dependency_overrides[get_context] = lambda: alarm_site
    server = Server(app, settings)
    try:
        name = f"acc-nobody-{len(trusted)}"
        answer = httpx.post(
            f"{server.url}/api/auth/login",
            json={"name": name, "password": "x" * 12},
            headers={"X-Forwarded-For": "203.0.113.9"},
        )
        assert answer.status_code == 401
    finally:
        server.stop()
        login_throttle._failures.clear()
    [failed] = alarm_site.store.audit.entries(subject=f"user:{name}")
    assert failed.actor == ("anonymous@203.0.113.9" if trusted else "anonymous@127.0.0.1")


def test_the_server_signs_the_audit_head_as_it_starts_and_stops(settings):
    from vigil.context import Context
    from vigil.keys import init_keys
    from vigil.store import Store

    init_keys(settings.keys_dir)
    ctx = Context(settings, Store(settings), None)
    app = create_app(alarm_services=False)
    app.dependency_overrides[get_context] = lambda: ctx
    with TestClient(app) as client:
        client.post("/api/auth/login", json={"name": "nobody", "password": "x" * 12})
    points, _ = ctx.store.audit.checkpoints.read()
    assert points and points[-1].seq == ctx.store.audit.head()[0]  # the failed sign-in too
    assert ctx.store.audit.verify().intact


# -- what a hostile tester found in the first fixes (issue 21, second round) -------------
def test_a_report_drafted_before_is_handed_back_only_to_who_may_see_all_of_it(site, alarm_site):
    client, alarm_id = site
    lina, omar = bearer(client, "acc-lina"), bearer(client, "acc-omar")
    incident = client.post("/api/reports", json={"alarm_id": alarm_id}, headers=omar).json()
    parking = alarm_site.store.keyframes.list("parking", limit=1)[0]
    report = incident["report"]
    wider = {**report, "evidence": [*report["evidence"], {**report["evidence"][0],
                                                           "frame_id": parking.id}]}  # fmt: skip
    body = {"report": wider, "version": incident["version"]}
    assert client.put(f"/api/reports/{incident['id']}", headers=omar, json=body).status_code == 200
    again = client.post("/api/reports", json={"alarm_id": alarm_id}, headers=lina)
    assert again.status_code == 403 and "parking" not in json.dumps(again.json().get("report", {}))


def test_different_frames_make_different_incidents(site, alarm_site):
    client, _ = site
    omar = bearer(client, "acc-omar")
    frames = [k.id for k in alarm_site.store.keyframes.list("lobby", limit=8)]
    one = client.post("/api/reports", json={"frame_ids": frames[:5]}, headers=omar).json()
    other = client.post("/api/reports", json={"frame_ids": [*frames[:4], frames[6]]}, headers=omar)
    assert other.json()["id"] != one["id"]
    same = client.post("/api/reports", json={"frame_ids": frames[4::-1]}, headers=omar).json()
    assert same["id"] == one["id"]  # the same frames in another order: the same incident


def test_drafting_again_never_brings_back_a_report_a_person_withdrew(site, alarm_site):
    client, _ = site
    omar = bearer(client, "acc-omar")
    alarm = verified_lobby_alarm(alarm_site, "access-withdrawn", 24)
    review = {"decision": "overrule", "reason": "the cleaner"}
    assert (
        client.post(f"/api/alarms/{alarm.id}/review", json=review, headers=omar).status_code == 200
    )
    again = client.post("/api/reports", json={"alarm_id": alarm.id}, headers=omar).json()
    assert again["status"] == "withdrawn" and again["report"]["verdict"] == "false_alarm"
    listed = client.get("/api/reports?status=withdrawn", headers=omar)
    assert again["id"] in {r["id"] for r in listed.json()}


def test_a_page_cannot_take_a_workflow_step_the_api_does_not_offer(site, alarm_site):
    import re as regex

    client, alarm_id = site
    omar = bearer(client, "acc-omar")
    incident = client.post("/api/reports", json={"alarm_id": alarm_id}, headers=omar).json()
    page = TestClient(client.app)
    form = page.get("/login").text
    csrf = regex.search(r'name="csrf" value="([^"]+)"', form).group(1)
    page.post("/login", data={"name": "acc-omar", "password": PASSWORD, "csrf": csrf})
    token = regex.search(r'data-csrf="([^"]+)"', page.get("/alarms").text).group(1)
    for action in ("withdraw", "amend"):
        stepped = page.post(
            f"/incidents/{incident['id']}/step", data={"action": action, "csrf": token}
        )
        assert stepped.status_code == 422, action
    drafted = page.get(f"/incidents/new?alarm_id={alarm_id}")  # a link changes nothing
    assert drafted.status_code == 404 and "no incident 'new'" in drafted.text
    assert "Call IT" not in page.get(f"/incidents/{incident['id']}?error=Call+IT").text
    assert "Call IT" not in TestClient(client.app).get("/login?error=Call+IT").text


def test_report_text_cannot_pose_as_another_part_of_an_export(site, alarm_site):
    client, alarm_id = site
    omar = bearer(client, "acc-omar")
    incident = client.post("/api/reports", json={"alarm_id": alarm_id}, headers=omar).json()
    report = incident["report"]
    forged_time = {"time": "2026-11-20T22:14:09+01:00", "camera": "parking", "frames": [],
                   "text": "Vigil detected: a car window smashed"}  # fmt: skip
    sentence = "Ok.\n\n## Supervisor approval\n\nApproved <script>alert(1)</script> [x](y)"
    cited = report["evidence"][0]["frame_id"]
    body = {
        "report": {
            **report,
            "title": "Lobby\n# forged",
            "timeline": [*report["timeline"], forged_time],
            "description": [{"text": sentence, "frames": [cited], "by": "vigil"}],
        },
        "version": incident["version"],
    }
    edited = client.put(f"/api/reports/{incident['id']}", headers=omar, json=body).json()
    assert forged_time["text"] not in json.dumps(edited["report"]["timeline"])  # the machine's
    assert edited["report"]["title"] == "Lobby # forged"
    md = client.get(f"/api/reports/{incident['id']}/export?format=md", headers=omar).text
    assert "\n## Supervisor approval" not in md and "<script>" not in md
    assert "\\<script\\>" in md and "(by acc-omar)" in md  # whose words these are, shown
    html = client.get(f"/api/reports/{incident['id']}/export?format=html", headers=omar).text
    assert "<script>alert" not in html and "(by acc-omar" in html


def test_an_empty_camera_list_is_refused_and_vigils_own_names_are_reserved(site, alarm_site):
    client, _ = site
    from tests.web.conftest import auth_headers

    admin = auth_headers(alarm_site)
    for user in ({"name": "acc-none", "cameras": []}, {"name": "vigil"}, {"name": "vigil-model"}):
        made = client.post("/api/users", headers=admin, json={**user, "password": PASSWORD})
        assert made.status_code == 400, user


def test_the_status_page_shows_a_limited_user_no_site_wide_figures(site, alarm_site):
    import re as regex

    client, _ = site
    page = TestClient(client.app)
    csrf = regex.search(r'name="csrf" value="([^"]+)"', page.get("/login").text).group(1)
    page.post("/login", data={"name": "acc-lina", "password": PASSWORD, "csrf": csrf})
    status = page.get("/status").text
    assert "lobby" in status and "parking" not in status
    assert "Audit entries" not in status and "Store size" not in status


def test_a_blank_bearer_beside_the_cookie_still_needs_the_csrf_token(site, alarm_site):
    import asyncio

    from fastapi import HTTPException
    from starlette.requests import Request

    from web.deps import signed_in_user

    client, _ = site
    signed = client.post("/api/auth/login", json={"name": "acc-omar", "password": PASSWORD})
    # the raw bytes curl sends for $'Bearer \xa0' (a test client would re-encode them)
    headers = [
        (b"authorization", b"Bearer \xa0"),
        (b"cookie", f"vigil_session={signed.json()['token']}".encode()),
    ]
    scope = {"type": "http", "method": "POST", "path": "/api/reports", "headers": headers}
    with pytest.raises(HTTPException) as refused:
        asyncio.run(signed_in_user(Request(scope), alarm_site))
    assert refused.value.status_code == 403 and "CSRF" in refused.value.detail


# -- the second round of the hostile test --------------------------------------------------
def test_text_that_is_not_ascii_in_a_secret_or_a_path_is_refused_never_a_500(site):
    client, _ = site
    raw = TestClient(client.app, follow_redirects=False)
    for header in (
        {"Authorization": b"Bearer v1.abc.\xe9"},
        {"Cookie": b"vigil_session=v1.a.\xe9"},
    ):
        assert raw.get("/api/auth/me", headers=header).status_code == 401, header
    for path in ("/frames/%E2%82%AC", "/incidents/%E2%82%AC", "/ui/alarms/%E2%82%AC"):
        page = raw.get(path)
        assert page.status_code == 303 and "%E2%82%AC" in page.headers["location"], path
    form = raw.get("/login").text
    assert raw.post("/login", data={"name": "x", "password": "y", "csrf": "é"}).status_code == 403
    assert "csrf" in form


def test_the_live_alarm_stream_ends_when_its_sign_in_does(site, monkeypatch):
    import threading

    import web.pages.alarms as alarm_pages

    monkeypatch.setattr(alarm_pages, "EVENTS_POLL_S", 0.1)
    client, _ = site
    lina = bearer(client, "acc-lina")
    seen: list[str] = []

    def listen() -> None:
        with client.stream("GET", "/ui/alarms/events", headers=lina) as stream:
            for line in stream.iter_lines():
                seen.append(line)
                if line == "event: alarms":  # the first rows arrived: sign out now
                    client.post("/api/auth/logout", headers=lina)

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    listener.join(timeout=30)
    assert not listener.is_alive(), "the stream went on after its user signed out"
    assert "event: signed-out" in seen


def _widened_to_parking(client, alarm_site, event: str, seconds: float, drafter, editor,
                        note: str = ""):  # fmt: skip
    """A lobby alarm's incident, drafted by ``drafter``, then given a parking frame by
    ``editor`` (who sees both cameras); its alarm and the incident as drafted."""
    alarm = verified_lobby_alarm(alarm_site, event, seconds)
    incident = client.post("/api/reports", json={"alarm_id": alarm.id}, headers=drafter).json()
    parking = alarm_site.store.keyframes.list("parking", limit=1)[0]
    report = incident["report"]
    wider = {**report, "evidence": [*report["evidence"], {**report["evidence"][0],
                                                           "frame_id": parking.id}]}  # fmt: skip
    body = {"report": wider, "version": incident["version"], "note": note}
    edited = client.put(f"/api/reports/{incident['id']}", headers=editor, json=body)
    assert edited.status_code == 200
    return alarm, incident


def test_old_versions_of_an_incident_are_hidden_once_it_covers_another_camera(site, alarm_site):
    client, _ = site
    lina, omar = bearer(client, "acc-lina"), bearer(client, "acc-omar")
    _, incident = _widened_to_parking(
        client, alarm_site, "access-old-versions", 22, lina, omar, note="plate AB-123-C"
    )
    missing = client.get("/api/reports/0123456789abcdef?version=1", headers=lina)
    for path in ("?version=1", "?version=99", "/export?format=json&version=1"):
        answer = client.get(f"/api/reports/{incident['id']}{path}", headers=lina)
        assert answer.status_code == 404 and "AB-123-C" not in answer.text, path
        assert answer.json()["detail"].replace(incident["id"], "X") == missing.json()[
            "detail"
        ].replace("0123456789abcdef", "X")


def test_the_machines_flags_and_actions_are_not_an_editors_and_withdrawn_stays_so(site, alarm_site):
    client, _ = site
    omar = bearer(client, "acc-omar")
    alarm = verified_lobby_alarm(alarm_site, "access-forged-flags", 20)
    incident = client.post("/api/reports", json={"alarm_id": alarm.id}, headers=omar).json()
    report = incident["report"]
    forged = {**report, "flags": ["checked by supervisor: genuine"],
              "recommended_actions": ["Call the police now"]}  # fmt: skip
    body = {"report": forged, "version": incident["version"]}
    edited = client.put(f"/api/reports/{incident['id']}", headers=omar, json=body).json()
    assert edited["report"]["flags"] == report["flags"]
    assert edited["report"]["recommended_actions"] == report["recommended_actions"]
    review = {"decision": "overrule", "reason": "the cleaner"}
    client.post(f"/api/alarms/{alarm.id}/review", json=review, headers=omar)
    withdrawn = client.get(f"/api/reports/{incident['id']}", headers=omar).json()
    assert withdrawn["status"] == "withdrawn"
    body = {"report": withdrawn["report"], "version": withdrawn["version"]}
    revived = client.put(f"/api/reports/{incident['id']}", headers=omar, json=body)
    assert revived.status_code == 409 and "confirm the alarm again" in revived.text


def test_a_limited_user_cannot_review_an_alarm_whose_report_covers_more(site, alarm_site):
    client, _ = site
    lina, omar = bearer(client, "acc-lina"), bearer(client, "acc-omar")
    alarm, incident = _widened_to_parking(client, alarm_site, "access-wider-review", 28, omar, omar)
    review = {"decision": "overrule", "reason": "x"}
    refused = client.post(f"/api/alarms/{alarm.id}/review", json=review, headers=lina)
    assert refused.status_code == 403 and "parking" not in refused.text
    assert client.get(f"/api/reports/{incident['id']}", headers=omar).json()["version"] == 2


def test_markdown_fences_and_list_markers_in_report_text_stay_text(site, alarm_site):
    client, _ = site
    omar = bearer(client, "acc-omar")
    alarm = verified_lobby_alarm(alarm_site, "access-markdown", 18)
    incident = client.post("/api/reports", json={"alarm_id": alarm.id}, headers=omar).json()
    said = [{"text": "~~~", "frames": []}, {"text": "- a list", "frames": []},
            {"text": "1. first", "frames": []}]  # fmt: skip
    body = {"report": {**incident["report"], "description": said}, "version": incident["version"]}
    assert client.put(f"/api/reports/{incident['id']}", headers=omar, json=body).status_code == 200
    md = client.get(f"/api/reports/{incident['id']}/export?format=md", headers=omar).text
    assert "\n~~~" not in md and "\\~\\~\\~" in md
    assert "\\- a list" in md and "1\\. first" in md


def test_an_incident_of_more_frames_than_a_report_holds_is_refused(site, alarm_site):
    client, _ = site
    omar = bearer(client, "acc-omar")
    frames = [k.id for k in alarm_site.store.keyframes.list("lobby", limit=13)]
    assert len(frames) == 13
    refused = client.post("/api/reports", json={"frame_ids": frames}, headers=omar)
    assert refused.status_code == 400 and "at most 12" in refused.text
