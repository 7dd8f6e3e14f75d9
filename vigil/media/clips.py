"""Evidence out of stored video: a frame at an offset, and a clip of a time span, cut by
copying packets (no re-encoding, so the pixels are the recorder's own) or, where images
must be changed (redaction), re-encoded frame by frame."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from vigil.errors import CorruptVideoError

OFFSET_SLACK_S = 0.5


def _offset(frame_or_packet, stream) -> float | None:
    if frame_or_packet.pts is None:
        return None
    return float((frame_or_packet.pts - (stream.start_time or 0)) * stream.time_base)


def frame_at(path: Path, offset_s: float) -> np.ndarray | None:
    """The full-resolution frame (BGR) at ``offset_s`` seconds into a video; None when the
    file cannot give it (gone, cut short, damaged)."""
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            start = stream.start_time or 0
            container.seek(start + int(offset_s / stream.time_base), stream=stream, backward=True)
            for frame in container.decode(stream):
                at = _offset(frame, stream)
                if at is None or at >= offset_s - 1e-3:
                    return frame.to_ndarray(format="bgr24")
    except (av.error.FFmpegError, OSError, IndexError, ValueError):
        return None
    return None


def copy_clip(path: Path, out: Path, start_s: float, end_s: float) -> tuple[float, float]:
    """Copy the packets of ``path`` from the keyframe at or before ``start_s`` to
    ``end_s`` into a Matroska file ``out``, unchanged; the offsets it spans (it starts
    early where the nearest keyframe is far before ``start_s``)."""
    first, last = None, 0.0
    try:
        with av.open(str(path)) as source, av.open(str(out), "w", format="matroska") as target:
            stream = source.streams.video[0]
            copy = target.add_stream_from_template(stream)
            source.seek(
                (stream.start_time or 0) + int(max(0.0, start_s) / stream.time_base),
                stream=stream, backward=True, any_frame=False,
            )  # fmt: skip
            # packets from the last keyframe at or before start_s (seeking may land earlier)
            lead: list = []
            origin = None
            for packet in source.demux(stream):
                at = _offset(packet, stream)
                if packet.dts is None or at is None:
                    continue
                if at > end_s:
                    break
                if origin is None and at <= start_s:
                    if packet.is_keyframe:
                        lead = [(packet, at)]
                    elif lead:
                        lead.append((packet, at))
                    continue
                for held, held_at in [*lead, (packet, at)]:
                    if origin is None:
                        if not held.is_keyframe:
                            continue
                        origin, first = held.dts, held_at
                    held.pts -= origin
                    held.dts -= origin
                    held.stream = copy
                    target.mux(held)
                    last = held_at
                lead = []
    except av.error.FFmpegError as exc:
        failed = f"the clip could not be cut ({exc})"
    else:
        failed = None
    return _finished(path, out, first, last, failed, start_s, end_s)


def reencoded_clip(
    path: Path,
    out: Path,
    start_s: float,
    end_s: float,
    change: Callable[[np.ndarray, int], np.ndarray],
    container: str = "matroska",
) -> tuple[float, float]:
    """The frames of ``path`` between ``start_s`` and ``end_s``, each passed through
    ``change(bgr, index)``, encoded as H.264 in ``container`` (matroska, or mp4 for a
    browser); the offsets it spans."""
    options = {"movflags": "+faststart"} if container == "mp4" else {}
    first, last = None, 0.0
    try:
        with (
            av.open(str(path)) as source,
            av.open(str(out), "w", format=container, options=options) as target,
        ):
            stream = source.streams.video[0]
            rate = stream.average_rate or Fraction(25)
            encoded = target.add_stream("libx264", rate=rate)
            encoded.width, encoded.height = stream.codec_context.width, stream.codec_context.height
            encoded.pix_fmt = "yuv420p"
            encoded.options = {"crf": "20", "preset": "veryfast"}
            source.seek(
                (stream.start_time or 0) + int(max(0.0, start_s) / stream.time_base),
                stream=stream, backward=True,
            )  # fmt: skip
            index = 0
            for frame in source.decode(stream):
                at = _offset(frame, stream)
                if at is None or at < start_s - OFFSET_SLACK_S:
                    continue
                if at > end_s:
                    break
                first = at if first is None else first
                bgr = change(frame.to_ndarray(format="bgr24"), index)
                picture = av.VideoFrame.from_ndarray(bgr, format="bgr24")
                picture.pts = index
                picture.time_base = 1 / rate
                for packet in encoded.encode(picture):
                    target.mux(packet)
                index, last = index + 1, at
            for packet in encoded.encode(None):
                target.mux(packet)
    except av.error.FFmpegError as exc:
        failed = f"the clip could not be made ({exc})"
    else:
        failed = None
    return _finished(path, out, first, last, failed, start_s, end_s)


def _finished(
    path: Path,
    out: Path,
    first: float | None,
    last: float,
    failed: str | None,
    start_s: float,
    end_s: float,
) -> tuple[float, float]:
    """The span a clip covers; the clip removed and CorruptVideoError when it failed or
    holds no frame."""
    if failed is None and first is None:
        failed = f"no video between {start_s:.1f} and {end_s:.1f} s"
    if failed is not None:
        out.unlink(missing_ok=True)
        raise CorruptVideoError(f"{path.name}: {failed}")
    return first, last
