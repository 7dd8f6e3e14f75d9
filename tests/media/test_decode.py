from pathlib import Path

import pytest

from vigil.errors import CorruptVideoError, InvalidInputError
from vigil.media import decode_frames, probe_video, sha256_file


def test_probe_reads_facts_of_a_real_clip(shared_data: Path):
    info = probe_video(shared_data / "clips" / "car-detection.mp4")
    assert (info.width, info.height) == (768, 432)
    assert info.fps == pytest.approx(12.5)
    assert info.duration_s == pytest.approx(30.16, abs=0.1)
    assert info.sha256 == "d31e0ebf194cc16e50eea784e7c3b0b1bb7976a4fb9b3fec26cb92a6704cca34"


def test_decode_gives_every_frame_with_increasing_offsets(synthetic_video: Path):
    frames = list(decode_frames(synthetic_video, 10))
    assert len(frames) == 60
    offsets = [f.offset_s for f in frames]
    assert offsets == sorted(offsets)
    assert offsets[-1] == pytest.approx(5.9, abs=0.01)
    assert frames[0].bgr().shape == (240, 320, 3)
    assert frames[0].small_bgr(160).shape == (120, 160, 3)


def test_gif_and_mkv_are_accepted_and_fully_decoded(tmp_path: Path):
    import numpy as np
    from PIL import Image

    from tests.conftest import write_video

    frames = [np.full((32, 48, 3), (i * 5) % 255, np.uint8) for i in range(50)]  # 5 s
    gif = tmp_path / "a.gif"
    images = [Image.fromarray(f) for f in frames]
    images[0].save(gif, save_all=True, append_images=images[1:], duration=100)
    mkv = write_video(tmp_path / "a.mkv", frames)
    for path in (gif, mkv):
        info = probe_video(path)
        assert (info.width, info.height) == (48, 32)
        assert info.duration_s == pytest.approx(5.0, abs=0.11)
        assert len(list(decode_frames(path, info.fps, info.duration_s))) == 50


@pytest.mark.parametrize(
    "content, error",
    [(b"", InvalidInputError), (b"hello, this is not a video" * 10, InvalidInputError)],
)
def test_bad_files_are_refused(tmp_path: Path, content: bytes, error):
    path = tmp_path / "bad.mp4"
    path.write_bytes(content)
    with pytest.raises(error):
        probe_video(path)


def test_missing_file_is_refused(tmp_path: Path):
    with pytest.raises(InvalidInputError, match="no such file"):
        probe_video(tmp_path / "nope.mp4")


def test_truncated_mp4_is_refused(tmp_path: Path, shared_data: Path):
    data = (shared_data / "clips" / "car-detection.mp4").read_bytes()
    path = tmp_path / "truncated.mp4"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(CorruptVideoError, match="truncated"):
        probe_video(path)


def test_decode_notices_a_stream_that_stops_early(synthetic_video: Path):
    with pytest.raises(CorruptVideoError, match="stops at 5.9 s of 30.0 s"):
        list(decode_frames(synthetic_video, 10, expected_duration_s=30.0))


def test_sha256_of_file(tmp_path: Path):
    path = tmp_path / "x"
    path.write_bytes(b"abc")
    assert sha256_file(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
