"""Scene words from ImageNet probabilities: pure checks on made-up vectors, one real image."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from tests.conftest import SHARED_DATA
from vigil.models.scene import (
    MIN_SHARE,
    SCENE_CLASSES,
    SCENE_WORDS,
    camera_scene_words,
    scene_shares,
    scene_words,
)

STOVE, FRIDGE, WASHBASIN, RESTAURANT, DINING_TABLE, STREET_SIGN = 827, 760, 896, 762, 532, 919
TABBY_CAT = 281  # no scene word


def probs(at: dict[int, float]) -> np.ndarray:
    """A 1000-class probability vector: the given classes, the rest spread evenly."""
    p = np.zeros(1000)
    for index, value in at.items():
        p[index] = value
    rest = 1.0 - p.sum()
    p[p == 0] = rest / (p == 0).sum()
    return p


def test_a_strong_scene_class_gives_its_word():
    assert scene_words(probs({STOVE: 0.6}), 0.15) == ["kitchen"]


def test_classes_of_one_word_add_up_past_the_threshold():
    p = probs({STOVE: 0.08, FRIDGE: 0.08})
    assert scene_words(p, 0.15) == ["kitchen"]
    assert scene_shares(p)["kitchen"] == pytest.approx(0.16, abs=0.01)


def test_nothing_below_the_threshold_and_none_for_an_object_class():
    assert scene_words(probs({WASHBASIN: 0.1}), 0.15) == []
    assert scene_words(probs({TABBY_CAT: 0.9}), 0.15) == []


def test_words_come_best_first():
    p = probs({RESTAURANT: 0.2, DINING_TABLE: 0.2, STREET_SIGN: 0.3})
    assert scene_words(p, 0.15) == ["dining area", "street"]


def test_several_frames_are_averaged():
    frames = np.stack([probs({STOVE: 0.4}), probs({TABBY_CAT: 0.9})])
    assert scene_shares(frames)["kitchen"] == pytest.approx(0.2, abs=0.01)
    assert scene_words(frames, 0.15) == ["kitchen"]
    assert scene_words(frames, 0.25) == []


def test_a_vector_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError):
        scene_words(np.ones(10) / 10, 0.15)


def test_every_class_index_names_the_imagenet_class_it_claims():
    timm = pytest.importorskip("timm")
    info = timm.data.ImageNetInfo()
    for index, (name, word) in SCENE_CLASSES.items():
        assert info.index_to_description(index).split(",")[0].strip().lower() == name
        assert word in SCENE_WORDS


class FakeLabeler:
    def __init__(self, rows: list[np.ndarray]) -> None:
        self.rows = np.stack(rows)
        self.seen: list[tuple[int, tuple[int, int]]] = []

    def class_probabilities(self, images_bgr):
        self.seen.append(len(images_bgr))
        return self.rows[: len(images_bgr)]


def test_a_camera_gets_the_words_of_its_frames_averaged():
    labeler = FakeLabeler([probs({STOVE: 0.5}), probs({STREET_SIGN: 0.5})])
    frames = [np.zeros((48, 64, 3), np.uint8)] * 2
    assert camera_scene_words(frames, labeler, 0.2) == ["kitchen", "street"]
    assert camera_scene_words(frames, labeler, 0.3) == []
    assert labeler.seen == [2, 2]
    assert camera_scene_words([], labeler) == []


@pytest.mark.slow
def test_a_kitchen_photo_is_called_a_kitchen(models):
    # bench/scenes.py: kitchen takes 0.89 of the probability on this still (stove, cabinets)
    image = SHARED_DATA / "coco_mini" / "images" / "000000177977.jpg"
    if not image.is_file():
        pytest.skip(f"sample data not found at {SHARED_DATA} (set VIGIL_SHARED_DATA)")
    words = camera_scene_words([cv2.imread(str(image))], models.labeler, MIN_SHARE)
    assert words[:1] == ["kitchen"]
