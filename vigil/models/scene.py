"""What a camera looks at: plain scene words from ImageNet class probabilities.

ImageNet has a few place classes (restaurant, library, grocery store, patio, lakeside ...)
and many fixtures that only stand in one kind of place (washbasin, stove, desk, street
sign). Their probabilities are summed per scene word; a word is said when its share of the
probability passes a threshold. Averaging over several empty frames of one camera steadies
the shares. Everything here but `camera_scene_words` is pure numpy.

Measured with `bench/scenes.py` on 60 hand-labelled COCO stills (50 where some word fits):
min_share 0.10 -> precision 71%, recall 38%; 0.15 -> 80%, 32%; 0.20 -> 86%, 24%;
0.30 -> 92%, 22%. Wrong words are mostly "bathroom" (washbasin/medicine chest firing on
white cabinets and desks). Mostly indoor rooms with appliances or fixtures are found;
streets, bare rooms and outdoor scenes rarely are. The three sample clips get no word: the
empty room's best is "room" at about 0.10 (right, but weak); asphalt from above and the
plaza stay under 0.05. A camera without words is the common case, not an error.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

# ImageNet class index -> (its ImageNet name, as the labeler spells it; the scene word).
# Only places and fixed furniture/fixtures: no food, animals or vehicles, which move.
SCENE_CLASSES: dict[int, tuple[str, str]] = {
    # kitchen: appliances and cookware
    534: ("dishwasher", "kitchen"),
    544: ("dutch oven", "kitchen"),
    550: ("espresso maker", "kitchen"),
    567: ("frying pan", "kitchen"),
    651: ("microwave", "kitchen"),
    729: ("plate rack", "kitchen"),
    760: ("refrigerator", "kitchen"),
    766: ("rotisserie", "kitchen"),
    827: ("stove", "kitchen"),
    859: ("toaster", "kitchen"),
    909: ("wok", "kitchen"),
    # bathroom
    435: ("bathtub", "bathroom"),
    648: ("medicine chest", "bathroom"),
    731: ("plunger", "bathroom"),
    794: ("shower curtain", "bathroom"),
    804: ("soap dispenser", "bathroom"),
    861: ("toilet seat", "bathroom"),
    896: ("washbasin", "bathroom"),
    999: ("toilet tissue", "bathroom"),
    # office
    508: ("computer keyboard", "office"),
    526: ("desk", "office"),
    527: ("desktop computer", "office"),
    553: ("file", "office"),
    620: ("laptop", "office"),
    664: ("monitor", "office"),
    673: ("mouse", "office"),
    681: ("notebook", "office"),
    713: ("photocopier", "office"),
    742: ("printer", "office"),
    782: ("screen", "office"),
    # living room
    548: ("entertainment center", "living room"),
    556: ("fire screen", "living room"),
    598: ("home theater", "living room"),
    619: ("lampshade", "living room"),
    765: ("rocking chair", "living room"),
    831: ("studio couch", "living room"),
    846: ("table lamp", "living room"),
    851: ("television", "living room"),
    # bedroom
    516: ("cradle", "bedroom"),
    520: ("crib", "bedroom"),
    564: ("four-poster", "bedroom"),
    750: ("quilt", "bedroom"),
    # dining area (a restaurant or a dining room at home)
    532: ("dining table", "dining area"),
    762: ("restaurant", "dining area"),
    922: ("menu", "dining area"),
    923: ("plate", "dining area"),
    # shops
    415: ("bakery", "shop"),
    424: ("barbershop", "shop"),
    454: ("bookshop", "shop"),
    467: ("butcher shop", "shop"),
    509: ("confectionery", "shop"),
    582: ("grocery store", "shop"),
    788: ("shoe shop", "shop"),
    790: ("shopping basket", "shop"),
    791: ("shopping cart", "shop"),
    860: ("tobacco shop", "shop"),
    865: ("toyshop", "shop"),
    # library, cinema
    453: ("bookcase", "library"),
    624: ("library", "library"),
    498: ("cinema", "cinema"),
    854: ("theater curtain", "cinema"),
    # any room: fixtures of indoor walls
    539: ("doormat", "room"),
    753: ("radiator", "room"),
    789: ("shoji", "room"),
    799: ("sliding door", "room"),
    844: ("switch", "room"),
    892: ("wall clock", "room"),
    904: ("window screen", "room"),
    905: ("window shade", "room"),
    # street, car park
    640: ("manhole cover", "street"),
    707: ("pay-phone", "street"),
    829: ("streetcar", "street"),
    874: ("trolleybus", "street"),
    919: ("street sign", "street"),
    920: ("traffic light", "street"),
    704: ("parking meter", "car park"),
    # garden, park
    428: ("barrow", "garden"),
    448: ("birdhouse", "garden"),
    562: ("fountain", "garden"),
    580: ("greenhouse", "garden"),
    621: ("lawn mower", "garden"),
    703: ("park bench", "garden"),
    706: ("patio", "garden"),
    716: ("picket fence", "garden"),
    738: ("pot", "garden"),
    # waterfront
    437: ("beacon", "waterfront"),
    449: ("boathouse", "waterfront"),
    460: ("breakwater", "waterfront"),
    536: ("dock", "waterfront"),
    718: ("pier", "waterfront"),
    975: ("lakeside", "waterfront"),
    976: ("promontory", "waterfront"),
    977: ("sandbar", "waterfront"),
    978: ("seashore", "waterfront"),
    # countryside
    425: ("barn", "countryside"),
    912: ("worm fence", "countryside"),
    970: ("alp", "countryside"),
    972: ("cliff", "countryside"),
    979: ("valley", "countryside"),
    980: ("volcano", "countryside"),
}

SCENE_WORDS: tuple[str, ...] = tuple(dict.fromkeys(word for _, word in SCENE_CLASSES.values()))

# 0.15: above it each step of 0.05 loses more right words than wrong ones (0.15-0.20 says
# 4 right, 2 wrong); below it the words said are right only half the time (0.10-0.15).
MIN_SHARE = 0.15

_INDEX = np.array(sorted(SCENE_CLASSES))
_WORD_OF = np.array([SCENE_WORDS.index(SCENE_CLASSES[i][1]) for i in _INDEX])


def scene_shares(probabilities: np.ndarray) -> dict[str, float]:
    """Probability summed per scene word. `probabilities` is one ImageNet softmax (1000,)
    or several (N x 1000), which are averaged first."""
    probs = np.asarray(probabilities, dtype=np.float64)
    if probs.ndim == 2:
        probs = probs.mean(axis=0)
    if probs.shape != (1000,):
        raise ValueError(f"expected 1000 ImageNet probabilities, got shape {probs.shape}")
    sums = np.bincount(_WORD_OF, weights=probs[_INDEX], minlength=len(SCENE_WORDS))
    return {word: float(s) for word, s in zip(SCENE_WORDS, sums, strict=True)}


def scene_words(probabilities: np.ndarray, min_share: float = MIN_SHARE) -> list[str]:
    """The scene words whose summed probability is at least `min_share`, best first."""
    shares = scene_shares(probabilities)
    ranked = sorted(shares.items(), key=lambda kv: (-kv[1], SCENE_WORDS.index(kv[0])))
    return [word for word, share in ranked if share >= min_share]


class _Classifier(Protocol):
    def class_probabilities(self, images_bgr: list[np.ndarray]) -> np.ndarray: ...


def camera_scene_words(
    frames_bgr: list[np.ndarray], labeler: _Classifier, min_share: float = MIN_SHARE
) -> list[str]:
    """A camera's scene words from a few of its frames (best: frames with nobody in view;
    the caller picks them), averaging the classifier's probabilities over the frames."""
    if not frames_bgr:
        return []
    return scene_words(labeler.class_probabilities(list(frames_bgr)), min_share)
