"""Cameras, videos and their ingest jobs."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select, update

from vigil.domain import CameraSummary, UnfinishedVideo, VideoRecord
from vigil.store.sql import (
    Camera,
    Database,
    IngestJob,
    Keyframe,
    Video,
    ensure_known_cameras,
    utcnow,
)

if TYPE_CHECKING:
    from vigil.media import VideoInfo


class VideoRepository:
    """Rows of cameras, videos and ingest jobs; a video is one file's hash per camera."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def open(
        self,
        camera: str,
        timezone: str,
        info: VideoInfo,
        start_utc: datetime,
        models: dict,
    ) -> tuple[VideoRecord, int | None, set[str]]:
        """The video of this file for this camera, made if new (camera too).

        Returns the video, a new ingest job's id (None if the video is already complete)
        and the ids of the keyframes it already stored (for resuming).
        """
        with self.db.session() as s:
            cam = s.scalar(select(Camera).where(Camera.name == camera))
            if cam is None:
                cam = Camera(name=camera, timezone=timezone)
                s.add(cam)
                s.flush()
            video = s.scalar(
                select(Video).where(Video.camera_id == cam.id, Video.sha256 == info.sha256)
            )
            if video is None:
                video = Video(
                    camera_id=cam.id,
                    path=str(info.path.resolve()),
                    sha256=info.sha256,
                    size_bytes=info.size_bytes,
                    start_utc=start_utc,
                    fps=info.fps,
                    duration_s=info.duration_s,
                    width=info.width,
                    height=info.height,
                    codec=info.codec,
                )
                s.add(video)
                s.flush()
            done = set(s.scalars(select(Keyframe.id).where(Keyframe.video_id == video.id)))
            job_id = None
            if video.status != "complete":
                job = IngestJob(video_id=video.id, models=models)
                s.add(job)
                s.flush()
                job_id = job.id
            record = VideoRecord(
                id=video.id,
                camera_id=cam.id,
                camera=cam.name,
                sha256=video.sha256,
                start_utc=video.start_utc,
                status=video.status,
            )
        return record, job_id, done

    def complete(self, video_id: int) -> None:
        """Mark a video fully ingested."""
        with self.db.session() as s:
            s.get(Video, video_id).status = "complete"

    def finish_job(
        self, job_id: int, status: str, added: int, skipped: int, error: str | None = None
    ) -> None:
        with self.db.session() as s:
            job = s.get(IngestJob, job_id)
            if job is None:
                return
            job.status = status
            job.finished_utc = utcnow()
            job.keyframes_added = added
            job.keyframes_skipped = skipped
            job.error = error

    def camera_of(self, video_id: int) -> str | None:
        with self.db.session() as s:
            return s.scalar(
                select(Camera.name)
                .join(Video, Video.camera_id == Camera.id)
                .where(Video.id == video_id)
            )

    def file_of(self, video_id: int) -> Path | None:
        """Where a video's file was ingested from, if it is still there."""
        with self.db.session() as s:
            path = s.scalar(select(Video.path).where(Video.id == video_id))
        return Path(path) if path and Path(path).is_file() else None

    def covers(self, camera: str, moment: datetime) -> bool:
        """Whether a completely ingested video of ``camera`` was recording at ``moment``."""
        return any(a <= moment <= b for a, b in self._recordings(camera, moment, moment))

    def recorded(
        self, camera: str, start: datetime | None, end: datetime | None
    ) -> list[tuple[datetime, datetime]]:
        """When ``camera``'s completely ingested videos recorded, within [start, end]."""
        spans = [
            (max(a, start) if start else a, min(b, end) if end else b)
            for a, b in self._recordings(camera, start, end)
        ]
        return sorted((a, b) for a, b in spans if a < b)

    def _recordings(
        self, camera: str, start: datetime | None, end: datetime | None
    ) -> list[tuple[datetime, datetime]]:
        """Each completely ingested video of ``camera`` that began by ``end``: when it
        began and ended (those that ended before ``start`` too, for the caller to drop)."""
        query = (
            select(Video.start_utc, Video.duration_s)
            .join(Camera, Video.camera_id == Camera.id)
            .where(Camera.name == camera, Video.status == "complete")
        )
        if end is not None:
            query = query.where(Video.start_utc <= end)
        with self.db.session() as s:
            rows = s.execute(query).all()
        return [(first, first + timedelta(seconds=duration)) for first, duration in rows]

    def frame_sizes(self, video_ids: set[int]) -> dict[int, tuple[int, int]]:
        """Width and height of each video's frames (for boxes as shares of the frame)."""
        if not video_ids:
            return {}
        with self.db.session() as s:
            rows = s.execute(
                select(Video.id, Video.width, Video.height).where(Video.id.in_(video_ids))
            )
            return {vid: (w, h) for vid, w, h in rows}

    def delete(self, video_id: int) -> None:
        """Remove a video's row and its jobs (its keyframes must be gone already)."""
        with self.db.session() as s:
            s.execute(delete(IngestJob).where(IngestJob.video_id == video_id))
            s.execute(delete(Video).where(Video.id == video_id))

    def mark_unfinished(self, video_ids: set[int]) -> None:
        """The next ingest of these videos' files re-makes their missing keyframes."""
        with self.db.session() as s:
            s.execute(update(Video).where(Video.id.in_(video_ids)).values(status="ingesting"))

    def keyframe_count(self, video_id: int) -> int:
        with self.db.session() as s:
            return s.scalar(select(func.count(Keyframe.id)).where(Keyframe.video_id == video_id))

    def camera_names(self) -> list[str]:
        """Every camera's name, sorted."""
        with self.db.session() as s:
            return list(s.scalars(select(Camera.name).order_by(Camera.name)))

    def check_cameras(self, names: list[str]) -> None:
        """Refuse, with a clear error, any of ``names`` that is no stored camera."""
        with self.db.session() as s:
            ensure_known_cameras(s, names)

    def remove_cameras_without_videos(self) -> None:
        """Delete cameras that have no video left."""
        with self.db.session() as s:
            s.execute(delete(Camera).where(_has_no_videos()))

    def cameras_without_videos(self) -> list[str]:
        with self.db.session() as s:
            return list(
                s.scalars(select(Camera.name).where(_has_no_videos()).order_by(Camera.name))
            )

    def set_scene_words(self, video_id: int, words: list[str]) -> None:
        """What a video's camera looks at (`vigil.models.scene`), best first."""
        with self.db.session() as s:
            s.execute(update(Video).where(Video.id == video_id).values(scene_words=words))

    def scene_words(self) -> dict[str, list[str]]:
        """Each camera's scene words: those of its complete videos, most said first."""
        with self.db.session() as s:
            rows = s.execute(
                select(Camera.name, Video.scene_words)
                .join(Camera, Video.camera_id == Camera.id)
                .where(Video.status == "complete")
            ).all()
        said: dict[str, dict[str, int]] = {}
        for camera, words in rows:
            counts = said.setdefault(camera, {})
            for word in words or []:
                counts[word] = counts.get(word, 0) + 1
        return {
            camera: sorted(counts, key=lambda w: (-counts[w], w)) for camera, counts in said.items()
        }

    def summaries(self) -> list[CameraSummary]:
        """Per camera: complete videos, keyframes, seconds of video, scene words."""
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
        scenes = self.scene_words()
        return [
            CameraSummary(
                name=c.name,
                videos=per_camera.get(c.id, (0, 0.0))[0],
                keyframes=keyframes.get(c.id, 0),
                video_seconds=per_camera.get(c.id, (0, 0.0))[1],
                scene_words=scenes.get(c.name, []),
            )
            for c in cameras
        ]

    def unfinished(self) -> list[UnfinishedVideo]:
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
                kept, reached = s.execute(
                    select(func.count(Keyframe.id), func.max(Keyframe.offset_s)).where(
                        Keyframe.video_id == video.id
                    )
                ).one()
                job = s.scalars(
                    select(IngestJob)
                    .where(IngestJob.video_id == video.id)
                    .order_by(IngestJob.id.desc())
                    .limit(1)
                ).first()
                if job is None:
                    state = "interrupted"
                elif job.status == "done":  # doctor removed keyframes that lost their vectors
                    state = "lost keyframes"
                elif job.status == "running":  # running now, or its process was killed
                    state = "did not finish (still running, or its process was killed)"
                else:
                    state = job.status
                result.append(
                    UnfinishedVideo(
                        video_id=video.id,
                        camera=camera,
                        path=video.path,
                        keyframes=kept or 0,
                        reached_s=round(reached or 0.0, 1),
                        duration_s=round(video.duration_s, 1),
                        state=state,
                        error=(job.error or "") if job else "",
                    )
                )
        return result


def _has_no_videos():
    """A camera row with no video row pointing at it."""
    return ~select(Video.id).where(Video.camera_id == Camera.id).exists()
