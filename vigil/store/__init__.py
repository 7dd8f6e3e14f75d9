"""The store: SQL rows, Chroma vectors and thumbnails, opened together from settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select

from vigil.settings import Settings
from vigil.store.sql import Camera, Database, IngestJob, Keyframe, Video
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
            s.execute(delete(Keyframe).where(Keyframe.video_id == video_id))
            s.execute(delete(IngestJob).where(IngestJob.video_id == video_id))
            s.execute(delete(Video).where(Video.id == video_id))
            s.flush()
            still_used = set(
                s.scalars(select(Keyframe.thumbnail).where(Keyframe.thumbnail.in_(thumbs)))
            )
        for name in thumbs - still_used:
            self.thumbnails.delete(name)

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
