"""Measured search quality: `vigil eval retrieval` (COCO captions) and `vigil eval moments`.

Both build a throw-away store, so the figures do not depend on what an operator ingested.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from vigil.ingest import Ingestor
from vigil.models import ModelRegistry
from vigil.search.ranking import overlaps, recall_at_k
from vigil.search.service import SearchService
from vigil.settings import Settings
from vigil.store import Store

LANGUAGES = ("en", "nl", "fr", "es")
CLIP_START = datetime(2026, 1, 1, tzinfo=UTC)
KS = (1, 5, 10)


@dataclass
class RetrievalReport:
    """Recall@K of each ranking on text-to-image retrieval."""

    queries: int
    images: int
    recall: dict[str, dict[int, float]] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)


def sample_services(settings: Settings, models: ModelRegistry) -> tuple[SearchService, Ingestor]:
    """A search service and an ingestor over a fresh store (for evaluations)."""
    store = Store(settings)
    return SearchService(settings, store, models), Ingestor(settings, store, models)


def eval_retrieval(
    coco_dir: Path, models: ModelRegistry, limit: int | None = None
) -> RetrievalReport:
    """Each COCO caption must retrieve its own image among the set's images."""
    captions: dict[str, list[str]] = json.loads((coco_dir / "captions.json").read_text())
    names = sorted(captions)[:limit]
    with tempfile.TemporaryDirectory() as tmp:
        settings = models.settings.apart(Path(tmp), models.settings.timezone)
        service, ingestor = sample_services(settings, models)
        for name in names:
            ingestor.ingest_still(coco_dir / "images" / name, "coco", CLIP_START)
        by_source = {Path(k.source).name: k.id for k in service.store.keyframes.list("coco")}
        rankings = {
            "caption": dict(signal="caption"),
            "words": dict(signal="words"),
            "fused rrf": dict(fusion="rrf"),
            "fused zscore": dict(fusion="zscore"),
            "fused rrf + rerank": dict(fusion="rrf", rerank=True),
        }
        totals = {name: dict.fromkeys(KS, 0.0) for name in rankings}
        n = 0
        for name in names:
            for caption in captions[name]:
                n += 1
                ranked = service.ranked_keyframes(caption, rankings, k=max(KS))
                for label, ids in ranked.items():
                    for k in KS:
                        totals[label][k] += recall_at_k(ids, {by_source[name]}, k)
    report = RetrievalReport(queries=n, images=len(names))
    report.recall = {label: {k: v / n for k, v in row.items()} for label, row in totals.items()}
    if models.clip is None:
        report.unavailable["clip"] = "no CLIP weights configured (VIGIL_CLIP_MODEL_PATH)"
    return report


@dataclass(frozen=True)
class CountCheck:
    """People or vehicles counted from tracks in a window, against the timeline's count."""

    camera: str
    what: str
    from_s: float
    to_s: float
    expected: int
    counted: int


@dataclass
class MomentsReport:
    """Moment recall@1 and @5 per language, for plain and for scene-level queries; each
    query's misses (at 5); and the counts of people and vehicles passing."""

    recall: dict[int, dict[str, float]]  # k -> language -> recall, plain queries
    scene_recall: dict[int, dict[str, float]]  # the same for scene-level queries
    misses: dict[str, list[str]]
    queries: int
    scene_queries: int
    counts: list[CountCheck] = field(default_factory=list)


MOMENT_KS = (1, 5)


def eval_moments(
    shared_data: Path,
    vtest: Path,
    truth_file: Path,
    models: ModelRegistry,
    slack_s: float = 3.0,
) -> MomentsReport:
    """Ingest the sample clips; check each query finds a true moment first and in its top
    five; count the people and vehicles passing from the stored tracks."""
    truth = json.loads(truth_file.read_text())
    with tempfile.TemporaryDirectory() as tmp:
        settings = models.settings.apart(Path(tmp), models.settings.timezone)
        service, ingestor = sample_services(settings, models)
        for camera, rel in truth["clips"].items():
            path = vtest if rel == "vtest.avi" else shared_data / rel
            ingestor.ingest(path, camera, CLIP_START)
        groups = {"plain": [], "scene": []}
        for item in truth["queries"]:
            groups["scene" if item.get("kind") == "scene" else "plain"].append(item)
        misses: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
        recall = {}
        for group, items in groups.items():
            found = {k: dict.fromkeys(LANGUAGES, 0) for k in MOMENT_KS}
            for item in items:
                spans = [tuple(span) for span in item["truth"]]
                for lang in LANGUAGES:
                    result = service.search(item[lang], cameras=[item["camera"]], k=max(MOMENT_KS))
                    rank = first_true_rank(result.moments, spans, slack_s)
                    for k in MOMENT_KS:
                        found[k][lang] += rank is not None and rank <= k
                    if rank is None:
                        misses[lang].append(item[lang])
            recall[group] = {
                k: {lang: found[k][lang] / max(1, len(items)) for lang in LANGUAGES}
                for k in MOMENT_KS
            }
        counts = [
            CountCheck(
                c["camera"],
                c["what"],
                c["from_s"],
                c["to_s"],
                c["expected"],
                len(
                    service.store.tracks.list(
                        [c["camera"]],
                        CLIP_START + timedelta(seconds=c["from_s"]),
                        CLIP_START + timedelta(seconds=c["to_s"]),
                        cls=c["what"],
                    )
                ),
            )  # fmt: skip
            for c in truth.get("counts", [])
        ]
    return MomentsReport(
        recall=recall["plain"],
        scene_recall=recall["scene"],
        misses=misses,
        queries=len(groups["plain"]),
        scene_queries=len(groups["scene"]),
        counts=counts,
    )


def first_true_rank(moments: list, spans: list[tuple[float, float]], slack_s: float) -> int | None:
    """The rank (1-based) of the first moment overlapping a true span, or None."""
    base = CLIP_START.timestamp()
    for rank, m in enumerate(moments, start=1):
        if overlaps(m.start.timestamp() - base, m.end.timestamp() - base, spans, slack_s):
            return rank
    return None
