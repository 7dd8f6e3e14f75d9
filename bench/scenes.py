"""Scene words ("what a camera looks at") from the packaged ImageNet classifier, measured.

Prints (a) for each sample clip the scene words and top-5 ImageNet classes of a few frames
taken from its empty stretches (times from ../shared/data/README.md), (b) for every COCO-mini
still its scene words next to its first caption, and (c) precision (share of the words said
that are right) and recall (share of the stills that have a fitting word and got one) at a
few thresholds, against the hand-labelled TRUTH below (written from the COCO captions and
objects).

    .venv/bin/python bench/scenes.py [../shared/data] [var/samples/vtest.avi]
    .venv/bin/python bench/scenes.py --quick      one clip, six stills: it runs, no figure
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import cv2
import numpy as np

from vigil.models import ModelRegistry
from vigil.models.scene import MIN_SHARE, SCENE_WORDS, scene_shares, scene_words
from vigil.settings import get_settings

ROOT = Path(__file__).resolve().parent.parent
THRESHOLDS = (0.10, MIN_SHARE, 0.20, 0.30)

# still -> the scene words that would be right for it; empty: none of the words fits.
# "room" (any indoor room) is right wherever a room is in view. Close-ups of food take the
# place they stand in when the captions say it (table -> dining area, counter -> kitchen).
TRUTH: dict[str, set[str]] = {
    "000000000139.jpg": {"dining area", "kitchen", "living room", "room"},
    "000000000790.jpg": {"dining area", "room"},
    "000000000802.jpg": {"kitchen", "room"},
    "000000011813.jpg": {"room"},  # camera on a tripod, laptop, vending machines behind
    "000000018575.jpg": {"dining area"},  # place setting: burger, fries, glass
    "000000022192.jpg": {"bedroom", "room"},
    "000000022892.jpg": {"dining area", "room"},  # cat on a table, sliding door
    "000000030752.jpg": {"countryside"},  # cross-country skiing
    "000000034417.jpg": {"kitchen", "shop", "room"},  # doughnut line seen through a window
    "000000037666.jpg": {"countryside", "garden"},  # boy on a dirt path with leaves
    "000000054718.jpg": set(),  # elephants by rocks
    "000000062554.jpg": {"dining area"},
    "000000063217.jpg": {"waterfront"},  # tall ship at a dock, city behind
    "000000069468.jpg": {"kitchen", "room"},
    "000000070133.jpg": {"bathroom", "shop", "room"},  # hair tools by a sink
    "000000072258.jpg": {"bathroom"},  # toothbrush holder from above
    "000000073326.jpg": {"kitchen"},  # open refrigerator
    "000000078499.jpg": {"countryside", "waterfront"},  # horses on a hill above a lake
    "000000084284.jpg": {"office", "room"},  # desk, laptop, lamp
    "000000084533.jpg": {"street"},  # woman on a motorcycle by a building
    "000000089232.jpg": {"bathroom", "room"},
    "000000092660.jpg": {"kitchen", "dining area"},  # pizza on a kitchen counter
    "000000099053.jpg": {"dining area", "kitchen"},  # bowl of noodles
    "000000100667.jpg": set(),  # three men eating bananas
    "000000101787.jpg": set(),  # aeroplane in the sky
    "000000106235.jpg": {"living room", "room"},
    "000000107438.jpg": {"street"},  # bike, street sign, traffic light
    "000000109313.jpg": {"living room", "room"},  # man with a Wii remote
    "000000113488.jpg": set(),  # train station: no word for it
    "000000114174.jpg": {"dining area"},  # computer-drawn table of food
    "000000116270.jpg": {"room", "living room", "dining area"},  # vase of flowers on a table
    "000000117645.jpg": {"countryside"},  # snow slope
    "000000121647.jpg": {"dining area"},  # pizza and wine on a table
    "000000125870.jpg": set(),  # airport: no word for it
    "000000126107.jpg": {"waterfront"},  # gull over a beach
    "000000128598.jpg": {"shop", "kitchen"},  # a pile of fruit
    "000000129648.jpg": set(),  # skate park
    "000000133030.jpg": {"bedroom", "room"},  # teddy bears on a bed
    "000000135561.jpg": {"kitchen", "room"},
    "000000136334.jpg": {"countryside"},  # skier
    "000000145311.jpg": {"waterfront"},  # beach from above
    "000000151938.jpg": {"garden", "dining area"},  # picnic table in the rain
    "000000153797.jpg": set(),  # baseball pitcher
    "000000155341.jpg": {"street"},
    "000000157206.jpg": {"room"},  # suitcases against a wall
    "000000159269.jpg": {"waterfront", "garden", "dining area"},  # patio sets on a beach
    "000000160012.jpg": {"dining area"},
    "000000161846.jpg": {"kitchen", "dining area"},  # containers of fruit on a table
    "000000163497.jpg": set(),  # giraffe by trees
    "000000165518.jpg": {"street"},  # motorcycle on a road in fog
    "000000172123.jpg": set(),  # bird on a branch
    "000000172648.jpg": {"street"},  # man at a truck on a street
    "000000174231.jpg": {"office", "room"},  # cat in a laptop
    "000000174375.jpg": set(),  # tennis on clay
    "000000174632.jpg": {"kitchen", "room"},  # toy diorama of a kitchen
    "000000177977.jpg": {"kitchen", "room"},
    "000000181303.jpg": {"garden", "countryside"},  # child with a kite on grass
    "000000183709.jpg": {"street"},  # people at a crossing
    "000000183872.jpg": {"countryside"},  # snowboarder
    "000000187334.jpg": {"countryside"},  # sheep in a field
}

# clip -> (seconds to sample, the words that would be right, a note)
CLIPS: dict[str, tuple[tuple[float, ...], set[str], str]] = {
    "one-by-one-person-detection.mp4": (
        (2.0, 21.5, 47.5, 72.0, 89.5),
        {"room", "dining area", "office"},
        "empty room: white wall, bistro table, wooden floor, pillar",
    ),
    "car-detection.mp4": (
        (2.0, 11.5, 22.0, 29.0),
        {"car park", "street"},
        "empty asphalt seen from straight above",
    ),
    "vtest.avi": (
        (40.0, 44.0, 48.0),  # never empty: the quietest stretch (3-5 people)
        {"street", "garden"},
        "outdoor plaza: lawn, paved road, street lamp; 3-5 people in view",
    ),
}


def frames_at(path: Path, seconds: tuple[float, ...]) -> list[np.ndarray]:
    cap = cv2.VideoCapture(str(path))
    frames = []
    for t in seconds:
        cap.set(cv2.CAP_PROP_POS_MSEC, t * 1000)
        ok, frame = cap.read()
        if ok:
            frames.append(frame)
    cap.release()
    return frames


def shares_text(probs: np.ndarray, at_least: float = 0.05) -> str:
    shares = sorted(scene_shares(probs).items(), key=lambda kv: -kv[1])
    return ", ".join(f"{w} {s:.2f}" for w, s in shares if s >= at_least) or "-"


def main() -> None:
    quick = "--quick" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--quick"]
    data = Path(args[0]) if args else ROOT.parent / "shared" / "data"
    vtest = Path(args[1]) if len(args) > 1 else ROOT / "var" / "samples" / "vtest.avi"
    labeler = ModelRegistry(get_settings()).labeler
    names = labeler._class_names

    print(f"(a) sample clips, averaged over their frames; words at min_share {MIN_SHARE}")
    for clip, (seconds, right, note) in list(CLIPS.items())[: 1 if quick else None]:
        path = vtest if clip == "vtest.avi" else data / "clips" / clip
        if not path.is_file():
            print(f"  {clip}: not found at {path}, skipped")
            continue
        frames = frames_at(path, seconds[: 2 if quick else None])
        each = labeler.class_probabilities(frames)
        probs = each.mean(axis=0)
        words = scene_words(probs, MIN_SHARE)
        top = ", ".join(f"{names[i]} {probs[i]:.2f}" for i in np.argsort(probs)[::-1][:5])
        verdict = "right" if words and set(words) <= right else "wrong" if words else "nothing"
        print(f"  {clip} ({note}; {len(frames)} frames at {seconds[: len(frames)]} s)")
        print(f"    words: {words} -> {verdict} (right would be {sorted(right)})")
        print(f"    per frame: {[scene_words(p, MIN_SHARE) for p in each]}")
        print(f"    shares: {shares_text(probs, 0.01)}")
        print(f"    top-5 ImageNet: {top}")

    coco = data / "coco_mini"
    captions = json.loads((coco / "captions.json").read_text())
    stills = sorted(TRUTH)[: 6 if quick else None]
    probs = np.stack(
        [labeler.class_probabilities([cv2.imread(str(coco / "images" / n))])[0] for n in stills]
    )
    print(f"\n(b) COCO stills: words at min_share {MIN_SHARE} | first caption | right words")
    for name, p in zip(stills, probs, strict=True):
        words = scene_words(p, MIN_SHARE)
        marks = " ".join(w + ("" if w in TRUTH[name] else "(x)") for w in words) or "-"
        print(f"  {name[6:12]}: {marks:<28} | {captions[name][0][:60]:<60} | "
              f"{', '.join(sorted(TRUTH[name])) or 'none fits'}")  # fmt: skip
        print(f"          shares: {shares_text(p)}")

    fitting = [n for n in stills if TRUTH[n]]
    print(f"\n(c) {len(stills)} stills, {len(fitting)} with a fitting word, "
          f"{len(stills) - len(fitting)} where none fits")  # fmt: skip
    for threshold in THRESHOLDS:
        said = {n: scene_words(p, threshold) for n, p in zip(stills, probs, strict=True)}
        emitted = sum(len(w) for w in said.values())
        right = sum(w in TRUTH[n] for n, ws in said.items() for w in ws)
        hit = sum(any(w in TRUTH[n] for w in said[n]) for n in fitting)
        false_alarm = sum(bool(said[n]) for n in stills if not TRUTH[n])
        specific = [(n, w) for n, ws in said.items() for w in ws if w != "room"]
        specific_right = sum(w in TRUTH[n] for n, w in specific)
        mark = "  <- MIN_SHARE" if threshold == MIN_SHARE else ""
        print(f"  min_share {threshold:.2f}: precision {right}/{emitted} = "
              f"{right / max(1, emitted):.0%}, recall {hit}/{len(fitting)} = "
              f"{hit / max(1, len(fitting)):.0%}; without 'room' precision "
              f"{specific_right}/{len(specific)}; any word where none fits: "
              f"{false_alarm}{mark}")  # fmt: skip
        if threshold == MIN_SHARE:
            per_word = {
                word: f"{sum(word in said[n] for n in stills if word in TRUTH[n])}/"
                f"{sum(word in TRUTH[n] for n in stills)}"
                for word in SCENE_WORDS
                if any(word in TRUTH[n] for n in stills)
            }
            print(f"      stills that got each word where it fits: {per_word}")
        wrong = Counter(w for n, ws in said.items() for w in ws if w not in TRUTH[n])
        if wrong:
            print(f"      wrong words: {dict(wrong.most_common())}")


if __name__ == "__main__":
    main()
