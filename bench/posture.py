"""Posture from MoveNet keypoints on COCO-mini people whose posture their captions state.

Prints, per image, the people named, the poses found and the posture of each, then how
many of the named people got a pose and how many of those the right posture.

    .venv/bin/python bench/posture.py [../shared/data/coco_mini]
    .venv/bin/python bench/posture.py --quick      three images: it runs, no figure to quote
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import cv2

from vigil.models import ModelRegistry
from vigil.models.vision import posture
from vigil.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
TRUTH = ROOT / "tests" / "data" / "postures.json"


def main() -> None:
    quick = "--quick" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--quick"]
    coco = Path(args[0]) if args else ROOT.parent / "shared" / "data" / "coco_mini"
    poses = ModelRegistry(Settings()).poses
    named = found = right = told = 0
    for item in json.loads(TRUTH.read_text())["images"][: 3 if quick else None]:
        image = cv2.imread(str(coco / "images" / item["image"]))
        said = [posture(p) for p in poses.detect(image)][: item["people"]]
        named += item["people"]
        found += len(said)
        told += sum(s is not None for s in said)
        right += sum(s == item["posture"] for s in said)
        print(f"{item['image']}: {item['people']} {item['posture']}; found {said}")
    print(
        f"people with a pose: {found}/{named}; posture told for {told}, "
        f"right for {right} ({right / max(1, told):.0%} of those told)"
    )


if __name__ == "__main__":
    main()
