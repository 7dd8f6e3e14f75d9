"""Alarm adapters on payloads shaped as Frigate, Axis and ONVIF send them."""

from __future__ import annotations

import contextlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz import payloads
from vigil.adapters import from_axis, from_axis_notification, from_frigate, from_onvif, parse_json
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
        (lambda: from_frigate({"type": "weird"}), "type: Input should be 'new'"),
        (lambda: from_frigate({"type": "new", "after": {"camera": "x"}}), "after.id: Field"),
        (lambda: from_axis({"topic": "t"}, "lobby"), "timestamp: Field required"),
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


FRIGATE = load("frigate_event_new.json")
REVIEW = load("frigate_review_new.json")
AXIS = load("axis_pir.json")


def deep(depth: int, leaf=1, kind=list):
    """A value nested ``depth`` levels deep."""
    value = leaf
    for _ in range(depth):
        value = [value] if kind is list else {"a": value}
    return value


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda: from_frigate({**FRIGATE, "after": {**FRIGATE["after"], "top_score": "high"}}),
         "after.top_score"),
        (lambda: from_frigate({**FRIGATE, "after": {**FRIGATE["after"], "top_score": [1]}}),
         "after.top_score"),
        (lambda: from_frigate({**FRIGATE, "after": {**FRIGATE["after"], "current_zones": 5}}),
         "after.current_zones"),
        (lambda: from_frigate({**REVIEW, "after": {**REVIEW["after"], "data": [1, 2]}}),
         "after.data"),
        (lambda: from_frigate(
            {**REVIEW, "after": {**REVIEW["after"], "data": {"objects": 7}}}),
         "after.data.objects"),
        (lambda: from_frigate({**FRIGATE, "after": {**FRIGATE["after"], "start_time": 1e300}}),
         "after.start_time"),
        (lambda: from_axis({**AXIS, "timestamp": "noon"}, "lobby"), "timestamp"),
        (lambda: from_axis({**AXIS, "message": {"data": deep(50, kind=dict)}}, "lobby"),
         "message.data.a"),
    ],
)  # fmt: skip
def test_a_field_of_the_wrong_kind_is_named(call, field):
    with pytest.raises(InvalidInputError, match=re.escape(field)):
        call()


def test_json_nested_too_deeply_and_an_unnamed_onvif_item_are_clear_errors():
    with pytest.raises(InvalidInputError, match="nested too deeply"):
        parse_json("[" * 5000 + "]" * 5000)
    with pytest.raises(InvalidInputError, match="nested too deeply"):
        parse_json('{"a":' * 5000 + "1" + "}" * 5000)
    xml = (DATA / "onvif_field_detector.xml").read_bytes().replace(b'Name="Rule" ', b"")
    with pytest.raises(InvalidInputError, match="SimpleItem has no Name"):
        from_onvif(xml, "plaza")


@settings(max_examples=300, deadline=None)
@given(payloads)
def test_no_payload_makes_an_adapter_fail_other_than_by_saying_what_is_wrong(payload):
    for adapter in (from_frigate, lambda p: from_axis(p, "lobby")):
        try:
            alarm = adapter(payload)
        except InvalidInputError:
            continue
        assert alarm is None or isinstance(alarm.time, datetime) and alarm.camera


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_no_onvif_body_makes_the_adapter_fail_other_than_by_saying_what_is_wrong(body):
    xml = (DATA / "onvif_field_detector.xml").read_bytes()
    for candidate in (body, xml[: len(body)] + body):
        with contextlib.suppress(InvalidInputError):
            from_onvif(candidate, "plaza")


def test_one_registry_of_formats_serves_http_and_mqtt_and_the_settings_name_it():
    from typing import get_args

    from vigil.adapters import FORMATS, read_alarm
    from vigil.settings import Settings

    offered = get_args(Settings.model_fields["mqtt_alarm_topics"].annotation.__args__[1])
    assert set(offered) == set(FORMATS)  # a setting can name no format the intake lacks
    ours = {"source_event_id": "e1", "camera": "lobby", "time": "2026-11-20T21:58:12+01:00"}
    alarm = read_alarm("vigil", json.dumps(ours).encode())
    assert (alarm.camera, alarm.kind) == ("lobby", "alarm")
    with pytest.raises(InvalidInputError, match="does not name its camera"):
        read_alarm("axis", json.dumps(AXIS).encode())
    with pytest.raises(InvalidInputError, match="no alarm format 'smtp'"):
        read_alarm("smtp", b"{}")
    with pytest.raises(InvalidInputError, match="unexpected_field: Extra inputs"):
        read_alarm("vigil", json.dumps({**ours, "unexpected_field": 1}).encode())
