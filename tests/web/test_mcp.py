"""`vigil mcp` tried with the MCP SDK's own client: in-process, over streamable HTTP behind
bearer tokens, and over stdio as `vigil mcp` itself; a camera-limited token is refused
another camera's things, and every call is audited."""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
import time
from pathlib import Path

import anyio
import httpx
import httpx2
import pytest
import uvicorn
import yaml
from mcp.client import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from agent.services import services_of
from tests.conftest import verified_lobby_alarm
from vigil.signing import issue_session, session_secret
from web.mcp import TOKEN, VigilMCP, http_app

REPO = Path(__file__).resolve().parents[2]
TOOLS = {
    "search_moments", "ask_assistant", "count", "tracks", "get_frame", "list_alarms",
    "get_alarm", "review_alarm", "draft_incident", "get_incident",
}  # fmt: skip


def token_of(ctx, name: str, role: str = "operator", cameras=None) -> str:
    if ctx.store.users.get(name) is None:
        ctx.store.users.add(name, role, "a-long-test-password", "test", cameras)
    return issue_session(session_secret(ctx.settings.data_dir), name, time.time() + 3600)


@pytest.fixture(scope="module")
def site(alarm_site):
    """The sample site with one verified lobby alarm, an operator of every camera and one
    limited to the parking camera."""
    alarm = verified_lobby_alarm(alarm_site, "mcp-lobby-1", 12)
    return {
        "ctx": alarm_site,
        "alarm": alarm,
        "all": token_of(alarm_site, "mcp-all"),
        "parking": token_of(alarm_site, "mcp-parking", cameras=["parking"]),
        "lobby_frame": alarm.verdict.evidence[0].frame_id,
    }


def text_of(result) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


def data_of(result):
    assert not result.is_error, text_of(result)
    if result.structured_content is None:
        return json.loads(text_of(result))
    return result.structured_content.get("result", result.structured_content)


async def as_user(ctx, token: str, work):
    """Run ``work(client)`` against the server in-process, as the user of ``token``."""
    TOKEN.set(token)
    async with Client(VigilMCP(services_of(ctx)).server) as client:
        return await work(client)


def test_tools_resources_and_a_frame_as_an_image(site):
    ctx = site["ctx"]

    async def work(client):
        tools = {t.name for t in (await client.list_tools()).tools}
        alarm = data_of(await client.call_tool("get_alarm", {"alarm_id": site["alarm"].id}))
        frame = await client.call_tool("get_frame", {"frame_id": site["lobby_frame"]})
        found = data_of(await client.call_tool("search_moments", {"query": "a person", "k": 3}))
        people = data_of(await client.call_tool("count", {"what": "people", "camera": "lobby"}))
        cameras = await client.read_resource("vigil://cameras")
        policy = await client.read_resource("vigil://policy")
        return tools, alarm, frame, found, people, cameras, policy

    tools, alarm, frame, found, people, cameras, policy = anyio.run(as_user, ctx, site["all"], work)
    assert tools >= TOOLS
    assert alarm["verdict"]["verdict"] == "confirmed"
    assert alarm["verdict"]["decided_by"] == ["sample/lobby/after-hours"]
    assert frame.content[0].type == "image" and frame.content[0].mime_type == "image/jpeg"
    assert json.loads(frame.content[1].text)["camera"] == "lobby"
    assert found["moments"] and {m["camera"] for m in found["moments"]} <= {"lobby", "parking"}
    assert people["what"] == "person" and people["count"] >= 1 and people["frames"]
    names = {c["name"] for c in json.loads(cameras.contents[0].text)}
    assert {"lobby", "parking"} <= names
    assert "sample/lobby/after-hours" in policy.contents[0].text
    entries = ctx.store.audit.entries(actor="mcp-all", limit=500)
    through = {e.action for e in entries if e.detail.get("via") == "mcp"}
    assert through >= {"alarm.read", "frame.view", "search", "tracks.count", "policy.read"}
    searched = next(e for e in entries if e.action == "search")
    assert searched.detail["moments"] == [m["best_keyframe"] for m in found["moments"]]


def test_a_camera_limited_token_is_refused_another_cameras_things(site):
    ctx = site["ctx"]
    alarm_id = site["alarm"].id

    async def work(client):
        return {
            "search": await client.call_tool(
                "search_moments", {"query": "x", "cameras": ["lobby"]}
            ),
            "alarm": await client.call_tool("get_alarm", {"alarm_id": alarm_id}),
            "review": await client.call_tool(
                "review_alarm", {"alarm_id": alarm_id, "decision": "confirm", "reason": "seen"}
            ),
            "frame": await client.call_tool("get_frame", {"frame_id": site["lobby_frame"]}),
            "incident": await client.call_tool("draft_incident", {"alarm_id": alarm_id}),
            "tracks": await client.call_tool("tracks", {"limit": 200}),
            "count": await client.call_tool("count", {"what": "people"}),
            "alarms": await client.call_tool("list_alarms", {}),
            "ask": await client.call_tool("ask_assistant", {"question": "who was in the lobby?"}),
            "policy": await client.read_resource("vigil://policy"),
        }

    got = anyio.run(as_user, ctx, site["parking"], work)
    assert got["search"].is_error and "you may not see camera 'lobby'" in text_of(got["search"])
    for name in ("alarm", "review", "incident"):
        assert got[name].is_error and "no alarm" in text_of(got[name]), name
    assert got["frame"].is_error and "no stored frame" in text_of(got["frame"])
    assert {t["camera"] for t in data_of(got["tracks"])} == {"parking"}
    assert set(data_of(got["count"])["by_camera"]) == {"parking"}
    assert all(a["camera"] == "parking" for a in data_of(got["alarms"]))
    assert got["ask"].is_error and "limited to some" in text_of(got["ask"])
    policy = yaml.safe_load(got["policy"].contents[0].text)
    assert list(policy["cameras"]) == ["parking"]
    assert not any("/lobby/" in r["id"] for r in policy["rules"])
    assert all(r["camera"] in ("parking", ["parking"], "all") for r in policy["rules"])
    assert ctx.store.alarms.get(alarm_id).review is None  # nothing was changed
    refused = ctx.store.audit.entries(actor="mcp-parking", limit=500)
    assert any(e.action == "alarm.review" and "refused" in e.detail for e in refused)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def http_url(site):
    port = free_port()
    config = uvicorn.Config(
        http_app(services_of(site["ctx"])), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/mcp"
    server.should_exit = True
    thread.join(10)


async def over_http(url: str, token: str, tool: str, args: dict):
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=60) as http,
        Client(streamable_http_client(url, http_client=http)) as client,
    ):
        return await client.call_tool(tool, args)


def test_over_http_each_request_acts_as_its_own_bearer_token(site, http_url):
    alarm = {"alarm_id": site["alarm"].id}
    seen = anyio.run(over_http, http_url, site["all"], "get_alarm", alarm)
    refused = anyio.run(over_http, http_url, site["parking"], "get_alarm", alarm)
    again = anyio.run(over_http, http_url, site["all"], "get_alarm", alarm)
    assert not seen.is_error and data_of(seen)["camera"] == "lobby"
    assert refused.is_error and "no alarm" in text_of(refused)
    assert not again.is_error  # the limited caller before did not stay the caller
    hello = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        answer = httpx.post(http_url, json=hello, headers=headers)
        assert answer.status_code == 401 and "not signed in" in answer.json()["detail"]
    huge = {**hello, "params": {"cursor": "x" * 3_000_000}}  # over the API's body limit
    signed = {"Authorization": f"Bearer {site['all']}"}
    assert httpx.post(http_url, json=huge, headers=signed).status_code == 413


def test_vigil_mcp_over_stdio_acts_as_the_token_of_its_environment(site):
    ctx = site["ctx"]
    env = {
        **os.environ,
        "VIGIL_TOKEN": site["parking"],
        "VIGIL_DATA_DIR": str(ctx.settings.data_dir),
        "VIGIL_POLICY_FILE": str(ctx.settings.policy_file),
    }
    command = StdioServerParameters(
        command=str(Path(sys.executable).with_name("vigil")), args=["mcp"], env=env, cwd=REPO
    )

    async def work():
        async with Client(command) as client:
            tools = {t.name for t in (await client.list_tools()).tools}
            alarm = await client.call_tool("get_alarm", {"alarm_id": site["alarm"].id})
            tracks = await client.call_tool("tracks", {"camera": "parking", "limit": 3})
            return tools, alarm, tracks

    tools, alarm, tracks = anyio.run(work)
    assert tools >= TOOLS
    assert alarm.is_error and "no alarm" in text_of(alarm)
    assert data_of(tracks) and {t["camera"] for t in data_of(tracks)} == {"parking"}


def test_the_policy_hands_out_no_stream_address_and_oversized_calls_are_refused(site, monkeypatch):
    ctx = site["ctx"]
    services = services_of(ctx)
    policy = services.policy
    secret = "rtsp://admin:S3cret@10.0.0.5/stream1"
    cameras = {n: c.model_copy(update={"stream": secret}) for n, c in policy.cameras.items()}
    monkeypatch.setattr(
        type(services), "policy", property(lambda _: policy.model_copy(update={"cameras": cameras}))
    )
    before = ctx.store.audit.head()[0]

    async def work(client):
        return (
            await client.read_resource("vigil://policy"),
            await client.call_tool("search_moments", {"query": "x" * 5000}),
            await client.call_tool("search_moments", {"query": "x", "cameras": ["p"] * 21}),
            await client.call_tool("draft_incident", {"frame_ids": ["f"] * 51}),
        )

    shown, long_query, many_cameras, many_frames = anyio.run(as_user, ctx, site["parking"], work)
    read = yaml.safe_load(shown.contents[0].text)
    assert "S3cret" not in shown.contents[0].text and "stream" not in read["cameras"]["parking"]
    # only the contacts the parking rules call, not every phone number of the site
    assert [c["name"] for c in read["contacts"]] == ["Night guard"]
    for refused in (long_query, many_cameras, many_frames):
        assert refused.is_error
    assert ctx.store.audit.head()[0] == before + 1  # the policy read; nothing refused early


def test_a_limited_user_gets_their_cameras_alarms_however_many_others_are_newer(site):
    from datetime import timedelta

    from tests.conftest import PARKING_START
    from vigil.adapters import SourceAlarm

    ctx = site["ctx"]
    desk = services_of(ctx).desk
    newer = SourceAlarm("mcp-parking-1", "parking", PARKING_START + timedelta(seconds=6), "pir")
    desk.take_in("nvr", newer)
    while desk.verify_next() is not None:
        pass
    lobby_only = token_of(ctx, "mcp-lobby", cameras=["lobby"])

    async def work(client):
        return await client.call_tool("list_alarms", {"limit": 1})

    (shown,) = data_of(anyio.run(as_user, ctx, lobby_only, work))  # the newer parking one aside
    assert shown["camera"] == "lobby"
