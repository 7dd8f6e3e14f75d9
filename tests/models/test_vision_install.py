"""Installed vision models are checked by what they compute (vision_reference.json)."""

from __future__ import annotations

import shutil

import pytest

from vigil.models.vision import NanoDetDetector
from vigil.models.vision_install import VISION_FILES, check, main

pytestmark = pytest.mark.slow


@pytest.fixture
def copied(tmp_path, models):
    for name in VISION_FILES:
        shutil.copy(models.settings.models_dir / name, tmp_path / name)
    return tmp_path


def test_the_installed_models_compute_as_recorded_and_get_their_sums(copied):
    assert check(copied) == []
    assert main([str(copied)]) == 0
    assert sorted(line.split()[1] for line in (copied / "SHA256SUMS").read_text().splitlines()) == (
        sorted(VISION_FILES)
    )
    NanoDetDetector(copied)  # the written sums are the ones a load checks


def test_a_wrong_or_missing_model_is_refused_and_no_sums_are_written(copied):
    shutil.copy(copied / "movenet-multipose.onnx", copied / "blazeface-back.onnx")
    (copied / "nanodet.onnx").unlink()
    problems = check(copied)
    assert problems[0] == "nanodet.onnx: missing"
    assert any(p.startswith("blazeface-back.onnx: ") for p in problems)
    assert main([str(copied)]) == 1
    assert not (copied / "SHA256SUMS").exists()
