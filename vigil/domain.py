"""Domain types shared by the store, search, the agent, the CLI and the web API.

They are facts about recorded video and answers about it: frozen pydantic models, so the
API's published contract (`web/api/defs`) is built from the same definitions every layer
reads by attribute.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from vigil.errors import NotAllowedError

# -- what a frame shows: plain dataclasses, made in the thousands per video -------------
ObjectClass = Literal["person", "vehicle", "object"]
SUBJECT_CLASSES = ("person", "vehicle")  # what evidence is about: boxed, counted, tracked
CARRIED = frozenset({"backpack", "umbrella", "handbag", "suitcase"})  # on a person: carried
RIDDEN = frozenset({"bicycle", "motorcycle"})  # under a person: ridden (pushed, standing)


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in pixel coordinates of the full frame."""

    x1: int
    y1: int
    x2: int
    y2: int

    @property
    def width(self) -> int:
        return self.x2 - self.x1

    @property
    def height(self) -> int:
        return self.y2 - self.y1

    @property
    def area(self) -> int:
        return max(0, self.width) * max(0, self.height)

    def overlap_area(self, other: Box) -> int:
        """Pixels this box shares with ``other``."""
        w = min(self.x2, other.x2) - max(self.x1, other.x1)
        h = min(self.y2, other.y2) - max(self.y1, other.y1)
        return max(0, w) * max(0, h)

    def smaller_share(self, other: Box) -> float:
        """How much of the smaller of the two boxes lies inside the other (0..1)."""
        return self.overlap_area(other) / max(1, min(self.area, other.area))

    def scaled(self, factor: float) -> Box:
        return Box(*(round(v * factor) for v in (self.x1, self.y1, self.x2, self.y2)))

    def as_list(self) -> list[int]:
        return [self.x1, self.y1, self.x2, self.y2]


@dataclass(frozen=True)
class Detection:
    """One person, vehicle or other object found in a frame."""

    cls: ObjectClass
    box: Box
    score: float
    label: str | None = None  # finer label, e.g. "cardigan" or "sports car"
    colours: dict[str, str] = field(default_factory=dict)  # e.g. {"upper": "grey"}
    carrying: tuple[str, ...] = ()  # objects a person carries, e.g. ("backpack",)
    source: str = "motion"  # motion (a moving region) or objects (NanoDet alone: may be still)
    track: int | None = None  # the track (numbered within its video) this detection is on
    motion: str | None = None  # its track's heading: still, left, right, up, down
    seen_as: str | None = None  # this frame's own class, where its track's vote overruled it
    posture: str | None = None  # from keypoints: standing, sitting, lying, bending, arms raised
    wearing: tuple[str, ...] = ()  # safety wear seen on a person: ("hi-vis vest",)
    # this frame's own colours, label, carrying and wearing, where its track's description
    # (one per track, voted over its keyframes) replaced them
    seen_looks: dict | None = None

    @property
    def is_still(self) -> bool:
        """A person standing still: so tracked, or found by the object detector where
        motion saw no one."""
        return self.cls == "person" and (self.motion == "still" or self.source == "objects")

    @classmethod
    def from_dict(cls, data: dict) -> Detection:
        """A detection as `to_dict` stored it (older rows lack the later fields)."""
        return cls(
            cls=data["cls"],
            box=Box(*(data.get("box") or (0, 0, 0, 0))),
            score=float(data.get("score") or 0.0),
            label=data.get("label"),
            colours=dict(data.get("colours") or {}),
            carrying=tuple(data.get("carrying") or ()),
            source=data.get("source", "motion"),
            track=data.get("track"),
            motion=data.get("motion"),
            seen_as=data.get("seen_as"),
            posture=data.get("posture"),
            wearing=tuple(data.get("wearing") or ()),
            seen_looks=_looks_from_dict(data.get("seen_looks")),
        )

    def to_dict(self) -> dict:
        return {
            "cls": self.cls,
            "box": self.box.as_list(),
            "score": round(self.score, 3),
            "label": self.label,
            "colours": dict(self.colours),
            "carrying": list(self.carrying),
            "source": self.source,
            "track": self.track,
            "motion": self.motion,
            "seen_as": self.seen_as,
            "posture": self.posture,
            "wearing": list(self.wearing),
            "seen_looks": _looks_to_dict(self.seen_looks),
        }


def _looks_to_dict(looks: dict | None) -> dict | None:
    if looks is None:
        return None
    return {k: list(v) if isinstance(v, tuple) else v for k, v in looks.items()}


def _looks_from_dict(looks: dict | None) -> dict | None:
    if not looks:
        return None
    return {k: tuple(v) if k in ("carrying", "wearing") else v for k, v in looks.items()}


class Fact(BaseModel):
    """A frozen value: read by attribute, never changed in place."""

    model_config = ConfigDict(frozen=True)


class Phrase(Fact):
    """Something Vigil says to people, kept as its kind and values so that each reader gets
    it in their language (`vigil.saying`); site-written words (rule titles, zones) stay as
    written."""

    key: str
    values: dict[str, Any] = {}


class KeyframeRecord(Fact):
    """A stored keyframe with where and when it was seen and what is in it."""

    id: str
    camera: str
    video_id: int
    source: str
    source_sha256: str
    frame_index: int
    offset_s: float
    utc: datetime
    reason: str
    thumbnail: str
    caption: str
    detections: list[Detection]
    labels: list[str]
    people: int = 0
    vehicles: int = 0
    objects: list[str] = Field(default=[], description="objects named in view, carried too")


class VideoRecord(Fact):
    """A video of one camera as stored: a file's hash is one video per camera."""

    id: int
    camera_id: int
    camera: str
    sha256: str
    start_utc: datetime
    status: str  # ingesting | complete


class CameraSummary(Fact):
    """Per camera: complete videos, keyframes and seconds of video."""

    name: str
    videos: int
    keyframes: int
    video_seconds: float
    scene_words: list[str] = []  # what it looks at (kitchen, street ...), where told


class TrackRecord(Fact):
    """One person, vehicle or moving thing followed through a video of one camera."""

    camera: str
    video_id: int
    number: int = Field(description="the track's number within its video")
    cls: str = Field(description="person, vehicle or object")
    label: str | None = None
    first_utc: datetime
    last_utc: datetime
    first_offset_s: float
    last_offset_s: float
    still_s: float = Field(description="seconds it stood still (slower than walking pace)")
    entry_side: str = Field(description="frame edge it came in by, or 'inside'")
    exit_side: str = Field(description="frame edge it left by, or 'inside'")
    direction: str = Field(description="image direction, e.g. 'left to right'; '' if it stayed")
    attributes: dict[str, Any] = Field(description="colours, carried objects, fine label")
    still_spans: list[list[float]] = Field(description="[start, end] offsets standing still")
    path: list[list[float]] = Field(description="[offset_s, x1, y1, x2, y2], box as 0-1 shares")
    keyframe_ids: list[str] = Field(description="stored keyframes that show it")

    @property
    def seconds(self) -> float:
        """How long it was in view."""
        return round(self.last_offset_s - self.first_offset_s, 1)


class UnfinishedVideo(Fact):
    """A video whose ingest stopped before the end; running the ingest again resumes it."""

    video_id: int
    camera: str
    path: str
    keyframes: int  # stored before it stopped
    reached_s: float = 0.0  # the last stored keyframe's offset: how far it got
    duration_s: float = 0.0
    state: str  # how its last ingest job ended: interrupted, failed, did not finish, ...
    error: str


class TurnRecord(Fact):
    """One question of a conversation and its checked answer."""

    question: str
    answer: str
    citations: list[str]
    created_at: datetime
    window: dict


class FrameEvidence(Fact):
    """One stored frame as evidence: where, when and what was seen."""

    frame_id: str
    camera: str
    time: datetime = Field(description="when the frame was recorded, in the site time zone")
    caption: str
    thumbnail: str
    score: float | None = None


class MomentHit(Fact):
    """One search result: a moment of one camera, its best frame and why it matched."""

    camera: str
    start: datetime = Field(description="first keyframe of the moment, in the site time zone")
    end: datetime = Field(description="last keyframe of the moment, in the site time zone")
    best_keyframe: str
    best_time: datetime = Field(description="when the best keyframe was recorded (site zone)")
    keyframes: list[str]
    offset_s: float = Field(description="offset of the best keyframe in its source video")
    source: str = Field(description="the source video's file name")
    thumbnail: str
    caption: str
    score: float
    signals: dict[str, float] = Field(description="each signal's raw score for the best frame")
    matched_words: list[str]


class SearchResult(Fact):
    """Ranked moments for one query, with what was changed in the query and why."""

    query: str
    moments: list[MomentHit]
    message: str | None = None
    nothing: Literal["no_video", "not_close", "empty_store"] | None = Field(
        None, description="why there are no moments, for a page to say in its language"
    )
    notes: list[str] = []
    timings_ms: dict[str, float] = {}


class ChatAnswer(Fact):
    """The checked answer to one question: its text cites only frames the model was shown."""

    conversation_id: str
    text: str
    citations: list[FrameEvidence] = Field(description="the frames the answer cites")
    labels: dict[str, str] = Field(description="label the model saw ([F1]) -> frame id")
    grounded: bool = Field(description="cites a frame it was shown, or says there is none")
    dropped_citations: list[str]
    uncited_sentences: int
    no_evidence: bool
    answered_by: str = Field(
        description="model, evidence (the model's answer did not rest on its frames), or none"
    )
    window: dict[str, Any] = Field(description="the time window and camera searched")
    query: str
    tool_calls: list[dict[str, Any]]


class ClauseResult(Fact):
    """One policy clause as a verification weighed it."""

    id: str = Field(description="the clause id, e.g. sample/lobby/after-hours")
    title: str
    armed: bool = Field(description="armed at the alarm's time by its schedule")
    holds: bool | None = Field(description="true: it holds; false: it does not; null: unsure")
    reason: str
    said: Phrase | None = Field(None, description="the reason as a phrase, for other languages")


class ModelAnswer(Fact):
    """A policy question answered by a VLM about one evidence frame: shown, never decisive."""

    frame_id: str
    question: str
    answer: str
    model: str


class AlarmVerdict(Fact):
    """What Vigil decided about an alarm, on which clauses and frames it rests, and what to
    do. ``needs_review`` is what the evidence cannot settle: never a guess."""

    verdict: str = Field(description="confirmed, false_alarm or needs_review")
    confidence: float
    level: int = Field(description="TMA-AVS-01: 0 no call for service .. 4 threat to life")
    decided_by: list[str] = Field(description="the clause ids the verdict rests on")
    clauses: list[ClauseResult] = Field(description="every clause of the camera, weighed")
    evidence: list[FrameEvidence]
    boxes: dict[str, list[list[int]]] = Field(
        description="per evidence frame id, the boxes [x1, y1, x2, y2] of what decided it"
    )
    rationale: str
    said: list[Phrase] = Field(
        [], description="the rationale as phrases, for other languages (vigil.saying)"
    )
    actions: list[str]
    escalate_to: list[str]
    window: dict[str, datetime] = Field(description="the video weighed: start, end (site zone)")
    basis: dict[str, Any] = Field(
        {},
        description="what it was decided on, to decide it again (vigil alarms replay): the "
        "policy's hash (the policy is kept by it), the checks' version, the window weighed "
        "and a hash of each track and keyframe read",
    )
    model_evidence: list[ModelAnswer] = Field(
        [],
        description="the deciding clauses' questions answered by the site's VLM, if it has "
        "one; they explain, they never change the verdict",
    )
    final: bool = Field(
        True,
        description="false while video after the alarm is still arriving: the verdict is "
        "looked at again, and may be revised, until it is in or overdue",
    )


class AlarmReview(Fact):
    """An operator's word on a verdict: confirmed as it stands, or overruled with a reason."""

    decision: str = Field(description="confirm, escalate (confirm and call in) or overrule")
    verdict: str = Field(description="the verdict that stands after the review")
    reason: str
    by: str
    at: datetime


class AlarmRecord(Fact):
    """An alarm as taken in, where it is in the queue, and what was decided about it."""

    id: str
    source: str
    source_event_id: str
    camera: str
    time: datetime = Field(description="when it triggered")
    kind: str
    zone: str | None = None
    text: str = Field("", description="the source's own words: shown, never obeyed")
    snapshot: str | None = None
    received: datetime
    priority: int = Field(description="1 low .. 4 critical, from the clauses armed then")
    status: str = Field(description="queued, verifying or verified")
    attempts: int = 0
    verdict: AlarmVerdict | None = None
    verified: datetime | None = None
    review: AlarmReview | None = None
    revisions: list[AlarmVerdict] = Field(
        [], description="earlier verdicts that more video revised, oldest first"
    )
    tracked: list[str] = Field(
        [], description="each person or vehicle the verdict's frames show, by track (detail)"
    )
    owner: str | None = Field(None, description="the operator handling it, if one took it")
    on_hold: bool = False

    @property
    def handling(self) -> str:
        """Where a person stands with it: new, in_progress, on_hold or closed."""
        if self.review is not None:
            return "closed"
        if self.on_hold:
            return "on_hold"
        return "in_progress" if self.owner else "new"


ROLES = ("operator", "supervisor", "admin")  # each may do what the one before may


class UserRecord(Fact):
    name: str
    role: str = Field(description="operator, supervisor or admin")
    created: datetime
    cameras: list[str] | None = Field(
        None, description="the cameras the user may see; null: every camera"
    )
    password_changed: datetime = Field(
        description="sign-ins and API tokens from before this no longer work"
    )

    def sees(self, camera: str) -> bool:
        return self.cameras is None or camera in self.cameras

    def sees_all(self, cameras: Iterable[str]) -> bool:
        return all(map(self.sees, cameras))

    def check_sees(self, cameras: Iterable[str]) -> None:
        """NotAllowedError unless the user may see every one of ``cameras``."""
        if not self.sees_all(cameras):  # which camera is not told: a name tells too much
            raise NotAllowedError("that covers cameras you are not given")

    def scope(self, asked: list[str] | None) -> list[str] | None:
        """The cameras a request may cover: those asked, each one the user's (else
        NotAllowedError: the client named it, so it may be told), or, when none are asked,
        all of a limited user's cameras (None: every camera)."""
        for camera in asked or []:
            if not self.sees(camera):
                raise NotAllowedError(f"you may not see camera {camera[:64]!r}")
        return asked or (None if self.cameras is None else list(self.cameras))


class Statement(Fact):
    """One sentence of a report and the frames it rests on. Vigil's own sentences about the
    video always cite frames; an operator's may cite none, and then say so."""

    text: str = Field(max_length=4000)
    frames: list[str] = Field([], max_length=50)
    by: str = Field("vigil", description="vigil, the model, or the user who wrote it")


class TimelineEntry(Fact):
    time: datetime = Field(description="in the site time zone")
    camera: str
    text: str
    frames: list[str] = []


class ClauseCited(Fact):
    id: str = Field(description="the policy clause, e.g. sample/lobby/after-hours")
    title: str
    holds: bool | None
    reason: str


class EvidenceItem(Fact):
    frame_id: str
    camera: str
    time: datetime = Field(description="in the site time zone")
    caption: str
    thumbnail: str
    video_id: int | None = None
    offset_s: float | None = None


class IncidentReport(Fact):
    """The report of an incident as one version holds it. Fields nothing grounds stay
    empty and are named in ``flags`` for the operator, never invented."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = Field(max_length=300)
    language: Literal["en", "nl", "fr", "es"] = Field("en", description="what Vigil drafted it in")
    site: str
    cameras: list[str]
    start: datetime | None = Field(description="first evidence frame (site time zone)")
    end: datetime | None = Field(description="last evidence frame (site time zone)")
    verdict: str | None = Field(None, description="the alarm verdict it started from, if any")
    timeline: list[TimelineEntry] = []
    description: list[Statement] = []
    people: list[Statement] = Field([], description="clothing, colour, posture, direction")
    vehicles: list[Statement] = Field([], description="type, colour, direction")
    policy_clauses: list[ClauseCited] = []
    actions_taken: list[Statement] = []
    recommended_actions: list[str] = []
    evidence: list[EvidenceItem] = []
    flags: list[str] = Field([], description="fields left for a person to fill or check")

    def with_actions_taken(self, texts: list[str], by: str) -> IncidentReport:
        """The report with these actions taken added (by ``by``), and the flag asking for
        them gone."""
        return self.model_copy(
            update={
                "actions_taken": [*self.actions_taken, *(Statement(text=t, by=by) for t in texts)],
                "flags": [f for f in self.flags if not f.startswith("actions taken")],
            }
        )


class ReportVersionRecord(Fact):
    version: int
    status: str
    author: str
    at: datetime
    note: str


class IncidentRecord(Fact):
    """An incident, the version of its report in force, and its history."""

    id: str
    created: datetime
    created_by: str
    origin: str = Field(description="alarm, chat or moments")
    origin_ref: str
    status: str = Field(description="draft, edited, submitted or approved")
    version: int
    report: IncidentReport
    history: list[ReportVersionRecord] = []
