"""Keyframe choice by scene change, bounded by a minimum and a maximum interval."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

SIGNATURE_SIZE = (64, 48)
PIXEL_CHANGE = 18  # grey levels a signature pixel must move to count as changed


def frame_signature(small_bgr: np.ndarray) -> np.ndarray:
    """A tiny blurred greyscale copy of a frame, compared between frames for scene change."""
    grey = cv2.cvtColor(small_bgr, cv2.COLOR_BGR2GRAY)
    tiny = cv2.resize(grey, SIGNATURE_SIZE, interpolation=cv2.INTER_AREA)
    return cv2.GaussianBlur(tiny, (3, 3), 0)


def changed_fraction(a: np.ndarray, b: np.ndarray) -> float:
    """Share of signature pixels that differ by more than PIXEL_CHANGE grey levels."""
    diff = cv2.absdiff(a, b)
    return float(np.count_nonzero(diff > PIXEL_CHANGE)) / diff.size


@dataclass
class KeyframeSampler:
    """Decides, frame by frame, which frames become keyframes.

    A frame is kept when it is the first, when ``max_interval_s`` has passed since the last
    keyframe (so a static scene is still covered), or when at least ``min_interval_s`` has
    passed and the scene changed by ``threshold`` (share of changed pixels) since the last
    keyframe (so a busy scene is not flooded).
    """

    min_interval_s: float
    max_interval_s: float
    threshold: float
    _last_offset: float | None = None
    _last_signature: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.min_interval_s > self.max_interval_s:
            raise ValueError("min_interval_s must not exceed max_interval_s")

    def consider(self, offset_s: float, signature: np.ndarray) -> str | None:
        """Return why the frame is a keyframe ('first', 'interval', 'change'), or None."""
        reason = None
        if self._last_offset is None or self._last_signature is None:
            reason = "first"
        else:
            elapsed = offset_s - self._last_offset
            if elapsed >= self.max_interval_s:
                reason = "interval"
            elif elapsed >= self.min_interval_s and (
                changed_fraction(signature, self._last_signature) >= self.threshold
            ):
                reason = "change"
        if reason:
            self._last_offset = offset_s
            self._last_signature = signature
        return reason
