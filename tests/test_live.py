"""Live ingest from a real local RTSP stream (Debian's GStreamer RTSP server), including a
stream that drops and comes back."""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import av
import pytest

from vigil.ingest import Ingestor
from vigil.live import LiveStream, LiveWatcher, _safe_url
from vigil.store import Store

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parent.parent
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, with python3-gi (make system-deps)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(clip: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [SYSTEM_PYTHON, str(REPO / "scripts" / "rtsp-serve.py"), str(clip), str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout.readline().strip() == "ready", "the RTSP server did not start"
    return server


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_a_live_rtsp_stream_is_recorded_analysed_and_reconnected_after_a_drop(
    settings, models, shared_data, caplog
):
    caplog.set_level(logging.INFO, logger="vigil.live")
    clip = shared_data / "clips" / "one-by-one-person-detection.mp4"
    port = free_port()
    store = Store(settings)
    watcher = LiveWatcher(
        Ingestor(settings, store, models),
        [LiveStream("lobby", f"rtsp://127.0.0.1:{port}/live")],
        segment_s=3.0,
        keep=timedelta(hours=1),
    )
    began = datetime.now(UTC)
    server = serve(clip, port)
    stop = threading.Event()
    watching = threading.Thread(target=watcher.run, args=(stop,))
    watching.start()
    try:
        wait_for(lambda: watcher.analysed >= 2, 90, "two analysed segments")
        server.kill()
        server.wait(10)
        wait_for(lambda: "stream dropped" in caplog.text, 30, "the drop to be reported")
        before_drop = watcher.analysed
        server = serve(clip, port)
        recorder = watcher.recorders[0]
        wait_for(lambda: recorder.connects == 2, 60, "a reconnect")
        wait_for(lambda: watcher.analysed > before_drop + 1, 60, "segments after the reconnect")
    finally:
        stop.set()
        watching.join(60)
        server.kill()
    assert not watching.is_alive()
    assert "reconnected to rtsp://127.0.0.1" in caplog.text

    (lobby,) = store.videos.summaries()
    assert lobby.name == "lobby" and lobby.videos == watcher.analysed >= 4
    assert lobby.video_seconds >= 4 * 2.5
    now = datetime.now(UTC)
    keyframes = store.keyframes.list("lobby", began - timedelta(minutes=1), now)
    assert len(keyframes) == lobby.keyframes  # every keyframe is stamped with its wall time
    assert len({k.video_id for k in keyframes}) == lobby.videos
    recorded = [k.utc for k in keyframes]
    assert store.videos.covers("lobby", recorded[len(recorded) // 2])
    segments = sorted((settings.live_dir / "lobby").iterdir())
    assert len(segments) == lobby.videos and all(p.suffix == ".mkv" for p in segments)

    watcher.keep = timedelta(0)  # past the retention: the files go, what was learnt stays
    assert watcher.prune() == len(segments)
    assert store.keyframes.list("lobby", began - timedelta(minutes=1), datetime.now(UTC))


def test_a_stream_that_cannot_be_opened_is_retried_and_reported(settings, models, caplog):
    caplog.set_level(logging.INFO, logger="vigil.live")
    watcher = LiveWatcher(
        Ingestor(settings, Store(settings), models),
        [LiveStream("gate", f"rtsp://user:secret@127.0.0.1:{free_port()}/live")],
        segment_s=3.0,
        keep=timedelta(hours=1),
    )
    stop = threading.Event()
    watching = threading.Thread(target=watcher.run, args=(stop,))
    watching.start()
    wait_for(lambda: caplog.text.count("cannot open") >= 2, 30, "two failed attempts")
    stop.set()
    watching.join(30)
    assert "camera gate: cannot open rtsp://***@127.0.0.1" in caplog.text
    assert "secret" not in caplog.text  # credentials never reach a log


def test_urls_lose_their_passwords_in_log_lines():
    assert _safe_url("rtsp://admin:pw@10.0.0.5:554/s1") == "rtsp://***@10.0.0.5:554/s1"
    assert _safe_url("http://cam/mjpeg?a=b@c") == "http://cam/mjpeg?a=b@c"


def grow(source: Path, target: Path, seconds: float, speed: float, done: threading.Event):
    """Write the first ``seconds`` of ``source`` into an MPEG-TS file bit by bit, as an NVR
    writes a recording, ``speed`` times faster than real time."""
    began = time.monotonic()
    with av.open(str(source)) as clip, av.open(str(target), "w", format="mpegts") as out:
        video = clip.streams.video[0]
        stream = out.add_stream_from_template(video)
        for packet in clip.demux(video):
            if packet.pts is None:
                continue
            at = float(packet.pts * video.time_base)
            if at > seconds:
                break
            time.sleep(max(0.0, at / speed - (time.monotonic() - began)))
            packet.stream = stream
            out.mux(packet)
    done.set()


def test_a_growing_file_is_followed_as_it_is_written(settings, models, shared_data, monkeypatch):
    import vigil.live

    monkeypatch.setattr(vigil.live, "FILE_IDLE_S", 2.0)
    recording = settings.data_dir / "nvr" / "lobby.ts"
    recording.parent.mkdir(parents=True)
    written = threading.Event()
    writer = threading.Thread(
        target=grow,
        args=(
            shared_data / "clips" / "one-by-one-person-detection.mp4",
            recording,
            30,
            3.0,
            written,
        ),
    )
    writer.start()
    wait_for(recording.exists, 10, "the recording to start")
    store = Store(settings)
    watcher = LiveWatcher(
        Ingestor(settings, store, models),
        [LiveStream("lobby", str(recording))],
        segment_s=4.0,
        keep=timedelta(hours=1),
    )
    stop = threading.Event()
    watching = threading.Thread(target=watcher.run, args=(stop,))
    watching.start()
    try:
        wait_for(written.is_set, 60, "the recording to be written")
        folder = settings.live_dir / "lobby"

        def all_analysed() -> bool:
            closed = watcher.recorders[0]._writer is None and not list(folder.glob("*.part"))
            return closed and 0 < watcher.analysed == len(list(folder.glob("*.mkv")))

        wait_for(all_analysed, 60, "the last segment")
    finally:
        stop.set()
        watching.join(60)
        writer.join(10)
    assert watcher.recorders[0].connects > 1  # read again as it grew
    (lobby,) = store.videos.summaries()
    assert 30 - 4 <= lobby.video_seconds <= 30 + 1  # all of it, nothing twice
    keyframes = store.keyframes.list("lobby", datetime.now(UTC) - timedelta(minutes=5), None)
    assert len({k.video_id for k in keyframes}) == lobby.videos >= 5


def test_a_watcher_started_again_analyses_what_the_last_one_left_once(
    settings, models, shared_data
):
    """A watcher that died left a closed segment and the one it was writing (here empty:
    nothing reached the disk). Started again, it analyses the first at the time its name
    says, drops the empty one, and analyses nothing twice."""
    store = Store(settings)
    watcher = LiveWatcher(
        Ingestor(settings, store, models),
        [LiveStream("lobby", "rtsp://127.0.0.1:1/live")],
        segment_s=3.0,
        keep=timedelta(hours=1),
    )
    folder = settings.live_dir / "lobby"
    folder.mkdir(parents=True)
    closed = folder / "20261120T220000.500000Z.mkv"
    shutil.copy(shared_data / "clips" / "car-detection.mp4", closed)
    (folder / "20261120T220030.500000Z.part").touch()
    assert watcher.catch_up() == 1 and not list(folder.glob("*.part"))
    watcher.analyse(watcher.segments.get_nowait())
    (first, *_) = store.keyframes.list("lobby")
    assert first.utc == datetime(2026, 11, 20, 22, 0, 0, 500000, tzinfo=UTC)
    assert watcher.catch_up() == 1
    watcher.analyse(watcher.segments.get_nowait())
    assert watcher.analysed == 1  # the second time it was found stored
