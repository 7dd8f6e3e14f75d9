"""Ingest: video file -> keyframes -> detections, caption, embeddings -> store.

Idempotent (a video already ingested for a camera adds nothing) and resumable (an
interrupted ingest skips the keyframes it already stored). Bad input fails before anything
is written; a video that breaks part-way is rolled back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np

from vigil.domain import Detection, VideoRecord
from vigil.errors import CorruptVideoError, IngestFailedError, InvalidInputError
from vigil.inputs import display_name, validate_camera_name
from vigil.media import (
    KeyframeSampler,
    VideoInfo,
    decode_frames,
    frame_signature,
    probe_video,
    sha256_file,
)
from vigil.models import ModelRegistry
from vigil.models.describer import FrameDescription, described
from vigil.models.detector import HELD_CHECK_S, Region, exposure_undone
from vigil.models.scene import camera_scene_words
from vigil.models.seeing import PERSON_MIN_SCORE, agree_with_tracks
from vigil.phrasing import track_text
from vigil.settings import Settings
from vigil.store import IMAGE_SPACE, TEXT_SPACE, NewKeyframe, NewTrack, Revision, Store
from vigil.tracking import (
    PARKED_CHECK_S,
    PARKED_NUMBER,
    RECORDING_EDGE_S,
    ParkedVehicles,
    Tracker,
    TrackIdentity,
    TrackPath,
    assign_tracks,
    came_and_went_in_place,
    ghost_of_start,
    identities_along,
    identity_on,
    split_at,
    switch_point,
    track_identity,
    track_motion,
    whole_tracks,
)

ANALYSIS_WIDTH = 320
PARKABLE = frozenset({"car", "bus", "truck", "motorcycle"})  # what may stand parked in view
SCENE_FRAMES = 5  # keyframes without people a camera's scene words are read from

ProgressCallback = Callable[[int, int], None]
log = logging.getLogger(__name__)


def keyframe_id(video_id: int, sha256: str, frame_index: int) -> str:
    """Stable keyframe id, unique per video: the same frame of the same video always gets
    the same id, and the same file stored for two cameras (two videos) gets two."""
    return f"{sha256[:16]}-{video_id}-{frame_index:07d}"


@dataclass
class IngestResult:
    """What one ingest did, for the CLI summary and the benchmark."""

    path: Path
    camera: str
    video_id: int
    video_seconds: float
    keyframes_added: int = 0
    keyframes_skipped: int = 0
    already_ingested: bool = False
    frames_decoded: int = 0
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))


@dataclass
class _Pending:
    id: str
    index: int
    offset_s: float
    image: np.ndarray
    regions: list[Region]
    reason: str  # first | change | interval | still
    tracks: list[int] = field(default_factory=list)  # the track of each region
    headings: list[str | None] = field(default_factory=list)  # where each region is going
    exposure: np.ndarray | None = None  # the camera's own exposure shift (`MotionDetector`)
    parked: list[tuple[int, Detection]] = field(default_factory=list)  # (track, vehicle)


@dataclass
class _Analysed:
    """A batch described and image-embedded, waiting for its caption vectors and store."""

    batch: list[_Pending]
    descriptions: list[FrameDescription]
    captions: list[str]
    image_vectors: np.ndarray


class _Writer:
    """Embeds captions and stores analysed batches on one background thread, in order, so
    that the next batch is decoded and described meanwhile: the caption embedder takes one
    core, decoding and description the other. At most ``depth`` batches wait (memory stays
    bounded on long videos); a failure is raised by the next ``submit`` or by ``finish``."""

    def __init__(
        self, write: Callable[[_Analysed], None], setup: Callable[[], None], depth: int = 2
    ) -> None:
        self._write = write
        self._depth = depth
        self._pool = ThreadPoolExecutor(1, "ingest-writer", initializer=setup)
        self._waiting: deque[Future] = deque()

    def submit(self, analysed: _Analysed) -> None:
        while self._waiting and (self._waiting[0].done() or len(self._waiting) >= self._depth):
            self._waiting.popleft().result()
        self._waiting.append(self._pool.submit(self._write, analysed))

    def finish(self) -> None:
        """Wait until every batch is stored; raise the first failure."""
        try:
            while self._waiting:
                self._waiting.popleft().result()
        finally:
            self._pool.shutdown()

    def abandon(self) -> None:
        """After an interruption: store what was already analysed, log (not raise) its
        failures, so the error that interrupted is the one reported."""
        for future in self._waiting:
            if exc := future.exception():
                log.error("storing an analysed batch failed after an interruption: %r", exc)
        self._waiting.clear()
        self._pool.shutdown()


class CaptionVectors:
    """The caption vectors of one ingest by sentence: a sentence is embedded once, however
    many keyframes say it (a person standing at a desk for a minute is one sentence, and so
    is a keyframe captioned again with its track's description). Thread-safe."""

    def __init__(self, embedder) -> None:
        self.embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def embed(self, captions: list[str]) -> np.ndarray:
        """One vector per caption, in order."""
        with self._lock:
            new = [c for c in dict.fromkeys(captions) if c not in self._vectors]
        if new:
            vectors = self.embedder.embed_passages(new)
            with self._lock:
                self._vectors.update(zip(new, vectors, strict=True))
        with self._lock:
            return np.stack([self._vectors[c] for c in captions])


class Ingestor:
    """Runs the ingest pipeline against one store with one model registry."""

    def __init__(self, settings: Settings, store: Store, models: ModelRegistry) -> None:
        self.settings = settings
        self.store = store
        self.models = models

    # -- public -------------------------------------------------------------------------
    def ingest(
        self,
        path: Path,
        camera: str,
        start: datetime | None = None,
        progress: ProgressCallback | None = None,
    ) -> IngestResult:
        """Ingest one video file for ``camera`` (UTC ``start``, default: file time)."""
        t0 = time.perf_counter()
        validate_camera_name(camera)
        info = probe_video(path)  # raises before anything is written
        start_utc = start or datetime.fromtimestamp(path.stat().st_mtime, UTC)
        video, job_id, done_ids = self._open_video(info, camera, start_utc)
        result = IngestResult(
            path=path, camera=camera, video_id=video.id, video_seconds=info.duration_s
        )
        if video.status == "complete":
            result.already_ingested = True
            result.seconds = time.perf_counter() - t0
            return result
        try:
            self._run(info, video, done_ids, result, progress)
        except CorruptVideoError as exc:
            self.store.delete_video(video.id)
            raise CorruptVideoError(f"{exc}; nothing from this file was kept") from exc
        except Exception as exc:  # a bug or a failing store: one clear error, a logged trace
            log.exception("ingest of %s for camera %s failed", path, camera)
            self._finish_job(job_id, "failed", result, error=repr(exc))
            kept = self.store.drop_video_if_empty(video.id)
            raise IngestFailedError(
                f"{display_name(path)}: ingest failed ({type(exc).__name__}: "
                f"{str(exc).splitlines()[0][:200] if str(exc) else 'no message'}); "
                + (
                    f"{kept} keyframes stored before the failure are kept: run the same command "
                    "again to resume"
                    if kept
                    else "nothing from this file was kept"
                )
            ) from exc
        except BaseException as exc:  # interrupted: keep what is stored, resume next time
            self._finish_job(job_id, "interrupted", result, error=repr(exc))
            raise
        self._complete(video.id, job_id, result)
        result.seconds = time.perf_counter() - t0
        return result

    def ingest_still(self, path: Path, camera: str, start: datetime | None = None) -> IngestResult:
        """Ingest one still image (a snapshot) as a single keyframe."""
        t0 = time.perf_counter()
        validate_camera_name(camera)
        image = cv2.imread(str(path)) if path.is_file() else None
        if image is None:
            raise InvalidInputError(f"{path}: not a readable image file")
        h, w = image.shape[:2]
        info = VideoInfo(
            path=path,
            sha256=sha256_file(path),
            size_bytes=path.stat().st_size,
            width=w,
            height=h,
            fps=1.0,
            duration_s=0.0,
            frame_count=1,
            codec="image",
        )
        start_utc = start or datetime.fromtimestamp(path.stat().st_mtime, UTC)
        video, job_id, _ = self._open_video(info, camera, start_utc)
        result = IngestResult(path=path, camera=camera, video_id=video.id, video_seconds=0.0)
        if video.status == "complete":
            result.already_ingested = True
        else:
            kid = keyframe_id(video.id, info.sha256, 0)
            self._analyse_and_store(video, [_Pending(kid, 0, 0.0, image, [], "still")], result)
            self._describe_scene(video, still=True)
            self._complete(video.id, job_id, result)
        result.seconds = time.perf_counter() - t0
        return result

    # -- steps --------------------------------------------------------------------------
    def _open_video(
        self, info: VideoInfo, camera: str, start_utc: datetime
    ) -> tuple[VideoRecord, int | None, set[str]]:
        return self.store.videos.open(
            camera, self.settings.timezone, info, start_utc, self.models.versions()
        )

    def _run(
        self,
        info: VideoInfo,
        video: VideoRecord,
        done_ids: set[str],
        result: IngestResult,
        progress: ProgressCallback | None,
    ) -> None:
        tracker, parked = Tracker(), ParkedVehicles()
        stages = result.stage_seconds
        vectors = CaptionVectors(self.models.text_embedder)
        writer = _Writer(
            lambda analysed: self._embed_and_store(video, analysed, result, vectors),
            lambda: self.models.text_embedder.limit_threads_here(1),
        )
        try:
            self._decode_and_analyse(
                info, video, done_ids, result, progress, writer, tracker, parked
            )
        except BaseException:
            writer.abandon()
            raise
        writer.finish()
        tick = time.perf_counter()
        paths, joined = whole_tracks(tracker.finish(), info.width, info.height)
        paths = [*paths, *parked.finish()]  # apart: no one walking past is a piece of a car
        self._store_tracks(video, info, paths, joined, vectors)
        stages["store tracks"] += time.perf_counter() - tick
        tick = time.perf_counter()
        self._describe_scene(video)
        stages["scene words"] += time.perf_counter() - tick
        if progress:
            progress(result.frames_decoded, result.frames_decoded)

    def _decode_and_analyse(
        self,
        info: VideoInfo,
        video: VideoRecord,
        done_ids: set[str],
        result: IngestResult,
        progress: ProgressCallback | None,
        writer: _Writer,
        tracker: Tracker,
        parked: ParkedVehicles,
    ) -> None:
        """Decode, follow motion and tracks and parked vehicles, pick keyframes, and hand
        each analysed batch to ``writer``."""
        cfg = self.settings
        sampler = KeyframeSampler(
            cfg.min_keyframe_interval_s, cfg.max_keyframe_interval_s, cfg.scene_change_threshold
        )
        stride = max(1, round(info.fps / cfg.analysis_fps))  # every frame is decoded anyway
        detector = self.models.new_detector(info.fps / stride)
        held_check = stride * max(1, round(info.fps / stride * HELD_CHECK_S))
        parked_check = stride * max(1, round(info.fps / stride * PARKED_CHECK_S))
        told: dict[int, Detection] = {}  # each parked vehicle, described once
        votes: dict[int, list[dict]] = {}
        stages = result.stage_seconds
        pending: list[_Pending] = []
        tick = time.perf_counter()
        for frame in decode_frames(info.path, info.fps, info.duration_s):
            result.frames_decoded += 1
            if frame.index % stride:
                continue
            small = frame.small_bgr(ANALYSIS_WIDTH)
            detector.observe(small)
            first = frame.index < stride
            held = detector.holding and frame.index % held_check == 0
            looks = first or held or frame.index % parked_check == 0
            found = self.models.objects.detect(frame.bgr()) if looks else None
            people = [
                f.box for f in found or () if f.name == "person" and f.score >= PERSON_MIN_SCORE
            ]
            if first:  # whoever stands still from the start, motion misses
                detector.hold(people, info.width)
            elif held:  # still there?
                detector.still_seen(people)
            t = time.perf_counter()
            regions = detector.regions(info.width)
            numbers = tracker.update(frame.index, frame.offset_s, [r.box for r in regions])
            if found is not None:
                vehicles = [f.box for f in found if f.name in PARKABLE]
                moving = [r.box for r in regions]
                for number, box in parked.look(frame.index, frame.offset_s, vehicles, moving):
                    told[number] = self.models.describer.describe_parked(frame.bgr(), box)
            stages["track"] += time.perf_counter() - t
            reason = sampler.consider(frame.offset_s, frame_signature(small))
            if reason:
                kid = keyframe_id(video.id, info.sha256, frame.index)
                standing = [(n, told[n]) for n, _ in parked.now(frame.index, frame.offset_s)]
                if kid in done_ids:
                    result.keyframes_skipped += 1
                else:
                    headings = [tracker.heading(n) for n in numbers]
                    pending.append(
                        _Pending(
                            kid,
                            frame.index,
                            frame.offset_s,
                            frame.bgr(),
                            regions,
                            reason,
                            numbers,
                            headings,
                            detector.exposure,
                            standing,
                        )
                    )
            if progress and frame.index % (10 * stride) == 0:
                progress(frame.index + 1, info.frame_count)
            if len(pending) >= cfg.batch_size:
                stages["decode+sample"] += time.perf_counter() - tick
                self._analyse_and_store(video, pending, result, votes, writer)
                pending = []
                tick = time.perf_counter()
        stages["decode+sample"] += time.perf_counter() - tick
        if pending:
            self._analyse_and_store(video, pending, result, votes, writer)
        stages["decode+sample"] -= stages["track"]  # timed inside the decoding loop

    def _analyse_and_store(
        self,
        video: VideoRecord,
        batch: list[_Pending],
        result: IngestResult,
        votes: dict[int, list[dict]] | None = None,
        writer: _Writer | None = None,
    ) -> None:
        """Describe and image-embed one batch of keyframes, then have ``writer`` (else this
        thread) embed its captions and store it. ``votes`` gathers the video's detections
        per track: each keyframe is captioned with its tracks' classes as voted so far, so
        few need captioning again when the tracks are finished."""
        stages = result.stage_seconds
        t = time.perf_counter()
        describer = self.models.describer
        descriptions = [
            describer.describe_still(p.image)
            if p.reason == "still"
            else _on_tracks(
                describer.describe(
                    exposure_undone(p.image, p.exposure),
                    p.regions,
                    p.headings,
                    [vehicle for _, vehicle in p.parked],
                ),
                p,
            )
            for p in batch
        ]
        if votes is not None:
            descriptions = [
                _agree_so_far(d, p, votes) for d, p in zip(descriptions, batch, strict=True)
            ]
        stages["detect+describe"] += time.perf_counter() - t
        captions = [d.caption for d in descriptions]
        if self.models.vlm is not None:
            t = time.perf_counter()
            vlm_captions = self.models.vlm.caption([p.image for p in batch])
            captions = [
                f"{v}. {c}" if v else c for v, c in zip(vlm_captions, captions, strict=True)
            ]
            stages["caption (VLM)"] += time.perf_counter() - t
        t = time.perf_counter()
        image_vectors = self.models.image_embedder.embed_images([p.image for p in batch])
        stages["embed image"] += time.perf_counter() - t
        analysed = _Analysed(batch, descriptions, captions, image_vectors)
        if writer is None:
            vectors = CaptionVectors(self.models.text_embedder)
            self._embed_and_store(video, analysed, result, vectors)
        else:
            writer.submit(analysed)

    def _embed_and_store(
        self,
        video: VideoRecord,
        analysed: _Analysed,
        result: IngestResult,
        vectors: CaptionVectors,
    ) -> None:
        """Embed an analysed batch's captions and store it (on the writer's thread)."""
        stages = result.stage_seconds
        t = time.perf_counter()
        text_vectors = vectors.embed(analysed.captions)
        stages["embed text"] += time.perf_counter() - t
        t = time.perf_counter()
        self._store_batch(
            video,
            analysed.batch,
            analysed.descriptions,
            analysed.captions,
            analysed.image_vectors,
            text_vectors,
        )
        stages["store"] += time.perf_counter() - t
        result.keyframes_added += len(analysed.batch)

    def _store_batch(
        self,
        video: VideoRecord,
        batch: list[_Pending],
        descriptions: list,
        captions: list[str],
        image_vectors: np.ndarray,
        text_vectors: np.ndarray,
    ) -> None:
        """Store one analysed batch, whole or not at all (`Store.add_keyframes`)."""
        keyframes = [
            NewKeyframe(
                id=p.id,
                frame_index=p.index,
                offset_s=p.offset_s,
                utc=video.start_utc + timedelta(seconds=p.offset_s),
                reason=p.reason,
                thumbnail="",
                caption=c,
                detections=list(d.detections),
                labels=d.labels,
            )
            for p, c, d in zip(batch, captions, descriptions, strict=True)
        ]
        self.store.add_keyframes(
            video,
            keyframes,
            [p.image for p in batch],
            {
                (TEXT_SPACE, self.models.text_embedder.name): text_vectors,
                (IMAGE_SPACE, self.models.image_embedder.name): image_vectors,
            },
        )

    def _store_tracks(
        self,
        video: VideoRecord,
        info: VideoInfo,
        paths: list[TrackPath],
        joined: dict[int, int],
        vectors: CaptionVectors,
    ) -> None:
        """Store the video's finished tracks, each named by the keyframes that show it
        (those of an earlier, interrupted run too: they carry the same track numbers; a
        track ``joined`` into another is shown under that one's number)."""
        self.store.keyframes.renumber_tracks(video.id, joined)
        stored = self.store.keyframes.detections_of_video(video.id)
        paths, stored = self._split_switched(video, info, paths, stored)
        shown = _by_track(stored)
        tracks = []
        identities: dict[int, TrackIdentity] = {}
        # where people stood as it began (a parked vehicle leaves no spot behind: someone
        # at it is someone)
        starts = [
            path.points[0].box
            for path in paths
            if path.first_s < RECORDING_EDGE_S and path.number < PARKED_NUMBER
        ]
        for path in paths:
            seen = shown.get(path.number, [])
            identity = track_identity([d for _, d in seen], (info.width, info.height))
            motion = track_motion(path, info.width, info.height)
            if path.number >= PARKED_NUMBER:  # it stood there: it came in at no edge
                motion = replace(motion, entry_side="inside", exit_side="inside")
            elif came_and_went_in_place(path, motion, info.duration_s) or ghost_of_start(
                path, motion, starts
            ):
                identity = TrackIdentity("object", None, {})  # something changed there
            identities[path.number] = identity
            tracks.append(
                NewTrack(
                    number=path.number,
                    cls=identity.cls,
                    label=identity.label,
                    first_utc=video.start_utc + timedelta(seconds=path.first_s),
                    last_utc=video.start_utc + timedelta(seconds=path.last_s),
                    first_offset_s=round(path.first_s, 2),
                    last_offset_s=round(path.last_s, 2),
                    still_s=motion.still_s,
                    entry_side=motion.entry_side,
                    exit_side=motion.exit_side,
                    direction=motion.direction,
                    attributes=identity.attributes,
                    still_spans=[list(span) for span in motion.still_spans],
                    path=[list(point) for point in motion.path],
                    keyframe_ids=sorted({kid for kid, _ in seen}),
                )
            )
        self.store.replace_tracks(video, tracks)
        self._agree_with_tracks(video, info, stored, identities, vectors)
        named = [(video.id, t.number) for t in tracks if t.cls in ("person", "vehicle")]
        records = list(self.store.tracks.by_keys(named).values())
        if records:
            texts = [track_text(t) for t in records]
            embedded = vectors.embed(texts)
            self.store.index_tracks(video, records, vectors.embedder.name, embedded, texts)

    def _split_switched(
        self,
        video: VideoRecord,
        info: VideoInfo,
        paths: list[TrackPath],
        stored: list[tuple[str, list[Detection]]],
    ) -> tuple[list[TrackPath], list[tuple[str, list[Detection]]]]:
        """Each track on which the tracker went from one person to another, two people
        crossing in a crowd (`switch_point`: the top's colour turns for good), in two: one
        person per track. Returns the paths in order of appearance and the keyframes'
        detections as now numbered."""
        frame = (info.width, info.height)
        shown = _by_track(stored)
        # above every number a keyframe carries too (a track too short to keep has one)
        numbers = [*(p.number for p in paths), *shown]
        next_number = max((n for n in numbers if n < PARKED_NUMBER), default=0) + 1
        result = []
        for path in paths:
            seen = shown.get(path.number, [])
            at = None if path.number >= PARKED_NUMBER else switch_point([d for _, d in seen], frame)
            keyframe = None if at is None else self.store.keyframes.get(seen[at][0])
            if keyframe is None:
                result.append(path)
                continue
            before, after = split_at(path, keyframe.frame_index, next_number)
            if not before.points or not after.points:
                result.append(path)
                continue
            log.info("track %d split in two at frame %d", path.number, keyframe.frame_index)
            self.store.keyframes.renumber_track_from(
                video.id, path.number, next_number, keyframe.frame_index
            )
            result += [before, after]
            next_number += 1
        if len(result) == len(paths):
            return paths, stored
        ordered = sorted(result, key=lambda t: (t.first_s, t.number))
        return ordered, self.store.keyframes.detections_of_video(video.id)

    def _agree_with_tracks(
        self,
        video: VideoRecord,
        info: VideoInfo,
        stored: list[tuple[str, list[Detection]]],
        identities: dict[int, TrackIdentity],
        vectors: CaptionVectors,
    ) -> None:
        """Caption again the keyframes whose detections are told otherwise than their
        finished tracks' descriptions near them (`identities_along`, `agree_with_tracks`); a
        sentence already embedded in this ingest is not embedded twice. A VLM's captions
        are left as they are."""
        if self.models.vlm is not None:
            return
        revisions = []
        on_track: dict[int, list[Detection]] = defaultdict(list)  # in frame order
        place: dict[tuple[str, int], int] = {}
        for kid, detections in stored:
            for d in detections:
                if d.track in identities:
                    place[(kid, d.track)] = len(on_track[d.track])
                    on_track[d.track].append(d)
        frame = (info.width, info.height)
        along = {n: identities_along(seen, frame) for n, seen in on_track.items()}
        for kid, detections in stored:
            near = {
                n: along[n][place[(kid, n)]]
                for n in {d.track for d in detections if d.track in identities}
            }
            agreed = agree_with_tracks(detections, near)
            if agreed is not None:
                again = described(agreed, info.width, info.height)
                revisions.append(Revision(kid, again.caption, agreed, again.labels))
        log.info("%d keyframes captioned again with their tracks' descriptions", len(revisions))
        if revisions:
            embedded = vectors.embed([r.caption for r in revisions])
            self.store.revise_keyframes(video, revisions, vectors.embedder.name, embedded)

    def _describe_scene(self, video: VideoRecord, still: bool = False) -> None:
        """What the camera looks at (`vigil.models.scene`), from the thumbnails of a few
        keyframes without people or vehicles spread over the video (a still: itself)."""
        stored = self.store.keyframes.detections_of_video(video.id)
        empty = [kid for kid, dets in stored if still or not any(d.cls != "object" for d in dets)]
        picked = empty[:: max(1, len(empty) // SCENE_FRAMES)][:SCENE_FRAMES]
        names = [k.thumbnail for k in self.store.keyframes.get_many(picked).values()]
        images = [cv2.imread(str(self.store.thumbnails.path_of(n))) for n in names if n]
        images = [i for i in images if i is not None]
        if images:
            words = camera_scene_words(images, self.models.labeler)
            self.store.videos.set_scene_words(video.id, words)

    def _complete(self, video_id: int, job_id: int, result: IngestResult) -> None:
        """Mark a video fully ingested and its job done."""
        self.store.videos.complete(video_id)
        self._finish_job(job_id, "done", result)

    def _finish_job(
        self, job_id: int | None, status: str, result: IngestResult, error: str | None = None
    ) -> None:
        if job_id is not None:
            self.store.videos.finish_job(
                job_id, status, result.keyframes_added, result.keyframes_skipped, error
            )


def _by_track(stored: list[tuple[str, list[Detection]]]) -> dict[int, list[tuple[str, Detection]]]:
    """The keyframes' detections on each track, (keyframe id, detection) in frame order."""
    shown: dict[int, list[tuple[str, Detection]]] = defaultdict(list)
    for kid, detections in stored:
        for d in detections:
            if d.track is not None:
                shown[d.track].append((kid, d))
    return shown


def _agree_so_far(
    description: FrameDescription, pending: _Pending, votes: dict[int, list[Detection]]
) -> FrameDescription:
    """Add the keyframe's detections to their tracks' votes; caption it with its tracks'
    descriptions as voted so far (`agree_with_tracks`)."""
    for d in description.detections:
        if d.track is not None:
            votes.setdefault(d.track, []).append(d)
    identities: dict[int, TrackIdentity] = {}
    height, width = pending.image.shape[:2]
    for n in {d.track for d in description.detections if d.track is not None}:
        identities[n] = identity_on(votes[n], len(votes[n]) - 1, (width, height))
    agreed = agree_with_tracks(description.detections, identities)
    if agreed is None:
        return description
    return described(agreed, width, height)


def _on_tracks(description: FrameDescription, pending: _Pending) -> FrameDescription:
    """The keyframe's detections, each with the track of the motion box it lies on (a
    parked vehicle's, of the box it was found in)."""
    boxes = [r.box for r in pending.regions] + [vehicle.box for _, vehicle in pending.parked]
    numbers = pending.tracks + [number for number, _ in pending.parked]
    return replace(
        description,
        detections=[
            replace(d, track=assign_tracks(boxes, numbers, d.box)) for d in description.detections
        ],
    )
