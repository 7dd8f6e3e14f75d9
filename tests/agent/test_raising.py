"""Vigil's own alarms on the sample clips with the real models: a recording tested against
the sample policy, and the live path (segments into the site's alarm queue, verified)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent.raising import SOURCE, RuleWatch, recording_alarms
from tests.conftest import LOBBY_START, sample_alarm_site
from vigil.policies import load_policy
from web.deps import alarm_desk

pytestmark = pytest.mark.slow
# the lobby clip's six visitors, in view (seconds into the clip; ../shared/data/README.md)
VISITS = [(6.0, 20.3), (22.7, 45.3), (50.2, 70.2), (74.5, 87.4), (92.1, 120.6), (123.5, 136.6)]


def test_a_recording_raises_one_alarm_per_visitor_after_hours(models, shared_data, alarm_site):
    policy = load_policy(alarm_site.settings.policy_file)
    clip = shared_data / "clips" / "one-by-one-person-detection.mp4"
    alarms = recording_alarms(policy, "lobby", clip, LOBBY_START, models)
    into = [(a.at - LOBBY_START).total_seconds() for a in alarms]
    assert len(into) == len(VISITS)
    for t, (came, left) in zip(into, VISITS, strict=True):
        assert came <= t <= came + 2 and t < left  # raised as each comes in
    assert {a.rule_ids for a in alarms} == {("sample/lobby/after-hours",)}


def test_live_segments_raise_alarms_into_the_queue_once_and_they_are_verified(
    tmp_path, models, shared_data
):
    site = sample_alarm_site(tmp_path, models, shared_data)
    desk = alarm_desk(site)
    watch = RuleWatch(desk)
    halves = [(0, 60), (60, 140)]  # two segments: a visitor across the cut is one alarm
    for first, last in halves:
        watch.after_segment(
            "lobby", LOBBY_START + timedelta(seconds=first), LOBBY_START + timedelta(seconds=last)
        )
    again = RuleWatch(desk)  # a watch restarted on the same segments adds nothing
    again.after_segment("lobby", LOBBY_START, LOBBY_START + timedelta(seconds=140))
    raised = [a for a in site.store.alarms.list(limit=100) if a.source == SOURCE]
    assert len(raised) == len(VISITS)
    while desk.verify_next() is not None:
        pass
    verdicts = {desk.get(a.id).verdict.verdict for a in raised}
    assert verdicts == {"confirmed"}
