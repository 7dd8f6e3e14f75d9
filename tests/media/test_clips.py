"""Evidence frames and clips cut from a real sample clip."""

from __future__ import annotations

import av
import numpy as np
import pytest

from vigil.errors import CorruptVideoError
from vigil.media.clips import copy_clip, frame_at, reencoded_clip


@pytest.fixture
def clip(shared_data):
    return shared_data / "clips" / "car-detection.mp4"


def test_a_copied_clip_keeps_the_recorded_packets_from_a_keyframe(clip, tmp_path):
    first, last = copy_clip(clip, tmp_path / "c.mkv", 3, 9)
    assert first <= 3 <= 9 - 1 < last <= 9
    with av.open(str(clip)) as src, av.open(str(tmp_path / "c.mkv")) as out:
        original = next(p for p in src.demux(video=0) if p.is_keyframe and p.size)
        copied = next(p for p in out.demux(video=0) if p.size)
        assert bytes(copied) == bytes(original)  # not re-encoded
        assert out.streams.video[0].codec_context.name == src.streams.video[0].codec_context.name


def test_a_re_encoded_clip_carries_the_change_and_a_frame_is_read_at_its_offset(clip, tmp_path):
    def black_corner(bgr, _):
        out = bgr.copy()
        out[:40, :40] = 0
        return out

    first, last = reencoded_clip(clip, tmp_path / "r.mp4", 3, 5, black_corner, container="mp4")
    assert 2.4 <= first <= 3 and 4.5 <= last <= 5
    picture = frame_at(tmp_path / "r.mp4", 1.0)
    assert picture is not None and np.mean(picture[:30, :30]) < 20
    assert frame_at(clip, 5.0).shape == picture.shape


def test_no_video_in_the_span_or_no_video_at_all_is_a_clear_error(clip, tmp_path):
    with pytest.raises(CorruptVideoError, match="no video between 500.0 and 509.0 s"):
        copy_clip(clip, tmp_path / "c.mkv", 500, 509)
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video")
    with pytest.raises(CorruptVideoError, match="could not be cut"):
        copy_clip(junk, tmp_path / "c.mkv", 1, 2)
    assert not (tmp_path / "c.mkv").exists() and frame_at(junk, 1.0) is None
