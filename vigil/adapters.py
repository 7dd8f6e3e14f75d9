"""Alarm payloads as real sources send them, turned into one shape (pure functions).

Vigil's own alarm JSON, Frigate (MQTT ``frigate/events`` and ``frigate/reviews``, or the
same JSON by webhook), Axis (its MQTT event JSON, or its HTTP notification's templated
query string) and ONVIF rule-engine notifications (XML). Each payload is validated into a
typed model first, so a field of the wrong kind is an `InvalidInputError` naming that
field, never a crash; each adapter returns a SourceAlarm, or None for a message that is no
alarm (an "end", a state going to 0, a false positive). `FORMATS` is the one registry of
payload formats that the HTTP intake and MQTT both read through. The names of sources'
fields follow their own documentation (Frigate's MQTT topics, Axis VAPIX, ONVIF event
topics); fields Vigil does not read are ignored.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, TypeVar

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from pydantic import BaseModel, ConfigDict, Field, ValidationError

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


MAX_EVENT_ID = 128


def event_id(raw: str) -> str:
    """A source event id that fits its column: a long one keeps its start and a digest of
    the whole, so two different events never share one."""
    if len(raw) <= MAX_EVENT_ID:
        return raw
    return f"{raw[:80]}#{hashlib.sha256(raw.encode()).hexdigest()[:40]}"


def parse_json(body: bytes | str) -> Any:
    """A request body or message payload as JSON; InvalidInputError for anything else, a
    nesting too deep to read included."""
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"the payload is not JSON ({exc})") from None
    except RecursionError:
        raise InvalidInputError("the payload is not JSON Vigil reads: nested too deeply") from None


class _Payload(BaseModel):
    """A source's payload: the fields Vigil reads, typed; any others are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)


M = TypeVar("M", bound=_Payload)
Name = Annotated[str, Field(min_length=1, max_length=128)]
Short = Annotated[str, Field(max_length=256)]
# Unix seconds: finite and after 1970 (NaN, infinity and year 9999 are no alarm times)
UnixSeconds = Annotated[float, Field(gt=0, lt=1e11, allow_inf_nan=False)]
Score = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Scalar = str | int | float | bool | None


def _validated(model: type[M], payload: Any, what: str) -> M:
    """``payload`` as ``model``; InvalidInputError naming each field that is wrong."""
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        wrong = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'the payload'}: {e['msg']}"
            for e in exc.errors()[:5]
        )
        raise InvalidInputError(f"{what}: {wrong}") from None


def _unix(value: float, what: str) -> datetime:
    try:
        return datetime.fromtimestamp(value, UTC)
    except (ValueError, OverflowError, OSError):
        raise InvalidInputError(f"{what} is not a Unix time") from None


# -- Vigil's own ---------------------------------------------------------------------------
class VigilAlarm(BaseModel):
    """An alarm as a source sends it in Vigil's own shape (signed over HTTP; see the
    X-Vigil-* headers; or published on an MQTT topic of format ``vigil``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source_event_id: str = Field(
        min_length=1,
        max_length=MAX_EVENT_ID,
        description="the source's own event id: retries reuse it",
    )
    camera: str = Field(min_length=1, max_length=64, description="camera name or alias")
    time: datetime = Field(description="when it triggered, ISO-8601 with a zone")
    type: str = Field("alarm", min_length=1, max_length=64, description="motion, intrusion, ...")
    zone: str | None = Field(None, max_length=64, description="the source's zone name")
    text: str = Field("", max_length=4000, description="the source's message, shown not obeyed")
    snapshot: str | None = Field(None, max_length=2000, description="a snapshot URL or path")

    def source_alarm(self) -> SourceAlarm:
        return SourceAlarm(
            self.source_event_id, self.camera, self.time, self.type, self.zone, self.text,
            self.snapshot,
        )  # fmt: skip


def from_vigil(payload: Any) -> SourceAlarm:
    """An alarm in Vigil's own JSON shape."""
    return _validated(VigilAlarm, payload, "the alarm").source_alarm()


# -- Frigate -------------------------------------------------------------------------------
class FrigateReviewData(_Payload):
    objects: list[Short] = []
    zones: list[Short] = []


class FrigateObject(_Payload):
    """One side (``before`` or ``after``) of an events or reviews message."""

    id: Name
    camera: Name
    start_time: UnixSeconds | None = None
    frame_time: UnixSeconds | None = None
    label: Short | None = None
    top_score: Score | None = None
    score: Score | None = None
    false_positive: bool = False
    current_zones: list[Short] | None = None
    entered_zones: list[Short] | None = None
    has_snapshot: bool = False
    severity: Literal["alert", "detection"] | None = None  # a review item
    data: FrigateReviewData | None = None
    thumb_path: Short | None = None


class FrigateKind(_Payload):
    type: Literal["new", "update", "end", "genai"]


class FrigateMessage(FrigateKind):
    before: FrigateObject | None = None
    after: FrigateObject | None = None


def from_frigate(payload: Any) -> SourceAlarm | None:
    """A Frigate ``events`` or ``reviews`` message (new/update/end, before/after)."""
    if not isinstance(payload, dict):
        raise InvalidInputError("the Frigate message is not a JSON object")
    if _validated(FrigateKind, payload, "the Frigate message").type in ("end", "genai"):
        return None  # the activity is over, or a summary of it: no new alarm
    message = _validated(FrigateMessage, payload, "the Frigate message")
    snap = message.after or message.before
    if snap is None:
        raise InvalidInputError("the Frigate message has neither 'after' nor 'before'")
    if snap.severity is not None:  # a review item
        data = snap.data or FrigateReviewData()
        if snap.start_time is None:
            raise InvalidInputError("the Frigate review has no 'start_time'")
        return SourceAlarm(
            source_event_id=event_id(f"review:{snap.id}"),
            camera=snap.camera,
            time=_unix(snap.start_time, "start_time"),
            kind=f"{snap.severity}: {', '.join(data.objects) or 'activity'}",
            zone=data.zones[0] if data.zones else None,
            text=f"Frigate review {snap.severity}: {', '.join(data.objects)}",
            snapshot=snap.thumb_path,
        )
    if snap.false_positive:
        return None
    when = snap.start_time or snap.frame_time
    if when is None:
        raise InvalidInputError("the Frigate event has no 'start_time' or 'frame_time'")
    label = snap.label or "object"
    zones = snap.current_zones or snap.entered_zones or []
    score = snap.top_score or snap.score
    return SourceAlarm(
        source_event_id=event_id(f"event:{snap.id}"),
        camera=snap.camera,
        time=_unix(when, "start_time"),
        kind=label,
        zone=zones[0] if zones else None,
        text=f"Frigate {label}" + (f" (score {score:.2f})" if score else ""),
        snapshot=f"frigate:events/{snap.id}/snapshot.jpg" if snap.has_snapshot else None,
    )


# -- Axis ----------------------------------------------------------------------------------
ACTIVE = {"1", "true", "yes"}


class AxisMessage(_Payload):
    source: dict[Short, Scalar] = {}
    data: dict[Short, Scalar] = {}


class AxisEvent(_Payload):
    topic: Annotated[str, Field(min_length=1, max_length=256)]
    timestamp: Annotated[float, Field(gt=0, lt=1e14, allow_inf_nan=False)]  # milliseconds
    message: AxisMessage = AxisMessage()
    serial: Short | None = None


def from_axis(payload: Any, camera: str) -> SourceAlarm | None:
    """An Axis MQTT event (``topic``, millisecond ``timestamp``, ``message.data``) of the
    camera ``camera``; None when the state goes inactive."""
    if not isinstance(payload, dict):
        raise InvalidInputError("the Axis event is not a JSON object")
    event = _validated(AxisEvent, payload, "the Axis event")
    data = event.message.data
    state = next(
        (str(data[k]).lower() for k in ("state", "active", "triggered") if k in data), None
    )
    if state is None or state not in ACTIVE:
        return None
    where = ",".join(f"{k}={v}" for k, v in sorted(event.message.source.items()))
    device = event.serial or camera
    what = data.get("classTypes")
    stamp = f"{event.timestamp:.3f}".rstrip("0").rstrip(".")
    return SourceAlarm(
        source_event_id=event_id(f"axis:{device}:{event.topic}:{where}:{stamp}"),
        camera=camera,
        time=_unix(event.timestamp / 1000, "timestamp"),
        kind=event.topic.rsplit("/", 1)[-1] + (f": {what}" if what else ""),
        text=f"Axis {event.topic}" + (f" ({what})" if what else ""),
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
        source_event_id=event_id(f"axis-http:{camera}:{event}"),
        camera=camera,
        time=when,
        kind=kind[:64],
        zone=(given("zone") or "")[:64] or None,
        text=f"Axis notification: {query}",
    )


# -- ONVIF ---------------------------------------------------------------------------------
_ONVIF_ACTIVE = {"IsMotion", "IsInside", "State", "LogicalState"}


def from_onvif(xml: bytes, camera: str) -> SourceAlarm | None:
    """An ONVIF notification (``tt:Message`` with UtcTime, PropertyOperation, Source and
    Data) of the camera ``camera``; None unless a motion/inside item is true."""
    try:
        root = ElementTree.fromstring(xml)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise InvalidInputError(f"the ONVIF message is not usable XML ({exc})") from None
    except RecursionError:
        raise InvalidInputError("the ONVIF message is nested too deeply") from None
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
    items: dict[tuple[str, str], str] = {}
    for parent in message:
        for item in parent.iter():
            if _local(item.tag) != "SimpleItem":
                continue
            name = item.get("Name")
            if not name:
                raise InvalidInputError(f"an ONVIF {_local(parent.tag)} SimpleItem has no Name")
            items[(_local(parent.tag), name)] = item.get("Value") or ""
    active = [n for (part, n), v in items.items() if part == "Data" and n in _ONVIF_ACTIVE]
    if not active or not any(items[("Data", n)].lower() in ACTIVE for n in active):
        return None
    source = ",".join(f"{n}={v}" for (part, n), v in sorted(items.items()) if part == "Source")
    rule = topic.rsplit("/", 1)[-1] if topic else active[0]
    return SourceAlarm(
        source_event_id=event_id(f"onvif:{camera}:{topic}:{source}:{when.isoformat()}"),
        camera=camera,
        time=when,
        kind=rule[:64],
        text=f"ONVIF {topic or 'event'} ({source})",
    )


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# -- the registry --------------------------------------------------------------------------
@dataclass(frozen=True)
class AlarmFormat:
    """A payload format sources send alarms in, and how its bytes become an alarm."""

    name: str
    read: Callable[[bytes, str | None], SourceAlarm | None]  # (payload, camera named outside)
    camera_outside: bool  # the payload does not name its camera: the URL or the topic does


def _read_vigil(body: bytes, camera: str | None) -> SourceAlarm:
    return from_vigil(parse_json(body))


def _read_frigate(body: bytes, camera: str | None) -> SourceAlarm | None:
    return from_frigate(parse_json(body))


def _read_axis(body: bytes, camera: str | None) -> SourceAlarm | None:
    return from_axis(parse_json(body), camera or "")


def _read_onvif(body: bytes, camera: str | None) -> SourceAlarm | None:
    return from_onvif(body, camera or "")


FORMATS = {
    f.name: f
    for f in (
        AlarmFormat("vigil", _read_vigil, camera_outside=False),
        AlarmFormat("frigate", _read_frigate, camera_outside=False),
        AlarmFormat("axis", _read_axis, camera_outside=True),
        AlarmFormat("onvif", _read_onvif, camera_outside=True),
    )
}


def read_alarm(fmt: str, body: bytes, camera: str | None = None) -> SourceAlarm | None:
    """A payload of format ``fmt`` as an alarm (None: a message that is no alarm); the
    camera comes from the payload, or for formats that do not name it, from ``camera``."""
    if fmt not in FORMATS:
        raise InvalidInputError(f"no alarm format {fmt!r} (known: {', '.join(FORMATS)})")
    if FORMATS[fmt].camera_outside and not camera:
        raise InvalidInputError(f"a {fmt} payload does not name its camera: say which it is")
    return FORMATS[fmt].read(body, camera)
