"""SQL rows, vectors and thumbnails stay in step: one file in two cameras, failed store
steps, `Store.check` (vigil doctor), and camera filters that never leak."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select
from typer.testing import CliRunner

from tests.conftest import START
from vigil.context import Context
from vigil.errors import IngestFailedError
from vigil.ingest import Ingestor
from vigil.search.service import SearchService
from vigil.settings import Settings
from vigil.store import Store
from vigil.store.sql import Camera, Keyframe, Video
from vigil.store.vectors import TEXT_SPACE, TRACK_SPACE


def test_the_same_file_in_two_cameras_is_two_videos(settings, models, synthetic_video):
    store = Store(settings)
    ingestor = Ingestor(settings, store, models)
    first = ingestor.ingest(synthetic_video, "parking", START)
    second = ingestor.ingest(synthetic_video, "gate", START)
    assert not second.already_ingested and second.keyframes_added == first.keyframes_added
    with store.db.session() as s:
        per_camera = dict(
            s.execute(
                select(Camera.name, func.count(Keyframe.id))
                .join(Keyframe, Keyframe.camera_id == Camera.id)
                .group_by(Camera.name)
            ).all()
        )
        assert set(s.scalars(select(Video.status))) == {"complete"}
    assert per_camera == {"parking": first.keyframes_added, "gate": first.keyframes_added}
    assert store.check().problems == []
    hits = SearchService(settings, store, models).search("a person", cameras=["gate"]).moments
    assert hits and {h.camera for h in hits} == {"gate"}
    # each camera's tracks are indexed beside its keyframes, and go with their video
    tracks = store.vectors.collection(TRACK_SPACE, models.text_embedder.name, "gate")
    indexed = tracks.count()
    named = [t for t in store.tracks.list(cameras=["gate"]) if t.cls in ("person", "vehicle")]
    assert indexed == len(named) > 0
    store.delete_video(second.video_id)
    assert tracks.count() == 0 and store.check().problems == ["camera gate has no videos"]


class FailingInserts:
    """Makes the SQL insert of keyframes fail from the n-th statement on (a real SQL-step
    failure, raised where the database driver would raise it)."""

    def __init__(self, store: Store, from_batch: int) -> None:
        self.engine, self.from_batch, self.batches = store.db.engine, from_batch, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._before)
        return self

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO KEYFRAMES"):
            self.batches += 1
            if self.batches >= self.from_batch:
                raise RuntimeError("disk I/O error (injected)")

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)


def test_a_failed_store_step_removes_what_it_wrote_and_resumes(settings, models, synthetic_video):
    settings.batch_size = 1
    store = Store(settings)
    with FailingInserts(store, from_batch=3), pytest.raises(IngestFailedError) as failed:
        Ingestor(settings, store, models).ingest(synthetic_video, "hall", START)
    message = str(failed.value)
    assert "\n" not in message and "2 keyframes stored before the failure are kept" in message
    health = store.check()
    assert health.orphan_vectors == {} and health.orphan_thumbnails == 0
    assert health.keyframes_without_vectors == 0
    [unfinished] = store.videos.unfinished()
    assert unfinished.state == "failed" and unfinished.keyframes == 2
    assert 0 < unfinished.reached_s < unfinished.duration_s  # how far it got, for /status
    resumed = Ingestor(settings, store, models).ingest(synthetic_video, "hall", START)
    assert resumed.keyframes_skipped == 2 and store.check().problems == []


def test_a_failure_before_anything_was_stored_leaves_no_camera(settings, models, synthetic_video):
    store = Store(settings)
    with FailingInserts(store, from_batch=1), pytest.raises(IngestFailedError, match="nothing"):
        Ingestor(settings, store, models).ingest(synthetic_video, "gate", START)
    assert store.videos.camera_names() == [] and store.check().problems == []
    assert sum(store.vectors.counts().values()) == 0 and store.thumbnails.names() == set()


def test_doctor_finds_and_repairs_orphans(settings, models, synthetic_video, tmp_path):
    store = Store(settings)
    Ingestor(settings, store, models).ingest(synthetic_video, "hall", START)
    name = models.text_embedder.name
    dim = (
        store.vectors.collection(TEXT_SPACE, name, "hall")
        .get(limit=1, include=["embeddings"])["embeddings"][0]
        .shape[0]
    )
    # what the old bug left behind: vectors without rows, an empty camera, a stuck video
    store.vectors.upsert(TEXT_SPACE, name, "gate", ["orphan-1"], np.ones((1, dim)), [{"a": 1}])
    with store.db.session() as s:
        gate = Camera(name="gate")
        s.add(gate)
        s.flush()
        s.add(Camera(name="empty"))
        s.add(
            Video(
                camera_id=gate.id,
                path="/x/stuck.mp4",
                sha256="0" * 64,
                size_bytes=1,
                start_utc=START,
                fps=1,
                duration_s=1,
                width=1,
                height=1,
                codec="h264",
            )
        )
        victim = s.scalars(select(Keyframe).order_by(Keyframe.frame_index)).first()
    store.vectors.delete_ids([victim.id], "hall")
    store.thumbnails.put(b"not a real jpeg, nobody uses it")

    found = store.check()
    assert found.orphan_vectors == {"gate": 1}
    assert found.keyframes_without_vectors == 1 and found.orphan_thumbnails == 1
    assert "empty" in found.empty_cameras
    assert [v.path for v in found.unfinished] == ["/x/stuck.mp4"]

    from agent.services import Services
    from cli.main import app

    site = Services(Context(settings, store, models))
    runner = CliRunner()
    check = runner.invoke(app, ["doctor"], obj=site)
    assert check.exit_code == 1 and "belong to no stored keyframe" in check.output
    status = runner.invoke(app, ["status"], obj=site)
    assert "unfinished: stuck.mp4 (camera gate)" in status.output
    assert runner.invoke(app, ["doctor", "--repair"], obj=site).exit_code == 0
    left = runner.invoke(app, ["doctor"], obj=site).output.splitlines()
    assert left[0] == "- ingest of walk.avi (camera hall) lost keyframes, 3 keyframes kept"
    # the keyframe that had lost its vectors is re-made by ingesting the file again
    again = Ingestor(settings, store, models).ingest(synthetic_video, "hall", START)
    assert again.keyframes_added == 1 and store.check().problems == []


@pytest.fixture(scope="module")
def two_cameras_one_file(tmp_path_factory, models, shared_data: Path):
    """car-detection.mp4 stored as camera parking and as gate, plus stale vectors that name
    parking's keyframes inside gate's collection (what the unique-id bug left behind)."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("leak"), max_keyframe_interval_s=2.0)
    store = Store(settings)
    ingestor = Ingestor(settings, store, models)
    clip = shared_data / "clips" / "car-detection.mp4"
    ingestor.ingest(clip, "parking", START)
    ingestor.ingest(clip, "lobby", START)
    name = models.text_embedder.name
    parking = store.vectors.collection(TEXT_SPACE, name, "parking").get(include=["embeddings"])
    store.vectors.upsert(
        TEXT_SPACE,
        name,
        "lobby",
        parking["ids"],
        np.array(parking["embeddings"]),
        [{"camera": "lobby"}] * len(parking["ids"]),
    )
    return SearchService(settings, store, models)


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.sampled_from(["a red car", "a vehicle", "an empty scene", "white van", "person"]),
    cameras=st.sets(st.sampled_from(["parking", "lobby"]), min_size=1),
    window=st.one_of(st.none(), st.tuples(st.integers(0, 30), st.integers(1, 30))),
)
def test_a_camera_filter_never_returns_another_cameras_frames(
    two_cameras_one_file, query, cameras, window
):
    from datetime import timedelta

    start = end = None
    if window:
        start = START + timedelta(seconds=window[0])
        end = start + timedelta(seconds=window[1])
    result = two_cameras_one_file.search(
        query=query, cameras=sorted(cameras), start=start, end=end, k=10
    )
    for moment in result.moments:
        assert moment.camera in cameras
        if window:
            assert start <= moment.best_time <= end


def test_the_data_dir_size_is_walked_at_most_once_a_minute(settings):
    store = Store(settings)
    first = store.data_bytes()
    (settings.data_dir / "extra.bin").write_bytes(b"x" * 1000)
    assert store.data_bytes() == first  # /metrics scrapes read the cached walk
    assert store.data_bytes(max_age_s=0) >= first + 1000
