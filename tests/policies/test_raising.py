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
    assert raised[0].event_id == f"yard/s/yard/anyone@{raised[0].at:%Y%m%dT%H%M%S}/person-0.5-0.9"
    assert raised[0].event_id != raised[1].event_id


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


def tracked(track: int, s: Sighting, video: int = 1) -> Sighting:
    return Sighting(track, s.cls, s.samples, s.wearing, (f"kf{track}",), ((video, track),))


def test_a_track_going_on_into_the_next_segment_is_still_the_one_alarmed_for():
    """A live track ends with its segment; the next piece joined to it is the same person."""
    from vigil.policies.checks import joined

    policy = parse_policy(POLICY)
    staying = walker(1, 29, 0.5)
    first = Sighting(1, "person", staying.samples[:20], parts=((1, 1),))  # 0-9.5 s
    second = Sighting(2, "person", staying.samples[20:], parts=((2, 1),))  # 10-29 s
    remembered = Raised()
    one = alarms(policy, joined([first]), seconds=12, raised=remembered)
    two = alarms(
        policy, joined([first, second]), start=T0 + timedelta(seconds=10), raised=remembered
    )
    assert len(one) == 1 and two == []
    assert len(remembered.quiet_until) <= 2  # what is long quiet is forgotten


def test_a_still_person_no_track_follows_is_one_alarm_and_the_staff_member_none():
    policy = parse_policy(POLICY)
    frames = [
        Sighting(-1, "person", (walker(9, 0, 0.5).samples[0],), keyframe_ids=(f"k{i}",))
        for i in range(6)
    ]
    frames = [
        Sighting(
            -1,
            "person",
            ((T0 + timedelta(seconds=10 * i), *f.samples[0][1:]),),
            keyframe_ids=f.keyframe_ids,
        )
        for i, f in enumerate(frames)
    ]
    assert len(alarms(policy, frames)) == 1
    intruder = tracked(1, walker(1, 40, 0.3))
    staff = tracked(2, later(walker(2, 10, 0.7, wearing=["hi-vis vest"]), 30, 2))
    assert len(alarms(policy, [intruder, staff])) == 1  # the vest arriving raises nothing
