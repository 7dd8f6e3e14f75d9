"""Signed verdict callbacks, received by a real local HTTP server."""

from __future__ import annotations

import json
import threading
import time
import uuid
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from agent.outcomes import SignedCallbacks
from agent.services import Services
from tests.conftest import ALARM_SECRETS, LOBBY_START
from vigil.adapters import SourceAlarm
from vigil.errors import ConfigError
from vigil.signing import check_signature

pytestmark = pytest.mark.slow


class Receiver(BaseHTTPRequestHandler):
    answers: list[int] = []
    got: list[tuple[dict, bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.got.append((dict(self.headers), body))
        self.send_response(self.answers.pop(0) if self.answers else 200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def receiver():
    Receiver.answers, Receiver.got = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/vigil", Receiver
    server.shutdown()


def test_a_verdict_is_posted_signed_to_its_source_and_retried_after_a_5xx(alarm_site, receiver):
    url, seen = receiver
    seen.answers = [503]  # the first try fails, the second is taken
    desk = Services(alarm_site).desk  # a desk of its own: its senders are the test's
    while desk.verify_next() is not None:
        pass
    pauses: list[float] = []
    desk.senders.append(SignedCallbacks({"nvr": url}, ALARM_SECRETS, pause=pauses.append))
    record, _ = desk.take_in(
        "nvr", SourceAlarm(uuid.uuid4().hex, "lobby", LOBBY_START + timedelta(seconds=12), "pir")
    )
    while desk.verify_next() is not None:
        pass
    assert len(seen.got) == 2 and pauses == [1.0]
    headers, body = seen.got[-1]
    assert (
        check_signature(
            ALARM_SECRETS,
            headers["X-Vigil-Source"],
            headers["X-Vigil-Timestamp"],
            headers["X-Vigil-Signature"],
            body,
            time.time(),
            60,
        )
        == "nvr"
    )
    sent = json.loads(body)
    assert sent["id"] == record.id and sent["verdict"]["verdict"] == "confirmed"


def test_a_callback_for_a_source_without_a_secret_is_refused(receiver):
    url, _ = receiver
    with pytest.raises(ConfigError, match="stranger need a secret"):
        SignedCallbacks({"stranger": url}, ALARM_SECRETS)
