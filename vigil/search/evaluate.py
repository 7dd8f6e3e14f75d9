"""Measured search quality: `vigil eval retrieval` (COCO captions) and `vigil eval moments`.

Both build a throw-away store, so the figures do not depend on what an operator ingested.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
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
        settings = models.settings.model_copy(update={"data_dir": Path(tmp), "chroma_url": None})
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


@dataclass
class MomentsReport:
    """Moment recall@K per language, and each query's outcome."""

    recall: dict[str, float]
    misses: dict[str, list[str]]
    queries: int


def eval_moments(
    shared_data: Path,
    vtest: Path,
    truth_file: Path,
    models: ModelRegistry,
    k: int = 5,
    slack_s: float = 3.0,
) -> MomentsReport:
    """Ingest the sample clips and check each query finds a true moment in its top k."""
    truth = json.loads(truth_file.read_text())
    with tempfile.TemporaryDirectory() as tmp:
        settings = models.settings.model_copy(update={"data_dir": Path(tmp), "chroma_url": None})
        service, ingestor = sample_services(settings, models)
        for camera, rel in truth["clips"].items():
            path = vtest if rel == "vtest.avi" else shared_data / rel
            ingestor.ingest(path, camera, CLIP_START)
        found = dict.fromkeys(LANGUAGES, 0)
        misses: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
        base = CLIP_START.timestamp()
        for item in truth["queries"]:
            spans = [tuple(span) for span in item["truth"]]
            for lang in LANGUAGES:
                result = service.search(item[lang], cameras=[item["camera"]], k=k)
                hit = any(
                    overlaps(m.start.timestamp() - base, m.end.timestamp() - base, spans, slack_s)
                    for m in result.moments
                )
                found[lang] += hit
                if not hit:
                    misses[lang].append(item[lang])
    n = len(truth["queries"])
    return MomentsReport(
        recall={lang: found[lang] / n for lang in LANGUAGES}, misses=misses, queries=n
    )
