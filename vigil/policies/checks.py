"""Deterministic policy checks on what the tracks saw (pure functions on frozen data).

A rule holds when at least ``min_count`` of its object kinds were in its zone at the same
time, each for at least ``min_dwell_s``, and (where it requires safety wear) not seen
wearing it. Zone membership is decided by the foot point: the bottom centre of the box,
where a person stands or a vehicle touches the ground. A check that the evidence cannot
settle (wear too small to see) says so (``holds=None``), never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from vigil.domain import Phrase, TrackRecord
from vigil.policies.model import SEEN_WEAR, Point, Rule
from vigil.saying import say

MAX_GAP_S = 1.5  # path samples further apart than this do not add up to dwell
RUNNING = 1.8  # body heights a second: faster than a brisk walk
AT_ALARM_S = 5.0  # seen this close to the alarm time, a subject was there when it was raised
MIN_WEAR_HEIGHT = 0.15  # a person shorter than this share of the frame: wear not told
JOIN_GAP_S = 2.0  # a track that starts this soon after another ends, where it ended, ...
JOIN_STEP = 0.1  # ... (foot points this close, as shares of the frame) continues it


@dataclass(frozen=True)
class Sighting:
    """One track as the checks see it: its kind, and where its box was when (UTC)."""

    track: int
    cls: str
    samples: tuple[tuple[datetime, float, float, float, float], ...]  # t, x1, y1, x2, y2
    wearing: frozenset[str] = frozenset()
    keyframe_ids: tuple[str, ...] = ()
    parts: tuple[tuple[int, int], ...] = ()  # (video id, track number) of each track in it
    postures: frozenset[str] = frozenset()  # seen in (MoveNet, voted over its keyframes)
    carrying: frozenset[str] = frozenset()  # a person's bicycle, suitcase, ... (voted)

    def is_one_of(self, kinds: list[str]) -> bool:
        """Whether it is one of a rule's kinds: a person riding or carrying a bicycle or
        suitcase is one for a rule about bicycles or suitcases."""
        return self.cls in kinds or (self.cls == "person" and bool(self.carrying & set(kinds)))

    def in_view_near(self, moment: datetime, reach_s: float) -> bool:
        """Whether it was in view at ``moment``: seen within ``reach_s`` of it, or seen both
        before and after it."""
        times = [t for t, *_ in self.samples]
        if not times:
            return False
        if times[0] <= moment <= times[-1]:
            return True
        return min(abs((t - moment).total_seconds()) for t in times) <= reach_s

    @property
    def key(self) -> tuple:
        """What tells this subject from the others of a check: its tracks, or for a detection
        no track followed, its kind and where its feet were (to a tenth of the frame: a
        person standing still that no track follows is one subject from frame to frame)."""
        if self.parts:
            return self.parts
        x, y = foot_point(*self.samples[0][1:]) if self.samples else (0.0, 0.0)
        return ((self.cls, round(x, 1), round(y, 1)),)

    @classmethod
    def of(cls, track: TrackRecord) -> Sighting:
        start = track.first_utc - timedelta(seconds=track.first_offset_s)
        samples = tuple(
            (start + timedelta(seconds=p[0]), p[1], p[2], p[3], p[4]) for p in track.path
        )
        return cls(
            track.number,
            track.cls,
            samples,
            frozenset(track.attributes.get("wearing", ())),
            tuple(track.keyframe_ids),
            ((track.video_id, track.number),),
            frozenset(track.attributes.get("postures", ())),
            frozenset(track.attributes.get("carrying", ())),
        )

    def within(self, start: datetime, end: datetime) -> Sighting:
        """The sighting with only its samples in [start, end]."""
        kept = tuple(p for p in self.samples if start <= p[0] <= end)
        return replace(self, samples=kept)

    def doing(self) -> frozenset[str]:
        """What it was seen doing: its postures, and running where it moved fast."""
        return self.postures | ({"running"} if self.fastest() >= RUNNING else frozenset())

    def fastest(self) -> float:
        """Its fastest pace over a second or more: foot travel per second in body heights
        (walking is about 0.8, running 2 or more; a box under a twentieth of the frame high
        counts as that high, so jitter on a tiny box is no run)."""
        best = 0.0
        samples = self.samples
        j = 0
        for i, (t0, *box0) in enumerate(samples):
            j = max(j, i + 1)
            while j < len(samples) and (samples[j][0] - t0).total_seconds() < 1.0:
                j += 1
            if j >= len(samples):
                break
            t1, *box1 = samples[j]
            (x0, y0), (x1, y1) = foot_point(*box0), foot_point(*box1)
            height = max((box0[3] - box0[1] + box1[3] - box1[1]) / 2, 0.05)
            seconds = (t1 - t0).total_seconds()
            best = max(best, ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 / height / seconds)
        return best

    def crosses(self, line: tuple[Point, Point], towards: Point | None) -> bool:
        """Whether its foot point crossed the line (towards ``towards``'s side, if given); a
        foot on the line belongs to the side it came from until it leaves it."""
        feet = [foot_point(*box) for _, *box in self.samples]
        sides = [_side(f, line) for f in feet]
        last = None  # the last step off the line: (foot, side)
        for foot, side in zip(feet, sides, strict=True):
            if side == 0:
                continue
            crossed = last is not None and last[1] != side and _crossed(last[0], foot, line)
            if crossed and (towards is None or side == _side(towards, line)):
                return True
            last = (foot, side)
        return False


@dataclass(frozen=True)
class ClauseCheck:
    """What one armed rule's check found."""

    rule_id: str
    holds: bool | None  # None: the evidence cannot settle it
    phrase: Phrase  # why, said in each reader's language (`vigil.saying`)
    tracks: tuple[tuple[int, int], ...] = ()  # (video, number) of the tracks that made it
    # hold (or left it open)
    keyframe_ids: tuple[str, ...] = ()
    subjects: frozenset = frozenset()  # the `Sighting.key` of each who made it hold

    @property
    def reason(self) -> str:
        """Why, in English."""
        return say(self.phrase)


def joined(sightings: list[Sighting]) -> list[Sighting]:
    """Tracks that continue one another, as one sighting. A live camera's track ends with
    its segment and a crowd can break one: a track of the same kind that starts within
    ``JOIN_GAP_S`` of another's end, with its feet where the other's were, is the same
    person or vehicle, so a stay longer than a segment is one stay. It wears only what
    every piece was seen wearing (a join may be wrong: it never lends one person another's
    vest, nor a bicycle). Detections no track followed (track -1) are left as they are."""
    chains: list[Sighting] = []
    for s in sorted((s for s in sightings if s.samples), key=lambda s: s.samples[0][0]):
        at = next(
            (i for i, c in enumerate(chains) if s.track >= 0 and c.track >= 0 and _continues(c, s)),
            None,
        )
        if at is None:
            chains.append(s)
            continue
        c = chains[at]
        chains[at] = Sighting(
            c.track, c.cls, c.samples + s.samples, c.wearing & s.wearing,
            c.keyframe_ids + s.keyframe_ids, c.parts + s.parts, c.postures | s.postures,
            c.carrying & s.carrying,
        )  # fmt: skip
    return chains


def _continues(before: Sighting, after: Sighting) -> bool:
    if before.cls != after.cls or not before.samples or not after.samples:
        return False
    (t0, *box0), (t1, *box1) = before.samples[-1], after.samples[0]
    if not 0 < (t1 - t0).total_seconds() <= JOIN_GAP_S:
        return False
    (x0, y0), (x1, y1) = foot_point(*box0), foot_point(*box1)
    return abs(x0 - x1) <= JOIN_STEP and abs(y0 - y1) <= JOIN_STEP


def _side(point: Point, line: tuple[Point, Point]) -> int:
    (ax, ay), (bx, by) = line
    cross = (bx - ax) * (point[1] - ay) - (by - ay) * (point[0] - ax)
    return (cross > 0) - (cross < 0)


def _crossed(before: Point, after: Point, line: tuple[Point, Point]) -> bool:
    """Whether the step before -> after crosses the segment ``line``."""
    a, b = line
    return (
        _side(before, line) * _side(after, line) < 0
        and _side(a, (before, after)) * _side(b, (before, after)) <= 0
    )


def inside(point: Point, polygon: list[Point]) -> bool:
    """Whether a point lies inside a polygon (even-odd rule; the edge counts as inside)."""
    x, y = point
    hit = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if min(x1, x2) <= x <= max(x1, x2) and min(y1, y2) <= y <= max(y1, y2):
            cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)
            if abs(cross) < 1e-9:
                return True  # on an edge
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def foot_point(x1: float, y1: float, x2: float, y2: float) -> Point:
    """Where a box meets the ground: the centre of its bottom edge."""
    return ((x1 + x2) / 2, y2)


@dataclass(frozen=True)
class _Stay:
    sighting: Sighting
    first: datetime
    last: datetime
    dwell_s: float
    tallest: float  # largest box height in the zone, as a share of the frame


def _stay(s: Sighting, zone: list[Point] | None, start: datetime, end: datetime) -> _Stay | None:
    """How a sighting stayed in the zone within [start, end], or None if never there."""
    times = [
        (t, y2 - y1)
        for t, x1, y1, x2, y2 in s.samples
        if start <= t <= end and (zone is None or inside(foot_point(x1, y1, x2, y2), zone))
    ]
    if not times:
        return None
    dwell = sum(
        min((b - a).total_seconds(), MAX_GAP_S)
        for (a, _), (b, _) in zip(times, times[1:], strict=False)
        if (b - a).total_seconds() <= MAX_GAP_S
    )
    return _Stay(s, times[0][0], times[-1][0], dwell, max(h for _, h in times))


def busiest(spans: list[tuple[datetime, datetime]]) -> tuple[list[int], datetime | None]:
    """The indexes of the spans that overlap when the most do, and that moment (pure; a
    sweep over comings and goings, comings first at one instant: both were there then)."""
    events = sorted([(a, 0, i) for i, (a, _) in enumerate(spans)]
                    + [(b, 1, i) for i, (_, b) in enumerate(spans)])  # fmt: skip
    there: set[int] = set()
    most: list[int] = []
    moment = None
    for when, going, i in events:
        if going:
            there.discard(i)
        else:
            there.add(i)
            if len(there) > len(most):
                most, moment = sorted(there), when
    return most, moment


def empty_spells(
    recorded: list[tuple[datetime, datetime]],
    visits: list[tuple[datetime, datetime]],
    shortest_s: float,
) -> list[tuple[datetime, datetime]]:
    """The spans of ``recorded`` time that no ``visit`` covers, each at least
    ``shortest_s`` long, in time order (pure)."""
    spells = []
    for start, end in sorted(recorded):
        cursor = start
        for a, b in sorted(visits):
            if b <= cursor or a >= end:
                continue
            if a > cursor:
                spells.append((cursor, a))
            cursor = max(cursor, b)
        if cursor < end:
            spells.append((cursor, end))
    return [(a, b) for a, b in spells if (b - a).total_seconds() >= shortest_s]


def most_at_once(stays: list[_Stay]) -> int:
    """The largest number of stays that overlap in time."""
    return len(busiest([(s.first, s.last) for s in stays])[0])


def check_rule(
    rule: Rule,
    zone: list[Point] | None,
    sightings: list[Sighting],
    start: datetime,
    end: datetime,
    moment: datetime | None = None,
    reach_s: float = AT_ALARM_S,
    frame_reach_s: float = 10.0,
) -> ClauseCheck:
    """Whether an armed rule holds on the sightings of [start, end] (pure). Given the
    alarm's ``moment``, a rule that weighs those present (the default) looks only at the
    people and vehicles in view then (within ``reach_s``; a detection no track followed,
    within ``frame_reach_s``, as a quiet scene's keyframes lie that far apart): those who
    came later are counted, said, and not weighed."""
    seen = {"objects": list(rule.objects), "zone": rule.zone, "wear": list(rule.required_wear)}
    sightings = [s for s in sightings if s.samples]
    if moment is not None and rule.weighs == "present":
        kinds = [s for s in sightings if s.is_one_of(rule.objects)]
        sightings = [
            s for s in kinds if s.in_view_near(moment, reach_s if s.track >= 0 else frame_reach_s)
        ]
        later = sum(1 for s in kinds if s not in sightings and s.samples[0][0] > moment)
        if later:
            seen["later"] = later

    def phrase(key: str, **values) -> Phrase:
        return Phrase(key=key, values={**seen, **values})

    unseen = sorted((set(rule.required_wear) | set(rule.wearing)) - SEEN_WEAR)
    until = min(moment, end) if moment is not None else end  # what it did before the alarm
    if rule.seen:
        sightings = [s for s in sightings if set(rule.seen) <= s.within(start, until).doing()]
        seen["doing"] = list(rule.seen)
    if rule.line is not None:
        sightings = [
            s for s in sightings if s.within(start, until).crosses(rule.line, rule.towards)
        ]
        seen["line"] = True
    stays = [
        stay
        for s in sightings
        if s.is_one_of(rule.objects) and (stay := _stay(s, zone, start, end)) is not None
    ]
    if not stays:
        return ClauseCheck(rule.id, False, phrase("none_tracked"))
    long_enough = [s for s in stays if s.dwell_s >= rule.min_dwell_s]
    if not long_enough:
        longest = max(s.dwell_s for s in stays)
        return ClauseCheck(
            rule.id,
            False,
            phrase("too_short", count=len(stays), longest=longest, needs=rule.min_dwell_s),
            tuple(p for s in stays for p in s.sighting.parts),
        )
    if unseen and rule.allows:  # wear the site's models cannot see never excuses anyone
        return ClauseCheck(
            rule.id, False, phrase("cannot_tell", count=len(long_enough), wear=unseen)
        )
    present = long_enough
    unsure: list[_Stay] = []
    if rule.required_wear:
        wear = set(rule.required_wear) & SEEN_WEAR  # what is seen decides; the rest is told
        unsure = [s for s in long_enough if s.tallest < MIN_WEAR_HEIGHT]
        long_enough = [s for s in long_enough if s not in unsure and not wear <= s.sighting.wearing]
    if rule.wearing:  # allowed only where the wear is seen: too small to tell is not allowed
        wear = set(rule.wearing)
        long_enough = [
            s for s in long_enough if s.tallest >= MIN_WEAR_HEIGHT and wear <= s.sighting.wearing
        ]
    count = most_at_once(long_enough)
    dwell = min(s.dwell_s for s in long_enough) if rule.min_dwell_s and long_enough else None
    tracks = tuple(p for s in long_enough + unsure for p in s.sighting.parts)
    frames = tuple(k for s in long_enough + unsure for k in s.sighting.keyframe_ids)
    without = {"without": True} if rule.required_wear else {}
    if rule.wearing:
        without = {"wearing": True, "wear": list(rule.wearing)}
    subjects = frozenset(s.sighting.key for s in long_enough + unsure)
    if count >= rule.min_count:
        said = phrase("holds", count=count, dwell=dwell, **without)
        return ClauseCheck(rule.id, True, said, tracks, frames, subjects)
    if count + most_at_once(unsure) >= rule.min_count:
        said = phrase("too_small", count=len(unsure))
        return ClauseCheck(rule.id, None, said, tracks, frames, subjects)
    if unseen and most_at_once(present) >= rule.min_count:  # never guessed either way
        return ClauseCheck(
            rule.id,
            None,
            phrase("cannot_tell", count=most_at_once(present), wear=unseen),
            tuple(p for s in present for p in s.sighting.parts),
            tuple(k for s in present for k in s.sighting.keyframe_ids),
            frozenset(s.sighting.key for s in present),
        )
    return ClauseCheck(
        rule.id,
        False,
        phrase("too_few", count=count, needs=rule.min_count, **without),
        tracks,
        frames,
    )
