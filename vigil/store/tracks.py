"""Tracks: who and what moved through a camera's view, when, where and for how long."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select

from vigil.domain import TrackRecord
from vigil.errors import InvalidInputError
from vigil.store.sql import Camera, Database, Track, ensure_known_cameras

TRACK_CLASSES = ("person", "vehicle", "object")


@dataclass(frozen=True)
class NewTrack:
    """A finished track of one video, ready to store."""

    number: int
    cls: str
    label: str | None
    first_utc: datetime
    last_utc: datetime
    first_offset_s: float
    last_offset_s: float
    still_s: float
    entry_side: str
    exit_side: str
    direction: str
    attributes: dict
    still_spans: list
    path: list
    keyframe_ids: list


class TrackRepository:
    """Track rows; every read is narrowed to cameras and a time window the track overlaps."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def replace_for_video(self, video_id: int, camera_id: int, tracks: Sequence[NewTrack]) -> None:
        """Store one video's tracks, replacing any it had (an ingest run again)."""
        with self.db.session() as s:
            s.execute(delete(Track).where(Track.video_id == video_id))
            if tracks:
                s.execute(
                    insert(Track),
                    [{**asdict(t), "video_id": video_id, "camera_id": camera_id} for t in tracks],
                )

    def by_keys(self, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], TrackRecord]:
        """The tracks named by (video id, number)."""
        wanted = set(keys)
        if not wanted:
            return {}
        stmt = (
            select(Track, Camera.name)
            .join(Camera, Track.camera_id == Camera.id)
            .where(Track.video_id.in_({video for video, _ in wanted}))
        )
        with self.db.session() as s:
            rows = s.execute(stmt).all()
        return {
            (t.video_id, t.number): _record(t, camera)
            for t, camera in rows
            if (t.video_id, t.number) in wanted
        }

    def delete_for_video(self, video_id: int) -> None:
        with self.db.session() as s:
            s.execute(delete(Track).where(Track.video_id == video_id))

    def list(
        self,
        cameras: Sequence[str] | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        cls: str | None = None,
        limit: int = 500,
    ) -> list[TrackRecord]:
        """Tracks in view at some moment of [start, end], in order of appearance."""
        if start and end and start > end:
            raise InvalidInputError("the start of the time range is after its end")
        if cls is not None and cls not in TRACK_CLASSES:
            raise InvalidInputError(f"tracks are of {', '.join(TRACK_CLASSES)}, not {cls!r}")
        stmt = (
            select(Track, Camera.name)
            .join(Camera, Track.camera_id == Camera.id)
            .order_by(Track.first_utc, Track.id)
            .limit(limit)
        )
        if cameras is not None:
            stmt = stmt.where(Camera.name.in_(cameras))
        if start is not None:
            stmt = stmt.where(Track.last_utc >= start)
        if end is not None:
            stmt = stmt.where(Track.first_utc <= end)
        if cls is not None:
            stmt = stmt.where(Track.cls == cls)
        with self.db.session() as s:
            ensure_known_cameras(s, cameras)
            return [_record(t, camera) for t, camera in s.execute(stmt).all()]


def _record(t: Track, camera: str) -> TrackRecord:
    return TrackRecord(
        camera=camera,
        video_id=t.video_id,
        number=t.number,
        cls=t.cls,
        label=t.label,
        first_utc=t.first_utc,
        last_utc=t.last_utc,
        first_offset_s=t.first_offset_s,
        last_offset_s=t.last_offset_s,
        still_s=t.still_s,
        entry_side=t.entry_side,
        exit_side=t.exit_side,
        direction=t.direction,
        attributes=dict(t.attributes or {}),
        still_spans=[list(span) for span in t.still_spans or []],
        path=[list(p) for p in t.path or []],
        keyframe_ids=list(t.keyframe_ids or []),
    )
