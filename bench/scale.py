"""What one node carries, what more nodes and workers add, and a capacity table from it.

Printed with the machine it ran on:
(a) live cameras one node follows in real time at the default analysis rate: the person
    clip re-encoded as 720p and 1080p H.264, ingested as a camera segment is; the cameras
    a node follows is its real-time factor (analysis is the per-camera cost; recording
    copies packets);
(b) the same spread over two local Ray nodes (two analysers, a copy each) against one,
    with PostgreSQL and a Chroma server as a cluster needs;
(c) verdicts/s with 1, 2 and 4 verification workers (processes) sharing one PostgreSQL
    queue, against the SQLite single worker, on the lobby clip and the sample policy;
(d) a capacity table on paper from (a) and (c).

    .venv/bin/python bench/scale.py            (about 10 minutes on 2 cores)
    .venv/bin/python bench/scale.py --quick    720p only, 20 alarms, no Ray: it runs

PostgreSQL and the Chroma server are the tests' throw-away ones (tests/servers.py).
"""

from __future__ import annotations

import multiprocessing
import os
import platform
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import ChromaServer, ThrowawayPostgres  # noqa: E402
from vigil.adapters import SourceAlarm  # noqa: E402
from vigil.ingest import Ingestor  # noqa: E402
from vigil.models import ModelRegistry  # noqa: E402
from vigil.settings import Settings  # noqa: E402
from vigil.store import Store  # noqa: E402

SHARED = Path(os.environ.get("VIGIL_SHARED_DATA", ROOT.parent / "shared" / "data"))
CLIP = SHARED / "clips" / "one-by-one-person-detection.mp4"
SIZES = {"720p": (1280, 720), "1080p": (1920, 1080)}
# the lobby clip dated last night at 21:58 in Amsterdam: after the sample site's hours
LOBBY_START = (datetime.now(UTC) - timedelta(days=1)).replace(
    hour=20, minute=58, second=0, microsecond=0
)


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor() or "unknown CPU",
    )  # fmt: skip
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, {platform.platform()}"


def reencode(source: Path, size: tuple[int, int], seconds: float, target: Path) -> Path:
    """``seconds`` of ``source`` as a camera would send it: H.264 at ``size``, 25 fps (each
    source frame held until the next), a keyframe every 2 s."""
    with av.open(str(source)) as src, av.open(str(target), "w") as out:
        stream = out.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = *size, "yuv420p"
        stream.options = {"preset": "veryfast", "crf": "23", "g": "50"}
        step = 1 / float(src.streams.video[0].average_rate)
        tick = 0
        for frame in src.decode(video=0):
            if frame.time > seconds:
                break
            scaled = frame.reformat(width=size[0], height=size[1], format="yuv420p")
            while tick / 25 < frame.time + step:
                scaled.pts, scaled.time_base = tick, Fraction(1, 25)
                for packet in stream.encode(scaled):
                    out.mux(packet)
                tick += 1
        for packet in stream.encode():
            out.mux(packet)
    return target


def cameras_per_node(settings: Settings, models: ModelRegistry, clips: dict[str, Path]) -> dict:
    """(a): the real-time factor of ingesting each clip, models loaded, on this node."""
    factors = {}
    warm = Store(settings.model_copy(update={"data_dir": settings.data_dir / "warm"}))
    Ingestor(warm.settings, warm, models).ingest(CLIP, "warm", LOBBY_START)  # models loaded
    for label, clip in clips.items():
        store = Store(settings.model_copy(update={"data_dir": settings.data_dir / label}))
        result = Ingestor(store.settings, store, models).ingest(clip, "cam", LOBBY_START)
        factors[label] = result.video_seconds / result.seconds
        print(f"  {label}: {result.video_seconds:.0f} s of video analysed in "
              f"{result.seconds:.1f} s = {factors[label]:.1f}x real time -> one node follows "
              f"~{int(factors[label])} such cameras")  # fmt: skip
    return factors


def on_two_ray_nodes(shared: Settings, clip: Path, one_node: float) -> None:
    """(b): two copies of a clip over two analysers on two local Ray nodes."""
    import ray
    from ray.cluster_utils import Cluster

    from vigil.distributed import ingest_files

    nodes = Cluster(initialize_head=True, head_node_args={
        "num_cpus": 1, "include_dashboard": False, "object_store_memory": 200 * 2**20})  # fmt: skip
    nodes.add_node(num_cpus=1, object_store_memory=200 * 2**20)
    ray.init(address=nodes.address, log_to_driver=False)
    try:
        copies = []
        for i in range(2):  # the same frames, each its own camera's file
            copy = clip.with_name(f"copy{i}-{clip.name}")
            copy.write_bytes(clip.read_bytes())
            copies.append(copy)
        jobs = [(c, f"cam{i}", LOBBY_START) for i, c in enumerate(copies)]
        done = ingest_files(shared, jobs, analysers=2)
        video = sum(d["video_seconds"] for d in done)
        slowest = max(d["seconds"] for d in done)  # side by side; model loading not counted
        factor = video / slowest
        print(f"  two Ray nodes (1 CPU each): {video:.0f} s of 720p video in {slowest:.1f} s "
              f"= {factor:.1f}x real time, {factor / one_node:.2f} times one node (both nodes "
              f"share this machine's {os.cpu_count()} cores)")  # fmt: skip
    finally:
        ray.shutdown()
        nodes.shutdown()


def _worker(values: dict, ready, stop) -> None:
    from agent.services import services_of
    from vigil.context import open_context

    desk = services_of(open_context(Settings(**values))).desk
    done = threading.Event()
    threading.Thread(target=lambda: (stop.wait(), done.set()), daemon=True).start()
    ready.set()
    desk.run(done, 0.05)


def verdicts_per_second(settings: Settings, workers: int, n: int) -> float:
    """(c): ``workers`` processes started and idle, then ``n`` alarms queued at once:
    verdicts/s from the first alarm in to the last verdict."""
    from agent.services import services_of
    from vigil.context import open_context

    desk = services_of(open_context(settings)).desk
    spawn = multiprocessing.get_context("spawn")
    stop = spawn.Event()
    values = dict(settings.model_dump())
    readies = [spawn.Event() for _ in range(workers)]
    procs = [spawn.Process(target=_worker, args=(values, r, stop)) for r in readies]
    for p in procs:
        p.start()
    for r in readies:
        r.wait(120)
    time.sleep(1)  # each past its start-up sweep
    t0 = time.perf_counter()
    for i in range(n):
        at = LOBBY_START + timedelta(seconds=5 + (i % 120))
        desk.take_in("bench", SourceAlarm(f"w{workers}-{i}", "lobby", at, "pir"))
    while desk.store.alarms.waiting() and time.perf_counter() - t0 < 900:
        time.sleep(0.02)
    seconds = time.perf_counter() - t0
    stop.set()
    for p in procs:
        p.join(30)
    return n / seconds


def main() -> None:
    quick = "--quick" in sys.argv
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = Settings(data_dir=folder / "single", timezone="Europe/Amsterdam",
                        policy_file=ROOT / "policies" / "sample.yaml")  # fmt: skip
        models = ModelRegistry(base)
        seconds = 10 if quick else 60
        sizes = {"720p": SIZES["720p"]} if quick else SIZES
        clips = {k: reencode(CLIP, v, seconds, folder / f"lobby-{k}.mp4") for k, v in sizes.items()}
        print(f"(a) cameras one node follows in real time ({seconds} s of the person clip, "
              f"H.264 25 fps, analysed at {base.analysis_fps} fps):")  # fmt: skip
        factors = cameras_per_node(base, models, clips)

        postgres = ThrowawayPostgres().start()
        chroma = ChromaServer(folder / "chroma")
        chroma.start()
        try:
            shared = base.model_copy(update={
                "data_dir": folder / "shared", "database_url": postgres.database("scale"),
                "chroma_url": chroma.url})  # fmt: skip
            if not quick:
                print("(b) the same on two local Ray nodes, PostgreSQL and a Chroma server:")
                on_two_ray_nodes(shared, clips["720p"], factors["720p"])
            n = 20 if quick else 300
            print(f"(c) verdicts/s: {n} lobby alarms queued, then drained by worker processes")
            sqlite = base.model_copy(update={"data_dir": folder / "alarms-sqlite"})
            queue = shared.model_copy(
                update={"data_dir": folder / "alarms-pg", "database_url": postgres.database("q")}
            )
            for where in (sqlite, queue):
                store = Store(where)
                Ingestor(where, store, models).ingest(CLIP, "lobby", LOBBY_START)
            single = verdicts_per_second(sqlite, 1, n)
            print(f"  SQLite, 1 worker: {single:.0f} verdicts/s")
            rates = {}
            for workers in (1, 2) if quick else (1, 2, 4):
                rates[workers] = verdicts_per_second(queue, workers, n)
                print(f"  PostgreSQL, {workers} worker(s): {rates[workers]:.0f} verdicts/s "
                      f"({rates[workers] / single:.2f} of SQLite's one)")  # fmt: skip
        finally:
            chroma.stop()
            postgres.stop()

    best = max(rates.values())
    print("(d) capacity on paper, nodes like this one (2 cores), analysis at the default rate:")
    for cameras in (50, 200, 1000):
        row = ", ".join(f"{label} {-(-cameras // max(1, int(f)))} nodes"
                        for label, f in factors.items())  # fmt: skip
        print(f"  {cameras:>4} cameras: {row}; alarms at {best:.0f} verdicts/s on the shared "
              f"queue: one every {cameras / best:.1f} s per camera before it backs up")  # fmt: skip


if __name__ == "__main__":
    main()
