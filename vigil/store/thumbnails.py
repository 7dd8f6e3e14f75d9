"""Content-addressed JPEG thumbnails on disk: the file name is the SHA-256 of its bytes."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import cv2
import numpy as np

from vigil.errors import InvalidInputError

NAME = re.compile(r"^[0-9a-f]{64}\.jpg$")


class ThumbnailStore:
    """Writes each distinct JPEG once, under ``root/ab/abcdef….jpg``."""

    def __init__(self, root: Path, width: int = 384, quality: int = 85) -> None:
        self.root = root
        self.width = width
        self.quality = quality

    def encode(self, frame_bgr: np.ndarray) -> bytes:
        """A downscaled JPEG of a BGR frame."""
        h, w = frame_bgr.shape[:2]
        if w > self.width:
            frame_bgr = cv2.resize(
                frame_bgr, (self.width, round(h * self.width / w)), interpolation=cv2.INTER_AREA
            )
        ok, buf = cv2.imencode(".jpg", frame_bgr, [cv2.IMWRITE_JPEG_QUALITY, self.quality])
        if not ok:
            raise RuntimeError("JPEG encoding failed")
        return buf.tobytes()

    def path_of(self, name: str) -> Path:
        """The file of a thumbnail's content-addressed name; any other name (a path, a
        file of the server's) is refused, never opened."""
        if not NAME.match(name):
            raise InvalidInputError(f"{name[:80]!r} is not a thumbnail name")
        return self.root / name[:2] / name

    def put(self, jpeg: bytes) -> str:
        """Store JPEG bytes (no-op if present) and return their name."""
        name = hashlib.sha256(jpeg).hexdigest() + ".jpg"
        path = self.path_of(name)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            tmp.write_bytes(jpeg)
            tmp.replace(path)
        return name

    def delete(self, name: str) -> None:
        self.path_of(name).unlink(missing_ok=True)

    def names(self) -> set[str]:
        """Every stored thumbnail's name."""
        return {p.name for p in self.root.glob("??/*.jpg")} if self.root.exists() else set()

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.root.rglob("*.jpg")) if self.root.exists() else 0
