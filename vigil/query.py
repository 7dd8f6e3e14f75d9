"""Read-side queries over the store (used by `vigil frames`, tools and the API)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from vigil.domain import KeyframeRecord
from vigil.errors import InvalidInputError
from vigil.store import Store
from vigil.store.sql import Camera, Keyframe, Video


def list_keyframes(
    store: Store,
    camera: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int = 1000,
) -> list[KeyframeRecord]:
    """Keyframes in time order, optionally of one camera and within [start, end]."""
    if start and end and start > end:
        raise InvalidInputError("--from is later than --to")
    with store.db.session() as s:
        stmt = (
            select(Keyframe, Camera.name, Video.path, Video.sha256)
            .join(Camera, Keyframe.camera_id == Camera.id)
            .join(Video, Keyframe.video_id == Video.id)
            .order_by(Keyframe.utc, Keyframe.id)
            .limit(limit)
        )
        if camera is not None:
            if s.scalar(select(Camera.id).where(Camera.name == camera)) is None:
                raise InvalidInputError(f"unknown camera {camera!r}")
            stmt = stmt.where(Camera.name == camera)
        if start is not None:
            stmt = stmt.where(Keyframe.utc >= start)
        if end is not None:
            stmt = stmt.where(Keyframe.utc <= end)
        return [
            KeyframeRecord(
                id=k.id,
                camera=cam,
                video_id=k.video_id,
                source=path,
                source_sha256=sha,
                frame_index=k.frame_index,
                offset_s=k.offset_s,
                utc=k.utc,
                reason=k.reason,
                thumbnail=k.thumbnail,
                caption=k.caption,
                detections=k.detections,
                labels=k.labels,
            )
            for k, cam, path, sha in s.execute(stmt).all()
        ]
