"""The store: SQL rows, Chroma vectors and thumbnails, opened together from settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

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
            rows = s.execute(
                select(Keyframe.id, Keyframe.thumbnail).where(Keyframe.video_id == video_id)
            ).all()
            ids = [r.id for r in rows]
            self.vectors.delete_ids(ids)
            thumbs = {r.thumbnail for r in rows}
            s.execute(delete(FrameAnswer).where(FrameAnswer.keyframe_id.in_(ids)))
            s.execute(delete(Keyframe).where(Keyframe.video_id == video_id))
            s.execute(delete(IngestJob).where(IngestJob.video_id == video_id))
            s.execute(delete(Video).where(Video.id == video_id))
            s.flush()
            still_used = set(
                s.scalars(select(Keyframe.thumbnail).where(Keyframe.thumbnail.in_(thumbs)))
            )
        for name in thumbs - still_used:
            self.thumbnails.delete(name)

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
