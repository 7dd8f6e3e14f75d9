"""Vigil's own alarms from the rules, on constructed sightings (pure, no video): one per
subject, none for whom an allow clause covers, one per group for a count, and what an
earlier segment raised is remembered."""

from __future__ import annotations

from datetime import timedelta

from tests.policies.test_checks import T0, walker
from vigil.policies import parse_policy
from vigil.policies.checks import Sighting
from vigil.policies.raising import Raised, raised_alarms

POLICY = """
site: s
name: S
timezone: UTC
cameras:
  yard: {}
rules:
  - id: s/yard/anyone
    title: Anyone in the yard
    camera: yard
    objects: [person]
    level: 3
  - id: s/yard/staff
    title: Staff in a vest
    camera: yard
    objects: [person]
    verdict: false_alarm
    wearing: [hi-vis vest]
    level: 0
"""


def later(s: Sighting, seconds: float, track: int) -> Sighting:
    moved = tuple((t + timedelta(seconds=seconds), *box) for t, *box in s.samples)
    return Sighting(track, s.cls, moved, s.wearing, (f"kf{track}",))


def alarms(policy, sightings, start=T0 - timedelta(seconds=2), seconds=60, raised=None):
    end = start + timedelta(seconds=seconds)
    return raised_alarms(policy, "yard", sightings, start, end, raised)


def test_one_alarm_per_person_while_they_stay_and_a_new_one_for_the_next():
    policy = parse_policy(POLICY)
    first = walker(1, 20, 0.5)
    second = later(walker(2, 10, 0.6), 30, 2)
    raised = alarms(policy, [first, second])
    assert [round((a.at - T0).total_seconds()) for a in raised] == [0, 30]
    assert raised[0].rule_ids == ("s/yard/anyone",) and raised[0].verdict == "confirmed"
    assert raised[0].event_id == f"s/yard/anyone@{raised[0].at:%Y%m%dT%H%M%S}"


def test_no_alarm_for_whom_an_allow_clause_covers():
    policy = parse_policy(POLICY)
    assert alarms(policy, [walker(1, 20, 0.5, wearing=["hi-vis vest"])]) == []
    assert len(alarms(policy, [walker(1, 20, 0.5, height=0.1, wearing=["hi-vis vest"])])) == 1


def test_a_count_is_one_alarm_for_the_group_and_segments_remember_what_they_raised():
    crowd = POLICY.replace("    level: 3\n", "    level: 3\n    min_count: 2\n", 1)
    policy = parse_policy(crowd)
    people = [walker(1, 40, 0.3), walker(2, 40, 0.5), later(walker(3, 20, 0.7), 10, 3)]
    assert len(alarms(policy, people)) == 1  # a third joining is the same group
    remembered = Raised()
    one = parse_policy(POLICY)
    staying = walker(1, 50, 0.5)
    assert len(alarms(one, [staying], seconds=20, raised=remembered)) == 1
    next_segment = T0 + timedelta(seconds=18)
    assert alarms(one, [staying], start=next_segment, seconds=20, raised=remembered) == []
