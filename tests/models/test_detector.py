import numpy as np

from tests.conftest import walking_figure_frames
from vigil.models.detector import MotionDetector


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
