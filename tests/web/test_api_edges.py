"""The API's edges: times read as the CLI reads them, request ids, body limits, offline docs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.web.conftest import signed_client
from web.app import create_app
from web.deps import get_context
from web.server import listening_socket

LIMIT = 64 * 1024


@pytest.fixture
def app(searchable):
    app = create_app(max_body_bytes=LIMIT)
    app.dependency_overrides[get_context] = lambda: searchable

    @app.get("/api/test-crash", include_in_schema=False)
    def crash() -> None:
        raise RuntimeError("a bug deep inside")

    return app


@pytest.fixture
def client(app, searchable):
    return signed_client(app, searchable, raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("2026-11-20T22:50", True),  # Amsterdam time: 21:50 UTC, before the 22:00 UTC clip
        ("2026-11-20T22:50Z", False),  # with a zone of its own: after the clip
        ("2026-11-20T22:50+01:00", True),
    ],
)
def test_zone_less_times_are_read_in_the_site_zone(searchable, value, found):
    from vigil.context import Context

    amsterdam = searchable.settings.model_copy(update={"timezone": "Europe/Amsterdam"})
    site = Context(amsterdam, searchable.store, searchable.models)
    app = create_app()
    app.dependency_overrides[get_context] = lambda: site
    response = signed_client(app, site).get("/api/search", params={"q": "car", "from": value})
    assert response.status_code == 200, response.text
    assert bool(response.json()["moments"]) is found


def test_a_bare_date_as_upper_bound_includes_that_day(client):
    body = client.get("/api/search", params={"q": "a red car", "to": "2026-11-20"}).json()
    assert body["moments"], body  # the clip was recorded at 22:00 on that day


def test_a_bad_time_is_a_400_naming_the_parameter(client):
    response = client.get("/api/search", params={"q": "car", "from": "yesterday-ish"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("from 'yesterday-ish' is not an ISO-8601")


def test_an_unexpected_error_is_json_with_a_request_id_and_a_log_line(client, caplog):
    response = client.get("/api/test-crash", headers={"X-Request-ID": "abc-123"})
    assert response.status_code == 500
    assert response.json() == {
        "detail": "internal error; see the server log",
        "request_id": "abc-123",
    }
    assert response.headers["x-request-id"] == "abc-123"
    assert any("abc-123" in r.getMessage() and r.exc_info for r in caplog.records)


def test_every_response_and_error_carries_a_request_id(client):
    ok = client.get("/api/search", params={"q": "car"})
    missing = client.get("/api/thumbnails/nope.jpg")
    assert len(ok.headers["x-request-id"]) >= 8
    assert missing.status_code == 404 and missing.json()["request_id"]


def test_a_body_over_the_limit_is_413_before_it_is_read(client):
    big = {"question": "x" * (LIMIT * 2)}
    response = client.post("/api/chat", json=big)
    assert response.status_code == 413 and "limit" in response.json()["detail"]


def test_a_chunked_body_over_the_limit_is_413(client):
    def chunks():
        for _ in range(LIMIT // 1024 + 8):
            yield b"x" * 1024

    response = client.post(
        "/api/chat", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_a_validation_error_never_echoes_a_huge_input(client):
    response = client.post("/api/chat", json={"question": "y" * 50_000})
    assert response.status_code == 422
    assert len(response.content) < 2_000 and "yyyy" not in response.text


def test_docs_load_their_assets_from_this_server(client):
    page = client.get("/docs").text
    assert "/static/swagger/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    script = client.get("/static/swagger/swagger-ui-bundle.js")
    css = client.get("/static/swagger/swagger-ui.css")
    assert script.status_code == 200 and len(script.content) > 100_000
    assert css.status_code == 200


def test_search_results_name_the_file_not_where_it_lives(client):
    moment = client.get("/api/search", params={"q": "a red car", "k": 1}).json()["moments"][0]
    assert moment["source"] == "car-detection.mp4"


def test_serve_on_a_busy_port_is_one_error_line_and_exit_2():
    taken = listening_socket("127.0.0.1", 0)
    port = taken.getsockname()[1]
    try:
        done = subprocess.run(
            [sys.executable, "-m", "cli.main", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        taken.close()
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot listen on 127.0.0.1"), lines
    assert "Traceback" not in done.stderr
