"""A shift summarised on the sample site: its alarms with verdicts and reviews, activity
by hour, the longest stays and every vehicle, each line citing frames, in Dutch too."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import LOBBY_START, PARKING_START, sample_alarm_site, verified_lobby_alarm
from vigil.summary import shift_summary
from web.deps import alarm_desk

pytestmark = pytest.mark.slow


def test_a_night_shift_per_camera_cites_its_frames_in_the_readers_language(
    tmp_path, models, shared_data
):
    site = sample_alarm_site(tmp_path, models, shared_data)
    alarm = verified_lobby_alarm(site, "shift-1", 12)
    alarm_desk(site).review(alarm.id, "overrule", "the cleaner", "olivia", "false_alarm")
    start, end = LOBBY_START - timedelta(hours=2), PARKING_START + timedelta(hours=2)
    summary = shift_summary(site.settings, site.store, start, end, "nl")
    lobby, parking = (
        next(c for c in summary.cameras if c.camera == n) for n in ("lobby", "parking")
    )
    (said,) = lobby.alarms
    assert said.text.endswith("olivia: vals alarm") and "bewegingsmelder: Bevestigd" in said.text
    assert said.frames == [e.frame_id for e in alarm.verdict.evidence]
    # the six visitors came in from 21:58: five before 22:00, the last at 22:00:03
    assert {h: n for h, n in lobby.people_by_hour.items() if n} == {"21:00": 5, "22:00": 1}
    assert len(lobby.notable) == 3 and all(line.frames for line in lobby.notable)
    assert lobby.notable[0].text.startswith("een persoon in")  # the longest stay first
    assert parking.alarms == [] and sum(parking.vehicles_by_hour.values()) >= 4
    assert any("bestelbus" in line.text or "voertuig" in line.text for line in parking.notable)
