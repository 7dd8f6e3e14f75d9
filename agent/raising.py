"""Vigil raising its own alarms from the site's rules: on each live segment as it is
analysed (`vigil watch`), and over a recording (`vigil rules test`). The alarms go into
the same queue as an NVR's (source ``vigil``), are verified and shown like any other,
and are sent on to MQTT and callbacks with them."""

from __future__ import annotations

import logging
import tempfile
import threading
from datetime import datetime, timedelta
from pathlib import Path

from agent.verification import camera_sightings
from vigil.adapters import SourceAlarm
from vigil.errors import VigilError
from vigil.ingest import Ingestor
from vigil.models import ModelRegistry
from vigil.policies import SitePolicy
from vigil.policies.raising import LOOK_BACK_S, Raised, RaisedAlarm, raised_alarms
from vigil.store import Store

log = logging.getLogger(__name__)
SOURCE = "vigil"


def recording_alarms(
    policy: SitePolicy, camera: str, recording: Path, start: datetime, models: ModelRegistry
) -> list[RaisedAlarm]:
    """The alarms the policy would raise on a recording of ``camera`` starting at ``start``
    (analysed into a store of its own, removed after)."""
    with tempfile.TemporaryDirectory() as folder:
        settings = models.settings.apart(Path(folder), policy.timezone)
        store = Store(settings)
        seconds = Ingestor(settings, store, models).ingest(recording, camera, start).video_seconds
        end = start + timedelta(seconds=seconds)
        _, _, sightings = camera_sightings(store, camera, start, end)
        return raised_alarms(policy, camera, sightings, start, end)


class RuleWatch:
    """Raises the rules' alarms on live cameras, one analysed segment at a time, into an
    alarm desk; what each camera already raised is kept between segments."""

    def __init__(self, desk) -> None:
        self.desk = desk
        self.policy: SitePolicy = desk.policy
        self._raised: dict[str, Raised] = {}
        self._lock = threading.Lock()

    def after_segment(self, camera: str, start: datetime, end: datetime) -> list[RaisedAlarm]:
        """Raise what the rules find in a segment just analysed (its video joined to what
        came before it); the alarms taken in."""
        if camera not in self.policy.cameras:
            return []
        reach = max((r.min_dwell_s for r in self.policy.rules if r.covers(camera)), default=0.0)
        _, _, sightings = camera_sightings(
            self.desk.store, camera, start - timedelta(seconds=reach + LOOK_BACK_S), end
        )
        with self._lock:
            raised = self._raised.setdefault(camera, Raised())
            alarms = raised_alarms(self.policy, camera, sightings, start, end, raised)
        for alarm in alarms:
            titles = "; ".join(r.title for r in self.policy.rules if r.id in alarm.rule_ids)
            try:
                self.desk.take_in(
                    SOURCE,
                    SourceAlarm(alarm.event_id, camera, alarm.at, "rule", text=titles),
                )
            except VigilError as exc:  # a full queue: said, and the watch goes on
                log.warning(
                    "camera %s: the alarm of %s was not taken in: %s", camera, alarm.rule_ids, exc
                )
        return alarms
