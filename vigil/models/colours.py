"""Naming the dominant colour of a set of pixels (pure functions, no model)."""

from __future__ import annotations

import cv2
import numpy as np

# Rules in order; the first that matches names the pixel. H is 0-180, S and V 0-255.
# White is untinted: a bright pixel with a tint (a silver or pale blue-grey car, S about
# 22 where white cars and vans measure 0-5) is grey.
WHITE_MAX_S = 15
GREYS = ("grey", "dark grey")  # one colour in folds and shade: counted together
_NAMES = [
    "black",
    "white",
    "grey",
    "dark grey",
    "brown",
    "dark grey",
    "dark red",
    "red",
    "brown",
    "orange",
    "yellow",
    "beige",
    "green",
    "blue",
    "navy",
    "purple",
    "pink",
]


def _name_indices(hsv: np.ndarray) -> np.ndarray:
    """Index into _NAMES for each HSV row (N x 3)."""
    h, s, v = (hsv[:, i].astype(np.int32) for i in range(3))
    red_hue = (h < 8) | (h >= 165)
    conditions = [
        v < 50,
        (s < WHITE_MAX_S) & (v > 200),
        (s < 40) & (v > 90),
        s < 40,
        (s < 90) & (v < 130) & (h >= 5) & (h < 30),
        (s < 90) & (v < 130),
        red_hue & (v <= 90),
        red_hue,
        (h < 20) & (v < 150),
        h < 20,
        (h < 33) & (s > 120),
        h < 33,
        h < 85,
        (h < 130) & (v > 80),
        h < 130,
        h < 150,
    ]
    return np.select(conditions, np.arange(len(conditions)), default=len(conditions))


def colour_name(hsv: tuple[float, float, float]) -> str:
    """Name an OpenCV HSV triple (H 0-180, S and V 0-255) with a plain colour word."""
    return _NAMES[int(_name_indices(np.array([hsv]))[0])]


def dominant_colour(bgr_pixels: np.ndarray) -> str | None:
    """The colour word of the most common colour among BGR pixels (N x 3), or None if few.

    Against black, grey and dark grey count together (a grey cardigan in folds and shade is
    both, and lost to long black hair over it), then the larger names it; a white car's
    shaded sides read grey too, and do not outvote it."""
    if len(bgr_pixels) < 10:
        return None
    hsv = cv2.cvtColor(bgr_pixels.reshape(-1, 1, 3).astype(np.uint8), cv2.COLOR_BGR2HSV)
    indices = _name_indices(hsv.reshape(-1, 3))
    counts = np.bincount(indices, minlength=len(_NAMES))
    # two rules share a name ("dark grey", "brown"): count by name
    by_name: dict[str, int] = {}
    for i, n in enumerate(counts):
        by_name[_NAMES[i]] = by_name.get(_NAMES[i], 0) + int(n)
    best = max(by_name, key=by_name.get)
    if best == "black" and sum(by_name[g] for g in GREYS) > by_name["black"]:
        return max(GREYS, key=by_name.get)
    return best


HI_VIS_SHARE = 0.25  # of the upper-body pixels


def is_hi_vis(bgr_pixels: np.ndarray) -> bool:
    """Whether upper-body pixels (N x 3, BGR) are mostly fluorescent yellow-green, the
    colour of hi-vis vests and jackets.

    Measured on COCO-mini (54 people of 40 px or taller): the one worker in a hi-vis vest
    has 43% such pixels, nobody else over 9%. Fluorescent orange is not told: under warm
    street light skin and orange clothes give the same pixels. A lime-green sports top
    reads as hi-vis too: what is seen is the colour, not the garment."""
    if len(bgr_pixels) < 10:
        return False
    hsv = cv2.cvtColor(bgr_pixels.reshape(-1, 1, 3).astype(np.uint8), cv2.COLOR_BGR2HSV)
    h, s, v = (hsv.reshape(-1, 3)[:, i].astype(np.int32) for i in range(3))
    fluorescent = (h >= 27) & (h <= 47) & (s >= 110) & (v >= 70)
    return float(fluorescent.mean()) >= HI_VIS_SHARE
