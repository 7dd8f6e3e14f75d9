"""The work that grows with cameras, on a Ray cluster (`--ray ADDRESS`, `VIGIL_RAY_ADDRESS`).

- One `CameraActor` per live camera: it records and analyses its stream as `vigil watch`
  does on one box, with the models loaded once per actor, and asks Ray for one CPU, so
  cameras spread over the nodes by the CPUs they have. An actor whose process or node dies
  is started again (on another node if its own is gone); it first analyses the segments its
  camera left closed or half-written (`LiveWatcher.catch_up`), then records on. Keyframe
  ids are stable and an ingest skips what is stored, so nothing is stored twice.
- File ingests fanned out over a pool of `Analyser` actors, one per CPU asked for.

Every node reads and writes the same stores: PostgreSQL (`VIGIL_DATABASE_URL`), a Chroma
server (`VIGIL_CHROMA_URL`) and one data dir on storage every node mounts (NFS or
equivalent: thumbnails, segments, clips). Embedded Chroma and SQLite belong to one box, so
a cluster refuses them. Alarm verification workers need no Ray: any number, anywhere,
claim from PostgreSQL (`vigil serve --worker` or the worker process).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import fields
from datetime import datetime, timedelta
from pathlib import Path

from vigil.errors import ConfigError
from vigil.settings import Settings

log = logging.getLogger("vigil.distributed")


def check_shared(settings: Settings) -> None:
    """A cluster's stores must be servers every node reaches."""
    if not settings.database_url or settings.database_url.startswith("sqlite"):
        raise ConfigError(
            "a Ray cluster needs a database every node reaches: set VIGIL_DATABASE_URL "
            "(PostgreSQL), not SQLite"
        )
    if not settings.chroma_url:
        raise ConfigError(
            "a Ray cluster needs a Chroma server every node reaches: set VIGIL_CHROMA_URL "
            "(`chroma run`), not the embedded store"
        )


def portable(settings: Settings) -> dict:
    """The settings as plain values for another process, paths made absolute (a worker's
    working folder is not the driver's)."""
    values = settings.model_dump()
    return {k: (v.resolve() if isinstance(v, Path) else v) for k, v in values.items()}


def connect(address: str) -> None:
    """Join the Ray cluster at ``address`` ("auto": the one this machine belongs to)."""
    import ray

    if not ray.is_initialized():
        ray.init(address=address, log_to_driver=False)


def _services(values: dict):
    from vigil.ingest import Ingestor
    from vigil.models import ModelRegistry
    from vigil.store import Store

    settings = Settings(**values)
    store = Store(settings)
    return Ingestor(settings, store, ModelRegistry(settings))


class _CameraActor:
    """Records and analyses one live camera until told to stop (see the module)."""

    def __init__(self, values: dict, camera: str, url: str, segment_s: float, keep_s: float):
        from vigil.live import LiveStream, LiveWatcher

        self.watcher = LiveWatcher(
            _services(values), [LiveStream(camera, url)], segment_s, timedelta(seconds=keep_s)
        )
        self.watcher.catch_up()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.watcher.run, args=(self.stopping,))
        self.thread.start()

    def analysed(self) -> int:
        """Segments this actor analysed since it (re)started."""
        return self.watcher.analysed

    def node(self) -> str:
        import ray

        return ray.get_runtime_context().get_node_id()

    def stop(self) -> int:
        """Stop recording, analyse the segments closed by then; how many it analysed."""
        self.stopping.set()
        self.thread.join()
        return self.watcher.analysed


class _Analyser:
    """Ingests files for the pool, its models loaded once."""

    def __init__(self, values: dict) -> None:
        self.ingestor = _services(values)

    def ingest(self, path: str, camera: str, start: datetime | None) -> dict:
        result = self.ingestor.ingest(Path(path), camera, start)
        done = {f.name: getattr(result, f.name) for f in fields(result)}
        done["path"], done["stage_seconds"] = str(result.path), dict(result.stage_seconds)
        return done


def camera_actor(values: dict, camera: str, url: str, segment_s: float, keep_s: float):
    """Start the actor of one live camera (one CPU, restarted whenever it dies)."""
    import ray

    actor = ray.remote(num_cpus=1, max_restarts=-1, max_task_retries=-1)(_CameraActor)
    return actor.options(scheduling_strategy="SPREAD").remote(
        values, camera, url, segment_s, keep_s
    )


def ingest_files(
    settings: Settings, jobs: list[tuple[Path, str, datetime | None]], analysers: int
) -> list[dict]:
    """Ingest ``jobs`` (path, camera, start) over ``analysers`` actors; results in order."""
    import ray
    from ray.util import ActorPool

    check_shared(settings)
    actor = ray.remote(num_cpus=1, max_restarts=2, max_task_retries=2)(_Analyser)
    values = portable(settings)
    pool = ActorPool([actor.remote(values) for _ in range(max(1, min(analysers, len(jobs))))])
    return list(
        pool.map(lambda a, job: a.ingest.remote(str(job[0].resolve()), job[1], job[2]), jobs)
    )
