"""Evidence packages made in the background, so the page that asked can show how far they
are (a package re-encodes its clips to blur faces: tens of seconds). Each belongs to the
user who asked; it is kept for an hour, then its file is removed (files a stopped server
left behind go at the next start of a package)."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from vigil.errors import InvalidInputError, NotFoundError, StateError

log = logging.getLogger(__name__)
KEPT_S = 3600  # a finished package waits this long to be downloaded
AT_ONCE = 2  # packages made at once, whoever asks (two cores); one per person


@dataclass
class PackageJob:
    """One package being made: how far it is, and then its file or what went wrong."""

    id: str
    owner: str
    path: Path
    incident_id: str = ""
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
        self._swept: set[Path] = set()

    def start(
        self,
        user,
        folder: Path,
        draft: Callable[[], str],
        make: Callable[[str, Path, Callable], None],
    ) -> PackageJob:
        """Reserve a place (StateError when others' packages fill them, or the user's own is
        still being made), then ``draft()`` the incident (its id; nothing is drafted
        without a place) and ``make(incident_id, path, progress)`` its package in the
        background."""
        self._forget_old(folder)
        with self._lock:
            running = [j for j in self._jobs.values() if j.finished_at is None]
            if any(j.owner == user.name for j in running):
                raise StateError("your last package is still being made: wait for it first")
            if len(running) >= AT_ONCE:
                raise StateError("packages are being made for others; try again in a minute")
            job_id = uuid.uuid4().hex
            job = PackageJob(job_id, user.name, folder / f"{job_id}.zip")
            self._jobs[job_id] = job
        try:
            job.incident_id = draft()
        except BaseException:
            with self._lock:
                del self._jobs[job_id]
            raise
        folder.mkdir(parents=True, exist_ok=True)

        def work() -> None:
            try:
                make(job.incident_id, job.path, job.tell)
                job.tell("done", 1.0)
            except InvalidInputError as exc:
                job.error = str(exc)
            except Exception:  # the page says so rather than waiting forever; the log says why
                log.exception("the package of incident %s failed", job.incident_id)
                job.error = "the package could not be made: the server's log says why"
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

    def _forget_old(self, folder: Path) -> None:
        now = time.monotonic()
        with self._lock:
            for job_id, job in list(self._jobs.items()):
                if job.finished_at is not None and now - job.finished_at > KEPT_S:
                    job.path.unlink(missing_ok=True)
                    del self._jobs[job_id]
            if folder not in self._swept:  # what a stopped server left behind
                self._swept.add(folder)
                known = {j.path for j in self._jobs.values()}
                for left in folder.glob("*.zip*") if folder.is_dir() else ():
                    if left not in known:
                        left.unlink(missing_ok=True)
