"""Alarm payloads as real sources send them, turned into one shape (pure functions).

Frigate (MQTT ``frigate/events`` and ``frigate/reviews``, or the same JSON by webhook),
Axis (its MQTT event JSON, or its HTTP notification's templated query string) and ONVIF
rule-engine notifications (XML). Each returns a SourceAlarm, or None for a message that
is no alarm (an "end", a state going to 0, a false positive). The names of sources'
fields follow ../shared/ALARMS.md.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from vigil.errors import InvalidInputError


@dataclass(frozen=True)
class SourceAlarm:
    """What every adapter makes of a payload: the fields of an alarm intake."""

    source_event_id: str
    camera: str
    time: datetime
    kind: str
    zone: str | None = None
    text: str = ""
    snapshot: str | None = None


def _mapping(value, what: str) -> dict:
    if not isinstance(value, dict):
        raise InvalidInputError(f"{what} is not a JSON object")
    return value


def _unix(value, what: str) -> datetime:
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise InvalidInputError(f"{what} is not a Unix time") from None


def _required(data: dict, key: str, what: str):
    if data.get(key) in (None, ""):
        raise InvalidInputError(f"{what} has no '{key}'")
    return data[key]


def from_frigate(payload: dict) -> SourceAlarm | None:
    """A Frigate ``events`` or ``reviews`` message (new/update/end, before/after)."""
    payload = _mapping(payload, "the Frigate message")
    kind = payload.get("type")
    if kind not in ("new", "update", "end", "genai"):
        raise InvalidInputError("a Frigate message has type new, update, end or genai")
    if kind in ("end", "genai"):
        return None  # the activity is over, or a summary of it: no new alarm
    snap = _mapping(payload.get("after") or payload.get("before"), "the Frigate 'after'")
    event_id = str(_required(snap, "id", "the Frigate event"))
    camera = str(_required(snap, "camera", "the Frigate event"))
    if "severity" in snap:  # a review item
        data = snap.get("data") or {}
        objects = [str(o) for o in data.get("objects") or []]
        zones = [str(z) for z in data.get("zones") or []]
        return SourceAlarm(
            source_event_id=f"review:{event_id}",
            camera=camera,
            time=_unix(_required(snap, "start_time", "the Frigate review"), "start_time"),
            kind=f"{snap['severity']}: {', '.join(objects) or 'activity'}",
            zone=zones[0] if zones else None,
            text=f"Frigate review {snap['severity']}: {', '.join(objects)}",
            snapshot=snap.get("thumb_path"),
        )
    if snap.get("false_positive"):
        return None
    label = str(snap.get("label") or "object")
    zones = [str(z) for z in (snap.get("current_zones") or snap.get("entered_zones") or [])]
    score = snap.get("top_score") or snap.get("score")
    return SourceAlarm(
        source_event_id=f"event:{event_id}",
        camera=camera,
        time=_unix(snap.get("start_time") or snap.get("frame_time"), "start_time"),
        kind=label,
        zone=zones[0] if zones else None,
        text=f"Frigate {label}" + (f" (score {float(score):.2f})" if score else ""),
        snapshot=f"frigate:events/{event_id}/snapshot.jpg" if snap.get("has_snapshot") else None,
    )


ACTIVE = {"1", "true", "yes"}


def from_axis(payload: dict, camera: str) -> SourceAlarm | None:
    """An Axis MQTT event (``topic``, millisecond ``timestamp``, ``message.data``) of the
    camera ``camera``; None when the state goes inactive."""
    payload = _mapping(payload, "the Axis event")
    topic = str(_required(payload, "topic", "the Axis event"))
    stamp = _required(payload, "timestamp", "the Axis event")
    message = _mapping(payload.get("message") or {}, "the Axis 'message'")
    data = _mapping(message.get("data") or {}, "the Axis 'message.data'")
    state = next(
        (str(data[k]).lower() for k in ("state", "active", "triggered") if k in data), None
    )
    if state is None or state not in ACTIVE:
        return None
    source = _mapping(message.get("source") or {}, "the Axis 'message.source'")
    where = ",".join(f"{k}={v}" for k, v in sorted(source.items()))
    device = payload.get("serial") or camera
    what = data.get("classTypes")
    return SourceAlarm(
        source_event_id=f"axis:{device}:{topic}:{where}:{stamp}",
        camera=camera,
        time=_unix(float(stamp) / 1000, "timestamp"),
        kind=topic.rsplit("/", 1)[-1] + (f": {what}" if what else ""),
        text=f"Axis {topic}" + (f" ({what})" if what else ""),
    )


def from_axis_notification(
    params: Mapping[str, str], camera: str, fields: Mapping[str, str], received: datetime
) -> SourceAlarm:
    """An Axis "send notification" HTTP request: a query string the integrator templated
    in the camera's action rule. ``fields`` names the parameters that carry the event id,
    the time (ISO-8601 or Unix seconds), the alarm type and the zone; what is missing
    falls back to the time received and an id made of the parameters themselves."""

    def given(field: str) -> str | None:
        name = fields.get(field)
        value = params.get(name) if name else None
        return value.strip() if value and value.strip() else None

    stamp = given("time")
    if stamp is None:
        when = received
    elif re.fullmatch(r"\d{9,13}(\.\d+)?", stamp):
        seconds = float(stamp)
        when = _unix(seconds / 1000 if seconds > 1e11 else seconds, "the Axis time")
    else:
        try:
            when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInputError(f"the Axis time {stamp[:40]!r} is not a time") from None
    query = "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k != "camera")
    event = given("event_id") or hashlib.sha256(query.encode()).hexdigest()[:32]
    kind = given("type") or "notification"
    return SourceAlarm(
        source_event_id=f"axis-http:{camera}:{event}",
        camera=camera,
        time=when,
        kind=kind[:64],
        zone=given("zone"),
        text=f"Axis notification: {query}",
    )


_ONVIF_ACTIVE = {"IsMotion", "IsInside", "State", "LogicalState"}


def from_onvif(xml: bytes, camera: str) -> SourceAlarm | None:
    """An ONVIF notification (``tt:Message`` with UtcTime, PropertyOperation, Source and
    Data) of the camera ``camera``; None unless a motion/inside item is true."""
    try:
        root = ElementTree.fromstring(xml)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise InvalidInputError(f"the ONVIF message is not usable XML ({exc})") from None
    message = next(
        (e for e in root.iter() if _local(e.tag) == "Message" and e.get("UtcTime")), None
    )
    if message is None:
        raise InvalidInputError("the ONVIF notification holds no tt:Message with a UtcTime")
    try:
        when = datetime.fromisoformat(message.get("UtcTime", "").replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInputError("the ONVIF UtcTime is not a time") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    topic = next((e.text or "" for e in root.iter() if _local(e.tag) == "Topic"), "").strip()
    items = {
        (_local(parent.tag), item.get("Name")): item.get("Value")
        for parent in message
        for item in parent.iter()
        if _local(item.tag) == "SimpleItem"
    }
    active = [n for (part, n), v in items.items() if part == "Data" and n in _ONVIF_ACTIVE]
    if not active or not any(str(items[("Data", n)]).lower() in ACTIVE for n in active):
        return None
    source = ",".join(f"{n}={v}" for (part, n), v in sorted(items.items()) if part == "Source")
    rule = topic.rsplit("/", 1)[-1] if topic else active[0]
    return SourceAlarm(
        source_event_id=f"onvif:{camera}:{topic}:{source}:{when.isoformat()}",
        camera=camera,
        time=when,
        kind=rule,
        text=f"ONVIF {topic or 'event'} ({source})",
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
