"""The agent's tools over recorded video: plain typed methods whose docstrings the model sees.

Each returns pydantic data that names the frames it rests on, so an answer built on a tool's
output can cite them. `tools.binding` wraps these methods for LangChain.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import cv2
from pydantic import BaseModel

from vigil.domain import Box, Detection, FrameEvidence, TrackRecord
from vigil.errors import InvalidInputError, NotFoundError
from vigil.models import ModelRegistry
from vigil.models.vision import COCO_CLASSES
from vigil.phrasing import plural, position_words
from vigil.policies.checks import busiest, empty_spells
from vigil.prompts import render_prompt
from vigil.search.service import SearchService
from vigil.settings import Settings
from vigil.store import Store
from vigil.summary import shift_summary
from vigil.vocabulary import (
    HEADING_WORDS,
    VEHICLE_STOPPED_S,
    Looks,
    looks_asked,
    looks_fit,
    looks_words,
    parked,
    track_fits,
    track_postures,
)

TIMELINE_LIMIT = 40
SHIFT_FRAMES = 16  # frames a span's summary gives: the first of each line, alarms first
MODEL_MOMENTS = 10  # most moments the model may ask one search for (a search gives up to 100)
NEAR_SPELL_S = 1.5  # a spell no keyframe lies in is shown by one this near it
TRACKS_LISTED = 8  # tracks spelled out to the model; the count covers them all
EMPTY_SHORTEST_S = 2.0  # a camera's view without anyone for less is a blink, not empty
LOOKS_CANDIDATES = 4  # moments read per one shown, where the search says how things look
COUNT_SCAN_LIMIT = 5000  # keyframes read to count objects that are not tracked
# what a count or a track list may ask for: tracked kinds by their everyday names
TRACKED_KINDS = {
    **dict.fromkeys(("person", "people", "persons", "pedestrian", "pedestrians"), "person"),
    **dict.fromkeys(
        ("vehicle", "vehicles", "car", "cars", "van", "vans", "truck", "trucks"), "vehicle"
    ),
}


class FrameAnswerResult(BaseModel):
    frame: FrameEvidence
    question: str | None
    answer: str
    model: str
    cached: bool


class SummaryResult(BaseModel):
    text: str
    frames: list[FrameEvidence]


COLOUR_PARTS = {"upper": "top", "lower": "trousers", "body": ""}


class TrackSummary(BaseModel):
    """One tracked person or vehicle as an operator reads it (site time zone)."""

    number: int
    camera: str
    kind: str
    start: datetime
    end: datetime
    seconds: float
    still_seconds: float
    still: list[tuple[datetime, datetime]]
    entry: str
    exit: str
    direction: str
    attributes: dict
    frame: FrameEvidence | None
    place: str = ""  # where in the picture it was first seen ("at the top left of the frame")

    @property
    def stood_parked(self) -> bool:
        """Whether it stood parked all the time it was seen (`vigil.vocabulary.parked`)."""
        return parked(self.kind, self.entry, self.exit, self.still_seconds, self.seconds)

    @property
    def drove_on(self) -> bool:
        """Whether a vehicle drove and left the picture at an edge without stopping (one in
        a crash stops)."""
        return (
            self.kind == "vehicle"
            and not self.stood_parked
            and self.exit != "inside"
            and self.still_seconds < VEHICLE_STOPPED_S
        )


class CountResult(BaseModel):
    what: str
    count: int
    text: str
    frames: list[FrameEvidence]
    tracks: list[TrackSummary] = []


class EmptySpell(BaseModel):
    """A span of recorded time on one camera with none of a kind in view (site zone)."""

    camera: str
    start: datetime
    end: datetime
    seconds: float
    after: int  # how many had come (and all gone) before it; 0: from the start
    frame: FrameEvidence | None


class EmptyResult(BaseModel):
    count: int
    text: str
    frames: list[FrameEvidence]
    spells: list[EmptySpell] = []


def most_at_once(tracks: list[TrackRecord]) -> tuple[list[TrackRecord], datetime | None]:
    """The tracks in view together when the most were, on one camera (two cameras' are
    never in one view), and that moment (pure)."""
    most: list[TrackRecord] = []
    moment = None
    for name in sorted({t.camera for t in tracks}):
        mine = [t for t in tracks if t.camera == name]
        there, when = busiest([(t.first_utc, t.last_utc) for t in mine])
        if len(there) > len(most):
            most, moment = [mine[i] for i in there], when
    return most, moment


class VideoTools:
    """Search, look at and summarise stored frames; shared by the agent and the API."""

    def __init__(
        self, settings: Settings, store: Store, models: ModelRegistry, search: SearchService
    ) -> None:
        self.settings = settings
        self.store = store
        self.models = models
        self._search = search

    # -- tools the model may call --------------------------------------------------------
    def search_video(
        self,
        query: str,
        camera: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        k: int = 5,
        upper: str | None = None,
        lower: str | None = None,
        colour: str | None = None,
        posture: str | None = None,
        vehicle_type: str | None = None,
    ) -> list[FrameEvidence]:
        """Find moments in recorded video that match a description (any language).

        query: what to look for, e.g. "a person in a black coat"; camera: one camera name or
        null for all; start/end: ISO-8601 bounds or null; k: how many moments (1-10);
        upper/lower/colour/posture/vehicle_type: as for get_tracks, moments whose frame
        shows it first. Returns the best frame of each moment, best first.
        """
        k = max(1, min(k, MODEL_MOMENTS))
        looks = looks_asked(upper, lower, colour, posture, vehicle_type)
        result = self._search.search(
            query=query,
            cameras=[camera] if camera else None,
            start=start,
            end=end,
            k=k * LOOKS_CANDIDATES if looks.said else k,
        )
        moments = result.moments
        if looks.said:  # a stable sort: shows it, cannot tell, shows otherwise
            seen = self.seen_in([m.best_keyframe for m in moments])
            order = {True: 0, None: 1, False: 2}

            def fits(m) -> int:
                found = [looks_fit(looks, d, p) for d, p in seen.get(m.best_keyframe, [])]
                return min((order[f] for f in found), default=1)

            moments = sorted(moments, key=fits)[:k]
        return [
            self._evidence(m.best_keyframe, m.camera, m.best_time, m.caption, m.thumbnail, m.score)
            for m in moments
        ]

    def describe_frame(self, frame_id: str, question: str | None = None) -> FrameAnswerResult:
        """Describe one stored frame, or answer a question about what it shows.

        frame_id: a frame id from an earlier tool result; question: null for a description.
        Uses the VLM where one is configured; otherwise the packaged describer's caption.
        """
        frame = self.frame(frame_id)
        vlm = self.models.vlm
        model = vlm.name if vlm is not None else self.models.describer.info().name
        key = (question or "").strip()
        cached = self.store.keyframes.cached_answer(frame_id, key, model)
        if cached is not None:
            return FrameAnswerResult(
                frame=frame, question=question, answer=cached, model=model, cached=True
            )
        if vlm is None:
            answer = frame.caption
            if key:
                answer = (
                    "No VLM is configured, so this frame can only be described, not questioned: "
                    + frame.caption
                )
        else:
            image = cv2.imread(str(self.store.thumbnails.path_of(frame.thumbnail)))
            if image is None:
                raise InvalidInputError(f"the thumbnail of frame {frame_id} cannot be read")
            answer = (
                vlm.ask(image, render_prompt("frame_question.j2", question=key).text)
                if key
                else vlm.caption([image])[0]
            )
        self.store.keyframes.cache_answer(frame_id, key, model, answer)
        return FrameAnswerResult(
            frame=frame, question=question, answer=answer, model=model, cached=False
        )

    def rerank(self, query: str, frame_ids: list[str]) -> list[FrameEvidence]:
        """Re-score candidate frames against a description with the cross-encoder.

        query: the description (English reads best); frame_ids: frames from earlier results.
        Returns the frames best first, each with its new score.
        """
        frames = [self.frame(fid) for fid in frame_ids]
        if not frames:
            return []
        scores = self.models.reranker.score(query, [f.caption for f in frames])
        ranked = sorted(zip(frames, scores, strict=True), key=lambda pair: -pair[1])
        return [f.model_copy(update={"score": round(float(s), 4)}) for f, s in ranked]

    def get_timeline(
        self, camera: str, start: datetime | None = None, end: datetime | None = None
    ) -> list[FrameEvidence]:
        """The keyframes of one camera in a time window, in time order (at most 40).

        camera: the camera name; start/end: ISO-8601 bounds or null.
        """
        return [
            self._evidence(k.id, k.camera, k.utc, k.caption, k.thumbnail)
            for k in self.store.keyframes.list(camera, start, end, limit=TIMELINE_LIMIT)
        ]

    def summarise_shift(
        self, start: datetime, end: datetime, camera: str | None = None
    ) -> SummaryResult:
        """What happened from start to end (ISO-8601), per camera (one camera, or null for
        all): alarms with verdicts and reviews, people and vehicles by hour, the longest
        stays and every vehicle; each line with the frame it rests on. For "what happened
        last night?"."""
        if end <= start:
            raise InvalidInputError("the end of the span is not after its start")
        cameras = [camera] if camera else None
        summary = shift_summary(self.settings, self.store, start, end, "en", cameras)
        ranked = [line.frames[0] for _, line in summary.ranked() if line.frames]
        cited = list(dict.fromkeys(ranked))[:SHIFT_FRAMES]  # alarms first, over all cameras
        lines = []
        for shift in summary.cameras:
            said = shift.lines()
            lines.append(f"{shift.camera}: {'nothing recorded' if not said else ''}".rstrip())
            for line in said:
                frame = line.frames[0] if line.frames else None
                lines.append(f"- {line.text}" + (f" {frame}" if frame in cited else ""))
        stored = self.store.keyframes.get_many(cited)
        frames = [
            self._evidence(k.id, k.camera, k.utc, k.caption, k.thumbnail)
            for k in (stored[f] for f in cited if f in stored)
        ]
        head = f"the span {self._window(start, end)}"
        return SummaryResult(
            text="\n".join([head, *lines]) if lines else head + ": no video", frames=frames
        )

    def draft_summary(self, frame_ids: list[str], title: str = "Incident") -> SummaryResult:
        """A short incident summary of the cited frames, in time order, each line citing one.

        frame_ids: the frames the summary rests on; title: a few words naming the incident.
        """
        frames = sorted((self.frame(fid) for fid in dict.fromkeys(frame_ids)), key=lambda f: f.time)
        if not frames:
            raise InvalidInputError("a summary needs at least one cited frame")
        text = render_prompt("incident_summary.j2", title=title, frames=frames).text
        return SummaryResult(text=text, frames=frames)

    def count_objects(
        self,
        what: str,
        camera: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> CountResult:
        """Count people or vehicles that passed (each tracked once), or the most of an
        object (e.g. "chair") seen at one moment.

        what: "people", "vehicles" or an object name; camera: one camera or null for all;
        start/end: ISO-8601 bounds or null. Returns the number, and a frame per track.
        """
        kind = self._kind(what)
        if kind in ("person", "vehicle"):
            tracks = self.get_tracks(kind, camera, start, end, passing=True)
            n = len(tracks.tracks)  # its header, as a count: "4 vehicles in view from ..."
            head = tracks.text.splitlines()[0].replace(
                " tracked ", f" {kind if n == 1 else plural(kind)} in view ", 1
            )
            text = "\n".join([head + (":" if n else "."), *tracks.text.splitlines()[1:]])
            return CountResult(
                what=kind, count=n, text=text, frames=tracks.frames, tracks=tracks.tracks
            )
        best, most = None, 0
        frames = self.store.keyframes.list(camera, start, end, limit=COUNT_SCAN_LIMIT)
        for k in frames:
            n = sum(d.label == kind for d in k.detections)
            if n > most:
                best, most = k, n
        if best is None:
            text = f"no {kind} seen in {len(frames)} stored frames {self._window(start, end)}."
            return CountResult(what=kind, count=0, text=text, frames=[])
        frame = self._evidence(best.id, best.camera, best.utc, best.caption, best.thumbnail)
        text = (
            f"at most {most} {kind if most == 1 else plural(kind)} at one moment "
            f"{self._window(start, end)}: {frame.time:%H:%M:%S} on {best.camera} {best.id}"
        )
        return CountResult(what=kind, count=most, text=text, frames=[frame])

    def get_tracks(
        self,
        what: str | None = None,
        camera: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        still_first: bool = False,
        nth: int | None = None,
        upper: str | None = None,
        lower: str | None = None,
        colour: str | None = None,
        posture: str | None = None,
        vehicle_type: str | None = None,
        at_once: bool = False,
        heading: str | None = None,
        moment: str | None = None,
        passing: bool = False,
    ) -> CountResult:
        """The people or vehicles tracked through view: when each came and left, by which
        side, how long it stood still, how it looked (one description per track).

        what: "people", "vehicles" or null for both; camera: one camera or null for all;
        start/end: ISO-8601 bounds or null; still_first: true to lead each line with how
        long it stood still (for "how long did ... stand or wait"); nth: only the nth in
        order of appearance (1 the first, -1 the last), counted among those that fit;
        upper/lower: colour of a person's top or trousers, colour: of a vehicle or of any
        of a person's clothes, posture: sitting, standing, lying, bending, vehicle_type:
        truck, bus, van, motorbike: only tracks so seen; at_once: only those in view at
        the moment the most were (on one camera), for "at most how many at the same time";
        heading: "top to bottom", "bottom to top", "left to right" or "right to left": only
        those that crossed the picture that way; moment: "came" or "left": each track's frame
        from when it came into view or left it (else from the middle of its stay); passing:
        true to leave out vehicles that stood parked all the time they were seen. Returns
        one line and one frame per track.
        """
        if moment not in (None, "came", "left"):
            raise InvalidInputError(f'moment must be "came" or "left", not {moment!r}')
        kind = self._kind(what) if what else None
        if kind not in (None, "person", "vehicle"):
            raise InvalidInputError(f"only people and vehicles are tracked, not {what!r}")
        records = [
            r
            for r in self.store.tracks.list(
                [camera] if camera else None, start, end, cls=kind, limit=10_000
            )
            if r.cls in ("person", "vehicle")
        ]
        stood = [
            r
            for r in records
            if passing and parked(r.cls, r.entry_side, r.exit_side, r.still_s, r.seconds)
        ]
        records = [r for r in records if r not in stood]
        if heading is not None:
            if heading not in HEADING_WORDS:
                raise InvalidInputError(
                    f"heading must be one of {', '.join(HEADING_WORDS)}, not {heading!r}"
                )
            records = [r for r in records if r.direction == heading]
        looks = looks_asked(upper, lower, colour, posture, vehicle_type, kind == "vehicle")
        near: list[TrackRecord] = []  # of a colour light turns the one said into
        if looks.said:
            records = [r for r in records if _fits(looks, r)]
            exact = [r for r in records if _fits(looks, r, exact=True)]
            if exact:  # "how many white cars?": not the silver one read grey
                near = [r for r in records if r not in exact]
                records = exact
        header = f"{len(records)} tracked {self._window(start, end)}"
        if stood:
            header += f" ({len(stood)} more stood parked all the time, not counted)"
        if heading is not None:
            header += f" that went {heading} across the picture"
        if looks.said:
            header += f" that look {looks_words(looks)}"
        if near:
            seen = sorted({c for r in near for c in r.attributes.get("colours", {}).values()})
            header += f" ({len(near)} more look near it, {'/'.join(seen)}: not counted)"
        if at_once:
            records, moment = most_at_once(records)
            header = f"at most {len(records)} in view at the same time {self._window(start, end)}"
            if looks.said:
                header += f" that look {looks_words(looks)}"
            if moment is not None:
                shown = max(moment, start) if start else moment
                header += f", at {shown.astimezone(self.settings.tz):%H:%M:%S}"
                header += f" on {records[0].camera}"
        first = 1
        if nth is not None:
            if nth == 0 or abs(nth) > len(records):
                raise InvalidInputError(f"there is no track number {nth}: {len(records)} tracked")
            first = nth if nth > 0 else len(records) + nth + 1
            header += f"; number {first} of them"
            records = [records[first - 1]]
        summaries = [self._track_summary(r, moment) for r in records]
        lines = [header]
        lines += [
            self._track_line(t, i, still_first)
            for i, t in enumerate(summaries[:TRACKS_LISTED], first)
        ]
        if len(summaries) > TRACKS_LISTED:
            lines.append(f"and {len(summaries) - TRACKS_LISTED} more")
        frames = [t.frame for t in summaries[:TRACKS_LISTED] if t.frame is not None]
        return CountResult(
            what=kind or "people and vehicles",
            count=len(summaries),
            text="\n".join(lines),
            frames=frames,
            tracks=summaries,
        )

    def get_empty_spells(
        self,
        what: str = "people",
        camera: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        after: int | None = None,
    ) -> EmptyResult:
        """When a camera showed none of them: the spans of recorded time with no person
        (or vehicle) in view, how long each lasted, and whose leaving began it.

        what: "people", "vehicles" or "anything" (people and moving vehicles: a parked
        one leaves a view empty); camera: one camera or null for each; start/end:
        ISO-8601 bounds or null; after: only the spell after the nth one to come left (for
        "how long was it empty between the 3rd and the 4th"), counted from the last where
        negative (-1: after the last one left; -2: "just before the last one came").
        Returns one line and one frame per spell.
        """
        kind = "anything" if what == "anything" else self._kind(what)
        if kind not in ("person", "vehicle", "anything"):
            raise InvalidInputError(f"only people and vehicles are tracked, not {what!r}")
        kinds = ("person", "vehicle") if kind == "anything" else (kind,)
        tz = self.settings.tz
        spells: list[EmptySpell] = []
        for name in [camera] if camera else self.store.videos.camera_names():
            visits = sorted(
                (t.first_utc, t.last_utc)
                for cls in kinds
                for t in self.store.tracks.list([name], start, end, cls=cls, limit=10_000)
                if not parked(t.cls, t.entry_side, t.exit_side, t.still_s, t.seconds)
            )
            recorded = self.store.videos.recorded(name, start, end)
            wanted = len(visits) + after + 1 if after is not None and after < 0 else after
            for a, b in empty_spells(recorded, visits, EMPTY_SHORTEST_S):
                came = sum(first < a for first, _ in visits)  # before this spell began
                if wanted is not None and came != wanted:
                    continue
                frames = self.store.keyframes.list(name, a, b, limit=TIMELINE_LIMIT)
                if not frames:  # a short spell between keyframes: the one nearest it
                    near = timedelta(seconds=NEAR_SPELL_S)
                    frames = self.store.keyframes.list(name, a - near, b + near)
                    middle = a + (b - a) / 2
                    frames = sorted(frames, key=lambda f: abs(f.utc - middle))[:1]
                k = frames[len(frames) // 2] if frames else None
                spells.append(
                    EmptySpell(
                        camera=name,
                        start=a.astimezone(tz),
                        end=b.astimezone(tz),
                        seconds=(b - a).total_seconds(),
                        after=came,
                        frame=k and self._evidence(k.id, k.camera, k.utc, k.caption, k.thumbnail),
                    )
                )
        none_of = "people or vehicles" if kind == "anything" else plural(kind)
        one = "track" if kind == "anything" else kind
        header = f"{len(spells)} spans with no {none_of} in view {self._window(start, end)}"
        if after is not None:
            header += (
                f" after {one} {after} left"
                if after >= 0
                else f" after the last {one} left"
                if after == -1
                else f" before the last {one} came"
            )
        lines = [header + (":" if spells else ".")]
        for i, spell in enumerate(spells[:TRACKS_LISTED], 1):
            since = f"after {one} {spell.after} left" if spell.after else "from the start"
            line = (
                f"empty {i} on {spell.camera}: {spell.start:%H:%M:%S}-{spell.end:%H:%M:%S} "
                f"({spell.seconds:.0f} s), {since}"
            )
            lines.append(line + (f"; {spell.frame.frame_id}" if spell.frame else ""))
        frames = [spell.frame for spell in spells[:TRACKS_LISTED] if spell.frame is not None]
        return EmptyResult(count=len(spells), text="\n".join(lines), frames=frames, spells=spells)

    # -- lookups ---------------------------------------------------------------------------
    def seen_in(self, frame_ids: list[str]) -> dict[str, list[tuple[Detection, tuple[str, ...]]]]:
        """Each stored frame's detections, each with the postures its track was seen in
        (what a frame that tells no posture is checked by)."""
        frames = self.store.keyframes.get_many(frame_ids)
        keys = {(k.video_id, d.track) for k in frames.values() for d in k.detections if d.track}
        tracks = self.store.tracks.by_keys(list(keys))

        def postures(video_id: int, number: int | None) -> tuple[str, ...]:
            track = tracks.get((video_id, number))
            return track_postures(track.cls, track.still_s, track.attributes) if track else ()

        return {
            fid: [(d, postures(k.video_id, d.track)) for d in k.detections]
            for fid, k in frames.items()
        }

    def frame(self, frame_id: str) -> FrameEvidence:
        """One stored frame by id; an unknown id is a clear error."""
        found = self._stored_frame(frame_id)
        if found is None:
            raise NotFoundError(f"no stored frame has the id {frame_id!r}")
        return found

    def _stored_frame(self, frame_id: str) -> FrameEvidence | None:
        kf = self.store.keyframes.get(frame_id)
        if kf is None:
            return None
        return self._evidence(kf.id, kf.camera, kf.utc, kf.caption, kf.thumbnail)

    @staticmethod
    def _kind(what: str) -> str:
        """What a count asks for: person, vehicle or a COCO object name."""
        word = " ".join(what.lower().split())
        if word in TRACKED_KINDS:
            return TRACKED_KINDS[word]
        for name in COCO_CLASSES:
            if word in (name, plural(name)):
                return name
        raise InvalidInputError(
            f"cannot count {what!r}: ask for people, vehicles or an object such as "
            "'chair', 'backpack', 'bicycle' or 'dog'"
        )

    def _window(self, start: datetime | None, end: datetime | None) -> str:
        fmt = "%Y-%m-%d %H:%M:%S"
        tz = self.settings.tz
        lo = f"from {start.astimezone(tz):{fmt}}" if start else ""
        hi = f"until {end.astimezone(tz):{fmt}}" if end else ""
        return " ".join(part for part in (lo, hi) if part) or "in all recordings"

    def _track_summary(self, track: TrackRecord, moment: str | None = None) -> TrackSummary:
        tz = self.settings.tz
        ids = track.keyframe_ids  # in time order
        at = {"came": 0, "left": -1}.get(moment or "", len(ids) // 2)
        frame = self._stored_frame(ids[at]) if ids else None  # may be gone
        base = track.first_utc - timedelta(seconds=track.first_offset_s)
        return TrackSummary(
            number=track.number,
            camera=track.camera,
            kind=track.cls,
            start=track.first_utc.astimezone(tz),
            end=track.last_utc.astimezone(tz),
            seconds=track.seconds,
            still_seconds=track.still_s,
            still=[
                (
                    (base + timedelta(seconds=a)).astimezone(tz),
                    (base + timedelta(seconds=b)).astimezone(tz),
                )
                for a, b in track.still_spans
            ],
            entry=track.entry_side,
            exit=track.exit_side,
            direction=track.direction,
            attributes=track.attributes,
            frame=frame,
            place=_place(track.path[0]) if track.path else "",
        )

    @staticmethod
    def _track_line(t: TrackSummary, ordinal: int, still_first: bool = False) -> str:
        """'vehicle 1 on parking: in view 07:00:04-07:00:08 (4 s); in at the bottom, out at
        the top; white; <frame id>', with a stood-still spell after the time in view (or
        before it, ``still_first``)."""
        seen = f"in view {t.start:%H:%M:%S}-{t.end:%H:%M:%S} ({t.seconds:.0f} s)"
        spans = [seen]
        if t.still:
            a, b = max(t.still, key=lambda span: span[1] - span[0])
            still = f"stood still {a:%H:%M:%S}-{b:%H:%M:%S} ({(b - a).total_seconds():.0f} s)"
            spans = [still, seen] if still_first else [seen, still]
        elif still_first:
            spans = ["never stood still", seen]
        parts = [f"{t.kind} {ordinal} on {t.camera}: {spans[0]}", *spans[1:]]
        if t.stood_parked:
            parts.append(f"parked {t.place} all the time it was seen".replace("  ", " "))
        else:
            entry = "appeared in view" if t.entry == "inside" else f"came in at the {t.entry}"
            leaving = "vanished in view" if t.exit == "inside" else f"left at the {t.exit}"
            parts.append(f"{entry}, {leaving}")
        colours = t.attributes.get("colours", {})
        if colours:
            worn = [f"{c} {COLOUR_PARTS.get(part, '')}".strip() for part, c in colours.items()]
            parts.append(" and ".join(worn))
        if t.attributes.get("wearing"):
            parts.append("wearing " + " and ".join(t.attributes["wearing"]))
        if t.attributes.get("carrying"):
            parts.append("carrying " + " and ".join(t.attributes["carrying"]))
        if t.attributes.get("postures"):
            parts.append("seen " + " and ".join(t.attributes["postures"]))
        if t.frame is not None:
            parts.append(t.frame.frame_id)
        return "; ".join(parts)

    def _evidence(
        self,
        frame_id: str,
        camera: str,
        when: datetime,
        caption: str,
        thumbnail: str,
        score: float | None = None,
    ) -> FrameEvidence:
        return FrameEvidence(
            frame_id=frame_id,
            camera=camera,
            time=when.astimezone(self.settings.tz),
            caption=caption,
            thumbnail=thumbnail,
            score=score,
        )


def _place(point: list[float]) -> str:
    """Where a track's path point (time, then its box as shares of the frame) lies."""
    x1, y1, x2, y2 = (round(share * 1000) for share in point[1:5])
    return position_words(Box(x1, y1, x2, y2), 1000, 1000)


def _fits(looks: Looks, track: TrackRecord, exact: bool = False) -> bool:
    """Whether a track's description shows ``looks`` (`track_fits`; its postures too)."""
    postures = track_postures(track.cls, track.still_s, track.attributes)
    return bool(track_fits(looks, {**track.attributes, "postures": postures}, track.label, exact))
