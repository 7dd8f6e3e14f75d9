"""Alarms in and verdicts out through a real mosquitto broker (Debian's, started here)."""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import time
import uuid
from datetime import timedelta
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from agent.mqtt import MqttLink, adapt
from agent.services import Services
from tests.conftest import LOBBY_START
from vigil.adapters import SourceAlarm
from vigil.errors import InvalidInputError

pytestmark = pytest.mark.slow
PAYLOADS = Path(__file__).resolve().parents[1] / "data" / "alarms"
MOSQUITTO = "/usr/sbin/mosquitto"  # make system-deps
ROUTES = {
    "frigate/events": "frigate",
    "frigate/reviews": "frigate",
    "axis/+/event/#": "axis",
    "vigil/alarms": "vigil",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
    return found


@pytest.fixture(scope="module")
def broker(tmp_path_factory) -> str:
    port = free_port()
    conf = tmp_path_factory.mktemp("mosquitto") / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\n")
    server = subprocess.Popen([MOSQUITTO, "-c", str(conf)], stderr=subprocess.PIPE)
    try:
        wait_for(lambda: _listening(port), 10, "mosquitto to listen")
        yield f"mqtt://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def client_of(url: str) -> mqtt.Client:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"test-{uuid.uuid4().hex}")
    client.connect("127.0.0.1", int(url.rsplit(":", 1)[1]))
    client.loop_start()
    # paho queues what is published before the broker's CONNACK, and its resend of that
    # queue can race the next publish: publish only once connected
    wait_for(client.is_connected, 10, "the test client to connect")
    return client


@pytest.fixture
def mqtt_site(alarm_site, broker):
    settings = alarm_site.settings.model_copy(update={"mqtt_url": broker})
    desk = Services(alarm_site).desk  # a desk of its own: its senders are the test's
    while desk.verify_next() is not None:  # start from an empty queue
        pass
    return settings, desk


def test_frigate_and_axis_messages_become_alarms_and_bad_ones_are_logged(mqtt_site, caplog):
    caplog.set_level(logging.INFO, logger="agent.mqtt")
    settings, desk = mqtt_site
    link = MqttLink(settings, "test-intake").take_alarms(desk, ROUTES).start()
    publisher = client_of(settings.mqtt_url)
    try:
        assert link.connected.wait(10)
        when = (LOBBY_START + timedelta(seconds=12)).timestamp()
        event = json.loads((PAYLOADS / "frigate_event_new.json").read_text())
        event["after"]["start_time"] = when
        event["after"]["id"] = event_id = uuid.uuid4().hex
        pir = json.loads((PAYLOADS / "axis_pir.json").read_text())
        pir["timestamp"] = int(when * 1000)
        ours = {
            "source_event_id": uuid.uuid4().hex,
            "camera": "de hal",
            "time": (LOBBY_START + timedelta(seconds=14)).isoformat(),
            "type": "intrusion",
        }
        sent = [
            ("frigate/events", json.dumps(event)),
            ("frigate/events", json.dumps({**event, "type": "update"})),  # the same alarm
            ("frigate/events", "{not json"),
            ("axis/lobby/event/tns1:Device/tnsaxis:Sensor/PIR", json.dumps(pir)),
            ("vigil/alarms", json.dumps(ours)),  # Vigil's own shape, as POST /api/alarms
        ]
        for topic, payload in sent:
            publisher.publish(topic, payload, qos=1).wait_for_publish(5)
        wait_for(lambda: caplog.text.count("MQTT axis/lobby") == 1, 15, "the Axis alarm")
        wait_for(lambda: "(again)" in caplog.text, 15, "the repeated Frigate event")
        wait_for(lambda: "MQTT vigil/alarms: alarm" in caplog.text, 15, "Vigil's own alarm")
    finally:
        publisher.loop_stop()
        link.stop()
    frigate = [a for a in desk.list(limit=50) if a.source == "mqtt:frigate"]
    assert [a.source_event_id for a in frigate].count(f"event:{event_id}") == 1
    axis = [a for a in desk.list(limit=50) if a.source == "mqtt:axis"]
    assert len(axis) == 1 and axis[0].camera == "lobby"
    [own] = [a for a in desk.list(limit=50) if a.source == "mqtt:vigil"]
    assert own.camera == "lobby" and own.kind == "intrusion"
    assert "message not taken in: the payload is not JSON" in caplog.text


def test_each_verdict_is_published_for_nvrs(mqtt_site):
    settings, desk = mqtt_site
    received: list[mqtt.MQTTMessage] = []
    listener = client_of(settings.mqtt_url)
    listener.on_message = lambda client, userdata, message: received.append(message)
    listener.subscribe("vigil/verdicts/#", qos=1)
    link = MqttLink(settings, "test-verdicts").start()
    desk.senders.append(link.publish_verdict)
    try:
        assert link.connected.wait(10)
        time.sleep(0.3)  # the listener's subscription is in place
        record, _ = desk.take_in(
            "nvr",
            SourceAlarm(uuid.uuid4().hex, "lobby", LOBBY_START + timedelta(seconds=12), "pir"),
        )
        while desk.verify_next() is not None:
            pass
        message = wait_for(lambda: received and received[-1], 10, "the verdict message")
    finally:
        listener.loop_stop()
        link.stop()
    assert message.topic == "vigil/verdicts/lobby"
    verdict = json.loads(message.payload)
    assert verdict["id"] == record.id and verdict["status"] == "verified"
    assert verdict["verdict"]["verdict"] == "confirmed"
    assert verdict["verdict"]["decided_by"] == ["sample/lobby/after-hours"]
    assert verdict["time"].endswith(("+01:00", "+02:00"))  # the site's zone, as the API


def test_an_axis_topic_names_its_camera_and_a_filter_without_one_is_refused():
    pir = (PAYLOADS / "axis_pir.json").read_bytes()
    alarm = adapt("axis", "axis/+/event/#", "axis/gate/event/tns1:Device/PIR", pir)
    assert alarm is not None and alarm.camera == "gate"
    with pytest.raises(InvalidInputError, match="no '\\+' for the camera"):
        adapt("axis", "axis/#", "axis/gate/event", pir)
