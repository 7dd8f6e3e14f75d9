"""Saying what a frame shows: the English words of captions and of what the report and
the pages say of people, vehicles and things, from the typed detections (`vigil.domain`)
alone. The describer sees; this module only says (so captions can be phrased per
language later without touching what is seen).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from vigil.domain import CARRIED, RIDDEN, Box, Detection, TrackRecord

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
MAX_DESCRIBED = 4  # detections a caption spells out; the rest are counted


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
        extra += f" {'with' if det.is_still else 'riding'} a {ridden}"
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


def count_phrase(n: int, singular: str, plural: str) -> str:
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
        counts.append(count_phrase(len(people), "person", "people"))
    if vehicles:
        counts.append(count_phrase(len(vehicles), "vehicle", "vehicles"))
    if others and not (people or vehicles):
        counts.append(count_phrase(len(others), "moving object", "moving objects"))
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


def describe_track(track: TrackRecord, tz: ZoneInfo) -> str:
    """One person or vehicle as its track tells it: its one description, when it was in
    view (site zone), how long it stood still, where it came and went."""
    start, end = track.first_utc.astimezone(tz), track.last_utc.astimezone(tz)
    in_view = f"in view {start:%H:%M:%S}-{end:%H:%M:%S} ({track.seconds:.0f} s)"
    return ", ".join([_track_who(track), in_view, *_track_doings(track)])


def track_text(track: TrackRecord) -> str:
    """What search indexes of a track: who or what it is, how it looks and what it did,
    without clock times ("a person in a grey top, still for 12 s, came in at the bottom")."""
    return ", ".join([_track_who(track), *_track_doings(track)])


def _track_who(track: TrackRecord) -> str:
    seen = Detection(
        track.cls,
        Box(0, 0, 0, 0),
        1.0,
        label=track.label,
        colours=dict(track.attributes.get("colours") or {}),
        carrying=tuple(track.attributes.get("carrying") or ()),
        wearing=tuple(track.attributes.get("wearing") or ()),
    )
    if track.cls == "person":
        return describe_person(seen)
    colour = seen.colours.get("body")
    return f"a {colour + ' ' if colour else ''}{track.label or track.cls}"


def _track_doings(track: TrackRecord) -> list[str]:
    said = []
    if track.still_s >= 1:
        said.append(f"still for {track.still_s:.0f} s")
    postures = [p for p in track.attributes.get("postures", []) if p != "standing"]
    if postures:
        said.append(f"seen {' and '.join(postures)}")
    if track.entry_side != "inside":
        said.append(f"came in at the {track.entry_side}")
    if track.exit_side != "inside":
        said.append(f"left at the {track.exit_side}")
    return said
