"""Which object kinds the packaged detector (NanoDet) tells reliably: the kinds a rule may
name beyond person and vehicle (`vigil.policies.model.RULE_KINDS`).

For every kind Vigil keeps on a person (carried or ridden: `vigil.domain.CARRIED`,
`RIDDEN`), runs NanoDet on the COCO-mini images at the score the pipeline keeps an object
with (`OBJECT_MIN_SCORE`) and prints, per kind, the images that have it and those it was
found on, and the images without it where it was found. A kind is kept where it was found
on every image that has it and on none that lacks it; each kind is on one to three images
only, so this tells the kinds that fail, and is thin evidence for those that pass.

    .venv/bin/python bench/objects.py [../shared/data/coco_mini]
    .venv/bin/python bench/objects.py --quick      ten images: it runs, no figure to quote
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import cv2

from vigil.domain import CARRIED, RIDDEN
from vigil.models import ModelRegistry
from vigil.models.seeing import OBJECT_MIN_SCORE
from vigil.policies.model import RULE_KINDS
from vigil.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    quick = "--quick" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--quick"]
    coco = Path(args[0]) if args else ROOT.parent / "shared" / "data" / "coco_mini"
    truth = json.loads((coco / "images.json").read_text())
    names = sorted(truth)[: 10 if quick else None]
    detector = ModelRegistry(Settings()).objects
    kinds = sorted(CARRIED | RIDDEN)
    having = {k: 0 for k in kinds}
    found = {k: 0 for k in kinds}
    false = {k: 0 for k in kinds}
    for name in names:
        seen = {
            f.name
            for f in detector.detect(cv2.imread(str(coco / "images" / name)), OBJECT_MIN_SCORE)
        }
        seen = {f for f in seen if f in having}
        objects = truth[name]["objects"]
        for kind in kinds:
            there = objects.get(kind, 0) > 0
            having[kind] += there
            found[kind] += there and kind in seen
            false[kind] += not there and kind in seen
    print(f"NanoDet on {len(names)} COCO-mini images, score >= {OBJECT_MIN_SCORE}")
    print(f"{'kind':<11} {'found':>7} {'false':>6}  kept  a rule may name it")
    for kind in kinds:
        kept = having[kind] > 0 and found[kind] == having[kind] and not false[kind]
        allowed = "yes" if kind in RULE_KINDS else "no"
        print(
            f"{kind:<11} {found[kind]:>3}/{having[kind]:<3} {false[kind]:>6}  "
            f"{'yes' if kept else 'no ':<4}  {allowed}"
        )


if __name__ == "__main__":
    main()
