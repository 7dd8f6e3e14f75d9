"""Redaction on real photographs with faces (COCO images in ../shared/data): the face
regions change, the rest of the image does not (real BlazeFace, MoveNet, plate cascade)."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from vigil.reports.redact import Redactor

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def redactor(models) -> Redactor:
    return Redactor(models.faces, models.poses)


def _images_with_people(shared_data, limit: int) -> list:
    folder = shared_data / "coco_mini"
    listed = json.loads((folder / "images.json").read_text())
    names = sorted(n for n, about in listed.items() if about["objects"].get("person"))
    return [cv2.imread(str(folder / "images" / n)) for n in names[:limit]]


def test_face_regions_change_and_the_rest_of_the_image_does_not(redactor, shared_data):
    checked = 0
    for image in _images_with_people(shared_data, 40):
        regions, counts = redactor.regions(image)
        if not counts.faces:
            continue
        out, again = redactor.redact(image)
        assert again == counts
        inside = np.zeros(image.shape[:2], bool)
        h, w = image.shape[:2]
        for r in regions:  # as blurred: each box widened by the margin
            mx, my = round(r.box.width * 0.15), round(r.box.height * 0.15)
            inside[
                max(0, r.box.y1 - my) : min(h, r.box.y2 + my),
                max(0, r.box.x1 - mx) : min(w, r.box.x2 + mx),
            ] = True
        assert np.array_equal(out[~inside], image[~inside]), "pixels outside faces kept"
        for face in (r for r in regions if r.name == "face"):
            b = face.box
            before = image[b.y1 : b.y2, b.x1 : b.x2].astype(int)
            after = out[b.y1 : b.y2, b.x1 : b.x2].astype(int)
            assert np.abs(after - before).mean() > 2, "the face itself is changed"
            assert (
                cv2.Laplacian(after.astype(np.uint8), cv2.CV_64F).var()
                < cv2.Laplacian(before.astype(np.uint8), cv2.CV_64F).var()
            ), "and loses its detail"
        checked += 1
    assert checked >= 3, "the sample holds photos with faces"


def test_an_image_without_faces_or_plates_comes_back_unchanged(redactor):
    flat = np.full((240, 320, 3), 128, np.uint8)
    out, counts = redactor.redact(flat)
    assert counts.total == 0 and np.array_equal(out, flat)
