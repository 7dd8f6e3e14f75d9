"""Deterministic checks and the verdict they lead to (pure, no video)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from vigil.policies.checks import (
    Sighting,
    check_rule,
    empty_spells,
    inside,
    joined,
    most_at_once,
)
from vigil.policies.model import Rule
from vigil.policies.verdict import decide
from vigil.saying import say

T0 = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)
SQUARE = [(0.4, 0.5), (0.8, 0.5), (0.8, 1.0), (0.4, 1.0)]


def rule(**fields) -> Rule:
    base = {"id": "s/cam/r", "title": "r", "camera": "cam", "objects": ["person"], "level": 2}
    return Rule.model_validate({**base, **fields})


def walker(track, seconds, foot_x, foot_y=0.9, height=0.5, cls="person", wearing=()):
    """A sighting standing with its feet at (foot_x, foot_y) for ``seconds`` (2 samples/s)."""
    samples = tuple(
        (T0 + timedelta(seconds=i / 2), foot_x - 0.05, foot_y - height, foot_x + 0.05, foot_y)
        for i in range(int(seconds * 2) + 1)
    )
    return Sighting(track, cls, samples, frozenset(wearing), (f"kf{track}",))


def check(r, sightings, zone=SQUARE):
    return check_rule(r, zone, sightings, T0 - timedelta(seconds=30), T0 + timedelta(seconds=60))


def test_points_inside_a_polygon_by_the_foot_not_the_head():
    assert inside((0.5, 0.9), SQUARE) and inside((0.4, 0.7), SQUARE)  # on an edge counts
    assert not inside((0.2, 0.9), SQUARE) and not inside((0.5, 0.3), SQUARE)
    tall = walker(1, 5, foot_x=0.6, foot_y=0.45)  # head in the zone, feet above it
    assert check(rule(zone="z"), [tall]).holds is False


def test_dwell_counts_time_in_the_zone_and_passing_by_does_not_hold():
    r = rule(zone="z", min_dwell_s=20)
    assert check(r, [walker(1, 25, 0.6)]).holds is True
    brief = check(r, [walker(1, 8, 0.6)])
    assert brief.holds is False and "the longest for 8 s (the rule needs 20 s)" in brief.reason
    assert check(r, [walker(1, 25, 0.2)]).reason == "no people tracked in zone 'z'"


def test_count_is_how_many_at_once_not_how_many_in_all():
    a, b = walker(1, 10, 0.5), walker(2, 10, 0.6)
    later = Sighting(3, "person", tuple((t + timedelta(seconds=30), *box) for t, *box in a.samples))
    r = rule(min_count=2)
    assert check(r, [a, b], zone=None).holds is True
    assert check(r, [a, later], zone=None).holds is False
    assert most_at_once([]) == 0


def test_required_wear_holds_for_people_without_it_and_is_unsure_when_too_small():
    r = rule(required_wear=["hi-vis vest"])
    assert check(r, [walker(1, 5, 0.6, wearing=["hi-vis vest"])]).holds is False
    assert check(r, [walker(1, 5, 0.6)]).holds is True
    far = check(r, [walker(1, 5, 0.6, height=0.08)])
    assert far.holds is None and "too small to tell hi-vis vest" in far.reason


def test_only_the_rules_object_kinds_count():
    car = walker(1, 5, 0.6, cls="vehicle")
    assert check(rule(), [car]).holds is False
    assert check(rule(objects=["vehicle"]), [car]).holds is True


def test_verdicts_confirm_review_or_close_and_missing_video_is_never_a_false_alarm():
    intrusion = rule(id="s/cam/intrusion", verdict="confirmed", level=3, actions=["call"])
    loiter = rule(id="s/cam/loiter", verdict="needs_review", level=1, actions=["look"])
    rules = {r.id: r for r in (intrusion, loiter)}
    people = [walker(1, 25, 0.6)]
    both = [check(intrusion, people), check(loiter, people)]
    decided = decide(rules, both, has_video=True)
    assert (decided.verdict, decided.level, decided.decided_by) == (
        "confirmed",
        3,
        ("s/cam/intrusion", "s/cam/loiter"),
    )
    assert decided.actions == ("call", "look")
    empty = decide(rules, [check(intrusion, []), check(loiter, [])], has_video=True)
    assert empty.verdict == "false_alarm" and empty.level == 0
    blind = decide(rules, [check(intrusion, [])], has_video=False)
    assert blind.verdict == "needs_review" and blind.decided_by == ("s/cam/intrusion",)
    assert decide(rules, [], has_video=True).verdict == "false_alarm"


def later(sighting: Sighting, seconds: float, track: int, video: int = 2) -> Sighting:
    """The sighting ``seconds`` later, as track ``track`` of another video (a segment)."""
    moved = tuple((t + timedelta(seconds=seconds), *box) for t, *box in sighting.samples)
    return Sighting(track, sighting.cls, moved, sighting.wearing, (f"kf{track}",),
                    ((video, track),))  # fmt: skip


def test_a_stay_split_between_two_segments_is_one_stay_and_strangers_stay_apart():
    r = rule(zone="z", min_dwell_s=20)
    first = walker(1, 12, 0.6)  # a segment ends after 12 s; the next track starts 0.5 s on
    second = later(walker(1, 12, 0.62), 12.5, track=1)
    assert check(r, [first, second]).holds is False  # 12 s each, apart
    first = Sighting(first.track, first.cls, first.samples, first.wearing, first.keyframe_ids,
                     ((1, 1),))  # fmt: skip
    (stay,) = joined([second, first])
    assert stay.keyframe_ids == ("kf1", "kf1") and check(r, [stay]).holds is True
    assert check(r, [stay]).tracks == ((1, 1), (2, 1))  # each track with its own video
    elsewhere = later(walker(2, 12, 0.9), 12.5, track=2)  # starts where nobody ended
    too_late = later(walker(3, 12, 0.6), 16.0, track=3)  # 4 s after
    other_kind = later(walker(4, 12, 0.6, cls="vehicle"), 12.5, track=4)
    assert len(joined([first, elsewhere, too_late, other_kind])) == 4
    untracked = later(walker(-1, 0, 0.6), 12.5, track=-1)
    assert len(joined([first, untracked])) == 2  # a lone detection is never joined


def test_a_rule_about_bicycles_holds_for_the_person_riding_one_and_unmeasured_kinds_are_refused():
    rider = replace(walker(1, 10, 0.5), carrying=frozenset({"bicycle"}))
    walking = walker(2, 10, 0.6)
    bikes = rule(objects=["bicycle"])
    assert check(bikes, [rider]).holds is True and check(bikes, [walking]).holds is False
    assert say(check(bikes, [walking]).phrase, "nl") == "geen fietsen gevolgd in beeld"
    # a join never lends one person the other's bicycle
    end, *box = rider.samples[-1]
    on_foot = Sighting(3, "person", tuple((end + timedelta(seconds=s), *box) for s in (1, 2)))
    assert len(joined([rider, on_foot])) == 1 and joined([rider, on_foot])[0].carrying == set()
    with pytest.raises(ValidationError, match="'backpack' cannot be a rule's subject"):
        rule(objects=["person", "backpack"])
    with pytest.raises(ValidationError, match="not told by the site's detector"):
        rule(objects=["giraffe"])


def test_an_allow_clause_excuses_an_alarm_whose_every_subject_it_covers():
    intrusion = rule(id="s/cam/intrusion", title="Anyone in the yard")
    authorised = rule(
        id="s/cam/authorised", title="A person in a hi-vis vest", verdict="false_alarm",
        wearing=["hi-vis vest"], level=0,
    )  # fmt: skip
    rules = {r.id: r for r in (intrusion, authorised)}

    def verdict(*people):
        checks = [check(r, list(people), zone=None) for r in (intrusion, authorised)]
        return decide(rules, checks, True)

    in_vest = walker(1, 10, 0.5, wearing=["hi-vis vest"])
    allowed = verdict(in_vest)
    assert allowed.verdict == "false_alarm" and allowed.decided_by == ("s/cam/authorised",)
    from vigil.saying import say

    assert say(allowed.reason) == (
        "A person in a hi-vis vest: 1 person in view wearing hi-vis vest at once; this is allowed"
    )
    # one person the clause does not cover keeps the alarm standing
    stranger = walker(2, 10, 0.7)
    assert verdict(in_vest, stranger).verdict == "confirmed"
    assert verdict(stranger).decided_by == ("s/cam/intrusion",)
    # a vest too small to be seen is not allowed on trust
    far = walker(3, 10, 0.5, height=0.1, wearing=["hi-vis vest"])
    assert verdict(far).verdict == "confirmed"


def test_allow_clauses_are_written_with_what_is_worn_and_only_for_people():
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="'wearing' is for allow clauses"):
        rule(wearing=["hi-vis vest"])
    with pytest.raises(ValidationError, match="not 'required_wear'"):
        rule(verdict="false_alarm", required_wear=["hi-vis vest"])
    with pytest.raises(ValidationError, match="must be \\[person\\]"):
        rule(verdict="false_alarm", objects=["vehicle"], wearing=["hi-vis vest"])


def test_one_rule_watches_several_cameras_or_all_of_them():
    assert rule(camera=["a", "b"]).covers("b") and not rule(camera=["a", "b"]).covers("c")
    assert rule(camera="all").covers("added-later") and rule(camera="all").named_cameras == []
    assert rule(camera="cam").covers("cam") and not rule(camera="cam").covers("other")


def test_an_allow_clause_excuses_only_where_it_saw_them_and_lends_no_one_a_vest():
    right, left = (
        [(0.5, 0.5), (1.0, 0.5), (1.0, 1.0), (0.5, 1.0)],
        [(0.0, 0.5), (0.5, 0.5), (0.5, 1.0), (0.0, 1.0)],
    )
    intrusion = rule(id="s/cam/yard", zone="yard")
    gate = rule(
        id="s/cam/gate", zone="gate", verdict="false_alarm", wearing=["hi-vis vest"], level=0
    )
    rules = {r.id: r for r in (intrusion, gate)}
    path = tuple(
        (T0 + timedelta(seconds=i), 0.1 * i - 0.05, 0.4, 0.1 * i + 0.05, 0.9) for i in range(10)
    )
    crossing = Sighting(1, "person", path, frozenset({"hi-vis vest"}), ("kf1",))
    window = (T0 - timedelta(seconds=30), T0 + timedelta(seconds=60))
    checks = [
        check_rule(intrusion, right, [crossing], *window),
        check_rule(gate, left, [crossing], *window),
    ]
    assert all(c.holds for c in checks)
    assert decide(rules, checks, True).verdict == "confirmed"  # the gate's vest, not the yard's
    vested = walker(1, 5, 0.5, wearing=["hi-vis vest"])
    stranger = Sighting(
        2, "person", tuple((t + timedelta(seconds=5.5), *box) for t, *box in vested.samples)
    )
    (one,) = joined([vested, stranger])
    assert one.wearing == frozenset()  # a join may be wrong: it lends no vest


def test_a_person_down_a_runner_and_a_tripwire_crossed_one_way():
    """Constructed sightings (no sample clip shows a fall, a runner or a gate)."""
    from vigil.saying import say

    down = rule(seen=["lying"])
    lying = Sighting(1, "person", walker(1, 5, 0.5).samples, postures=frozenset({"lying"}))
    assert check(down, [lying], zone=None).holds is True
    assert check(down, [walker(2, 5, 0.5)], zone=None).holds is False
    assert "1 persoon tegelijk in beeld, liggend" in say(
        check(down, [lying], zone=None).phrase, "nl"
    )

    def moving(track, per_second):
        x = [0.1 + per_second * i / 2 for i in range(8)]  # a body 0.3 high, 2 samples/s
        samples = tuple(
            (T0 + timedelta(seconds=i / 2), x[i], 0.5, x[i] + 0.05, 0.8) for i in range(8)
        )
        return Sighting(track, "person", samples)

    runner = rule(seen=["running"])
    assert check(runner, [moving(1, 0.6)], zone=None).holds is True  # 2 heights a second
    assert check(runner, [moving(2, 0.2)], zone=None).holds is False  # a walk
    gate = rule(line=((0.5, 0.0), (0.5, 1.0)), towards=(0.9, 0.5))  # into the right half
    inward, outward = moving(3, 0.2), Sighting(4, "person", tuple(reversed(moving(4, 0.2).samples)))
    assert check(gate, [inward], zone=None).holds is True
    assert check(gate, [outward], zone=None).holds is False
    assert "crossing the line" in check(gate, [inward], zone=None).reason


def test_a_hard_hat_the_models_cannot_see_is_left_to_a_person_never_guessed():
    hat = rule(required_wear=["hard hat"])
    check_ = check(hat, [walker(1, 5, 0.5)], zone=None)
    assert check_.holds is None
    assert check_.reason == "1 person in view: the site's models cannot tell hard hat"
    rules = {hat.id: hat}
    assert decide(rules, [check_], True).verdict == "needs_review"
    allowed = rule(id="s/cam/hat-ok", verdict="false_alarm", wearing=["hard hat"], level=0)
    assert check(allowed, [walker(1, 5, 0.5)], zone=None).holds is False  # never excuses


def test_a_foot_on_the_line_still_crosses_and_only_what_came_before_the_alarm_counts():
    gate = rule(line=((0.5, 0.0), (0.5, 1.0)), towards=(0.9, 0.5))
    steps = [0.4, 0.5, 0.6]  # the middle sample lands exactly on the line
    on_line = Sighting(1, "person", tuple(
        (T0 + timedelta(seconds=i), x - 0.05, 0.5, x + 0.05, 0.8) for i, x in enumerate(steps)
    ))  # fmt: skip
    assert check(gate, [on_line], zone=None).holds is True
    window = (T0 - timedelta(seconds=30), T0 + timedelta(seconds=60))
    before_it = check_rule(gate, None, [on_line], *window, T0 + timedelta(seconds=0.5))
    assert before_it.holds is False  # it crossed after the alarm: not what raised it
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="not on it"):
        rule(line=((0.5, 0.0), (0.5, 1.0)), towards=(0.5, 0.5))
    with pytest.raises(ValidationError, match="two different points"):
        rule(line=((0.5, 0.5), (0.5, 0.5)))


def test_a_person_without_a_vest_holds_even_where_a_hard_hat_cannot_be_seen():
    both = rule(required_wear=["hi-vis vest", "hard hat"])
    assert check(both, [walker(1, 5, 0.5)], zone=None).holds is True
    in_vest = check(both, [walker(1, 5, 0.5, wearing=["hi-vis vest"])], zone=None)
    assert in_vest.holds is None and "cannot tell hard hat" in in_vest.reason
    crowd = rule(required_wear=["hard hat"], min_count=3)
    assert check(crowd, [walker(1, 5, 0.5)], zone=None).holds is False  # one is no crowd
    assert check(rule(), [Sighting(1, "person", ())], zone=None).holds is False  # no samples


def test_empty_spells_are_the_recorded_time_no_visit_covers():
    t = datetime(2026, 1, 1, tzinfo=UTC)

    def at(s: float) -> datetime:
        return t + timedelta(seconds=s)

    recorded = [(at(0), at(60)), (at(100), at(110))]
    visits = [(at(5), at(20)), (at(15), at(30)), (at(31), at(40)), (at(95), at(105))]
    assert empty_spells(recorded, visits, 2) == [
        (at(0), at(5)), (at(40), at(60)), (at(105), at(110)),
    ]  # fmt: skip
    assert empty_spells(recorded, [], 2) == recorded
    assert empty_spells([(at(0), at(0))], [], 0) == []  # a still image records no time
