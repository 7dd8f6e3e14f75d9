"""Every bench script runs (its `--quick` mode): the figures in the README stay
reproducible. Timings are printed by the scripts, never asserted here."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO, SHARED_DATA, VTEST

pytestmark = pytest.mark.slow

SCRIPTS = {
    "ingest.py": ([str(VTEST)], "whole-pipeline real-time factor"),
    "search.py": ([], "p95"),
    "agent.py": ([], "median: first visible step"),
    "posture.py": ([str(SHARED_DATA / "coco_mini")], "people with a pose"),
    "objects.py": ([str(SHARED_DATA / "coco_mini")], "a rule may name it"),
    "summary.py": ([], "what happened last night"),
    "alarms.py": ([], "202 -> verdict"),
    "reports.py": ([], "package (clips copied as recorded)"),
    "language.py": ([], "lingua: accuracy"),
    "scenes.py": ([str(SHARED_DATA), str(VTEST)], "precision"),
    "scale.py": ([], "capacity on paper"),
}


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_a_bench_script_runs_in_its_quick_mode(script, tmp_path):
    args, says = SCRIPTS[script]
    env = {**os.environ, "VIGIL_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / script), *args, "--quick"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert says in done.stdout, done.stdout[-2000:]
