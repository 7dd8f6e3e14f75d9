"""What `vigil doctor` found of rows, vectors and thumbnails agreeing (`Store.check`), and
whether the data dir can take what is written next (`/health`)."""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from vigil.domain import UnfinishedVideo


@dataclass(frozen=True)
class StoreHealth:
    """What `Store.check` found; ``problems`` says it in words."""

    orphan_vectors: dict[str, int]  # camera -> vectors with no keyframe row of that camera
    keyframes_without_vectors: int
    orphan_thumbnails: int
    missing_thumbnails: int
    unfinished: tuple[UnfinishedVideo, ...]
    empty_cameras: tuple[str, ...]
    repaired: bool

    @property
    def problems(self) -> list[str]:
        found = [
            f"{n} vectors of camera {camera} belong to no stored keyframe"
            for camera, n in sorted(self.orphan_vectors.items())
        ]
        if self.keyframes_without_vectors:
            found.append(f"{self.keyframes_without_vectors} keyframes have no vectors")
        if self.orphan_thumbnails:
            found.append(f"{self.orphan_thumbnails} thumbnails belong to no keyframe")
        if self.missing_thumbnails:
            found.append(f"{self.missing_thumbnails} thumbnails are missing from disk")
        found += [f"camera {c} has no videos" for c in self.empty_cameras]
        found += [
            f"ingest of {Path(v.path).name} (camera {v.camera}) {v.state}, "
            f"{v.keyframes} keyframes kept"
            for v in self.unfinished
        ]
        return found


def data_dir_problems(data_dir: Path, min_free_bytes: int) -> list[str]:
    """What keeps the data dir from taking writes: it cannot be written, or it has less
    than ``min_free_bytes`` free. Empty when it can."""
    probe = data_dir / f".health-{uuid.uuid4().hex}"
    problems = []
    try:
        with probe.open("wb") as handle:
            handle.write(b"ok")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        problems.append(f"the data dir {data_dir} cannot be written: {exc.strerror or exc}")
    finally:
        with contextlib.suppress(OSError):  # a read-only data dir: said above
            probe.unlink(missing_ok=True)
    try:
        free = shutil.disk_usage(data_dir).free
    except OSError as exc:
        problems.append(f"the data dir {data_dir} cannot be read: {exc.strerror or exc}")
    else:
        if free < min_free_bytes:
            problems.append(
                f"the data dir {data_dir} is nearly full: {free / 1e6:.0f} MB free, "
                f"{min_free_bytes / 1e6:.0f} MB needed (data_dir_min_free_mb)"
            )
    return problems
