"""Whether SQL rows, vectors and thumbnails agree (`vigil doctor`), and repairing them;
whether the data dir can take what is written next (`/health`)."""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vigil.domain import UnfinishedVideo

if TYPE_CHECKING:
    from vigil.store import Store


@dataclass(frozen=True)
class StoreHealth:
    """What `check_store` found; ``problems`` says it in words."""

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


def check_store(store: Store, repair: bool = False) -> StoreHealth:
    """Find what does not add up between SQL, vectors and thumbnails; fix it if asked.

    Repairs: vectors without a keyframe row are deleted; keyframe rows without a caption
    vector are deleted and their video marked unfinished, so the next ingest of that file
    re-does them; unused thumbnails are deleted; videos that stored nothing, and cameras
    without videos, are removed. Run it while no ingest is running.
    """
    rows = store.keyframes.placements()
    stored: dict[str, set[str]] = {}
    for kid, _, _, camera in rows:
        stored.setdefault(camera, set()).add(kid)
    vectors = store.vectors.ids_per_camera()
    orphan_vectors = {
        camera: sorted(ids - stored.get(camera, set()))
        for camera, ids in vectors.items()
        if ids - stored.get(camera, set())
    }
    without_vectors = [r for r in rows if r[0] not in vectors.get(r[3], set())]
    used_thumbs = {r[2] for r in rows}
    on_disk = store.thumbnails.names()
    orphan_thumbs = sorted(on_disk - used_thumbs)
    unfinished = store.videos.unfinished()
    health = StoreHealth(
        orphan_vectors={c: len(ids) for c, ids in orphan_vectors.items()},
        keyframes_without_vectors=len(without_vectors),
        orphan_thumbnails=len(orphan_thumbs),
        missing_thumbnails=len(used_thumbs - on_disk),
        unfinished=tuple(unfinished),
        empty_cameras=tuple(store.videos.cameras_without_videos()),
        repaired=repair,
    )
    if repair:
        for camera, ids in orphan_vectors.items():
            store.vectors.delete_ids(ids, camera)
        if without_vectors:
            store.keyframes.delete(r[0] for r in without_vectors)
            store.videos.mark_unfinished({r[1] for r in without_vectors})
            store.delete_unused_thumbnails({r[2] for r in without_vectors})
        for name in orphan_thumbs:
            store.thumbnails.delete(name)
        for video in unfinished:
            if video.keyframes == 0:
                store.delete_video(video.video_id)
        store.videos.remove_cameras_without_videos()
    return health


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
