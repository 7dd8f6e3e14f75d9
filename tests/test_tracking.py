"""Tracking: boxes of analysed frames become tracks, and tracks become facts (pure)."""

from vigil.domain import Box, Detection
from vigil.tracking import (
    Tracker,
    TrackPath,
    TrackPoint,
    assign_tracks,
    direction_words,
    still_spans,
    touched_side,
    track_identity,
    track_motion,
)

W, H = 640, 480


def walk(tracker: Tracker, start_s: float, frames: int, boxes_at) -> list[list[int]]:
    """Feed ``frames`` analysed frames (5 per second) from ``start_s``."""
    numbers = []
    for i in range(frames):
        t = start_s + i * 0.2
        numbers.append(tracker.update(round(t * 10), t, boxes_at(i)))
    return numbers


def test_two_objects_crossing_keep_their_tracks():
    """One walks right, one walks left; they pass each other side by side."""
    tracker = Tracker()
    numbers = walk(
        tracker,
        0.0,
        30,
        lambda i: [
            Box(10 + 20 * i, 100, 60 + 20 * i, 200),
            Box(600 - 20 * i, 260, 650 - 20 * i, 360),
        ],
    )
    assert all(n == numbers[0] for n in numbers)
    tracks = tracker.finish()
    assert len(tracks) == 2
    facts = [track_motion(t, W, H) for t in tracks]
    assert {f.direction for f in facts} == {"left to right", "right to left"}


def test_a_track_survives_a_short_gap_and_ends_after_a_long_one():
    tracker = Tracker(max_gap_s=1.5)
    box = Box(100, 100, 150, 200)
    walk(tracker, 0.0, 10, lambda i: [box])  # seen until 1.8 s
    walk(tracker, 2.0, 5, lambda i: [])  # unseen for 1.2 s: the same track goes on
    walk(tracker, 3.0, 10, lambda i: [box])  # seen until 4.8 s
    walk(tracker, 5.0, 15, lambda i: [])  # unseen for 3 s: it ended
    walk(tracker, 8.0, 10, lambda i: [box])
    assert [t.number for t in tracker.finish()] == [1, 2]


def test_flickers_are_not_tracks():
    tracker = Tracker()
    walk(tracker, 0.0, 2, lambda i: [Box(0, 0, 30, 30)])
    assert tracker.finish() == []


def test_entry_exit_and_still_time_of_a_visit():
    """In from the bottom, stands 4 s, out at the right."""
    points = []
    t = 0.0
    for x, y in (
        [(300, 400 - 40 * i) for i in range(6)]
        + [(300, 200)] * 20
        + [(300 + 60 * i, 200) for i in range(1, 7)]
    ):
        points.append(TrackPoint(round(t * 5), t, Box(x - 25, y - 80, x + 25, min(H, y + 80))))
        t += 0.2
    facts = track_motion(TrackPath(1, tuple(points)), W, H)
    assert (facts.entry_side, facts.exit_side) == ("bottom", "right")
    assert facts.still_spans and 3.0 <= facts.still_s <= 4.5
    assert facts.path[0][0] == 0.0 and facts.path[-1][0] == round(points[-1].offset_s, 2)


def test_sides_and_directions():
    assert touched_side(Box(0, 100, 50, 200), W, H) == "left"
    assert touched_side(Box(200, 100, 250, 200), W, H) == "inside"
    assert direction_words(0, -100, 50) == "bottom to top"
    assert direction_words(10, 5, 50) == ""


def test_a_still_track_is_still_all_along():
    points = tuple(TrackPoint(i, i * 0.2, Box(10, 10, 60, 110)) for i in range(30))
    assert still_spans(points) == [(0.0, points[-1].offset_s)]


def test_identity_is_a_score_weighted_vote():
    box = Box(0, 0, 10, 20)
    dets = [
        Detection("person", box, 0.6, "jersey", {"upper": "red"}),
        Detection("person", box, 0.9, None, {"upper": "black"}, ("backpack",)),
        Detection("object", box, 0.3, "chair"),
    ]
    who = track_identity(dets)
    assert (who.cls, who.label) == ("person", "jersey")
    assert who.attributes == {"colours": {"upper": "black"}, "carrying": ["backpack"]}
    assert track_identity([]).cls == "object"


def test_a_detection_takes_the_track_of_the_motion_box_it_lies_on():
    boxes = [Box(0, 0, 100, 100), Box(200, 200, 300, 300)]
    assert assign_tracks(boxes, [4, 7], Box(210, 190, 300, 310)) == 7
    assert assign_tracks(boxes, [4, 7], Box(500, 500, 550, 550)) is None


def test_a_person_hidden_for_a_second_keeps_their_track_if_they_reappear_nearby():
    """Walking right at 50 px/s (boxes 100 px tall), hidden for 1.2 s (merged into a
    neighbour's blob), seen again 60 px off the predicted place: the same track. A box two
    body heights further is someone else."""
    for offset, same in ((60, True), (260, False)):
        tracker = Tracker()
        seen = walk(tracker, 0.0, 10, lambda i: [Box(100 + 10 * i, 100, 140 + 10 * i, 200)])
        hidden = walk(tracker, 2.0, 6, lambda i: [])
        x = 100 + 10 * 16 + offset
        again = walk(tracker, 3.2, 5, lambda i, x=x: [Box(x + 10 * i, 130, x + 40 + 10 * i, 230)])
        assert hidden == [[]] * 6
        assert (again[0][0] == seen[0][0]) is same, offset
