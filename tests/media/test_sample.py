import numpy as np
import pytest

from vigil.media import KeyframeSampler
from vigil.media.sample import changed_fraction


def sig(value: int) -> np.ndarray:
    return np.full((48, 64), value, np.uint8)


def run(sampler: KeyframeSampler, frames) -> list[tuple[float, str]]:
    kept = []
    for t, s in frames:
        reason = sampler.consider(t, s)
        if reason:
            kept.append((t, reason))
    return kept


def test_static_scene_still_gets_a_frame_every_max_interval():
    sampler = KeyframeSampler(min_interval_s=1, max_interval_s=5, threshold=0.05)
    kept = run(sampler, [(i / 10, sig(100)) for i in range(0, 121)])
    assert kept == [(0.0, "first"), (5.0, "interval"), (10.0, "interval")]


def test_busy_scene_is_limited_by_min_interval():
    sampler = KeyframeSampler(min_interval_s=1, max_interval_s=5, threshold=0.05)
    frames = [(i / 10, sig(0 if i % 2 else 255)) for i in range(0, 31)]  # changes every frame
    times = [t for t, _ in run(sampler, frames)]
    # the frame at 1.0 s equals the last keyframe, so the next change is kept at 1.1 s
    assert times == [0.0, 1.1, 2.2]


def test_scene_change_triggers_after_min_interval():
    sampler = KeyframeSampler(min_interval_s=1, max_interval_s=10, threshold=0.05)
    frames = [(i / 10, sig(100 if i < 25 else 200)) for i in range(0, 40)]
    assert run(sampler, frames) == [(0.0, "first"), (2.5, "change")]


def test_small_change_below_threshold_is_ignored():
    a = sig(100)
    b = a.copy()
    b[:2, :10] = 200  # 20 of 3072 pixels
    assert changed_fraction(a, b) == pytest.approx(20 / 3072)
    sampler = KeyframeSampler(min_interval_s=1, max_interval_s=10, threshold=0.05)
    assert run(sampler, [(0, a), (2, b)]) == [(0, "first")]


def test_min_above_max_is_rejected():
    with pytest.raises(ValueError):
        KeyframeSampler(min_interval_s=5, max_interval_s=1, threshold=0.05)
