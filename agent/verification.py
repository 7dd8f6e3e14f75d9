"""Alarm verification: the site's policy, checked on the tracks and keyframes around an
alarm, gives a verdict that cites its clauses and frames.

Deterministic first: schedules arm clauses, tracks give zone (foot point), dwell, count
and seen safety wear; detections no track followed (a person standing still who faded
into the background) count as sightings of one instant. The alarm's own text is never
read here, so nothing written into a payload can change a verdict. Then model evidence:
where the site has a VLM, the deciding clauses' questions are answered about the evidence
frame nearest the alarm, after the verdict is settled, so the answers explain and never
decide.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from vigil import __version__
from vigil.audit import canonical
from vigil.domain import (
    SUBJECT_CLASSES,
    AlarmVerdict,
    ClauseResult,
    FrameEvidence,
    KeyframeRecord,
    ModelAnswer,
    Phrase,
    TrackRecord,
)
from vigil.errors import InvalidInputError, VigilError
from vigil.inputs import printable
from vigil.phrasing import looks
from vigil.policies import SitePolicy, armed_rules
from vigil.policies.checks import ClauseCheck, Sighting, check_rule, joined
from vigil.policies.explain import Armed
from vigil.policies.verdict import Decision, decide
from vigil.saying import say
from vigil.settings import Settings
from vigil.store import Store

log = logging.getLogger(__name__)
MAX_EVIDENCE = 4
MAX_NAMED = 3  # subjects a rationale describes; the rest are counted
SHOWN_WELL = 0.25  # evidence shows the subject at least this share as well as the best
EDGE_MARGIN = 0.01  # a box this close to the frame's edge is cut by it
FrameQuestion = Callable[[str, str], tuple[str, str]]  # (frame id, question) -> (answer, model)


class AlarmVerifier:
    """Verifies alarms of one site against its policy and the stored video."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        policy: SitePolicy,
        ask: FrameQuestion | None = None,
        window_s: float | None = None,
        keep: bool = True,
    ) -> None:
        """``window_s``: seconds of video weighed before and after an alarm (default: the
        site's ``alarm_window_s``); ``keep``: keep the policy for replays (not for a
        what-if's candidate)."""
        self.settings = settings
        self.store = store
        self.policy = policy
        self.rules = {r.id: r for r in policy.rules}  # a frozen policy: made once
        self.ask = ask  # a VLM's answer about a stored frame, where the site has a VLM
        window = timedelta(seconds=window_s or settings.alarm_window_s)
        self.before = self.after = window
        # live video is stored a segment after it happens: wait that long (thrice) for it
        self.settle = timedelta(seconds=3 * settings.live_segment_s + 30)
        self.policy_sha = keep_policy(settings.data_dir, policy, keep)

    def camera_of(self, name: str) -> str:
        """The policy's camera a name or alias denotes; InvalidInputError if none."""
        camera = self.policy.camera_called(name)
        if camera is None:
            raise InvalidInputError(
                f"unknown camera '{printable(name)[:64]}' for site '{self.policy.site}'"
            )
        return camera

    def verify(self, camera: str, utc: datetime, now: datetime | None = None) -> AlarmVerdict:
        """The verdict on an alarm of ``camera`` at ``utc``, from the video around it. It is
        provisional (not final) while the video after the alarm may still arrive."""
        camera = self.camera_of(camera)
        now = now or datetime.now(UTC)
        start, end = utc - self.before, utc + self.after
        stored = camera in self.store.videos.camera_names()
        tracks, keyframes, sightings = (
            camera_sightings(self.store, camera, start, end) if stored else ([], [], [])
        )
        weighed = armed_rules(self.policy, utc, camera)
        zones = self.policy.cameras[camera].zones
        checks = [
            check_rule(
                a.rule,
                zones.get(a.rule.zone or ""),
                sightings,
                start,
                end,
                utc,
                frame_reach_s=self.settings.max_keyframe_interval_s,
            )
            for a in weighed
            if a.armed
        ]
        recorded = stored and self.store.videos.covers(camera, utc)
        window_in = stored and self.store.videos.covers(camera, end)
        decision = decide(self.rules, checks, recorded)
        by_rule = {c.rule_id: c for c in checks}
        deciding = [by_rule[i] for i in decision.decided_by if i in by_rule]
        if recorded and not keyframes:  # a quiet scene keeps few keyframes: show the nearest
            reach = timedelta(seconds=self.settings.max_keyframe_interval_s)
            keyframes = self.store.keyframes.list(camera, start - reach, end + reach)
        frames = self._evidence(keyframes, deciding, utc)
        said = {a.rule.id: _clause_said(a, by_rule) for a in weighed}
        rationale = self._rationale(decision, frames, _subjects(deciding, tracks))
        tz = self.settings.tz
        return AlarmVerdict(
            verdict=decision.verdict,
            confidence=decision.confidence,
            level=decision.level,
            decided_by=list(decision.decided_by),
            clauses=[
                ClauseResult(
                    id=a.rule.id,
                    title=a.rule.title,
                    armed=a.armed,
                    holds=by_rule[a.rule.id].holds if a.armed else False,
                    reason=say(said[a.rule.id]),
                    said=said[a.rule.id],
                )
                for a in weighed
            ],
            evidence=[
                FrameEvidence(
                    frame_id=k.id,
                    camera=k.camera,
                    time=k.utc.astimezone(tz),
                    caption=k.caption,
                    thumbnail=k.thumbnail,
                )
                for k in frames
            ],
            boxes={k.id: _boxes(k, deciding) for k in frames},
            model_evidence=self._model_evidence(deciding, frames, utc),
            rationale=" ".join(say(p) for p in rationale),
            said=rationale,
            actions=list(decision.actions),
            escalate_to=list(decision.escalate_to),
            window={"start": start.astimezone(tz), "end": end.astimezone(tz)},
            basis={
                "policy": self.policy_sha,
                "checks": __version__,
                "window_s": self.before.total_seconds(),
                "tracks": {f"{t.video_id}:{t.number}": fingerprint(t) for t in tracks},
                "keyframes": {k.id: fingerprint(k.detections) for k in keyframes},
            },
            final=window_in or now >= end + self.settle,
        )

    def _model_evidence(
        self, deciding: list[ClauseCheck], frames: list[KeyframeRecord], utc: datetime
    ) -> list[ModelAnswer]:
        """The deciding clauses' questions, each asked of the VLM about the evidence frame
        nearest the alarm. Computed after the verdict, so nothing it says can change it."""
        if self.ask is None or not frames:
            return []
        frame = min(frames, key=lambda k: abs((k.utc - utc).total_seconds()))
        answers = []
        for question in dict.fromkeys(q for c in deciding for q in self.rules[c.rule_id].questions):
            try:
                answer, model = self.ask(frame.id, question)
            except VigilError as exc:  # the verdict stands without it
                log.warning("the VLM did not answer %r on frame %s: %s", question, frame.id, exc)
                continue
            answers.append(
                ModelAnswer(frame_id=frame.id, question=question, answer=answer, model=model)
            )
        return answers

    def _evidence(
        self, keyframes: list[KeyframeRecord], deciding: list[ClauseCheck], utc: datetime
    ) -> list[KeyframeRecord]:
        """The frames that decided it (else all) nearest the alarm time, in time order,
        less those whose subject is a sliver at the edge or gone while others show it."""
        wanted = {k for c in deciding for k in c.keyframe_ids}
        chosen = [k for k in keyframes if k.id in wanted] or keyframes
        chosen = sorted(chosen, key=lambda k: abs((k.utc - utc).total_seconds()))[:MAX_EVIDENCE]
        sizes = self.store.videos.frame_sizes({k.video_id for k in chosen})
        shown = {k.id: _how_well_shown(k, deciding, sizes.get(k.video_id)) for k in chosen}
        best = max(shown.values(), default=0.0)
        if best > 0:  # fewer frames rather than one further from the alarm
            chosen = [k for k in chosen if shown[k.id] >= SHOWN_WELL * best]
        return sorted(chosen, key=lambda k: k.utc)

    def _rationale(
        self, decision: Decision, frames: list[KeyframeRecord], subjects: list[TrackRecord]
    ) -> list[Phrase]:
        """What was decided on which clause, who it rests on (what they wore, when they
        were in view), and what the frames show."""
        tz = self.settings.tz
        said = [
            Phrase(
                key="decided",
                values={
                    "verdict": decision.verdict,
                    "clauses": list(decision.decided_by),
                    "reason": decision.reason,
                },
            )
        ]
        if subjects:
            named = [
                {
                    "looks": looks(t),
                    "first": f"{t.first_utc.astimezone(tz):%H:%M:%S}",
                    "last": f"{t.last_utc.astimezone(tz):%H:%M:%S}",
                }
                for t in subjects[:MAX_NAMED]
            ]
            more = len(subjects) - len(named)
            said.append(Phrase(key="subject", values={"who": named, "more": more}))
        if not frames:
            return [*said, Phrase(key="no_frame")]
        span = {"count": len(frames), "first": f"{frames[0].utc.astimezone(tz):%H:%M:%S}"}
        if len(frames) > 1:
            span["last"] = f"{frames[-1].utc.astimezone(tz):%H:%M:%S}"
        return [*said, Phrase(key="evidence", values=span)]


def fingerprint(value) -> str:
    """A short hash of what a verdict read (a track, a keyframe's detections)."""
    if isinstance(value, TrackRecord):
        value = value.model_dump(mode="json")
    elif isinstance(value, list):
        value = [repr(d) for d in value]
    return hashlib.sha256(canonical(value)).hexdigest()[:16]


def keep_policy(data_dir: Path, policy: SitePolicy, keep: bool = True) -> str:
    """Keep the policy a verdict is decided under, named by its hash (a replay reads it
    back); the hash."""
    text = canonical(policy.model_dump(mode="json", by_alias=True))
    sha = hashlib.sha256(text).hexdigest()
    folder = data_dir / "policies"
    kept = folder / f"{sha}.json"
    if keep and not kept.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = kept.with_suffix(".part")
        partial.write_bytes(text)
        partial.replace(kept)
    return sha


def kept_policy(data_dir: Path, sha: str) -> SitePolicy | None:
    """The policy kept under ``sha``, or None where it is not (any more), or its file no
    longer hashes to it (changed since: never decided on)."""
    if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
        return None
    kept = data_dir / "policies" / f"{sha}.json"
    if not kept.is_file() or hashlib.sha256(kept.read_bytes()).hexdigest() != sha:
        return None
    return SitePolicy.model_validate(json.loads(kept.read_text()))


def camera_sightings(
    store: Store, camera: str, start: datetime, end: datetime
) -> tuple[list[TrackRecord], list[KeyframeRecord], list[Sighting]]:
    """What a camera saw in [start, end] as the checks weigh it: its tracks (those that
    continue one another joined) and the people and vehicles no track followed, one
    instant each; with the tracks and keyframes read."""
    tracks = store.tracks.list([camera], start, end)
    keyframes = store.keyframes.list(camera, start, end)
    sizes = store.videos.frame_sizes({k.video_id for k in keyframes})
    untracked = []
    for k in keyframes:
        w, h = sizes.get(k.video_id, (0, 0))
        for d in k.detections:
            if d.track is None and d.cls in SUBJECT_CLASSES and w and h:
                box = d.box
                untracked.append(
                    Sighting(
                        -1,
                        d.cls,
                        ((k.utc, box.x1 / w, box.y1 / h, box.x2 / w, box.y2 / h),),
                        frozenset(d.wearing),
                        (k.id,),
                        carrying=frozenset(d.carrying),
                    )
                )
    return tracks, keyframes, joined([Sighting.of(t) for t in tracks]) + untracked


def _subjects(deciding: list[ClauseCheck], tracks: list[TrackRecord]) -> list[TrackRecord]:
    """The tracked people and vehicles the deciding clauses weighed, first seen first."""
    by_key = {(t.video_id, t.number): t for t in tracks}
    keys = dict.fromkeys(p for c in deciding for p in c.tracks if p in by_key)
    return sorted((by_key[k] for k in keys), key=lambda t: t.first_utc)


def _clause_said(armed: Armed, checks: dict[str, ClauseCheck]) -> Phrase:
    """Why a clause holds or not, or why it was not armed."""
    if armed.armed:
        return checks[armed.rule.id].phrase
    return Phrase(key="not_armed", values={"reason": armed.phrase})


def _how_well_shown(
    frame: KeyframeRecord, deciding: list[ClauseCheck], size: tuple[int, int] | None
) -> float:
    """The share of the frame the largest box of the subject covers, a third of that
    where the box is cut by the frame's edge; 0 where the subject is not in it."""
    if size is None:
        return 0.0
    width, height = size
    margin = EDGE_MARGIN * min(width, height)
    best = 0.0
    for x1, y1, x2, y2 in _boxes(frame, deciding):
        share = (x2 - x1) * (y2 - y1) / (width * height)
        cut = x1 <= margin or y1 <= margin or x2 >= width - margin or y2 >= height - margin
        best = max(best, share / 3 if cut else share)
    return best


def _boxes(frame: KeyframeRecord, deciding: list[ClauseCheck]) -> list[list[int]]:
    """Boxes in a frame of the tracks that decided the verdict (all people and vehicles
    where no track decided it); a track number counts only in its own video."""
    wanted = {part for c in deciding for part in c.tracks}
    return [
        d.box.as_list()
        for d in frame.detections
        if d.cls in ("person", "vehicle")
        and (not wanted or (frame.video_id, d.track) in wanted or d.track is None)
    ]
