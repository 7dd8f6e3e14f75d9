"""Ranking math for search: pure functions over frozen data, tested without models.

Signals (caption similarity, lexical match, CLIP, reranker) each score some candidate
keyframes; fusion turns them into one ranking, and moments merge nearby frames.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

RRF_K = 60


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


def ranks(scores: Mapping[str, float]) -> list[str]:
    """Ids by descending score (ties broken by id for determinism)."""
    return sorted(scores, key=lambda i: (-scores[i], i))


def rrf_fuse(
    signals: Mapping[str, Mapping[str, float]],
    weights: Mapping[str, float] | None = None,
    k: int = RRF_K,
) -> dict[str, float]:
    """Reciprocal-rank fusion: sum over signals of weight / (k + rank), rank from 1."""
    fused: dict[str, float] = {}
    for name, scores in signals.items():
        w = 1.0 if weights is None else weights.get(name, 1.0)
        for rank, cid in enumerate(ranks(scores), start=1):
            fused[cid] = fused.get(cid, 0.0) + w / (k + rank)
    return fused


def zscore_fuse(
    signals: Mapping[str, Mapping[str, float]],
    weights: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """Z-score fusion: standardise each signal over its candidates and add them up.

    A candidate a signal did not return gets that signal's lowest z-score.
    """
    ids = {cid for scores in signals.values() for cid in scores}
    fused = dict.fromkeys(ids, 0.0)
    for name, scores in signals.items():
        if not scores:
            continue
        w = 1.0 if weights is None else weights.get(name, 1.0)
        values = list(scores.values())
        mean = sum(values) / len(values)
        std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) or 1.0
        floor = (min(values) - mean) / std
        for cid in ids:
            z = (scores[cid] - mean) / std if cid in scores else floor
            fused[cid] += w * z
    return fused


FUSERS = {"rrf": rrf_fuse, "zscore": zscore_fuse}


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


def recall_at_k(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """1.0 if any relevant id is among the first k, else 0.0."""
    return 1.0 if relevant.intersection(ranked[:k]) else 0.0


def overlaps(start: float, end: float, truth: Sequence[tuple[float, float]], slack: float) -> bool:
    """Whether [start, end] overlaps any truth interval widened by ``slack`` seconds."""
    return any(start <= t_end + slack and end >= t_start - slack for t_start, t_end in truth)
