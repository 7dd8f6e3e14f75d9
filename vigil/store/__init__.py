"""The store: the only owner of SQL sessions, Chroma collections and thumbnail files.

Everything above it reads and writes through named methods: `videos` (cameras, videos,
ingest jobs), `keyframes` (rows, search scope, cached frame answers), `conversations`,
`alarms`, `audit` (the hash-chained log), `users`, `reports` (incidents, versions), and
the operations below that keep rows, vectors and thumbnails in step.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import replace
from functools import partial

import numpy as np
from sqlalchemy.exc import DBAPIError as DatabaseError  # what the driver raises, for layers above

from vigil.domain import TrackRecord, VideoRecord
from vigil.errors import StorageError, storage_error
from vigil.settings import Settings
from vigil.store.alarms import AlarmRepository, NewAlarm, QueueFullError
from vigil.store.audit import AuditRepository
from vigil.store.checkpoints import CheckpointFile
from vigil.store.conversations import ConversationRepository
from vigil.store.health import StoreHealth
from vigil.store.keyframes import KeyframeRepository, NewKeyframe, Revision
from vigil.store.reports import ReportRepository
from vigil.store.sql import Database
from vigil.store.thumbnails import ThumbnailStore
from vigil.store.tracks import NewTrack, TrackRepository
from vigil.store.users import UserRepository
from vigil.store.vectors import (
    IMAGE_SPACE,
    TEXT_SPACE,
    TRACK_SPACE,
    VectorStore,
    make_client,
    track_vector_id,
)
from vigil.store.videos import VideoRepository

__all__ = [
    "DatabaseError",
    "IMAGE_SPACE",
    "NewAlarm",
    "QueueFullError",
    "TEXT_SPACE",
    "TRACK_SPACE",
    "NewKeyframe",
    "NewTrack",
    "Revision",
    "Store",
    "StoreHealth",
]


class Store:
    """Everything Vigil keeps about ingested video and the questions asked about it."""

    def __init__(self, settings: Settings) -> None:
        try:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise storage_error(exc) or exc from None
        if not os.access(settings.data_dir, os.W_OK):
            raise StorageError(
                f"the data dir {settings.data_dir} cannot be written (read-only, or not this "
                "user's): check the mount and its permissions",
                full=False,
            )
        self.settings = settings
        self.db = Database(settings.sql_url)
        self.vectors = VectorStore(partial(make_client, settings.chroma_url, settings.chroma_dir))
        self.thumbnails = ThumbnailStore(settings.thumbnails_dir, settings.thumbnail_width)
        self.videos = VideoRepository(self.db)
        self.keyframes = KeyframeRepository(self.db)
        self.conversations = ConversationRepository(self.db)
        self.tracks = TrackRepository(self.db)
        self.alarms = AlarmRepository(self.db)
        self.audit = AuditRepository(
            self.db, CheckpointFile(settings.audit_checkpoint_path), settings.keys_dir
        )
        self.users = UserRepository(self.db)
        self.reports = ReportRepository(self.db)
        self._data_bytes: tuple[float, int] | None = None  # (when walked, bytes)

    def data_bytes(self, max_age_s: float = 60.0) -> int:
        """Bytes under the data dir, walked at most once per ``max_age_s``: /status and
        /metrics ask on every load or scrape, and a site's 100k thumbnails make a walk
        slow."""
        now = time.monotonic()
        if self._data_bytes is None or now - self._data_bytes[0] > max_age_s:
            root = self.settings.data_dir
            walked = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
            self._data_bytes = (now, walked)
        return self._data_bytes[1]

    def add_keyframes(
        self,
        video: VideoRecord,
        keyframes: Sequence[NewKeyframe],
        images: Sequence[np.ndarray],
        vectors: dict[tuple[str, str], np.ndarray],
    ) -> None:
        """Store analysed keyframes whole or not at all: thumbnails, vectors, rows.

        ``vectors`` maps (space, model name) to one vector per keyframe. If any step fails,
        what was written is removed again, so a failure leaves no orphans. The keyframes'
        ``thumbnail`` fields are filled from ``images`` here.
        """
        ids = [k.id for k in keyframes]
        thumbs: list[str] = []
        try:
            for image in images:
                thumbs.append(self.thumbnails.put(self.thumbnails.encode(image)))
            rows = [replace(k, thumbnail=th) for k, th in zip(keyframes, thumbs, strict=True)]
            metadatas = [
                {
                    "camera": video.camera,
                    "video_id": video.id,
                    "frame_index": k.frame_index,
                    "offset_s": round(k.offset_s, 3),
                    "utc_ts": k.utc.timestamp(),
                    "thumbnail": k.thumbnail,
                }
                for k in rows
            ]
            for (space, model), matrix in vectors.items():
                documents = [k.caption for k in rows] if space == TEXT_SPACE else None
                self.vectors.upsert(
                    space, model, video.camera, ids, matrix, metadatas, documents=documents
                )
            self.keyframes.add(video.id, video.camera_id, rows)
        except BaseException:
            self.discard_keyframes(video.camera, ids, thumbs)
            raise

    def revise_keyframes(
        self, video: VideoRecord, revisions: Sequence[Revision], model: str, vectors: np.ndarray
    ) -> None:
        """Store revised captions of a video's keyframes: rows, then caption vectors and
        texts (``model``'s, one vector per revision)."""
        if not revisions:
            return
        self.keyframes.revise(revisions)
        self.vectors.update_texts(
            model, video.camera, [r.id for r in revisions], vectors, [r.caption for r in revisions]
        )

    @property
    def shared_sql(self) -> bool:
        """Whether the database may be shared by processes on several machines (not
        SQLite): alarm workers then hold claims under a lease."""
        return self.db.engine.dialect.name != "sqlite"

    def replace_tracks(self, video: VideoRecord, tracks: Sequence[NewTrack]) -> None:
        """Store one video's tracks, replacing any it had and their vectors."""
        self.vectors.delete_tracks_of_video(video.camera, video.id)
        self.tracks.replace_for_video(video.id, video.camera_id, tracks)

    def index_tracks(
        self,
        video: VideoRecord,
        tracks: Sequence[TrackRecord],
        model: str,
        vectors: np.ndarray,
        texts: Sequence[str],
    ) -> None:
        """Vectors of a video's stored tracks (``model``'s, one per track, of ``texts``),
        searchable beside its keyframes'."""
        self.vectors.upsert(
            TRACK_SPACE,
            model,
            video.camera,
            [track_vector_id(t.video_id, t.number) for t in tracks],
            vectors,
            [
                {
                    "camera": t.camera,
                    "video_id": t.video_id,
                    "number": t.number,
                    "cls": t.cls,
                    "first_utc_ts": t.first_utc.timestamp(),
                    "last_utc_ts": t.last_utc.timestamp(),
                }
                for t in tracks
            ],
            documents=list(texts),
        )

    def tracks_shown(self, frame_ids: Sequence[str]) -> list[tuple[TrackRecord, list[str]]]:
        """The people and vehicles tracked through these keyframes, in the order the frames
        show them first, each with the frames (of these) that show it."""
        stored = self.keyframes.get_many(frame_ids)
        on_track: dict[tuple[int, int], list[str]] = {}
        for kid in frame_ids:
            kf = stored.get(kid)
            for d in kf.detections if kf is not None else ():
                if d.cls in ("person", "vehicle") and d.track is not None:
                    frames = on_track.setdefault((kf.video_id, d.track), [])
                    if kid not in frames:
                        frames.append(kid)
        tracks = self.tracks.by_keys(list(on_track))
        return [
            (tracks[key], frames)
            for key, frames in on_track.items()
            if key in tracks and tracks[key].cls in ("person", "vehicle")
        ]

    def delete_video(self, video_id: int) -> None:
        """Remove a video and all it added (vectors, keyframes, tracks, unshared thumbnails,
        jobs)."""
        camera = self.videos.camera_of(video_id)
        rows = self.keyframes.of_video(video_id)
        ids = [kid for kid, _ in rows]
        if camera is not None:
            self.vectors.delete_ids(ids, camera)
            self.vectors.delete_tracks_of_video(camera, video_id)
        self.tracks.delete_for_video(video_id)
        self.keyframes.delete(ids)
        self.videos.delete(video_id)
        self.delete_unused_thumbnails({thumb for _, thumb in rows})

    def discard_keyframes(self, camera: str, ids: Sequence[str], thumbnails: Sequence[str]) -> None:
        """Undo a batch whose store step failed: its vectors, rows, and thumbnails no row
        uses."""
        self.vectors.delete_ids(ids, camera)
        self.keyframes.delete(ids)
        self.delete_unused_thumbnails(set(thumbnails))

    def drop_video_if_empty(self, video_id: int) -> int:
        """After a failed ingest: remove the video (and a camera left without videos) if it
        stored no keyframe; return how many keyframes it keeps."""
        kept = self.videos.keyframe_count(video_id)
        if not kept:
            self.delete_video(video_id)
            self.videos.remove_cameras_without_videos()
        return kept

    def delete_unused_thumbnails(self, names: set[str]) -> None:
        if names:
            for name in names - self.keyframes.used_thumbnails(names):
                self.thumbnails.delete(name)

    def check(self, repair: bool = False) -> StoreHealth:
        """Find what does not add up between SQL, vectors and thumbnails; fix it if asked.

        Repairs: vectors without a keyframe row are deleted; keyframe rows without a
        caption vector are deleted and their video marked unfinished, so the next ingest of
        that file re-does them; unused thumbnails are deleted; videos that stored nothing,
        and cameras without videos, are removed. Run it while no ingest is running.
        """
        rows = self.keyframes.placements()
        stored: dict[str, set[str]] = {}
        for kid, _, _, camera in rows:
            stored.setdefault(camera, set()).add(kid)
        vectors = self.vectors.ids_per_camera()
        orphan_vectors = {
            camera: sorted(ids - stored.get(camera, set()))
            for camera, ids in vectors.items()
            if ids - stored.get(camera, set())
        }
        without_vectors = [r for r in rows if r[0] not in vectors.get(r[3], set())]
        used_thumbs = {r[2] for r in rows}
        on_disk = self.thumbnails.names()
        orphan_thumbs = sorted(on_disk - used_thumbs)
        unfinished = self.videos.unfinished()
        health = StoreHealth(
            orphan_vectors={c: len(ids) for c, ids in orphan_vectors.items()},
            keyframes_without_vectors=len(without_vectors),
            orphan_thumbnails=len(orphan_thumbs),
            missing_thumbnails=len(used_thumbs - on_disk),
            unfinished=tuple(unfinished),
            empty_cameras=tuple(self.videos.cameras_without_videos()),
            repaired=repair,
        )
        if repair:
            for camera, ids in orphan_vectors.items():
                self.vectors.delete_ids(ids, camera)
            if without_vectors:
                self.keyframes.delete(r[0] for r in without_vectors)
                self.videos.mark_unfinished({r[1] for r in without_vectors})
                self.delete_unused_thumbnails({r[2] for r in without_vectors})
            for name in orphan_thumbs:
                self.thumbnails.delete(name)
            for video in unfinished:
                if video.keyframes == 0:
                    self.delete_video(video.video_id)
            self.videos.remove_cameras_without_videos()
        return health
