"""Live cameras: streams recorded as segments and analysed as each segment closes.

A recorder thread per camera reads its stream through PyAV (RTSP, HTTP, anything FFmpeg
opens, or a growing file) and copies the video packets, without re-encoding, into
Matroska segments of about ``segment_s`` seconds, cut at keyframes. Each closed segment
goes to one analyser, which ingests it like a file with its wall-clock start: keyframes,
detections, tracks and captions land in the store one segment after they happen.
Segments older than the retention are deleted (their keyframes, thumbnails and captions
stay). A stream that drops, stalls or cannot be opened is tried again with backoff, and
each drop and reconnect is logged.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import av

from vigil.errors import VigilError
from vigil.ingest import Ingestor
from vigil.media import probe_video

log = logging.getLogger("vigil.live")
OPEN_AND_READ_TIMEOUT_S = 10.0  # a stream silent this long counts as dropped
FIRST_BACKOFF_S = 1.0
MAX_BACKOFF_S = 30.0
MIN_SEGMENT_S = 1.0  # a shorter tail (a stream that dropped at once) is not worth a video
FILE_POLL_S = 1.0  # a growing file is read again this often at its end
FILE_IDLE_S = 30.0  # a file that has not grown for this long closes its segment
STREAM_ERRORS = (av.error.FFmpegError, OSError, ValueError)


@dataclass(frozen=True)
class LiveStream:
    camera: str
    url: str


@dataclass(frozen=True)
class Segment:
    camera: str
    path: Path
    start: datetime  # UTC of its first frame
    seconds: float


def _options(url: str) -> dict[str, str]:
    """Demuxer options: RTSP over TCP (no lost UDP packets, passes firewalls)."""
    return {"rtsp_transport": "tcp"} if url.startswith(("rtsp://", "rtsps://")) else {}


def _safe_url(url: str) -> str:
    """The URL without its password, for log lines."""
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest.split("/", 1)[0]:
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def _why(exc: Exception, url: str) -> str:
    """An error's message for a log line, with the stream's password taken out."""
    return (str(exc) or type(exc).__name__).replace(url, _safe_url(url))


class _SegmentWriter:
    """One segment being written: packets copied as they are, times from its first."""

    def __init__(self, folder: Path, template, first, start: datetime) -> None:
        self.start = start
        self.path = folder / f"{start:%Y%m%dT%H%M%S.%f}Z.mkv"
        self.part = self.path.with_suffix(".part")
        self.output = av.open(str(self.part), "w", format="matroska")
        self.stream = self.output.add_stream_from_template(template)
        self.time_base = template.time_base
        self.origin = first.dts if first.dts is not None else first.pts
        self.first_pts = first.pts
        self.last_pts = first.pts

    def seconds_to(self, packet) -> float:
        return float((packet.pts - self.first_pts) * self.time_base)

    def write(self, packet) -> None:
        self.last_pts = max(self.last_pts, packet.pts)
        packet.pts -= self.origin
        if packet.dts is not None:
            packet.dts -= self.origin
        packet.stream = self.stream
        self.output.mux(packet)

    def close(self) -> float | None:
        """Finish the file; its seconds, or None (file removed) when too short to keep."""
        self.output.close()
        seconds = float((self.last_pts - self.first_pts) * self.time_base)
        if seconds < MIN_SEGMENT_S:
            self.part.unlink(missing_ok=True)
            return None
        self.part.rename(self.path)
        return seconds


class StreamRecorder:
    """Records one camera's stream into segments until stopped, reconnecting as needed.

    A local path is followed as a growing file (an NVR's recording being written): at its
    end the recorder waits for more, reopens it where it left off and carries on with the
    same segment; the last packet read is held back until the next arrives, since it may
    be only half written. A file that stops growing for ``FILE_IDLE_S`` closes its segment.
    """

    def __init__(
        self,
        stream: LiveStream,
        folder: Path,
        segment_s: float,
        on_segment: Callable[[Segment], None],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.stream = stream
        self.folder = folder
        self.segment_s = segment_s
        self.on_segment = on_segment
        self.now = now
        self.connects = 0
        self.follows_file = "://" not in stream.url
        self._writer: _SegmentWriter | None = None
        self._clock: tuple[datetime, int] | None = None  # wall time of a pts, per connection
        self._copied_pts: int | None = None  # the last packet copied (files: resume after)

    def run(self, stop: threading.Event) -> None:
        camera, shown = self.stream.camera, _safe_url(self.stream.url)
        self.folder.mkdir(parents=True, exist_ok=True)
        backoff = FIRST_BACKOFF_S
        idle_since: float | None = None
        while not stop.is_set():
            try:
                container = av.open(
                    self.stream.url,
                    options=_options(self.stream.url),
                    timeout=OPEN_AND_READ_TIMEOUT_S,
                )
            except STREAM_ERRORS as exc:
                log.warning(
                    "camera %s: cannot open %s (%s); trying again in %.0f s",
                    camera,
                    shown,
                    _why(exc, self.stream.url),
                    backoff,
                )
                stop.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_S)
                continue
            self.connects += 1
            with container:
                if not container.streams.video:
                    reason, grew = "the stream has no video", False
                else:
                    video = container.streams.video[0]
                    if self.connects == 1 or not self.follows_file:
                        log.info(
                            "camera %s: %s %s (%s %dx%d)",
                            camera,
                            "connected to" if self.connects == 1 else "reconnected to",
                            shown,
                            video.codec_context.name,
                            video.codec_context.width,
                            video.codec_context.height,
                        )
                    backoff = FIRST_BACKOFF_S
                    reason, grew = self._record(container, video, stop)
            if stop.is_set():
                break
            if self.follows_file and reason == "end of stream":
                idle_since = None if grew else idle_since or time.monotonic()
                idle = idle_since is not None and time.monotonic() - idle_since > FILE_IDLE_S
                if idle and self._writer is not None:
                    log.warning("camera %s: %s stopped growing", camera, shown)
                    self._hand_on()
                stop.wait(FILE_POLL_S)
                continue
            log.warning(
                "camera %s: stream dropped (%s); reconnecting in %.0f s", camera, reason, backoff
            )
            self._hand_on()
            self._clock = None
            stop.wait(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_S)
        self._hand_on()

    def _record(self, container, video, stop: threading.Event) -> tuple[str, bool]:
        """Copy packets into segments until the stream ends, fails or ``stop``: why it
        ended, and whether anything new was copied."""
        resume = self._copied_pts if self.follows_file else None
        if resume is not None:
            # not seekable: read from the start, skipping what was copied
            with contextlib.suppress(*STREAM_ERRORS):
                container.seek(resume, stream=video, backward=True)
        held = None  # a file's last packet may be half written: copied once the next comes
        grew = False
        try:
            for packet in container.demux(video):
                if stop.is_set():
                    return "stopped", grew
                if packet.pts is None or (resume is not None and packet.pts <= resume):
                    continue  # a flush packet, or one copied before
                if held is not None:
                    self._copy(held, video)
                    grew = True
                held = packet
        except STREAM_ERRORS as exc:
            if held is not None and not self.follows_file:
                self._copy(held, video)
            return _why(exc, self.stream.url), grew
        if held is not None and not self.follows_file:
            self._copy(held, video)
            grew = True
        return "end of stream", grew

    def _copy(self, packet, video) -> None:
        """Copy one packet: a keyframe after ``segment_s`` starts the next segment."""
        writer = self._writer
        if packet.is_keyframe and (writer is None or writer.seconds_to(packet) >= self.segment_s):
            if self._clock is None:
                self._clock = (self.now(), packet.pts)
            self._hand_on()
            wall, origin = self._clock
            start = wall + timedelta(seconds=float((packet.pts - origin) * video.time_base))
            ahead = not self.follows_file and start > (now := self.now())
            if ahead:  # a server that sends faster than real time: never stamp the future
                self._clock, start = (now, packet.pts), now
            writer = self._writer = _SegmentWriter(self.folder, video, packet, start)
        if writer is not None:  # before the first keyframe nothing can be decoded
            self._copied_pts = packet.pts
            writer.write(packet)

    def _hand_on(self) -> None:
        """Close the open segment, if any, and pass it on."""
        writer, self._writer = self._writer, None
        if writer is None:
            return
        try:
            seconds = writer.close()
        except STREAM_ERRORS as exc:
            log.warning("camera %s: segment %s lost (%s)", self.stream.camera, writer.path, exc)
            writer.part.unlink(missing_ok=True)
            return
        if seconds is not None:
            self.on_segment(Segment(self.stream.camera, writer.path, writer.start, seconds))


class LiveWatcher:
    """Records each stream and analyses its segments as they close, until stopped."""

    def __init__(
        self,
        ingestor: Ingestor,
        streams: list[LiveStream],
        segment_s: float,
        keep: timedelta,
        on_analysed: Callable[[str, datetime, datetime], object] | None = None,
    ) -> None:
        """``on_analysed(camera, start, end)`` is told of each segment once its video is in
        the store (Vigil's own alarms are raised there)."""
        if not streams:
            raise VigilError("no camera has a stream to watch (cameras.<name>.stream)")
        self.ingestor = ingestor
        self.folder = ingestor.settings.live_dir
        self.keep = keep
        self.on_analysed = on_analysed
        self.segments: queue.Queue[Segment] = queue.Queue()
        self.recorders = [
            StreamRecorder(s, self.folder / s.camera, segment_s, self.segments.put) for s in streams
        ]
        self.analysed = 0

    def catch_up(self) -> int:
        """Queue the segments a watcher that stopped or died left behind: closed ones not
        yet analysed, and the one it was writing (read up to where it broke off); those
        analysed already are skipped by the ingest. How many were queued."""
        queued = 0
        for recorder in self.recorders:
            for part in sorted(recorder.folder.glob("*.part")):
                try:
                    probe_video(part)
                except VigilError as exc:
                    log.warning("camera %s: %s cut off unreadable (%s), removed",
                                recorder.stream.camera, part.name, exc)  # fmt: skip
                    part.unlink(missing_ok=True)
                else:
                    part.rename(part.with_suffix(".mkv"))
            for path in sorted(recorder.folder.glob("*.mkv")):
                try:
                    start = datetime.strptime(path.stem, "%Y%m%dT%H%M%S.%fZ").replace(tzinfo=UTC)
                except ValueError:
                    continue  # not a segment this watcher wrote
                self.segments.put(Segment(recorder.stream.camera, path, start, 0.0))
                queued += 1
        return queued

    def run(self, stop: threading.Event) -> None:
        """Record and analyse until ``stop``; the segments closed by then are analysed."""
        threads = [
            threading.Thread(target=r.run, args=(stop,), name=f"record-{r.stream.camera}")
            for r in self.recorders
        ]
        for t in threads:
            t.start()
        while not stop.is_set() or any(t.is_alive() for t in threads) or not self.segments.empty():
            try:
                segment = self.segments.get(timeout=0.5)
            except queue.Empty:
                continue
            self.analyse(segment)
        for t in threads:
            t.join()

    def analyse(self, segment: Segment) -> None:
        """Ingest one closed segment, then delete what is past the retention."""
        t0 = time.perf_counter()
        try:
            result = self.ingestor.ingest(segment.path, segment.camera, segment.start)
        except VigilError as exc:  # one bad segment must not stop the watch
            log.warning("camera %s: segment %s not analysed: %s", segment.camera, segment.path, exc)
        else:
            self.analysed += not result.already_ingested
            behind = self.segments.qsize()
            log.info(
                "camera %s: %.0f s from %s %s in %.1f s, %d keyframes%s",
                segment.camera,
                result.video_seconds,
                f"{segment.start.astimezone(self.ingestor.settings.tz):%H:%M:%S %Z}",
                "analysed before" if result.already_ingested else "analysed",
                time.perf_counter() - t0,
                result.keyframes_added,
                f"; {behind} segments wait (analysis is behind the streams)" if behind > 1 else "",
            )
            if self.on_analysed is not None:
                end = segment.start + timedelta(seconds=result.video_seconds)
                try:
                    self.on_analysed(segment.camera, segment.start, end)
                except VigilError as exc:  # the rules failing must not stop the watch
                    log.warning("camera %s: the rules were not checked: %s", segment.camera, exc)
        self.prune()

    def prune(self) -> int:
        """Delete recorded segments older than the retention; how many."""
        cutoff = time.time() - self.keep.total_seconds()
        old = [p for p in self.folder.glob("*/*.mkv") if p.stat().st_mtime < cutoff]
        for path in old:
            path.unlink(missing_ok=True)
        return len(old)
