"""Alarm adapters on payloads shaped as Frigate, Axis and ONVIF send them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from vigil.adapters import from_axis, from_axis_notification, from_frigate, from_onvif
from vigil.errors import InvalidInputError

DATA = Path(__file__).parent / "data" / "alarms"


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text())


def test_a_frigate_event_uses_after_and_its_zone_snapshot_and_start_time():
    alarm = from_frigate(load("frigate_event_new.json"))
    assert alarm.source_event_id == "event:1732140012.345678-abc123"
    assert (alarm.camera, alarm.kind, alarm.zone) == ("lobby", "person", "table")
    assert alarm.time == datetime.fromtimestamp(1732140012.3, UTC)
    assert alarm.snapshot == "frigate:events/1732140012.345678-abc123/snapshot.jpg"
    assert "score 0.84" in alarm.text


def test_frigate_updates_are_the_same_alarm_and_ends_false_positives_and_genai_are_none():
    message = load("frigate_event_new.json")
    update = {**message, "type": "update"}
    assert from_frigate(update).source_event_id == from_frigate(message).source_event_id
    assert from_frigate({**message, "type": "end"}) is None
    assert from_frigate({"type": "genai", "after": {}}) is None
    only_before = {"type": "new", "before": {**message["before"], "false_positive": False}}
    assert from_frigate(only_before).camera == "lobby"  # "before" alone is accepted too
    assert from_frigate({**message, "after": {**message["after"], "false_positive": True}}) is None


def test_a_frigate_review_item_names_severity_objects_and_zone():
    alarm = from_frigate(load("frigate_review_new.json"))
    assert alarm.source_event_id == "review:1732140012.4-q7xw2a"
    assert (alarm.camera, alarm.kind, alarm.zone) == ("parking", "alert: car", "lanes")


def test_axis_events_are_alarms_while_active():
    pir = from_axis(load("axis_pir.json"), "lobby")
    assert pir.kind == "PIR" and pir.camera == "lobby"
    assert pir.time == datetime.fromtimestamp(1732140012.230, UTC)
    assert pir.source_event_id.startswith("axis:ACCC8E012345:onvif:Device/axis:Sensor/PIR")
    analytics = from_axis(load("axis_object_analytics.json"), "parking")
    assert analytics.kind == "Device1Scenario1: human"
    idle = load("axis_pir.json")
    idle["message"]["data"]["state"] = "0"
    assert from_axis(idle, "lobby") is None


def test_onvif_field_detector_and_motion_notifications():
    xml = (DATA / "onvif_field_detector.xml").read_bytes()
    alarm = from_onvif(xml, "plaza")
    assert alarm.kind == "ObjectsInside" and alarm.time == datetime(
        2024, 11, 20, 22, 0, 12, 300000, UTC
    )
    assert "Rule=MyFieldDetector1" in alarm.source_event_id
    motion = xml.replace(b"FieldDetector/ObjectsInside", b"CellMotionDetector/Motion").replace(
        b'Name="IsInside"', b'Name="IsMotion"'
    )
    assert from_onvif(motion, "plaza").kind == "Motion"
    assert from_onvif(xml.replace(b'Value="true"', b'Value="false"'), "plaza") is None


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: from_frigate([1, 2]), "not a JSON object"),
        (lambda: from_frigate({"type": "weird"}), "type new, update, end or genai"),
        (lambda: from_frigate({"type": "new", "after": {"camera": "x"}}), "has no 'id'"),
        (lambda: from_axis({"topic": "t"}, "lobby"), "has no 'timestamp'"),
        (lambda: from_onvif(b"<not xml", "plaza"), "not usable XML"),
        (lambda: from_onvif(b"<a><b/></a>", "plaza"), "no tt:Message"),
        (
            lambda: from_onvif(
                b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>', "plaza"
            ),
            "not usable XML",
        ),
    ],
)
def test_malformed_payloads_say_what_is_wrong(call, message):
    with pytest.raises(InvalidInputError, match=message):
        call()


FIELDS = {"event_id": "event", "time": "time", "type": "type", "zone": "zone"}
RECEIVED = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)


def test_an_axis_http_notification_reads_the_parameters_its_rule_templated():
    params = {"event": "4711", "time": "2026-11-20T22:00:12+01:00", "type": "PIR", "zone": "gate"}
    alarm = from_axis_notification(params, "lobby", FIELDS, RECEIVED)
    assert alarm.source_event_id == "axis-http:lobby:4711" and alarm.kind == "PIR"
    assert alarm.time == datetime(2026, 11, 20, 21, 0, 12, tzinfo=UTC) and alarm.zone == "gate"
    millis = from_axis_notification({"time": "1763672412000"}, "lobby", FIELDS, RECEIVED)
    assert millis.time == datetime.fromtimestamp(1763672412, UTC)
    bare = from_axis_notification({"Message": "motion"}, "lobby", FIELDS, RECEIVED)
    again = from_axis_notification({"Message": "motion"}, "lobby", FIELDS, RECEIVED)
    assert bare.time == RECEIVED and bare.kind == "notification"
    assert bare.source_event_id == again.source_event_id  # the same request, the same alarm
    with pytest.raises(InvalidInputError, match="is not a time"):
        from_axis_notification({"time": "yesterday"}, "lobby", FIELDS, RECEIVED)
