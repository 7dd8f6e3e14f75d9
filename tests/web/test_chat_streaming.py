"""A real HTTP server: clients that leave mid-answer, a busy model, and stopping the server."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest
import uvicorn

from tests.web.conftest import auth_headers
from vigil.errors import Cancelled
from web.app import create_app
from web.deps import get_chat_agent, get_context, get_settings
from web.server import listening_socket, server_config

QUESTION = {"question": "Was there a red car in the parking lot?"}
LIVENESS_S = 30  # a bound for "it did happen", far above the expected time; not a benchmark


class SlowModel:
    """Writes a long answer a few characters at a time and notes whether it was stopped."""

    name = "slow"

    def __init__(self) -> None:
        self.started = threading.Event()
        self.stopped = threading.Event()

    def stream(self, messages, schema=None, max_tokens=256, cancel=None):
        self.started.set()
        yield '{"answer": "'
        try:
            for i in range(2000):  # numbered: the same words over and over are stopped
                if cancel is not None and cancel.is_set():
                    raise Cancelled("stopped")
                time.sleep(0.01)
                yield f"A red vehicle, {i} [F1]. "
            yield '"}'
        finally:
            self.stopped.set()


class Server:
    """uvicorn on a free localhost port in a thread, as `vigil serve` runs it."""

    def __init__(self, app, settings) -> None:
        sock = listening_socket("127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self.server = uvicorn.Server(server_config(app, settings, "warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]})
        self.thread.start()
        deadline = time.monotonic() + LIVENESS_S
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.server.started

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(LIVENESS_S)


@pytest.fixture
def serve(searchable, make_agent):
    servers = []

    def start(model, chat_wait_s: float = 20.0) -> Server:
        app = create_app()
        agent = make_agent(model)
        settings = searchable.settings.model_copy(update={"chat_wait_s": chat_wait_s})
        app.dependency_overrides[get_context] = lambda: searchable
        app.dependency_overrides[get_chat_agent] = lambda: agent
        app.dependency_overrides[get_settings] = lambda: settings
        server = Server(app, settings)
        server.headers = auth_headers(searchable)
        server.other_headers = auth_headers(searchable, "test-admin-2")
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def read_until_writing(response: httpx.Response):
    """Read until the model is writing the answer (a progress event with characters);
    return the line iterator, still open (httpx closes the response when an abandoned
    iterator is collected)."""
    lines = response.iter_lines()
    progress = False
    for line in lines:
        if progress and line.startswith("data: ") and json.loads(line[6:]).get("chars"):
            return lines
        progress = line == "event: progress"
    raise AssertionError("the model never started writing")


def test_a_client_leaving_mid_answer_stops_its_question(serve):
    slow = SlowModel()
    server = serve(slow)
    with httpx.Client(timeout=LIVENESS_S, headers=server.headers) as client:
        with client.stream("POST", f"{server.url}/api/chat", json=QUESTION) as response:
            read_until_writing(response)
        # the client is gone: the model stops writing, long before its 2,000 pieces
        assert slow.stopped.wait(LIVENESS_S)
        blank = client.post(f"{server.url}/api/chat", json={"question": " "})
    assert blank.status_code == 422


def test_the_same_agent_answers_after_a_client_left(serve):
    """The freeze itself: one agent, one lock; a departed client must not keep it."""

    class ThenFast(SlowModel):
        def __init__(self) -> None:
            super().__init__()
            self.calls = 0

        def stream(self, messages, schema=None, max_tokens=256, cancel=None):
            self.calls += 1
            if self.calls == 1:
                yield from super().stream(messages, schema, max_tokens, cancel)
            else:
                yield json.dumps({"answer": "A red vehicle appears [F1]."})

    model = ThenFast()
    server = serve(model, chat_wait_s=LIVENESS_S)
    with httpx.Client(timeout=LIVENESS_S, headers=server.headers) as client:
        with client.stream("POST", f"{server.url}/api/chat", json=QUESTION) as response:
            read_until_writing(response)
        second = client.post(f"{server.url}/api/chat", json=QUESTION)
    assert second.status_code == 200 and "event: answer" in second.text
    assert model.stopped.is_set()


def test_a_question_waiting_too_long_for_the_model_gets_503_with_retry_after(serve):
    slow = SlowModel()
    server = serve(slow, chat_wait_s=0.5)
    with (
        httpx.Client(timeout=LIVENESS_S, headers=server.headers) as client,
        client.stream("POST", f"{server.url}/api/chat", json=QUESTION) as response,
    ):
        still_reading = read_until_writing(response)
        again = client.post(f"{server.url}/api/chat", json=QUESTION)
        assert again.status_code == 409  # one question at a time per person
        with httpx.Client(timeout=LIVENESS_S, headers=server.other_headers) as other_operator:
            busy = other_operator.post(f"{server.url}/api/chat", json=QUESTION)
        assert next(still_reading) is not None  # the first answer still streams
    assert busy.status_code == 503, busy.text[:500]
    assert int(busy.headers["retry-after"]) >= 1
    body = busy.json()
    assert "another question" in body["detail"] and body["request_id"]


def test_stopping_the_server_stops_a_question_in_progress(serve):
    slow = SlowModel()
    server = serve(slow)
    with (
        httpx.Client(timeout=LIVENESS_S, headers=server.headers) as client,
        client.stream("POST", f"{server.url}/api/chat", json=QUESTION) as response,
    ):
        read_until_writing(response)
        server.stop()
        assert not server.thread.is_alive()
    assert slow.stopped.is_set()
