"""MQTT: alarms in from Frigate and Axis topics, verdicts out for NVRs.

One paho client per process; it reconnects by itself (1 to 30 s) and says so. Intake runs
each message through its source's adapter and takes it in on the alarm desk, where the
source's event id makes a repeated message (Frigate's "update") the same alarm. A broken
message is logged and dropped, never fatal. Anyone who may publish on those topics can
raise an alarm: the broker's users and ACLs are the trust boundary here (HMAC signatures
cover the HTTP intake).
"""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

import paho.mqtt.client as mqtt

from agent.outcomes import verdict_message
from vigil.adapters import FORMATS, SourceAlarm, read_alarm
from vigil.domain import AlarmRecord
from vigil.errors import InvalidInputError, VigilError
from vigil.settings import Settings

if TYPE_CHECKING:
    from agent.alarms import AlarmDesk

log = logging.getLogger(__name__)


def adapt(fmt: str, topic_filter: str, topic: str, payload: bytes) -> SourceAlarm | None:
    """A message on ``topic`` (matched by ``topic_filter``) as an alarm of format ``fmt``,
    or None when it is no alarm (an end, a state going to 0). For formats whose payload
    does not name its camera, the topic level the filter's first '+' matched does."""
    camera = _wildcard_level(topic_filter, topic) if FORMATS[fmt].camera_outside else None
    return read_alarm(fmt, payload, camera)


def _wildcard_level(topic_filter: str, topic: str) -> str:
    """The topic level the filter's first '+' matched: the camera, for Axis topics."""
    levels = topic.split("/")
    for i, part in enumerate(topic_filter.split("/")):
        if part == "+" and i < len(levels):
            return levels[i]
    raise InvalidInputError(f"the topic filter {topic_filter!r} has no '+' for the camera")


class MqttLink:
    """A connection to the site's broker: alarm intake and/or verdict publishing."""

    def __init__(self, settings: Settings, client_id: str) -> None:
        if settings.mqtt_url is None:
            raise VigilError("no MQTT broker is configured (VIGIL_MQTT_URL)")
        url = urlparse(settings.mqtt_url)
        self.host = url.hostname or "localhost"
        self.port = url.port or (8883 if url.scheme == "mqtts" else 1883)
        self.where = f"{self.host}:{self.port}"
        self.verdict_topic = settings.mqtt_verdict_topic.rstrip("/")
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id)
        if url.username:
            self.client.username_pw_set(unquote(url.username), unquote(url.password or ""))
        if url.scheme == "mqtts":
            self.client.tls_set()
        self.client.reconnect_delay_set(1, 30)
        self.client.on_connect = self._connected
        self.client.on_disconnect = self._disconnected
        self.client.on_message = self._message
        self.routes: dict[str, str] = {}
        self.desk: AlarmDesk | None = None
        self.connected = threading.Event()

    def take_alarms(self, desk: AlarmDesk, routes: dict[str, str]) -> MqttLink:
        """Subscribe to ``routes`` (topic filter -> payload format) once connected."""
        self.desk, self.routes = desk, dict(routes)
        return self

    def start(self) -> MqttLink:
        self.client.connect_async(self.host, self.port)
        self.client.loop_start()
        return self

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def publish_verdict(self, record: AlarmRecord) -> None:
        """Publish a verdict to <verdict topic>/<camera> (QoS 1, queued while offline)."""
        self.client.publish(f"{self.verdict_topic}/{record.camera}", verdict_message(record), qos=1)

    def _connected(self, client, userdata, flags, reason, properties) -> None:
        if reason.is_failure:
            log.warning("MQTT broker %s refused the connection: %s", self.where, reason)
            return
        log.info("MQTT connected to %s", self.where)
        for topic in self.routes:
            client.subscribe(topic, qos=1)
        self.connected.set()

    def _disconnected(self, client, userdata, flags, reason, properties) -> None:
        self.connected.clear()
        if reason.is_failure:
            log.warning("MQTT connection to %s lost (%s): reconnecting", self.where, reason)

    def _message(self, client, userdata, message: mqtt.MQTTMessage) -> None:
        topic = message.topic
        route = next(
            ((f, fmt) for f, fmt in self.routes.items() if mqtt.topic_matches_sub(f, topic)), None
        )
        if route is None or self.desk is None:
            return
        topic_filter, fmt = route
        try:
            alarm = adapt(fmt, topic_filter, topic, message.payload)
            if alarm is not None:
                record, new = self.desk.take_in(f"mqtt:{fmt}", alarm)
                log.info("MQTT %s: alarm %s%s", topic, record.id, "" if new else " (again)")
        except VigilError as exc:  # bad payloads and a full queue alike: said, never fatal
            log.warning("MQTT %s: message not taken in: %s", topic[:200], exc)
        except Exception:  # a bug must not end paho's network loop, and with it all intake
            log.exception("MQTT %s: message not taken in", topic[:200])


def start_mqtt_intake(desk: AlarmDesk) -> MqttLink:
    """Take in the alarms published on the configured topics, from now on."""
    settings = desk.settings
    link = MqttLink(settings, f"vigil-intake-{os.getpid()}")
    return link.take_alarms(desk, settings.mqtt_alarm_topics).start()
