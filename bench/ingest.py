"""Ingest throughput per stage on one video (default: vtest.avi), on this machine.

Prints keyframes/s and the real-time factor (seconds of video per wall second) of each
stage and of the whole pipeline, models loaded beforehand (they load once per process).
Caption embedding and storing run on a second thread while the next batch is decoded and
described, so the stages' seconds add up to more than the whole pipeline's.

    .venv/bin/python bench/ingest.py [VIDEO] [RUNS]     (default: vtest.avi, 3 runs)
    .venv/bin/python bench/ingest.py --quick            one run: it runs, no figure to quote
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from vigil.ingest import Ingestor, IngestResult
from vigil.models import ModelRegistry
from vigil.settings import Settings
from vigil.store import Store

DEFAULT_VIDEO = Path(__file__).resolve().parent.parent / "var" / "samples" / "vtest.avi"


def ingest_once(video: Path, models: ModelRegistry) -> IngestResult:
    """One ingest into a fresh, throw-away store (cold caption cache)."""
    getattr(models.text_embedder, "clear_cache", lambda: None)()
    with tempfile.TemporaryDirectory() as tmp:
        settings = models.settings.model_copy(update={"data_dir": Path(tmp)})
        return Ingestor(settings, Store(settings), models).ingest(video, "bench")


def main() -> None:
    quick = "--quick" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--quick"]
    video = Path(args[0]) if args else DEFAULT_VIDEO
    runs = 1 if quick else int(args[1]) if len(args) > 1 else 3
    models = ModelRegistry(Settings())  # VIGIL_* variables apply
    t0 = time.perf_counter()
    models.labeler.embed_images([np.zeros((64, 64, 3), np.uint8)])  # load every model once
    models.text_embedder.embed_passages(["warm up"])
    models.objects.detect(np.zeros((64, 64, 3), np.uint8))
    load_s = time.perf_counter() - t0
    results = sorted((ingest_once(video, models) for _ in range(runs)), key=lambda r: r.seconds)
    result = results[len(results) // 2]  # the median run

    n, video_s = result.keyframes_added, result.video_seconds
    print(
        f"video: {video.name}, {video_s:.1f} s, {result.frames_decoded} frames decoded, "
        f"{n} keyframes; model load {load_s:.1f} s (once per process, not counted)"
    )
    print(
        f"whole-pipeline real-time factor of {runs} runs: "
        + ", ".join(f"{video_s / r.seconds:.1f}x" for r in results)
        + "; median run below"
    )
    print(f"{'stage':<18}{'seconds':>9}{'keyframes/s':>13}{'x real time':>13}")
    for stage, secs in result.stage_seconds.items():
        print(f"{stage:<18}{secs:>9.2f}{n / secs:>13.1f}{video_s / secs:>13.1f}")
    print("(embed text and store run on the writer thread, beside the stages above them)")
    total = result.seconds
    print(f"{'whole pipeline':<18}{total:>9.2f}{n / total:>13.1f}{video_s / total:>13.1f}")
    verdict = "met" if video_s / total >= 10 else "NOT met"
    print(f"target: whole pipeline >= 10x real time (median run) -> {verdict}")


if __name__ == "__main__":
    main()
