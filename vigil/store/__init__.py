"""The store: SQL rows, Chroma vectors and thumbnails, opened together from settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, func, select, update

from vigil.settings import Settings
from vigil.store.sql import Camera, Database, FrameAnswer, IngestJob, Keyframe, Video
from vigil.store.thumbnails import ThumbnailStore
from vigil.store.vectors import VectorStore, make_client


@dataclass(frozen=True)
class CameraSummary:
    name: str
    videos: int
    keyframes: int
    video_seconds: float


@dataclass(frozen=True)
class UnfinishedVideo:
    """A video whose ingest stopped before the end; running the ingest again resumes it."""

    video_id: int
    camera: str
    path: str
    keyframes: int  # stored before it stopped
    state: str  # the last ingest job: interrupted | failed | running, or lost keyframes
    error: str


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


class Store:
    """Everything Vigil keeps about ingested video."""

    def __init__(self, settings: Settings) -> None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.settings = settings
        self.db = Database(settings.sql_url)
        self.vectors = VectorStore(make_client(settings.chroma_url, settings.chroma_dir))
        self.thumbnails = ThumbnailStore(settings.thumbnails_dir, settings.thumbnail_width)

    def delete_video(self, video_id: int) -> None:
        """Remove a video and all it added (vectors, keyframes, unshared thumbnails, jobs)."""
        with self.db.session() as s:
            camera = s.scalar(
                select(Camera.name)
                .join(Video, Video.camera_id == Camera.id)
                .where(Video.id == video_id)
            )
            rows = s.execute(
                select(Keyframe.id, Keyframe.thumbnail).where(Keyframe.video_id == video_id)
            ).all()
            ids = [r.id for r in rows]
            if camera is not None:
                self.vectors.delete_ids(ids, camera)
            s.execute(delete(FrameAnswer).where(FrameAnswer.keyframe_id.in_(ids)))
            s.execute(delete(Keyframe).where(Keyframe.video_id == video_id))
            s.execute(delete(IngestJob).where(IngestJob.video_id == video_id))
            s.execute(delete(Video).where(Video.id == video_id))
        self._delete_unused_thumbnails({r.thumbnail for r in rows})

    def discard_keyframes(self, camera: str, ids: Sequence[str], thumbnails: Sequence[str]) -> None:
        """Undo a batch whose store step failed: its vectors, and thumbnails no row uses."""
        self.vectors.delete_ids(ids, camera)
        with self.db.session() as s:
            s.execute(delete(Keyframe).where(Keyframe.id.in_(list(ids))))
        self._delete_unused_thumbnails(set(thumbnails))

    def drop_video_if_empty(self, video_id: int) -> int:
        """After a failed ingest: remove the video (and a camera left without videos) if it
        stored no keyframe; return how many keyframes it keeps."""
        with self.db.session() as s:
            kept = s.scalar(select(func.count(Keyframe.id)).where(Keyframe.video_id == video_id))
            camera_id = s.scalar(select(Video.camera_id).where(Video.id == video_id))
        if kept or camera_id is None:
            return kept or 0
        self.delete_video(video_id)
        with self.db.session() as s:
            if not s.scalar(select(func.count(Video.id)).where(Video.camera_id == camera_id)):
                s.execute(delete(Camera).where(Camera.id == camera_id))
        return 0

    def _delete_unused_thumbnails(self, names: set[str]) -> None:
        if not names:
            return
        with self.db.session() as s:
            used = set(s.scalars(select(Keyframe.thumbnail).where(Keyframe.thumbnail.in_(names))))
        for name in names - used:
            self.thumbnails.delete(name)

    def unfinished_videos(self) -> list[UnfinishedVideo]:
        """Videos whose ingest did not finish (interrupted, failed or still running)."""
        with self.db.session() as s:
            videos = s.execute(
                select(Video, Camera.name)
                .join(Camera, Video.camera_id == Camera.id)
                .where(Video.status != "complete")
                .order_by(Video.id)
            ).all()
            result = []
            for video, camera in videos:
                kept = s.scalar(
                    select(func.count(Keyframe.id)).where(Keyframe.video_id == video.id)
                )
                job = s.scalars(
                    select(IngestJob)
                    .where(IngestJob.video_id == video.id)
                    .order_by(IngestJob.id.desc())
                    .limit(1)
                ).first()
                result.append(
                    UnfinishedVideo(
                        video_id=video.id,
                        camera=camera,
                        path=video.path,
                        keyframes=kept or 0,
                        # a done job on an unfinished video: doctor removed keyframes
                        state="lost keyframes"
                        if job and job.status == "done"
                        else (job.status if job else "interrupted"),
                        error=(job.error or "") if job else "",
                    )
                )
        return result

    def check(self, repair: bool = False) -> StoreHealth:
        """Find what does not add up between SQL, vectors and thumbnails; fix it if asked.

        Repairs: vectors without a keyframe row are deleted; keyframe rows without a caption
        vector are deleted and their video marked unfinished, so the next ingest of that
        file re-does them; unused thumbnails are deleted; videos that stored nothing, and
        cameras without videos, are removed. Run it while no ingest is running.
        """
        with self.db.session() as s:
            rows = s.execute(
                select(Keyframe.id, Keyframe.video_id, Keyframe.thumbnail, Camera.name).join(
                    Camera, Keyframe.camera_id == Camera.id
                )
            ).all()
            cameras = dict(s.execute(select(Camera.id, Camera.name)).all())
            camera_videos = dict(
                s.execute(
                    select(Video.camera_id, func.count(Video.id)).group_by(Video.camera_id)
                ).all()
            )
        stored: dict[str, set[str]] = {}
        for r in rows:
            stored.setdefault(r.name, set()).add(r.id)
        vectors = self.vectors.ids_per_camera()
        orphan_vectors = {
            camera: sorted(ids - stored.get(camera, set()))
            for camera, ids in vectors.items()
            if ids - stored.get(camera, set())
        }
        without_vectors = [r for r in rows if r.id not in vectors.get(r.name, set())]
        used_thumbs = {r.thumbnail for r in rows}
        on_disk = self.thumbnails.names()
        orphan_thumbs = sorted(on_disk - used_thumbs)
        missing_thumbs = len(used_thumbs - on_disk)
        unfinished = self.unfinished_videos()
        empty_cameras = sorted(name for cid, name in cameras.items() if not camera_videos.get(cid))
        health = StoreHealth(
            orphan_vectors={c: len(ids) for c, ids in orphan_vectors.items()},
            keyframes_without_vectors=len(without_vectors),
            orphan_thumbnails=len(orphan_thumbs),
            missing_thumbnails=missing_thumbs,
            unfinished=tuple(unfinished),
            empty_cameras=tuple(empty_cameras),
            repaired=repair,
        )
        if repair:
            for camera, ids in orphan_vectors.items():
                self.vectors.delete_ids(ids, camera)
            if without_vectors:
                with self.db.session() as s:
                    ids = [r.id for r in without_vectors]
                    s.execute(delete(FrameAnswer).where(FrameAnswer.keyframe_id.in_(ids)))
                    s.execute(delete(Keyframe).where(Keyframe.id.in_(ids)))
                    s.execute(
                        update(Video)
                        .where(Video.id.in_({r.video_id for r in without_vectors}))
                        .values(status="ingesting")
                    )
                self._delete_unused_thumbnails({r.thumbnail for r in without_vectors})
            for name in orphan_thumbs:
                self.thumbnails.delete(name)
            for video in unfinished:
                if video.keyframes == 0:
                    self.delete_video(video.video_id)
            with self.db.session() as s:
                for cid in cameras:
                    if not s.scalar(select(func.count(Video.id)).where(Video.camera_id == cid)):
                        s.execute(delete(Camera).where(Camera.id == cid))
        return health

    def search_scope(
        self,
        cameras: Sequence[str] | None,
        start: datetime | None,
        end: datetime | None,
    ) -> dict[str, list[str] | None] | None:
        """Camera -> the keyframe ids a filtered search may consider (None: all of them).

        None when nothing is filtered. A time window is resolved here, on the (camera, utc)
        index, so the vector store searches only those ids; a camera whose keyframes all lie
        in the window is searched whole, and one with none in it is left out.
        """
        if start is None and end is None:
            return None if cameras is None else {c: None for c in cameras}
        with self.db.session() as s:
            stmt = select(Camera.name, Keyframe.id).join(Camera, Keyframe.camera_id == Camera.id)
            totals_stmt = (
                select(Camera.name, func.count(Keyframe.id))
                .join(Camera, Keyframe.camera_id == Camera.id)
                .group_by(Camera.name)
            )
            if cameras is not None:
                stmt = stmt.where(Camera.name.in_(cameras))
                totals_stmt = totals_stmt.where(Camera.name.in_(cameras))
            if start is not None:
                stmt = stmt.where(Keyframe.utc >= start)
            if end is not None:
                stmt = stmt.where(Keyframe.utc <= end)
            rows = s.execute(stmt).all()
            totals = dict(s.execute(totals_stmt).all())
        scope: dict[str, list[str] | None] = {}
        for camera, kid in rows:
            scope.setdefault(camera, []).append(kid)
        return {c: None if len(ids) == totals[c] else ids for c, ids in scope.items()}

    def camera_names(self) -> list[str]:
        """Every camera's name, sorted."""
        with self.db.session() as s:
            return list(s.scalars(select(Camera.name).order_by(Camera.name)))

    def camera_summaries(self) -> list[CameraSummary]:
        """Per camera: complete videos, keyframes and seconds of video."""
        with self.db.session() as s:
            cameras = s.scalars(select(Camera).order_by(Camera.name)).all()
            videos = s.execute(
                select(Video.camera_id, func.count(Video.id), func.sum(Video.duration_s))
                .where(Video.status == "complete")
                .group_by(Video.camera_id)
            ).all()
            keyframes = dict(
                s.execute(
                    select(Keyframe.camera_id, func.count(Keyframe.id)).group_by(Keyframe.camera_id)
                ).all()
            )
        per_camera = {cid: (n, float(secs or 0.0)) for cid, n, secs in videos}
        return [
            CameraSummary(
                c.name,
                per_camera.get(c.id, (0, 0.0))[0],
                keyframes.get(c.id, 0),
                per_camera.get(c.id, (0, 0.0))[1],
            )
            for c in cameras
        ]
