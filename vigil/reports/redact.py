"""Redaction of what leaves the site: faces and licence plates pixelated in evidence images
and clips. The originals stay in the store; each export records what was blurred.

Faces come from three sources, because CCTV faces are small and often turned away:
BlazeFace (faces down to a few pixels), the head keypoints of MoveNet (nose, eyes, ears:
a head is covered even when no face detector fires) and, for plates, OpenCV's plate
cascade. Nothing here identifies anyone: regions are found only to be hidden.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import cv2
import numpy as np

from vigil.domain import Box
from vigil.models.vision import BlazeFaceDetector, Found, MoveNetPoses, blur_faces

PLATE_CASCADE = "haarcascade_russian_plate_number.xml"
HEAD_POINTS = ("nose", "left eye", "right eye", "left ear", "right ear")


@dataclass(frozen=True)
class Redaction:
    """What one image had blurred."""

    faces: int
    heads: int
    plates: int

    @property
    def total(self) -> int:
        return self.faces + self.heads + self.plates

    def as_dict(self) -> dict[str, int]:
        return {"faces": self.faces, "heads": self.heads, "plates": self.plates}


class Redactor:
    """Finds the regions to hide in a frame and pixelates them."""

    def __init__(self, faces: BlazeFaceDetector, poses: MoveNetPoses | None = None) -> None:
        self.faces = faces
        self.poses = poses
        self.plates = cv2.CascadeClassifier(cv2.data.haarcascades + PLATE_CASCADE)
        if self.plates.empty():
            raise RuntimeError(f"OpenCV's {PLATE_CASCADE} did not load")
        self._lock = threading.Lock()  # OpenCV's cascade is not safe across threads

    def regions(self, bgr: np.ndarray) -> tuple[list[Found], Redaction]:
        """Every face, head and plate region of a frame (one frame at a time: the server's
        requests share one redactor)."""
        with self._lock:
            return self._regions(bgr)

    def _regions(self, bgr: np.ndarray) -> tuple[list[Found], Redaction]:
        faces = self.faces.detect(bgr, threshold=0.5)
        heads = [h for h in self._heads(bgr) if not any(_overlaps(h.box, f.box) for f in faces)]
        gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
        plates = [
            Found("plate", 1.0, Box(int(x), int(y), int(x + w), int(y + h)))
            for x, y, w, h in self.plates.detectMultiScale(gray, 1.1, 4, minSize=(24, 8))
        ]
        return [*faces, *heads, *plates], Redaction(len(faces), len(heads), len(plates))

    def redact(self, bgr: np.ndarray) -> tuple[np.ndarray, Redaction]:
        regions, counts = self.regions(bgr)
        return (blur_faces(bgr, regions, margin=0.15) if regions else bgr.copy()), counts

    def _heads(self, bgr: np.ndarray) -> list[Found]:
        """A box around each person's head keypoints, sized by their spread or shoulders."""
        if self.poses is None:
            return []
        found = []
        for pose in self.poses.detect(bgr, threshold=0.25):
            points = [p for p in (pose.point(n, 0.3) for n in HEAD_POINTS) if p]
            if not points:
                continue
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            shoulders = [pose.point(n, 0.3) for n in ("left shoulder", "right shoulder")]
            span = abs(shoulders[0][0] - shoulders[1][0]) if all(shoulders) else 0.0
            side = max(max(xs) - min(xs), max(ys) - min(ys), 0.6 * span, 0.08 * pose.box.width, 6)
            cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
            half = 0.8 * side
            found.append(
                Found(
                    "head",
                    pose.score,
                    Box(
                        int(cx - half),
                        int(cy - half * 1.2),
                        int(cx + half),
                        int(cy + half),
                    ),
                )
            )
        return found


def _overlaps(a: Box, b: Box) -> bool:
    return a.x1 < b.x2 and b.x1 < a.x2 and a.y1 < b.y2 and b.y1 < a.y2
