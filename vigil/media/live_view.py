"""Live view: a camera's stream repackaged, without re-encoding, as fragmented MP4 that a
browser plays through Media Source Extensions.

The H.264 packets are copied as they arrive into an MP4 whose header comes first (no
index at the end) and which is cut into one fragment per frame, so a browser shows a frame
about as soon as the camera sends it; the CPU cost is demuxing and muxing, not decoding.
A local file (a stream under test, an NVR export) is played at its own pace.
"""

from __future__ import annotations

import contextlib
import io
import threading
import time

import av

from vigil.errors import VigilError

OPEN_TIMEOUT_S = 10.0
FIRST_KEYFRAME_S = 10.0  # a view waits no longer for a picture to start from
FRAGMENTED_MP4 = "empty_moov+default_base_moof+frag_keyframe+frag_every_frame"
STREAM_ERRORS = (av.error.FFmpegError, OSError, ValueError)


class _Collected(io.RawIOBase):
    """Bytes the MP4 muxer writes, taken as they come (the output cannot seek)."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def _codec_of(init: bytes) -> str:
    """The MSE codec string (``avc1.PPCCLL``) from the avcC box of an MP4 header."""
    at = init.find(b"avcC")
    if at < 0 or len(init) < at + 8:
        raise VigilError(
            "the camera's H.264 stream does not state its parameters (SPS/PPS) up front, "
            "which a browser needs: set the camera to send them in its stream description"
        )
    profile, compatibility, level = init[at + 5 : at + 8]
    return f"avc1.{profile:02X}{compatibility:02X}{level:02X}"


class LiveFeed:
    """One viewer's copy of a camera stream as fragmented MP4: ``start`` returns the MSE
    codec string and the header (after the first keyframe), ``fragments`` what follows."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._input = None
        self._output = None
        self._collected = _Collected()
        self._origin: int | None = None
        self._paced = "://" not in url  # a file is read as fast as the disk goes
        self._started = 0.0
        self._pending: list[bytes] = []
        self._lock = threading.Lock()

    def start(self) -> tuple[str, bytes]:
        """Open the stream and wait for its first keyframe (at most FIRST_KEYFRAME_S):
        (codec, header bytes). The feed is closed again on any failure."""
        options = {"rtsp_transport": "tcp"} if self.url.startswith(("rtsp://", "rtsps://")) else {}
        try:
            self._input = av.open(self.url, options=options, timeout=OPEN_TIMEOUT_S)
            if not self._input.streams.video:
                raise VigilError("the camera's stream has no video")
            video = self._input.streams.video[0]
            if video.codec_context.name != "h264":
                raise VigilError(
                    f"live view plays H.264 streams; this camera sends {video.codec_context.name}"
                )
            self._output = av.open(
                self._collected, "w", format="mp4", options={"movflags": FRAGMENTED_MP4}
            )
            self._stream = self._output.add_stream_from_template(video)
            self._packets = self._input.demux(video)
            deadline = time.monotonic() + FIRST_KEYFRAME_S
            for packet in self._packets:
                if self._copy(packet):
                    break
                if time.monotonic() > deadline:
                    raise VigilError(f"the camera sent no keyframe in {FIRST_KEYFRAME_S:.0f} s")
            data = self._collected.take()
            header_end = data.find(b"moof") - 4
            header = data if header_end < 0 else data[:header_end]
            if header_end >= 0:
                self._pending.append(data[header_end:])
            return _codec_of(header), header
        except STREAM_ERRORS as exc:
            self.close()
            why = type(exc).__name__
            raise VigilError(f"the camera's stream cannot be opened ({why})") from exc
        except BaseException:
            self.close()
            raise

    def _copy(self, packet) -> bool:
        """Mux one packet (from the first keyframe on); True when it was muxed."""
        if packet.pts is None or packet.size == 0:
            return False
        if self._origin is None:
            if not packet.is_keyframe:
                return False
            self._origin = packet.dts if packet.dts is not None else packet.pts
            self._started = time.monotonic()
        if self._paced:
            ahead = float((packet.pts - self._origin) * packet.time_base) - (
                time.monotonic() - self._started
            )
            if ahead > 0:
                time.sleep(ahead)
        packet.pts -= self._origin
        if packet.dts is not None:
            packet.dts -= self._origin
        packet.stream = self._stream
        self._output.mux(packet)
        return True

    def next_fragment(self) -> bytes | None:
        """The next fragment once the camera sends a frame; None when the stream has ended,
        failed or the feed is closed. Safe to call beside ``close`` from another thread."""
        with self._lock:
            if self._pending:
                return self._pending.pop(0)
            try:
                while self._input is not None:
                    if self._copy(next(self._packets)):
                        data = self._collected.take()
                        if data:
                            return data
            except (StopIteration, *STREAM_ERRORS):
                pass  # a dropped stream ends the view; the browser opens it again
            if self._output is None:
                return None
            with contextlib.suppress(*STREAM_ERRORS):
                self._output.close()  # the muxer holds the last frame until the next
            self._output = None
            return self._collected.take() or None

    def close(self) -> None:
        """Close the stream (waits for a ``next_fragment`` in progress)."""
        with self._lock:
            for container in (self._output, self._input):
                if container is not None:
                    with contextlib.suppress(STREAM_ERRORS):
                        container.close()
            self._output = self._input = None
