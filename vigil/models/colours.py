"""Naming the dominant colour of a set of pixels (pure functions, no model)."""

from __future__ import annotations

import cv2
import numpy as np


def colour_name(hsv: tuple[float, float, float]) -> str:
    """Name an OpenCV HSV triple (H 0-180, S and V 0-255) with a plain colour word."""
    h, s, v = hsv
    if v < 50:
        return "black"
    if s < 40:
        if v > 200:
            return "white"
        return "grey" if v > 90 else "dark grey"
    if s < 90 and v < 130:
        return "brown" if 5 <= h < 30 else "dark grey"
    if h < 8 or h >= 165:
        return "red" if v > 90 else "dark red"
    if h < 20:
        return "brown" if v < 150 else "orange"
    if h < 33:
        return "yellow" if s > 120 else "beige"
    if h < 85:
        return "green"
    if h < 130:
        return "blue" if v > 80 else "navy"
    if h < 150:
        return "purple"
    return "pink"


def dominant_colour(bgr_pixels: np.ndarray) -> str | None:
    """The colour word of the most common colour among BGR pixels (N x 3), or None if empty."""
    if bgr_pixels.size == 0 or len(bgr_pixels) < 10:
        return None
    hsv = cv2.cvtColor(bgr_pixels.reshape(-1, 1, 3).astype(np.uint8), cv2.COLOR_BGR2HSV)
    names = [
        colour_name(tuple(map(float, p))) for p in hsv.reshape(-1, 3)[:: max(1, len(hsv) // 400)]
    ]
    values, counts = np.unique(names, return_counts=True)
    return str(values[int(np.argmax(counts))])
