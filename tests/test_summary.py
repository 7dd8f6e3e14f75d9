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


def test_a_shift_report_is_drafted_once_on_the_users_cameras_and_exported(
    tmp_path, models, shared_data
):
    from datetime import UTC, datetime

    from agent.services import services_of
    from vigil.domain import UserRecord
    from vigil.errors import StateError

    site = sample_alarm_site(tmp_path, models, shared_data)
    alarm = verified_lobby_alarm(site, "shift-report-1", 12)
    services = services_of(site)
    now = datetime.now(UTC)
    admin = UserRecord(name="sam", role="admin", created=now, password_changed=now)
    start, end = LOBBY_START - timedelta(hours=2), PARKING_START + timedelta(hours=2)
    record, new = services.shift_report(admin, start, end)
    report = record.report
    assert new and record.origin == "shift" and report.title.startswith("Shift ")
    assert report.cameras == ["lobby", "parking"] and len(report.evidence) <= 12
    first = report.description[0]  # the alarm first, citing its evidence
    assert first.text.startswith("lobby: ") and "Confirmed" in first.text
    assert set(first.frames) <= {e.frame_id for e in alarm.verdict.evidence}
    assert all(s.frames for s in report.description)  # every line cites a frame it holds
    assert any("people/vehicles by hour" in s.text for s in report.description)
    assert services.shift_report(admin, start, end) == (record, False)  # drafted once
    html = services.exporter.export(record.id, "html", "sam", "admin").data.decode()
    assert "people/vehicles by hour" in html and "lobby: " in html
    parking_only = admin.model_copy(update={"name": "pat", "cameras": ["parking"]})
    theirs, _ = services.shift_report(parking_only, start, end)
    assert theirs.report.cameras == ["parking"] and theirs.id != record.id
    assert len(record.origin_ref) == 64  # hashed: as many cameras as a site has fit
    with pytest.raises(StateError, match="not ended"):  # never kept half-told
        services.shift_report(admin, start, now + timedelta(hours=1))
