"""Tracking: boxes of analysed frames become tracks, and tracks become facts (pure)."""

from dataclasses import replace

from vigil.domain import Box, Detection
from vigil.tracking import (
    Tracker,
    TrackPath,
    TrackPoint,
    assign_tracks,
    direction_words,
    identity_on,
    split_at,
    still_spans,
    switch_point,
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
    assert (who.cls, who.label) == ("person", None)  # "none" outvotes one frame's "jersey"
    assert who.attributes == {"colours": {"upper": "black"}, "carrying": ["backpack"]}
    assert track_identity([]).cls == "object"


def test_one_description_per_track_outvotes_the_frames_cut_by_the_edge():
    """The woman in a grey cardigan reads "black" as she walks in at the bottom edge (close,
    dark) and leaves at the right edge; standing whole at the desk she reads grey. Her
    head touching the top edge does not cut her."""
    frame = (768, 432)

    def seen(box, upper, score, still=False):
        return Detection("person", Box(*box), score, None, {"upper": upper},
                         motion="still" if still else "up",
                         posture="standing" if still else None)  # fmt: skip

    dets = [
        seen((305, 276, 506, 432), "black", 0.54),  # walking in: the bottom edge cuts her
        seen((384, 24, 506, 403), "black", 0.79),
        seen((398, 5, 514, 379), "grey", 0.52, still=True),
        seen((394, 10, 511, 382), "grey", 0.56, still=True),
        seen((394, 10, 514, 379), "grey", 0.57, still=True),
        seen((413, 17, 535, 396), "black", 0.76, still=True),
        seen((670, 151, 768, 389), "dark grey", 0.3),  # leaving at the right edge
    ]
    assert track_identity(dets, frame).attributes["colours"] == {"upper": "grey"}
    assert track_identity(dets[:2] + dets[-1:], frame).attributes["colours"] == {
        "upper": "black"
    }  # never seen whole: the frames are all there is


def test_where_the_tracker_switches_people_each_stretch_keeps_its_own_looks():
    """In a crowd one track held a person in black, then a woman in a red top: each
    keyframe is captioned with the person it shows. Light turning a grey top black and
    back is not a switch, nor is one red frame."""
    box = Box(100, 100, 160, 260)

    def track(*uppers):
        return [Detection("person", box, 0.8, None, {"upper": u}) for u in uppers]

    switched = track("black", "black", "dark grey", "black", "red", "red", "red", "red")
    assert identity_on(switched, 1).attributes["colours"] == {"upper": "black"}
    assert identity_on(switched, 6).attributes["colours"] == {"upper": "red"}
    assert identity_on(switched, 6).cls == "person"
    for same in (
        track("grey", "grey", "grey", "black", "black", "black", "grey"),
        track("black", "black", "black", "red", "black", "black", "black"),
    ):
        assert all(identity_on(same, i) == track_identity(same) for i in range(len(same)))


def test_a_track_that_switched_people_is_split_where_it_did():
    """Blue into navy is one top walking into shade, not a switch; black into red is two
    people, and the track goes on from that keyframe's frame under a new number."""
    box = Box(100, 100, 160, 260)

    def track(*uppers):
        return [Detection("person", box, 0.8, None, {"upper": u}) for u in uppers]

    assert switch_point(track("blue", "blue", "blue", "navy", "navy", "navy"), None) is None
    assert switch_point(track("black", "black", "black", "red", "red", "red"), None) == 3
    path = TrackPath(21, tuple(TrackPoint(i, i / 10, box) for i in range(100, 140, 4)))
    before, after = split_at(path, 120, 41)
    assert (before.number, after.number) == (21, 41)
    assert before.last_s < 12.0 <= after.first_s and len(before.points) + len(after.points) == 10


def test_one_sighting_of_a_bag_or_a_hi_vis_top_does_not_name_a_track():
    box = Box(100, 100, 160, 260)
    plain = [Detection("person", box, 0.8, None, {"upper": "green"}) for _ in range(5)]
    once = [replace(plain[0], carrying=("handbag",), wearing=("hi-vis vest",)), *plain[1:]]
    assert "carrying" not in track_identity(once).attributes
    assert "wearing" not in track_identity(once).attributes
    twice = [replace(d, carrying=("handbag",)) for d in once[:2]] + once[2:]
    assert track_identity(twice).attributes["carrying"] == ["handbag"]


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


def test_a_track_broken_in_two_inside_the_frame_is_joined_again():
    """A visitor walking up from the bottom edge is followed by three tracks (the blob
    split as they turned): the two born inside the frame, where and when the one before
    ended, go on under its number; one coming in at an edge later does not."""
    from vigil.tracking import TrackPath, TrackPoint, stitched

    def path(number, start_s, boxes):
        points = [
            TrackPoint(round(start_s * 5) + i, start_s + i * 0.2, Box(*b))
            for i, b in enumerate(boxes)
        ]
        return TrackPath(number, tuple(points))

    up = path(5, 76.0, [(150, 330, 230, 432), (150, 300, 230, 420), (150, 270, 230, 400)])
    on = path(6, 76.2, [(152, 262, 232, 392), (160, 200, 240, 360), (170, 150, 250, 330)])
    off = path(9, 76.8, [(175, 148, 255, 328), (300, 150, 380, 330), (450, 150, 530, 330)])
    later = path(11, 90.0, [(0, 150, 80, 330), (40, 150, 120, 330), (80, 150, 160, 330)])
    paths, joined = stitched([up, on, off, later], 768, 432)
    assert [p.number for p in paths] == [5, 11] and joined == {6: 5, 9: 5}
    assert paths[0].first_s == 76.0 and paths[0].last_s == off.last_s


def _path(number, start_s, boxes):
    from vigil.tracking import TrackPath, TrackPoint

    points = [
        TrackPoint(round(start_s * 5) + i, start_s + i * 0.2, Box(*b)) for i, b in enumerate(boxes)
    ]
    return TrackPath(number, tuple(points))


def test_a_piece_of_someone_is_no_one_else():
    """A visitor standing at a table: motion splits off the head above a light shirt, then
    the arm on the table; both pieces go on under the body's track. Two people side by
    side, each a person's size, stay two."""
    from vigil.tracking import whole_tracks

    body = _path(1, 10.0, [(380, 150, 510, 394)] * 10)
    head = _path(2, 10.4, [(415, 0, 468, 65)] * 6)
    arm = _path(3, 11.0, [(505, 200, 540, 240)] * 4)
    paths, joined = whole_tracks([body, head, arm], 768, 432)
    assert [p.number for p in paths] == [1] and joined == {2: 1, 3: 1}
    assert paths[0].first_s == 10.0 and paths[0].last_s == body.last_s
    left = _path(4, 20.0, [(100 + 20 * i, 150, 180 + 20 * i, 400) for i in range(10)])
    right = _path(5, 20.0, [(190 + 20 * i, 160, 260 + 20 * i, 400) for i in range(10)])
    paths, joined = whole_tracks([left, right], 768, 432)
    assert [p.number for p in paths] == [4, 5] and joined == {}


def test_a_tall_person_whose_head_touches_the_top_goes_on_after_a_break():
    """A visitor tall enough to touch the top edge turns to leave: the blob breaks and a
    new track is born at the top edge, where the old one was. It goes on under the old
    number; one born at an edge the other never touched is someone coming in."""
    from vigil.tracking import stitched

    standing = _path(1, 30.0, [(400, 0, 550, 396)] * 10)
    turning = _path(2, 31.6, [(415, 0, 560, 390), (500, 10, 720, 396), (560, 20, 768, 398)])
    paths, joined = stitched([standing, turning], 768, 432)
    assert joined == {2: 1} and paths[0].last_s == turning.last_s
    entering = _path(3, 31.8, [(0, 150, 60, 380), (20, 150, 90, 380), (40, 150, 110, 380)])
    paths, joined = stitched([standing, entering], 768, 432)
    assert joined == {}


def test_who_walks_off_the_spot_they_stood_on_goes_on_under_their_number():
    """A visitor stood still; as they walk off, the old track keeps the ghost they leave
    on the spot for a second more while a new track follows them: one visitor. A person
    walking past while another walks the other way is two."""
    from vigil.tracking import stitched

    stood = _path(1, 10.0, [(200, 0, 370, 390)] * 10 + [(220, 0, 370, 240), (216, 0, 370, 389)])
    off = _path(2, 11.2, [(216, 175, 362, 396), (150, 0, 370, 398), (0, 19, 223, 398)])
    paths, joined = stitched([stood, off], 768, 432)
    assert joined == {2: 1}
    # the old track drifts on the ghost as it fades, ending inside the picture a second
    # after the new one was born there
    fading = [(230 + 25 * i, 140, 400 + 25 * i, 390) for i in range(5)]
    drifting = _path(5, 10.0, [(200, 100, 370, 390)] * 10 + fading)
    walks_off = _path(6, 12.0, [(250 + 40 * i, 100, 420 + 40 * i, 390) for i in range(8)])
    assert stitched([drifting, walks_off], 768, 432)[1] == {6: 5}
    walking = _path(3, 20.0, [(600 - 20 * i, 200, 640 - 20 * i, 320) for i in range(12)])
    towards = _path(4, 21.2, [(380 + 20 * i, 200, 420 + 20 * i, 320) for i in range(6)])
    assert stitched([walking, towards], 768, 432)[1] == {}


def test_a_thing_that_stayed_put_does_not_become_who_walks_up_to_it():
    """A sheet of paper moved on a table stays foreground: a visitor whose blob swallows it
    as they walk up is a track of their own (`SIZE_JUMP`), and so is the paper they leave
    behind."""
    tracker = Tracker()
    paper = Box(300, 250, 330, 320)
    walk(tracker, 0.0, 10, lambda i: [paper])  # settled for 2 s
    numbers = walk(tracker, 2.0, 10, lambda i: [Box(290, 90, 480, 430)])  # swallowed by a visitor
    later = walk(tracker, 4.0, 10, lambda i: [paper])
    assert len({n for row in numbers for n in row}) == 1
    assert numbers[0][0] != 1 and later[-1][0] not in (numbers[0][0],)


def test_a_piece_that_stays_put_on_its_own_is_a_thing_not_a_piece():
    """Beside a visitor while they stand at the table, but there seconds before they came
    and after they left: the paper on the table, not the visitor's arm."""
    from vigil.tracking import whole_tracks

    visitor = _path(1, 10.0, [(380, 150, 510, 394)] * 20)  # 10.0-13.8 s
    paper = _path(2, 6.0, [(505, 300, 535, 380)] * 50)  # 6.0-15.8 s, in place
    paths, joined = whole_tracks([visitor, paper], 768, 432)
    assert [p.number for p in paths] == [2, 1] and joined == {}


def test_what_came_and_went_in_place_mid_recording_is_a_thing():
    """Born and gone inside the picture, never moving, neither at the start nor at the end
    of the recording: a thing that changed there. A visitor crossing is not; nor is whoever
    stood there when the recording began."""
    from vigil.tracking import came_and_went_in_place

    paper = _path(1, 10.0, [(300, 250, 330, 320)] * 25)
    assert came_and_went_in_place(paper, track_motion(paper, W, H), 60.0)
    crossing = _path(2, 10.0, [(100 + 20 * i, 150, 180 + 20 * i, 400) for i in range(20)])
    assert not came_and_went_in_place(crossing, track_motion(crossing, W, H), 60.0)
    from_start = _path(3, 0.2, [(300, 250, 330, 320)] * 25)
    assert not came_and_went_in_place(from_start, track_motion(from_start, W, H), 60.0)


def test_the_spot_someone_stood_on_as_the_recording_began_is_no_one():
    """Whoever stood there at the start is learned into the background: as they walk
    off, their spot and what lies on it show as motion, inside their first box. Someone
    who walks in later, or a thing elsewhere, is not that ghost."""
    from vigil.tracking import ghost_of_start

    starts = [Box(250, 40, 386, 384)]  # a visitor standing at a table when it began
    ghost = _path(2, 2.0, [(254, 36, 379, 394)] + [(276, 319, 302, 398)] * 4)
    assert ghost_of_start(ghost, track_motion(ghost, W, H), starts)
    walker = _path(3, 6.0, [(260, 20 + 10 * i, 380, 400 + 10 * i) for i in range(10)])
    assert not ghost_of_start(walker, track_motion(walker, W, H), starts)  # left at the bottom
    elsewhere = _path(4, 2.0, [(500, 100, 540, 200)] * 5)
    assert not ghost_of_start(elsewhere, track_motion(elsewhere, W, H), starts)


def test_a_vehicle_standing_in_one_place_on_two_looks_is_parked():
    """The object detector's looks see a van in one place, motion never outlining it: a
    parked vehicle, one track while the looks see it (one miss is the detector's, two
    mean it left). A car seen once, or driving (motion outlines it), is not parked."""
    from vigil.tracking import PARKED_NUMBER, ParkedVehicles

    van, car = Box(649, 44, 723, 98), Box(100, 300, 220, 380)
    parked = ParkedVehicles()
    parked.look(0, 0.0, [van, Box(650, 44, 722, 99), car], [car])  # the car is driving
    assert parked.now(2, 0.4) == []  # seen once: not yet parked
    assert parked.look(25, 5.0, [van], []) == [(PARKED_NUMBER, van)]  # found parked now
    assert parked.now(30, 6.0) == [(PARKED_NUMBER, van)]
    parked.look(50, 10.0, [], [])  # missed once
    assert parked.now(55, 11.0) == [(PARKED_NUMBER, van)]
    parked.look(75, 15.0, [], [])  # missed twice: it left
    assert parked.now(80, 16.0) == []
    (path,) = parked.finish()
    assert path.number == PARKED_NUMBER and path.first_s == 0.0 and path.last_s == 11.0
    assert {p.box for p in path.points} == {van}
