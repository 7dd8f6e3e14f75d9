"""Video probing and decoding with PyAV (FFmpeg), with clear errors for bad files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from vigil.errors import CorruptVideoError, InvalidInputError


@dataclass(frozen=True)
class VideoInfo:
    """Facts about a video file, read before anything is stored."""

    path: Path
    sha256: str
    size_bytes: int
    width: int
    height: int
    fps: float
    duration_s: float
    frame_count: int
    codec: str


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def probe_video(path: Path) -> VideoInfo:
    """Check that ``path`` is a readable video and return its facts.

    Raises InvalidInputError for a missing, empty or non-video file and CorruptVideoError
    for a file whose container opens but whose frames cannot be decoded.
    """
    if not path.exists():
        raise InvalidInputError(f"{path}: no such file")
    if not path.is_file():
        raise InvalidInputError(f"{path}: not a file")
    size = path.stat().st_size
    if size == 0:
        raise InvalidInputError(f"{path}: file is empty")
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, UnicodeDecodeError) as exc:
        raise InvalidInputError(
            f"{path}: not a readable video file ({exc.__class__.__name__})"
        ) from exc
    with container:
        if not container.streams.video:
            raise InvalidInputError(f"{path}: contains no video stream")
        stream = container.streams.video[0]
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        fps = float(rate) if rate else 0.0
        if stream.duration and stream.time_base:
            duration = float(stream.duration * stream.time_base)
        elif container.duration:
            duration = container.duration / 1_000_000
        else:
            duration = 0.0
        try:
            first = next(container.decode(stream), None)
        except (av.error.FFmpegError, ValueError) as exc:
            raise CorruptVideoError(f"{path}: video frames cannot be decoded ({exc})") from exc
        if first is None:
            raise CorruptVideoError(f"{path}: video stream holds no decodable frame")
        frames = stream.frames or (round(duration * fps) if fps else 0)
        if fps <= 0:
            raise CorruptVideoError(f"{path}: video has no usable frame rate")
        if duration > 2 and not _decodes_near(container, stream, duration - 1.0):
            raise CorruptVideoError(
                f"{path}: truncated or damaged, no frame decodes near its end ({duration:.1f} s)"
            )
        return VideoInfo(
            path=path,
            sha256=sha256_file(path),
            size_bytes=size,
            width=first.width,
            height=first.height,
            fps=fps,
            duration_s=duration or frames / fps,
            frame_count=frames,
            codec=stream.codec_context.name,
        )


def _decodes_near(container, stream, seconds: float) -> bool:
    """Whether a frame at or after ``seconds`` decodes (false for a cut-off file)."""
    try:
        container.seek(int(seconds / stream.time_base), stream=stream, backward=True)
        for frame in container.decode(stream):
            if frame.time is not None and frame.time >= seconds - 2.0:
                return True
    except (av.error.FFmpegError, ValueError):
        return False
    return False


@dataclass(frozen=True)
class DecodedFrame:
    """One decoded frame: its index, time offset and a PyAV frame to convert on demand."""

    index: int
    offset_s: float
    frame: av.VideoFrame

    def bgr(self) -> np.ndarray:
        """The full-resolution frame as a BGR uint8 array."""
        return self.frame.to_ndarray(format="bgr24")

    def small_bgr(self, width: int) -> np.ndarray:
        """A downscaled BGR copy (for motion and scene-change analysis)."""
        height = max(2, round(self.frame.height * width / self.frame.width / 2) * 2)
        return self.frame.reformat(width=width, height=height, format="bgr24").to_ndarray()


def decode_frames(
    path: Path, fps: float, expected_duration_s: float = 0.0
) -> Iterator[DecodedFrame]:
    """Decode every frame of the first video stream, in order.

    Offsets come from presentation timestamps where present, else from index / fps.
    Raises CorruptVideoError if decoding breaks part-way or stops well short of
    ``expected_duration_s`` (a truncated or damaged file).
    """
    last = -1.0
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            for index, frame in enumerate(container.decode(stream)):
                if frame.pts is not None and frame.time_base is not None:
                    offset = float(frame.pts * frame.time_base) - float(
                        (stream.start_time or 0) * stream.time_base
                    )
                else:
                    offset = index / fps
                last = max(0.0, offset)
                yield DecodedFrame(index, last, frame)
    except av.error.FFmpegError as exc:
        raise CorruptVideoError(f"{path}: decoding failed part-way ({exc})") from exc
    if expected_duration_s > 2 and last < expected_duration_s - max(
        2.0, 0.05 * expected_duration_s
    ):
        raise CorruptVideoError(
            f"{path}: video stops at {last:.1f} s of {expected_duration_s:.1f} s (truncated)"
        )
