"""Vigil on a Ray cluster of two nodes (a head and a second node as processes on this
machine), PostgreSQL and a Chroma server: files fanned out store what the single box
stores; live cameras spread over the nodes, and a node killed mid-stream loses nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import PARKING_START, REPO, START
from tests.servers import ChromaServer, free_port
from tests.test_live import serve, wait_for
from vigil.adapters import SourceAlarm
from vigil.context import Context
from vigil.errors import ConfigError
from vigil.ingest import Ingestor
from vigil.settings import Settings
from vigil.store import Store

pytestmark = [pytest.mark.slow, pytest.mark.server]


@pytest.fixture(scope="module")
def cluster():
    ray = pytest.importorskip("ray")
    from ray.cluster_utils import Cluster

    nodes = Cluster(
        initialize_head=True,
        head_node_args={"num_cpus": 2, "include_dashboard": False,
                        "object_store_memory": 200 * 1024**2},
    )  # fmt: skip
    nodes.add_node(num_cpus=1, object_store_memory=200 * 1024**2)
    ray.init(address=nodes.address, log_to_driver=False)
    yield nodes
    ray.shutdown()
    nodes.shutdown()


@pytest.fixture
def shared(tmp_path, postgres, request) -> Settings:
    """Settings every node can use: PostgreSQL, a Chroma server, one data dir."""
    chroma = ChromaServer(tmp_path / "chroma")
    chroma.start()
    request.addfinalizer(chroma.stop)
    return Settings(
        data_dir=tmp_path / "shared",
        database_url=postgres.database(f"cluster{abs(hash(request.node.nodeid)) % 10**9}"),
        chroma_url=chroma.url,
        max_keyframe_interval_s=2.0,
        timezone="UTC",
    )


def _stored(store: Store) -> dict:
    """Keyframes and tracks by file and frame (video ids follow the order files finish)."""
    keyframes = store.keyframes.list(limit=100_000)
    sha = {k.video_id: k.source_sha256 for k in keyframes}
    return {
        "keyframes": sorted(
            (k.source_sha256, k.frame_index, k.caption, k.people) for k in keyframes
        ),
        "tracks": sorted(
            (sha[t.video_id], t.number, t.cls, str(t.attributes), len(t.keyframe_ids))
            for t in store.tracks.list(limit=5000)
        ),
    }


def test_a_cluster_needs_stores_every_node_reaches(settings):
    from vigil.distributed import check_shared

    with pytest.raises(ConfigError, match="PostgreSQL"):
        check_shared(settings)
    with pytest.raises(ConfigError, match="Chroma server"):
        check_shared(settings.model_copy(update={"database_url": "postgresql+psycopg://x/y"}))


def _verdict(ctx: Context) -> tuple:
    """A motion alarm on the car park 16 s into the clip (after the sample site's hours),
    verified; the verdict as comparable across stores (frames by file and frame)."""
    from web.deps import alarm_desk

    desk = alarm_desk(ctx)
    record, _ = desk.take_in(
        "nvr", SourceAlarm("fanned-1", "parking", PARKING_START + timedelta(seconds=16), "motion")
    )
    while desk.verify_next() is not None:
        pass
    verdict = desk.get(record.id).verdict
    frames = ctx.store.keyframes.get_many([e.frame_id for e in verdict.evidence])
    shown = [(frames[e.frame_id].source_sha256, frames[e.frame_id].frame_index, e.caption)
             for e in verdict.evidence]  # fmt: skip
    return verdict.verdict, verdict.decided_by, verdict.rationale, shown


def test_files_fanned_out_store_and_verify_what_the_single_box_does(
    cluster, shared, settings, models, shared_data, synthetic_video
):
    from vigil.distributed import ingest_files

    site = {"timezone": "Europe/Amsterdam", "policy_file": REPO / "policies" / "sample.yaml"}
    shared, settings = shared.model_copy(update=site), settings.model_copy(update=site)
    jobs = [(shared_data / "clips" / "car-detection.mp4", "parking", PARKING_START),
            (synthetic_video, "hall", START)]  # fmt: skip
    done = ingest_files(shared, jobs, analysers=2)
    assert [d["keyframes_added"] > 0 for d in done] == [True, True]
    single = Store(settings)  # SQLite and embedded Chroma, one process
    for clip, camera, start in jobs:
        Ingestor(settings, single, models).ingest(clip, camera, start)
    on_cluster = Store(shared)
    assert _stored(on_cluster) == _stored(single)
    assert on_cluster.check().problems == []
    verdict = _verdict(Context(shared, on_cluster, models))
    assert verdict == _verdict(Context(settings, single, models))
    assert verdict[0] == "confirmed" and verdict[3]


def test_cameras_spread_over_the_nodes_and_a_killed_node_loses_nothing(
    cluster, shared, shared_data
):
    import ray

    from vigil.distributed import camera_actor, portable

    clips = {"lobby": "one-by-one-person-detection.mp4", "parking": "car-detection.mp4"}
    servers, actors = [], {}
    try:
        for camera, clip in clips.items():
            port = free_port()
            servers.append(serve(shared_data / "clips" / clip, port))
            url = f"rtsp://127.0.0.1:{port}/live"
            actors[camera] = camera_actor(portable(shared), camera, url, 3.0, 3600.0)

        def analysed() -> list[int]:
            return ray.get([a.analysed.remote() for a in actors.values()], timeout=60)

        wait_for(lambda: min(analysed()) >= 1, 240, "a segment from each camera")
        nodes = dict(zip(actors, ray.get([a.node.remote() for a in actors.values()]), strict=True))
        assert len(set(nodes.values())) == 2  # one camera per node
        worker = next(n for n in cluster.worker_nodes)
        moved = next(c for c, node in nodes.items() if node == worker.node_id)
        cluster.remove_node(worker)  # mid-stream: its camera's actor dies with it
        wait_for(lambda: ray.get(actors[moved].node.remote(), timeout=120) != worker.node_id,
              180, "the actor to come back on the head")  # fmt: skip
        wait_for(lambda: ray.get(actors[moved].analysed.remote(), timeout=60) >= 1, 180,
              "a segment analysed after the restart")  # fmt: skip
        ray.get([a.stop.remote() for a in actors.values()], timeout=180)
    finally:
        for server in servers:
            server.kill()
    store = Store(shared)
    keyframes = store.keyframes.list(limit=100_000)
    for camera in clips:  # every segment recorded, on either node, is analysed
        segments = {p.name for p in (shared.live_dir / camera).glob("*.mkv")}
        stored = {Path(k.source).name for k in keyframes if k.camera == camera}
        assert segments and segments == stored, camera
    assert len({k.id for k in keyframes}) == len(keyframes)  # none stored twice
    assert store.check().problems == []
