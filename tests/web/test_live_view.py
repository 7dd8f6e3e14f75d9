"""Live view: a camera's H.264 passed through as fragmented MP4, to the users who may see
that camera, on the API and on the pages. The cameras are short H.264 files the site
policy names as streams (a file is played at its own pace)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.conftest import walking_figure_frames, write_video
from tests.web.conftest import auth_headers
from vigil.context import Context
from vigil.errors import VigilError
from vigil.media.live_view import LiveFeed
from vigil.models import ModelRegistry
from vigil.policies import load_policy
from vigil.settings import Settings
from vigil.store import Store
from web.app import create_app
from web.deps import get_context

SECONDS, FPS = 2, 10


def boxes(data: bytes) -> list[bytes]:
    """The top-level MP4 box types, in order."""
    kinds, at = [], 0
    while at + 8 <= len(data):
        size = int.from_bytes(data[at : at + 4], "big")
        kinds.append(data[at + 4 : at + 8])
        at += size
        assert size >= 8
    return kinds


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Context:
    """A site with two H.264 cameras, one MPEG-4 part 2 camera and one without a stream."""
    folder = tmp_path_factory.mktemp("live-site")
    frames = walking_figure_frames(SECONDS, FPS)
    lobby = write_video(folder / "lobby.mp4", frames, FPS, codec="libx264")
    parking = write_video(folder / "parking.mp4", frames, FPS, codec="libx264")
    old = write_video(folder / "old.avi", frames, FPS)
    policy = folder / "site.yaml"
    policy.write_text(
        "site: live\nname: Live test site\ntimezone: Europe/Amsterdam\ncameras:\n"
        f"  lobby:\n    stream: {lobby}\n  parking:\n    stream: {parking}\n"
        f"  old:\n    stream: {old}\n  attic: {{}}\n",
        encoding="utf-8",
    )
    settings = Settings(data_dir=folder / "data", policy_file=policy)
    ctx = Context(settings, Store(settings), ModelRegistry(settings))
    ctx.store.users.add("lia", "operator", "a long passphrase", "test", cameras=["lobby"])
    return ctx


@pytest.fixture
def client(site) -> TestClient:
    app = create_app(alarm_services=False)
    app.dependency_overrides[get_context] = lambda: site
    return TestClient(app)


def test_a_feed_passes_h264_through_as_one_fragment_per_frame(site):
    feed = LiveFeed(_stream(site, "lobby"))
    codec, header = feed.start()
    fragments = []
    while (fragment := feed.next_fragment()) is not None:
        fragments.append(fragment)
    feed.close()
    assert re.fullmatch(r"avc1\.[0-9A-F]{6}", codec)
    assert boxes(header) == [b"ftyp", b"moov"]
    assert all(boxes(f)[:2] == [b"moof", b"mdat"] for f in fragments)
    assert len(fragments) == SECONDS * FPS  # every frame, from the first keyframe
    assert feed.next_fragment() is None  # closed: nothing more, no error


def test_a_stream_that_is_not_h264_is_refused_clearly(site):
    with pytest.raises(VigilError, match="H.264"):
        LiveFeed(_stream(site, "old")).start()
    with pytest.raises(VigilError, match="cannot be opened"):
        LiveFeed(str(site.settings.data_dir / "no-such-camera.mp4")).start()


def test_the_api_streams_a_camera_live_to_who_may_see_it(client, site):
    admin = auth_headers(site)
    response = client.get("/api/cameras/lobby/live.mp4", headers=admin)
    assert response.status_code == 200 and response.headers["content-type"] == "video/mp4"
    assert re.fullmatch(r"avc1\.[0-9A-F]{6}", response.headers["x-codec"])
    kinds = boxes(response.content)
    assert kinds[:2] == [b"ftyp", b"moov"] and kinds.count(b"moof") == SECONDS * FPS
    viewed = [e for e in site.store.audit.entries() if e.action == "live.view"]
    assert viewed and viewed[-1].subject == "camera:lobby"

    lia = auth_headers(site, "lia")
    assert client.get("/api/cameras/parking/live.mp4", headers=lia).status_code == 403
    assert client.get("/api/cameras/lobby/live.mp4", headers=lia).status_code == 200
    no_stream = client.get("/api/cameras/attic/live.mp4", headers=admin)
    assert no_stream.status_code == 404 and "no live stream" in no_stream.json()["detail"]
    refused = client.get("/api/cameras/old/live.mp4", headers=admin)
    assert refused.status_code == 502 and "H.264" in refused.json()["detail"]
    assert client.get("/api/cameras/lobby/live.mp4").status_code == 401


def test_live_views_beyond_the_limits_are_refused_and_each_ended_view_frees_its_place(client, site):
    """One user may hold a share of the server's live views, never all of them; every
    view that ended (whole, refused or failed) gave its place back."""
    views = client.app.state.live_views
    admin = auth_headers(site)
    taken = 0
    while views.take("test-admin") is None:
        taken += 1
    try:
        assert taken == site.settings.live_views_per_user < site.settings.live_views_max
        mine = client.get("/api/cameras/lobby/live.mp4", headers=admin)
        assert mine.status_code == 503 and "close one first" in mine.json()["detail"]
        lia = client.get("/api/cameras/lobby/live.mp4", headers=auth_headers(site, "lia"))
        assert lia.status_code == 200  # another user still has places
        while views.take("someone-else") is None:
            taken += 1
        full = client.get("/api/cameras/lobby/live.mp4", headers=auth_headers(site, "lia"))
        assert full.status_code == 503 and "on the server" in full.json()["detail"]
    finally:
        for _ in range(site.settings.live_views_per_user):
            views.give_back("test-admin")
        for _ in range(taken - site.settings.live_views_per_user):
            views.give_back("someone-else")
    again = client.get("/api/cameras/lobby/live.mp4", headers=admin)
    assert again.status_code == 200


def test_a_view_that_fails_after_the_camera_opened_gives_its_place_back(client, site, monkeypatch):
    def refused(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(site.store.audit, "record", refused)
    failed = client.get("/api/cameras/lobby/live.mp4", headers=auth_headers(site))
    assert failed.status_code >= 500
    assert client.app.state.live_views.take("test-admin") is None  # the place came back
    client.app.state.live_views.give_back("test-admin")
    assert client.app.state.live_views._open == {}


def test_the_live_pages_show_only_the_users_cameras_in_their_language(client, site):
    lia = auth_headers(site, "lia")
    grid = client.get("/live", headers=lia, cookies={"vigil_lang": "nl"})
    assert grid.status_code == 200
    assert 'data-live="/api/cameras/lobby/live.mp4"' in grid.text
    assert "parking" not in grid.text and "Verbinden…" in grid.text
    assert client.get("/live/parking", headers=lia).status_code == 403
    one = client.get("/live/lobby", headers=auth_headers(site))
    assert one.status_code == 200 and "/timeline?camera=lobby" in one.text
    assert client.get("/live/attic", headers=auth_headers(site)).status_code == 404


def _stream(site: Context, camera: str) -> str:
    """A camera's stream as the site policy names it."""
    policy = load_policy(site.settings.policy_file)
    return policy.cameras[camera].stream


def test_a_browser_refused_a_page_gets_a_page_in_its_language_not_json(client, site):
    lia = {**auth_headers(site, "lia"), "Accept": "text/html,application/xhtml+xml"}
    refused = client.get("/live/parking", headers=lia, cookies={"vigil_lang": "nl"})
    assert refused.status_code == 403 and refused.headers["content-type"].startswith("text/html")
    assert "Niet toegestaan" in refused.text and "you may not" not in refused.text.lower()
    assert "parking" not in refused.text.split("<main")[1]  # no echo of what was asked
    missing = client.get("/live/attic", headers={**auth_headers(site), "Accept": "text/html"})
    assert missing.status_code == 404 and "Not found" in missing.text
    api = client.get("/api/cameras/parking/live.mp4", headers=lia)  # the API stays JSON
    assert api.status_code == 403 and "detail" in api.json()
