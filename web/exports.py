"""Evidence packages made in the background, so the page that asked can show how far they
are (a package re-encodes its clips to blur faces: tens of seconds). Each belongs to the
user who asked; it is kept for an hour, then its file is removed."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from vigil.errors import NotFoundError, StateError, VigilError

log = logging.getLogger(__name__)
KEPT_S = 3600  # a finished package waits this long to be downloaded
AT_ONCE = 2  # packages made at once, whoever asks (two cores)


@dataclass
class PackageJob:
    """One package being made: how far it is, and then its file or what went wrong."""

    id: str
    owner: str
    incident_id: str
    path: Path
    stage: str = "waiting"
    done: float = 0.0
    error: str | None = None
    finished_at: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def tell(self, stage: str, done: float) -> None:
        with self.lock:
            self.stage, self.done = stage, done

    @property
    def ready(self) -> bool:
        return self.finished_at is not None and self.error is None


class PackageJobs:
    """The packages of one server, each made in its own thread."""

    def __init__(self) -> None:
        self._jobs: dict[str, PackageJob] = {}
        self._lock = threading.Lock()

    def start(self, exporter, incident_id: str, user, folder: Path) -> PackageJob:
        """Make the package of an incident for ``user`` in the background, into ``folder``."""
        self._forget_old()
        with self._lock:
            running = [j for j in self._jobs.values() if j.finished_at is None]
            if len(running) >= AT_ONCE:
                raise StateError("packages are being made for others; try again in a minute")
            job_id = uuid.uuid4().hex
            folder.mkdir(parents=True, exist_ok=True)
            job = PackageJob(job_id, user.name, incident_id, folder / f"{job_id}.zip")
            self._jobs[job_id] = job

        def work() -> None:
            try:
                exporter.package(
                    incident_id, job.path, user.name, user.role, True, progress=job.tell
                )
                job.tell("done", 1.0)
            except VigilError as exc:
                job.error = str(exc)
            except Exception as exc:  # the page says so rather than waiting forever
                log.exception("package of incident %s failed", incident_id)
                job.error = f"the package could not be made ({type(exc).__name__})"
            finally:
                job.finished_at = time.monotonic()

        threading.Thread(target=work, name=f"package-{job_id[:8]}", daemon=True).start()
        return job

    def get(self, job_id: str, user) -> PackageJob:
        """A job of ``user``'s; anyone else's is answered as one that does not exist."""
        job = self._jobs.get(job_id)
        if job is None or job.owner != user.name:
            raise NotFoundError("no such package")
        return job

    def _forget_old(self) -> None:
        now = time.monotonic()
        with self._lock:
            for job_id, job in list(self._jobs.items()):
                if job.finished_at is not None and now - job.finished_at > KEPT_S:
                    job.path.unlink(missing_ok=True)
                    del self._jobs[job_id]
