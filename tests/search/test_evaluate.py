"""The evaluations themselves, on the real sample data and packaged models."""

from pathlib import Path

import pytest

from tests.conftest import REPO, VTEST
from vigil.search.evaluate import eval_moments, eval_retrieval

pytestmark = pytest.mark.slow


def test_retrieval_eval_reports_every_ranking(models, shared_data: Path):
    report = eval_retrieval(shared_data / "coco_mini", models, limit=6)
    assert report.queries == 30 and report.images == 6
    assert set(report.recall) == {
        "caption",
        "words",
        "fused rrf",
        "fused zscore",
        "fused rrf + rerank",
    }
    for row in report.recall.values():
        assert 0 <= row[1] <= row[5] <= row[10] <= 1
    assert report.recall["fused rrf"][1] > 1 / 6  # better than picking one of 6 at random
    assert "clip" in report.unavailable


def test_moment_recall_meets_the_target_in_every_language(models, shared_data: Path):
    if not VTEST.is_file():
        pytest.fail(f"{VTEST} missing: run `make test`, which fetches it")
    report = eval_moments(shared_data, VTEST, REPO / "tests" / "data" / "moments.json", models)
    recall = report.recall[5]
    assert recall["en"] >= 0.9, report.misses
    for lang in ("nl", "fr", "es"):
        assert recall[lang] >= recall["en"] - 0.1, report.misses
    assert report.scene_queries >= 8 and 0 <= report.scene_recall[1]["en"] <= 1
    # people and vehicles passing, counted from tracks, as the timelines count them
    assert [(c.counted, c.expected) for c in report.counts] == [
        (c.expected, c.expected) for c in report.counts
    ]
