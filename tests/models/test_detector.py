import numpy as np

from tests.conftest import walking_figure_frames
from vigil.models.detector import MotionDetector, edge_strength, exposure_undone, is_ghost


def test_finds_the_walking_figure_and_nothing_before_it():
    frames = walking_figure_frames(seconds=4)
    detector = MotionDetector(fps=10)
    found = {}
    for i, img in enumerate(frames):
        detector.observe(img)
        found[i] = detector.regions(full_width=320)
    assert found[15] == []  # 1.5 s: empty room
    regions = found[35]  # 3.5 s: figure at x = 10 + 1.5 * 40 = 70
    assert len(regions) == 1
    box = regions[0].box
    assert abs(box.x1 - 70) <= 6 and abs(box.y1 - 70) <= 6 and abs(box.y2 - 179) <= 6
    assert box.height > 2 * box.width


def test_whole_picture_exposure_change_is_not_movement():
    frames = walking_figure_frames(seconds=2)  # empty room only
    detector = MotionDetector(fps=10)
    for img in frames:
        detector.observe(img)
    brighter = np.clip(frames[-1].astype(int) + 25, 0, 255).astype(np.uint8)
    for _ in range(3):
        detector.observe(brighter)
    assert detector.regions(full_width=320) == []
    assert detector.foreground_share < 0.01


def test_a_standing_person_stays_detected():
    frames = walking_figure_frames(seconds=3)
    standing = frames[-1]
    detector = MotionDetector(fps=10)
    for img in frames + [standing] * 200:  # 20 s without moving
        detector.observe(img)
    assert len(detector.regions(full_width=320)) == 1


def test_who_stood_there_when_recording_began_leaves_no_ghost():
    """A figure standing in the first frames walks away; a second comes later. The
    place the first stood must not stay "foreground" and swallow the second."""
    walk_in = walking_figure_frames(seconds=6)  # empty 0-2 s, then walks to x = 170
    empty = walk_in[0]
    frames = [walk_in[-1]] * 20 + walk_in[::-1] + [empty] * 30 + walk_in[:36]
    detector = MotionDetector(fps=10)
    found = []
    for img in frames:
        detector.observe(img)
        found.append(detector.regions(full_width=320))
    after_leaving = 20 + 60 + 25  # 2.5 s after the first figure left the picture
    assert found[after_leaving] == []
    second = found[-1]  # 3.5 s into the second walk: the figure at x = 70
    assert len(second) == 1
    assert abs(second[0].box.x1 - 70) <= 6 and second[0].box.width < 40


def test_a_ghost_is_an_outline_only_the_background_has():
    frame = np.full((60, 60, 3), 120, np.uint8)
    with_object = frame.copy()
    with_object[20:40, 20:40] = 20
    blob = np.zeros((60, 60), bool)
    blob[20:40, 20:40] = True
    plain, edged = edge_strength(frame), edge_strength(with_object)
    assert is_ghost(blob, frame_edges=plain, background_edges=edged)  # it left
    assert not is_ghost(blob, frame_edges=edged, background_edges=plain)  # it is there


def test_someone_still_from_the_first_frame_is_held_until_they_move():
    """Motion learns whoever stands still in the first frames as background; a person the
    object detector finds there is a region as long as they stay as they were, once they
    have stirred (a person standing still still breathes and moves their hands)."""
    from tests.conftest import draw_figure
    from vigil.domain import Box

    walk_in = walking_figure_frames(seconds=6)
    standing = []
    for i in range(40):
        img = walk_in[0].copy()
        draw_figure(img, 170 + (i // 5) % 2)  # sways a pixel now and then
        standing.append(img)
    detector = MotionDetector(fps=10)
    detector.observe(standing[0])
    detector.hold([Box(168, 68, 202, 181)], full_width=320)
    for img in standing[1:]:
        detector.observe(img)
    held = detector.regions(full_width=320)
    assert [r.box for r in held] == [Box(168, 68, 202, 181)]
    for img in walk_in[::-1][:20]:  # walks back left: changed, let go; motion sees them
        detector.observe(img)
    boxes = [r.box for r in detector.regions(full_width=320)]
    assert Box(168, 68, 202, 181) not in boxes and boxes


def test_a_person_who_never_stirs_is_let_go():
    """A poster or a coat on a hook the object detector took for a person never moves at
    all: it is not a region, then let go."""
    from vigil.domain import Box

    poster = walking_figure_frames(seconds=6)[-1]
    detector = MotionDetector(fps=10)
    detector.observe(poster)
    detector.hold([Box(168, 68, 202, 181)], full_width=320)
    for _ in range(80):
        detector.observe(poster)
        assert detector.regions(full_width=320) == []


def test_a_frame_the_camera_darkened_is_seen_as_before():
    frames = walking_figure_frames(seconds=2)  # empty room only
    detector = MotionDetector(fps=10)
    for img in frames:
        detector.observe(img)
    darker = np.clip(frames[-1].astype(int) - 40, 0, 255).astype(np.uint8)
    detector.observe(darker)
    assert detector.exposure is not None and np.all(np.abs(detector.exposure + 40) <= 3)
    undone = exposure_undone(darker, detector.exposure)
    assert np.abs(undone.astype(int) - frames[-1].astype(int)).mean() < 4
    assert exposure_undone(darker, None) is darker


def test_a_held_person_the_object_detector_no_longer_sees_is_let_go():
    from tests.conftest import draw_figure
    from vigil.domain import Box

    room = walking_figure_frames(seconds=1)[0]
    frames = []
    for i in range(20):
        img = room.copy()
        draw_figure(img, 170 + (i // 5) % 2)
        frames.append(img)
    detector = MotionDetector(fps=10)
    detector.observe(frames[0])
    held = Box(168, 68, 202, 181)
    detector.hold([held], full_width=320)
    for img in frames[1:]:
        detector.observe(img)
    detector.still_seen([Box(165, 60, 205, 185)])  # seen where they were: kept
    assert detector.holding and [r.box for r in detector.regions(full_width=320)] == [held]
    detector.still_seen([Box(20, 60, 60, 185)])  # only someone else: let go
    assert not detector.holding and detector.regions(full_width=320) == []
