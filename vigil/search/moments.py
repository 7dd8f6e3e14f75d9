"""Moments: scored keyframes of one camera, close in time and showing the same scene state,
shown as one result. Pure functions over frozen data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    """A keyframe that some signal retrieved, with where and when it is."""

    id: str
    camera: str
    utc_ts: float
    offset_s: float = 0.0


@dataclass(frozen=True)
class Moment:
    """Consecutive hits of one camera, close in time, shown as one result."""

    camera: str
    start_ts: float
    end_ts: float
    best_id: str
    score: float
    keyframe_ids: tuple[str, ...]
    signals: Mapping[str, float] = field(default_factory=dict)  # of the best keyframe


def group_moments(
    candidates: Sequence[Candidate],
    scores: Mapping[str, float],
    signals: Mapping[str, Mapping[str, float]],
    gap_s: float = 4.0,
    previous: Mapping[str, str | None] | None = None,
    state: Mapping[str, str] | None = None,
) -> list[Moment]:
    """Merge scored keyframes of one camera that show the same scene state (``state``
    says what is in view, e.g. "1 person") and either lie within ``gap_s`` of each other
    or follow each other directly (``previous`` maps a keyframe to the one sampled just
    before it: a still scene is sampled sparsely, yet is one moment).

    A moment's score is its best keyframe's; moments come best first.
    """
    previous = previous or {}
    state = state or {}
    by_camera: dict[str, list[Candidate]] = {}
    for c in candidates:
        if c.id in scores:
            by_camera.setdefault(c.camera, []).append(c)
    moments = []
    for camera, items in by_camera.items():
        items.sort(key=lambda c: (c.utc_ts, c.id))
        group = [items[0]]
        for c in items[1:]:
            last = group[-1]
            near = c.utc_ts - last.utc_ts <= gap_s or previous.get(c.id) == last.id
            if near and state.get(c.id) == state.get(last.id):
                group.append(c)
            else:
                moments.append(_moment(camera, group, scores, signals))
                group = [c]
        moments.append(_moment(camera, group, scores, signals))
    moments.sort(key=lambda m: (-m.score, m.camera, m.start_ts))
    return moments


def _moment(camera, group, scores, signals) -> Moment:
    best = max(group, key=lambda c: (scores[c.id], -c.utc_ts))
    return Moment(
        camera=camera,
        start_ts=group[0].utc_ts,
        end_ts=group[-1].utc_ts,
        best_id=best.id,
        score=scores[best.id],
        keyframe_ids=tuple(c.id for c in group),
        signals={name: s[best.id] for name, s in signals.items() if best.id in s},
    )
