"""Ranking math for search: pure functions, tested without models.

Signals (caption similarity, lexical match, CLIP, reranker) each score some candidate
keyframes; fusion turns them into one ranking. Recall and overlap score evaluations.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

RRF_K = 60


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


def close_enough(signals: Mapping[str, float], min_similarity: float) -> bool:
    """Whether a moment of a text search shows what was asked on its own: it holds the
    query's words, or its caption or a track through it is described at least
    ``min_similarity`` close. A moment ranked only for being less far than the rest (an
    empty room, when nothing better exists) is not."""
    if signals.get("words"):
        return True
    return max(signals.get("caption", 0.0), signals.get("track", 0.0)) >= min_similarity


def recall_at_k(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """1.0 if any relevant id is among the first k, else 0.0."""
    return 1.0 if relevant.intersection(ranked[:k]) else 0.0


def overlaps(start: float, end: float, truth: Sequence[tuple[float, float]], slack: float) -> bool:
    """Whether [start, end] overlaps any truth interval widened by ``slack`` seconds."""
    return any(start <= t_end + slack and end >= t_start - slack for t_start, t_end in truth)
