"""Seeing what a frame shows, typed: which motion region is a person, a vehicle or a
moving thing, its colours and safety wear, what the object detector adds (people
standing still, what a person carries or rides), posture from keypoints, and the class a
whole track agrees on. Saying it in words is `vigil.phrasing`'s.
"""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np

from vigil.domain import CARRIED, RIDDEN, Box, Detection
from vigil.models.colours import dominant_colour, is_hi_vis
from vigil.models.detector import Region, silhouette
from vigil.models.labeler import CropLabel
from vigil.models.vision import Found, posture
from vigil.tracking import TrackIdentity, own_looks

PERSON_CROP = (160, 96)  # height, width: people are tall
SQUARE_CROP = (128, 128)
PERSON_MIN_SCORE = 0.4  # NanoDet person score that counts a person motion did not see
OBJECT_MIN_SCORE = 0.35  # an object on a person: what the person carries
SAME_THING = 0.5  # share of the smaller box inside the other: two boxes see one thing
WORD_MIN_SCORE = 0.12  # an ImageNet word surer than this names what a region is


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


def needs_objects(motion: list[Detection]) -> bool:
    """Whether to ask the object detector: where motion shows no person, one may stand
    still (faded into the background) or hide in a blob taken for an object; where it shows
    a vehicle, that may be people walking side by side (one large solid blob).

    Running it on every keyframe slowed ingest of a busy scene markedly (bench/ingest.py
    measures it; the README has the figures), so keyframes of people walking past are not
    sent to it."""
    return not any(d.cls == "person" for d in motion) or any(d.cls == "vehicle" for d in motion)


def needs_posture(detections: list[Detection]) -> bool:
    """Whether to look for keypoints: a walking person is upright; one who is still may
    sit, lie, bend or raise their arms. (Asking for people just come into view too slowed
    ingest, for no posture a walk does not tell.)"""
    return any(d.is_still for d in detections)


def with_postures(detections: list[Detection], poses: list, height: int) -> list[Detection]:
    """Each still person gets the posture of the pose that lies on it (pure). Not one cut
    off by the bottom edge of a ``height`` frame: without legs in view, a person walking in
    read as "sitting"."""
    result = []
    for det in detections:
        if det.is_still and det.box.y2 < 0.97 * height:
            on_it = [p for p in poses if det.box.smaller_share(p.box) >= SAME_THING]
            if on_it:
                det = replace(det, posture=posture(max(on_it, key=lambda p: p.score)))
        result.append(det)
    return result


def found_on(det: Detection, found: list[Found]) -> list[Found]:
    """What the object detector sees, surely enough, lying on a detection (pure)."""
    return [
        f
        for f in found
        if f.score >= OBJECT_MIN_SCORE and det.box.smaller_share(f.box) >= SAME_THING
    ]


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
        covering = [d for d in merged if d.box.smaller_share(f.box) >= SAME_THING]
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
            any(det.box.smaller_share(p.box) >= SAME_THING for p in people)
            and inside
            and all(f.name == "person" for f in inside)
        ):
            continue  # a piece of a person (a leg, a coat) that motion split off
        kept.append(det)
    return kept


def agree_with_tracks(
    detections: list[Detection], identities: dict[int, TrackIdentity]
) -> list[Detection] | None:
    """The detections, each told as its whole track is (`with_identity`); None if none
    changes (pure).

    One keyframe sees a car half out of view as a "moving object", a person entering at
    the bottom edge in a dark "black top", a cardigan as a "long robe"; the track's vote
    over all its keyframes is the better judge, and one person is one description. Pieces
    of one blob that went on under one track (a head split off above a light shirt) are
    one detection, in the box around them all."""
    agreed = [
        with_identity(d, identities[d.track]) if d.track in identities else d
        for d in one_per_track(detections)
    ]
    return agreed if agreed != detections else None


def one_per_track(detections: list[Detection]) -> list[Detection]:
    """A frame's detections with those of one track made one: the largest, in the box
    around them all (pure)."""
    pieces: dict[int, list[Detection]] = {}
    for d in detections:
        if d.track is not None:
            pieces.setdefault(d.track, []).append(d)
    whole = []
    for d in detections:
        same = pieces.get(d.track, [d]) if d.track is not None else [d]
        if d is not max(same, key=lambda p: p.box.area):
            continue
        boxes = [p.box for p in same]
        around = Box(
            min(b.x1 for b in boxes), min(b.y1 for b in boxes),
            max(b.x2 for b in boxes), max(b.y2 for b in boxes),
        )  # fmt: skip
        whole.append(replace(d, box=around))
    return whole


def with_identity(det: Detection, identity: TrackIdentity) -> Detection:
    """A detection with its track's class, label and looks; what its own frame saw where
    they differ is kept (``seen_as``, ``seen_looks``). Posture stays the frame's: it
    changes over a track."""
    own = own_looks(det)
    cls = identity.cls
    label = identity.label
    if cls == "vehicle":
        label = label or "vehicle"
    elif cls != "person":
        label = None
    looks = {
        "label": label,
        "colours": dict(identity.attributes.get("colours") or own.colours),
        "carrying": tuple(identity.attributes.get("carrying", ())) if cls == "person" else (),
        "wearing": tuple(identity.attributes.get("wearing", ())) if cls == "person" else (),
    }
    seen = {key: getattr(own, key) for key, value in looks.items() if getattr(own, key) != value}
    own_cls = det.seen_as or det.cls
    seen_as = own_cls if cls != own_cls else None
    return replace(own, cls=cls, seen_as=seen_as, seen_looks=seen or None, **looks)


VEHICLE_WORDS = {
    "car",
    "van",
    "truck",
    "bus",
    "minibus",
    "jeep",
    "pickup truck",
    "camper",
    "motorbike",
    "bicycle",
    "go-kart",
    "golf cart",
}
