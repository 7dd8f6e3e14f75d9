from datetime import UTC, datetime, timedelta
from pathlib import Path

from vigil.domain import Box, Detection
from vigil.media.decode import VideoInfo
from vigil.store import Store
from vigil.store.keyframes import NewKeyframe

START = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)


def test_a_split_track_goes_on_under_its_new_number_from_the_frame_it_split_at(settings):
    """Keyframes before the split keep the track's number; from it on, its detections (and
    only its) carry the new one."""
    store = Store(settings)
    info = VideoInfo(Path("plaza.mp4"), "ab" * 32, 1, 320, 240, 10.0, 6.0, 60, "h264")
    video, _, _ = store.videos.open("plaza", "UTC", info, START, {})
    box = Box(10, 10, 40, 100)
    keyframes = [
        NewKeyframe(
            f"k{i}", i * 10, float(i), START + timedelta(seconds=i), "scene", "", "",
            [Detection("person", box, 0.8, track=21), Detection("person", box, 0.8, track=7)],
            [],
        )
        for i in range(6)
    ]  # fmt: skip
    store.keyframes.add(video.id, video.camera_id, keyframes)
    store.keyframes.renumber_track_from(video.id, 21, 41, 30)
    numbers = [
        [d.track for d in detections]
        for _, detections in store.keyframes.detections_of_video(video.id)
    ]
    assert numbers == [[21, 7]] * 3 + [[41, 7]] * 3
