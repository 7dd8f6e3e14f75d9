"""Keyframes: their rows, the scope of a filtered search, and cached answers about them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update

from vigil.domain import Detection, KeyframeRecord
from vigil.errors import InvalidInputError
from vigil.store.sql import (
    Camera,
    Database,
    FrameAnswer,
    Keyframe,
    Video,
    ensure_known_cameras,
    utcnow,
)


@dataclass(frozen=True)
class NewKeyframe:
    """A keyframe to store: analysed, captioned, its thumbnail written."""

    id: str
    frame_index: int
    offset_s: float
    utc: datetime
    reason: str
    thumbnail: str
    caption: str
    detections: list[Detection]
    labels: list[str]


@dataclass(frozen=True)
class Revision:
    """A stored keyframe's caption, detections and labels, revised."""

    id: str
    caption: str
    detections: list[Detection]
    labels: list[str]


def keyframe_facts(detections: list[Detection]) -> dict:
    """What a search filters by, from a keyframe's detections: people and vehicle counts
    and the names of objects in view (carried ones too). Migration 0002 holds a frozen copy
    for keyframes stored before it."""
    names = {d.label for d in detections if d.label and d.cls != "person"}
    names |= {c for d in detections for c in d.carrying}
    return {
        "people": sum(d.cls == "person" for d in detections),
        "vehicles": sum(d.cls == "vehicle" for d in detections),
        "objects": sorted(names),
    }


def _stored(detections: Sequence[Detection]) -> list[dict]:
    """Detections as the JSON column keeps them (typed everywhere above the store)."""
    return [d.to_dict() for d in detections]


def _read(stored: list[dict] | None) -> list[Detection]:
    return [Detection.from_dict(d) for d in stored or []]


@dataclass(frozen=True)
class FactFilter:
    """Keyframes showing at least ``min_people`` people and every one of ``objects``."""

    objects: tuple[str, ...] = ()
    min_people: int = 0

    def __bool__(self) -> bool:
        return bool(self.objects) or self.min_people > 0

    def admits(self, people: int, objects: list[str] | None) -> bool:
        return people >= self.min_people and self.shows_objects(objects)

    def shows_objects(self, objects: list[str] | None) -> bool:
        return set(self.objects) <= set(objects or [])


NO_FACTS = FactFilter()


@dataclass(frozen=True)
class KeyframeText:
    """What lexical search reads of a keyframe."""

    id: str
    camera: str
    caption: str
    labels: list[str]
    written: datetime | None = None  # when caption and labels were last written


class KeyframeRepository:
    """Keyframe rows (with their camera and source video joined in one place)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    def _records():
        return (
            select(Keyframe, Camera.name, Video.path, Video.sha256)
            .join(Camera, Keyframe.camera_id == Camera.id)
            .join(Video, Keyframe.video_id == Video.id)
        )

    @staticmethod
    def _record(k: Keyframe, camera: str, path: str, sha256: str) -> KeyframeRecord:
        return KeyframeRecord(
            id=k.id,
            camera=camera,
            video_id=k.video_id,
            source=path,
            source_sha256=sha256,
            frame_index=k.frame_index,
            offset_s=k.offset_s,
            utc=k.utc,
            reason=k.reason,
            thumbnail=k.thumbnail,
            caption=k.caption,
            detections=_read(k.detections),
            labels=list(k.labels or []),
            people=k.people or 0,
            vehicles=k.vehicles or 0,
            objects=list(k.objects or []),
        )

    @staticmethod
    def _within(stmt, cameras, start, end, facts: FactFilter = NO_FACTS):
        """``stmt`` (joined with cameras) narrowed to cameras, a time window and counts."""
        if cameras is not None:
            stmt = stmt.where(Camera.name.in_(cameras))
        if start is not None:
            stmt = stmt.where(Keyframe.utc >= start)
        if end is not None:
            stmt = stmt.where(Keyframe.utc <= end)
        if facts.min_people:
            stmt = stmt.where(Keyframe.people >= facts.min_people)
        return stmt

    def add(self, video_id: int, camera_id: int, keyframes: Sequence[NewKeyframe]) -> None:
        """Insert keyframe rows of one video (one statement, also for 100k rows)."""
        if not keyframes:
            return
        written = utcnow()
        with self.db.session() as s:
            s.execute(
                insert(Keyframe),
                [
                    {
                        **asdict(k),
                        "detections": _stored(k.detections),
                        **keyframe_facts(k.detections),
                        "video_id": video_id,
                        "camera_id": camera_id,
                        "text_utc": written,
                    }
                    for k in keyframes
                ],
            )

    def revise(self, revisions: Sequence[Revision]) -> None:
        """New captions, detections and labels (and so facts) for stored keyframes."""
        with self.db.session() as s:
            for r in revisions:
                s.execute(
                    update(Keyframe)
                    .where(Keyframe.id == r.id)
                    .values(
                        caption=r.caption,
                        detections=_stored(r.detections),
                        labels=r.labels,
                        **keyframe_facts(r.detections),
                        text_utc=utcnow(),
                    )
                )

    def delete(self, ids: Iterable[str]) -> None:
        """Remove these keyframes and the answers cached about them."""
        ids = list(ids)
        with self.db.session() as s:
            s.execute(delete(FrameAnswer).where(FrameAnswer.keyframe_id.in_(ids)))
            s.execute(delete(Keyframe).where(Keyframe.id.in_(ids)))

    def list(
        self,
        camera: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 1000,
        newest_first: bool = False,
    ) -> list[KeyframeRecord]:
        """Keyframes in time order (or newest first), optionally of one camera and within
        [start, end]."""
        if start and end and start > end:
            raise InvalidInputError("the start of the time range is after its end")
        order = (
            (Keyframe.utc.desc(), Keyframe.id.desc())
            if newest_first
            else (Keyframe.utc, Keyframe.id)
        )
        with self.db.session() as s:
            stmt = self._records().order_by(*order).limit(limit)
            cameras = None if camera is None else [camera]
            ensure_known_cameras(s, cameras)
            stmt = self._within(stmt, cameras, start, end)
            return [self._record(*row) for row in s.execute(stmt).all()]

    def cameras_of_thumbnail(self, name: str) -> list[str]:
        """The cameras whose keyframes use a (content-addressed) thumbnail."""
        with self.db.session() as s:
            return list(
                s.scalars(
                    select(Camera.name)
                    .join(Keyframe, Keyframe.camera_id == Camera.id)
                    .where(Keyframe.thumbnail == name)
                    .distinct()
                )
            )

    def get(self, keyframe_id: str) -> KeyframeRecord | None:
        with self.db.session() as s:
            row = s.execute(self._records().where(Keyframe.id == keyframe_id)).first()
        return self._record(*row) if row else None

    def get_many(self, keyframe_ids: Iterable[str]) -> dict[str, KeyframeRecord]:
        """The stored ones among ``keyframe_ids``, by id, in one query."""
        wanted = list(dict.fromkeys(keyframe_ids))
        if not wanted:
            return {}
        with self.db.session() as s:
            rows = s.execute(self._records().where(Keyframe.id.in_(wanted))).all()
        return {record.id: record for record in (self._record(*row) for row in rows)}

    def matching(
        self,
        ids: Iterable[str],
        cameras: Sequence[str] | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        facts: FactFilter = NO_FACTS,
    ) -> dict[str, KeyframeRecord]:
        """Those of ``ids`` that exist and lie inside the camera, time and facts filter."""
        stmt = self._within(
            self._records().where(Keyframe.id.in_(list(ids))), cameras, start, end, facts
        )
        with self.db.session() as s:
            rows = [self._record(*row) for row in s.execute(stmt).all()]
        return {r.id: r for r in rows if facts.admits(r.people, r.objects)}

    def captions(self, ids: Iterable[str]) -> dict[str, str]:
        with self.db.session() as s:
            return dict(
                s.execute(
                    select(Keyframe.id, Keyframe.caption).where(Keyframe.id.in_(list(ids)))
                ).all()
            )

    def previous_in_video(self, video_ids: Iterable[int]) -> dict[str, str | None]:
        """For each keyframe of these videos, the keyframe sampled just before it."""
        with self.db.session() as s:
            rows = s.execute(
                select(Keyframe.id, Keyframe.video_id)
                .where(Keyframe.video_id.in_(list(video_ids)))
                .order_by(Keyframe.video_id, Keyframe.frame_index)
            ).all()
        previous: dict[str, str | None] = {}
        last: tuple[int, str] | None = None
        for kid, vid in rows:
            previous[kid] = last[1] if last and last[0] == vid else None
            last = (vid, kid)
        return previous

    def count(self) -> int:
        with self.db.session() as s:
            return s.scalar(select(func.count(Keyframe.id))) or 0

    def texts(self, written_after: datetime | None = None) -> list[KeyframeText]:
        """Every keyframe's caption and labels, for the lexical index; with
        ``written_after``, only those written (added or re-captioned) after it."""
        stmt = select(
            Keyframe.id, Camera.name, Keyframe.caption, Keyframe.labels, Keyframe.text_utc
        ).join(Camera, Keyframe.camera_id == Camera.id)
        if written_after is not None:
            stmt = stmt.where(Keyframe.text_utc > written_after)
        with self.db.session() as s:
            rows = s.execute(stmt).all()
        return [
            KeyframeText(kid, cam, cap, list(labels or []), written)
            for kid, cam, cap, labels, written in rows
        ]

    def placements(self) -> list[tuple[str, int, str, str]]:
        """(id, video id, thumbnail, camera) of every keyframe: what a health check needs."""
        with self.db.session() as s:
            return [
                tuple(row)
                for row in s.execute(
                    select(Keyframe.id, Keyframe.video_id, Keyframe.thumbnail, Camera.name).join(
                        Camera, Keyframe.camera_id == Camera.id
                    )
                ).all()
            ]

    def of_video(self, video_id: int) -> list[tuple[str, str]]:
        """(id, thumbnail) of one video's keyframes."""
        with self.db.session() as s:
            return [
                tuple(r)
                for r in s.execute(
                    select(Keyframe.id, Keyframe.thumbnail).where(Keyframe.video_id == video_id)
                ).all()
            ]

    def renumber_tracks(self, video_id: int, joined: dict[int, int]) -> None:
        """Detections of a video's keyframes on a track ``joined`` into another, under
        that one's number (`vigil.tracking.stitched`)."""
        if not joined:
            return
        with self.db.session() as s:
            for kid, stored in s.execute(
                select(Keyframe.id, Keyframe.detections).where(Keyframe.video_id == video_id)
            ).all():
                if not any(d.get("track") in joined for d in stored or []):
                    continue
                detections = [replace(d, track=joined.get(d.track, d.track)) for d in _read(stored)]
                renumbered = update(Keyframe).where(Keyframe.id == kid)
                s.execute(renumbered.values(detections=_stored(detections)))

    def renumber_track_from(
        self, video_id: int, number: int, new_number: int, from_frame: int
    ) -> None:
        """Detections on track ``number`` in a video's keyframes from ``from_frame`` on,
        under ``new_number`` (`vigil.tracking.split_at`)."""
        with self.db.session() as s:
            rows = s.execute(
                select(Keyframe.id, Keyframe.detections).where(
                    Keyframe.video_id == video_id, Keyframe.frame_index >= from_frame
                )
            ).all()
            for kid, stored in rows:
                if not any(d.get("track") == number for d in stored or []):
                    continue
                detections = [
                    replace(d, track=new_number) if d.track == number else d for d in _read(stored)
                ]
                renumbered = update(Keyframe).where(Keyframe.id == kid)
                s.execute(renumbered.values(detections=_stored(detections)))

    def detections_of_video(self, video_id: int) -> list[tuple[str, list[Detection]]]:
        """(id, detections) of one video's keyframes, in frame order."""
        with self.db.session() as s:
            return [
                (kid, _read(dets))
                for kid, dets in s.execute(
                    select(Keyframe.id, Keyframe.detections)
                    .where(Keyframe.video_id == video_id)
                    .order_by(Keyframe.frame_index)
                ).all()
            ]

    def used_thumbnails(self, names: Iterable[str]) -> set[str]:
        with self.db.session() as s:
            return set(
                s.scalars(select(Keyframe.thumbnail).where(Keyframe.thumbnail.in_(list(names))))
            )

    def scope(
        self,
        cameras: Sequence[str] | None,
        start: datetime | None,
        end: datetime | None,
        facts: FactFilter = NO_FACTS,
    ) -> dict[str, list[str] | None] | None:
        """Camera -> the keyframe ids a filtered search may consider (None: all of them).

        None when nothing is filtered. A time window and facts are resolved here, on the
        (camera, utc) and people indexes, so the vector store searches only those ids; a
        camera whose keyframes all pass is searched whole, and one with none is left out.
        """
        if start is None and end is None and not facts:
            return None if cameras is None else {c: None for c in cameras}
        # Only the ids travel back (a 6 h window at 100k per camera is 25k rows); the
        # objects list is read only when the filter names objects (min_people is SQL's).
        columns = [Camera.name, Keyframe.id] + ([Keyframe.objects] if facts.objects else [])
        with self.db.session() as s:
            stmt = select(*columns).join(Camera, Keyframe.camera_id == Camera.id)
            totals_stmt = (
                select(Camera.name, func.count(Keyframe.id))
                .join(Camera, Keyframe.camera_id == Camera.id)
                .group_by(Camera.name)
            )
            stmt = self._within(stmt, cameras, start, end, facts)
            totals_stmt = self._within(totals_stmt, cameras, None, None)
            rows = s.execute(stmt).all()
            totals = dict(s.execute(totals_stmt).all())
        scope: dict[str, list[str] | None] = {}
        for camera, kid, *objects in rows:
            if not facts.objects or facts.shows_objects(objects[0]):
                scope.setdefault(camera, []).append(kid)
        return {c: None if len(ids) == totals[c] else ids for c, ids in scope.items()}

    def cached_answer(self, keyframe_id: str, question: str, model: str) -> str | None:
        """An earlier description of (or answer about) a frame by this model."""
        with self.db.session() as s:
            return s.scalar(
                select(FrameAnswer.answer).where(
                    FrameAnswer.keyframe_id == keyframe_id,
                    FrameAnswer.question == question,
                    FrameAnswer.model == model,
                )
            )

    def cache_answer(self, keyframe_id: str, question: str, model: str, answer: str) -> None:
        with self.db.session() as s:
            s.add(
                FrameAnswer(keyframe_id=keyframe_id, question=question, model=model, answer=answer)
            )
