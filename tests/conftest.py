"""Shared fixtures: sample data location, isolated settings, one model registry per run."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import av
import numpy as np
import pytest

from agent.chat import ChatAgent
from tools.video import VideoTools
from vigil.adapters import SourceAlarm
from vigil.context import Context
from vigil.domain import AlarmRecord
from vigil.ingest import Ingestor
from vigil.inputs import parse_time
from vigil.models import ModelRegistry
from vigil.search.service import SearchService
from vigil.settings import Settings
from vigil.store import Store

REPO = Path(__file__).resolve().parent.parent
# a site's vigil.toml in the working folder (`make demo` writes one) never reaches the tests
os.environ["VIGIL_CONFIG"] = str(REPO / "tests" / "data" / "no-such-vigil.toml")
SHARED_DATA = Path(os.environ.get("VIGIL_SHARED_DATA", REPO.parent / "shared" / "data"))
VTEST = Path(os.environ.get("VIGIL_VTEST", REPO / "var" / "samples" / "vtest.avi"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED_DATA / "clips").is_dir():
        pytest.fail(f"sample data not found at {SHARED_DATA} (set VIGIL_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a private data dir and keyframes at least every 2 s."""
    return Settings(
        data_dir=tmp_path / "data",
        chroma_url=None,
        database_url=None,
        max_keyframe_interval_s=2.0,
        timezone="UTC",  # the tests' times are written in UTC, whatever this machine's zone
    )


@pytest.fixture(scope="session")
def models(tmp_path_factory) -> ModelRegistry:
    """The real packaged models, loaded once for the whole test run."""
    return ModelRegistry(Settings(data_dir=tmp_path_factory.mktemp("models")))


def write_video(path: Path, frames: list[np.ndarray], fps: int = 10, codec: str = "mpeg4") -> Path:
    """Encode BGR frames into a small file (MPEG-4 part 2, or libx264: both are built into
    PyAV's FFmpeg)."""
    h, w = frames[0].shape[:2]
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=Fraction(fps, 1))
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        for img in frames:
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(img), format="bgr24")
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path


def draw_figure(img: np.ndarray, x: int, y: int = 70) -> None:
    """A dark person-like silhouette, 30 x 109 px from (x, y): head, torso, two legs."""
    import cv2

    cv2.circle(img, (x + 15, y + 7), 7, (30, 30, 30), -1)
    img[y + 14 : y + 59, x + 4 : x + 26] = (30, 30, 30)
    img[y + 59 : y + 109, x : x + 8] = (30, 30, 30)
    img[y + 59 : y + 109, x + 22 : x + 30] = (30, 30, 30)


def walking_figure_frames(seconds: int = 6, fps: int = 10, size=(240, 320)) -> list[np.ndarray]:
    """A grey room; from 2 s a dark person-like figure walks in from the left."""
    h, w = size
    rng = np.random.default_rng(0)
    frames = []
    for i in range(seconds * fps):
        img = np.full((h, w, 3), 180, np.uint8)
        img[h // 2 :, :] = (60, 100, 140)  # floor
        img = np.clip(img.astype(int) + rng.integers(-3, 4, img.shape), 0, 255).astype(np.uint8)
        t = i / fps
        if t >= 2:
            draw_figure(img, int(10 + (t - 2) * 40))
        frames.append(img)
    return frames


@pytest.fixture(scope="session")
def synthetic_video(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("video") / "walk.avi"
    return write_video(path, walking_figure_frames())


START = parse_time("2026-11-20T22:00:00+00:00", None)


@pytest.fixture(scope="session")
def searchable(tmp_path_factory, models, shared_data: Path, synthetic_video: Path) -> Context:
    """A store holding car-detection.mp4 (camera parking) and the synthetic walk (hall)."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("search"), max_keyframe_interval_s=2.0, timezone="UTC"
    )
    store = Store(settings)
    ingestor = Ingestor(settings, store, models)
    ingestor.ingest(shared_data / "clips" / "car-detection.mp4", "parking", START)
    ingestor.ingest(synthetic_video, "hall", START)
    return Context(settings, store, models)


def last_friday_at(clock: str) -> datetime:
    """The last Friday (a day or more ago) at a clock time in Amsterdam, as UTC: alarms are
    taken in only for the last 30 days, so the sample site's clips are dated recently."""
    tz = ZoneInfo("Europe/Amsterdam")
    day = datetime.now(tz) - timedelta(days=1)
    day -= timedelta(days=(day.weekday() - 4) % 7)
    hour, minute = map(int, clock.split(":"))
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0).astimezone(UTC)


LOBBY_START = last_friday_at("21:58")  # after office hours (policies/sample.yaml)
PARKING_START = last_friday_at("22:14")
ALARM_SECRETS = {"nvr": "test-secret-nvr", "frigate": "test-secret-frigate"}


def sample_alarm_site(folder: Path, models, shared_data: Path, database_url=None) -> Context:
    """The sample site of policies/sample.yaml: lobby and parking clips after hours."""
    settings = Settings(
        data_dir=folder,
        database_url=database_url,
        timezone="Europe/Amsterdam",
        policy_file=Path(__file__).resolve().parent.parent / "policies" / "sample.yaml",
        alarm_sources=ALARM_SECRETS,
    )
    store = Store(settings)
    ingestor = Ingestor(settings, store, models)
    clips = shared_data / "clips"
    ingestor.ingest(clips / "one-by-one-person-detection.mp4", "lobby", LOBBY_START)
    ingestor.ingest(clips / "car-detection.mp4", "parking", PARKING_START)
    return Context(settings, store, models)


@pytest.fixture(scope="session")
def alarm_site(tmp_path_factory, models, shared_data: Path) -> Context:
    """The sample site on SQLite."""
    return sample_alarm_site(tmp_path_factory.mktemp("alarms"), models, shared_data)


def verified_lobby_alarm(ctx: Context, event_id: str, seconds: float) -> AlarmRecord:
    """A PIR alarm on the sample lobby ``seconds`` into its clip, verified (with whatever
    was queued before it) and, if confirmed, its report drafted."""
    from web.deps import alarm_desk

    desk = alarm_desk(ctx)
    when = LOBBY_START + timedelta(seconds=seconds)
    record, _ = desk.take_in("nvr", SourceAlarm(event_id, "lobby", when, "pir"))
    while desk.verify_next() is not None:
        pass
    desk.drafts_settled()
    return desk.get(record.id)


@pytest.fixture
def video(searchable: Context) -> VideoTools:
    search = SearchService(searchable.settings, searchable.store, searchable.models)
    return VideoTools(searchable.settings, searchable.store, searchable.models, search)


@pytest.fixture
def make_agent(searchable: Context, video: VideoTools):
    """An agent over the shared sample store, driven by a scripted model, "now" fixed."""

    def make(model) -> ChatAgent:
        return ChatAgent(
            searchable.settings,
            video,
            searchable.store.conversations,
            lambda: model,
            now=lambda: START + timedelta(hours=10),
        )

    return make


@pytest.fixture
def small_disk(tmp_path):
    """A filesystem of 4 MB of its own (tmpfs): what a full or a read-only disk does to
    Vigil. Mounting needs root, which the tests and CI run as."""
    import subprocess

    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {made.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> None:
    """Fill the filesystem of ``folder`` to its last byte."""
    with (folder / "filler").open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass


@pytest.fixture(scope="session")
def postgres():
    """One throw-away PostgreSQL 15 cluster for the run (tests/servers.py)."""
    from tests.servers import ThrowawayPostgres, available

    if not available():
        pytest.fail("PostgreSQL 15 is not installed: `make install` installs it (Debian)")
    server = ThrowawayPostgres().start()
    yield server
    server.stop()


SQL_STORES = ("sqlite", "postgresql")


@pytest.fixture(params=SQL_STORES)
def sql_settings(request, settings: Settings) -> Settings:
    """``settings`` on SQLite, then on a new database of the throw-away PostgreSQL."""
    if request.param == "sqlite":
        return settings
    server = request.getfixturevalue("postgres")
    name = f"t{abs(hash(request.node.nodeid)) % 10**12}"
    return settings.model_copy(update={"database_url": server.database(name)})
