"""Saying what a frame shows: the words of captions and of what the report and the pages
say of people, vehicles and things, from the typed detections (`vigil.domain`) alone. The
describer sees; this module only says. Captions are stored and indexed in English; the
pages say them again in the reader's language (`vigil.lexicon` holds the words).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from vigil.domain import CARRIED, RIDDEN, Box, Detection, TrackRecord
from vigil.lexicon import WORDS, counted, noun

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


def position_words(box: Box, width: int, height: int, lang: str = "en") -> str:
    """Where a box lies in the frame, e.g. 'at the top left of the frame'."""
    cx = (box.x1 + box.x2) / 2 / width
    cy = (box.y1 + box.y2) / 2 / height
    horizontal = "left" if cx < 0.36 else "right" if cx > 0.64 else ""
    vertical = "top" if cy < 0.33 else "bottom" if cy > 0.67 else ""
    if lang != "en":
        return WORDS[lang]["where"][f"{vertical} {horizontal}".strip()]
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


def describe_detection(det: Detection, width: int, height: int, lang: str = "en") -> str:
    if lang != "en":
        return _described_in(det, width, height, lang)
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


def describe_thing(det: Detection, width: int, height: int) -> str:
    """A still's object and where it stands: "a sink at the left of the frame"."""
    noun = det.label or "object"
    article = "an" if noun[0] in "aeiou" else "a"
    return f"{article} {noun} {position_words(det.box, width, height)}"


def count_phrase(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def compose_caption(detections: list[Detection], width: int, height: int, lang: str = "en") -> str:
    """One sentence listing what is in view, people first (pure function)."""
    people = [d for d in detections if d.cls == "person"]
    vehicles = [d for d in detections if d.cls == "vehicle"]
    others = [d for d in detections if d.cls == "object"]
    words = WORDS.get(lang)
    if not detections:
        return (
            words["empty"] if words else "an empty scene: no people, vehicles or movement in view"
        )
    counts = []
    for kind, found, singular, plural_word in (
        ("person", people, "person", "people"),
        ("vehicle", vehicles, "vehicle", "vehicles"),
        ("object", others if not (people or vehicles) else [], "moving object", "moving objects"),
    ):
        if found:
            counts.append(
                counted(len(found), kind, lang)
                if words
                else count_phrase(len(found), singular, plural_word)
            )
    described = (people + vehicles + others)[:MAX_DESCRIBED]
    phrases = [describe_detection(d, width, height, lang) for d in described]
    rest = len(detections) - len(described)
    if rest > 0:
        phrases.append(words["more"].format(n=rest) if words else f"and {rest} more")
    if words:
        return f"{words['and'].join(counts)}{words['colon']}{'; '.join(phrases)}"
    return f"{' and '.join(counts)}: {'; '.join(phrases)}"


def caption_in(caption: str, detections: list[Detection], size: tuple[int, int] | None,
               lang: str) -> str:  # fmt: skip
    """A stored caption in ``lang``: said again from its detections where this module
    composed it, else (a VLM's words, a still's caption) as it was written."""
    if lang == "en" or size is None or compose_caption(detections, *size) != caption:
        return caption
    return compose_caption(detections, *size, lang)


def _described_in(det: Detection, width: int, height: int, lang: str) -> str:
    """A detection in Dutch, French or Spanish: who or what, then what it does and where,
    each after a comma ("een persoon in een grijs bovenstuk, staat stil, midden in beeld")."""
    words = WORDS[lang]
    where = position_words(det.box, width, height, lang)
    if det.cls == "person":
        who = _person_in(det, lang)
        riding = bool(RIDDEN & set(det.carrying))
        doing = words["posture"].get(det.posture or "") or words[
            "riding" if riding else "person"
        ].get(det.motion or "")
        if det.posture == "arms raised":
            doing = words["posture"]["arms raised"]
        return ", ".join(part for part in (who, doing, where) if part)
    colour = det.colours.get("body")
    if det.cls == "vehicle":
        who = noun(det.label or "vehicle", lang, "vehicle").a(colour)
        doing = words["vehicle"].get(det.motion or "")
    else:
        who = noun(det.label or "object", lang).a(colour)
        doing = words["object"].get(det.motion or "") or words["object"].get("")
    return ", ".join(part for part in (who, doing, where) if part)


def _person_in(det: Detection, lang: str) -> str:
    """'een persoon in een grijs bovenstuk en een zwarte broek met een rugzak'."""
    words = WORDS[lang]
    upper, lower = det.colours.get("upper"), det.colours.get("lower")
    top, bottom = "top", "trousers"
    if det.label in UPPER_GARMENTS:
        top = det.label
    elif det.label in LOWER_GARMENTS:
        bottom = det.label
    worn = []
    if "hi-vis vest" in det.wearing:
        worn.append(("hi-vis vest", None))
    elif upper:
        worn.append((top, upper))
    if lower:
        worn.append((bottom, lower))
    said = noun("person", lang).a()
    if worn:
        garments = [
            noun(n, lang, "top").a(c)
            if words["clothes_article"]
            else noun(n, lang, "top").with_colour(c)
            for n, c in worn
        ]
        said += words["clothes"] + words["and"].join(garments)
    carried = [c for c in ((det.label,) if det.label in CARRIED else ()) + det.carrying
               if c not in RIDDEN]  # fmt: skip
    carried = list(dict.fromkeys(carried))
    if carried:
        said += words["carrying"] + words["and"].join(noun(c, lang).a() for c in carried)
    for ridden in (c for c in det.carrying if c in RIDDEN):
        said += words["on"] + noun(ridden, lang).a()
    return said


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


def describe_track(track: TrackRecord, tz: ZoneInfo, lang: str = "en") -> str:
    """One person or vehicle as its track tells it: its one description, when it was in
    view (site zone), how long it stood still, where it came and went."""
    start, end = track.first_utc.astimezone(tz), track.last_utc.astimezone(tz)
    if lang != "en":
        return _track_in(track, f"{start:%H:%M:%S}", f"{end:%H:%M:%S}", lang)
    in_view = f"in view {start:%H:%M:%S}-{end:%H:%M:%S} ({track.seconds:.0f} s)"
    return ", ".join([who(looks(track)), in_view, *_track_doings(track)])


def _track_in(track: TrackRecord, start: str, end: str, lang: str) -> str:
    words = WORDS[lang]
    said = [
        who(looks(track), lang),
        words["in_view"].format(start=start, end=end, seconds=f"{track.seconds:.0f}"),
    ]
    if track.still_s >= 1:
        said.append(words["still_for"].format(seconds=f"{track.still_s:.0f}"))
    postures = [p for p in track.attributes.get("postures", []) if p != "standing"]
    if postures:
        named = [words["seen"].get(p, "") for p in postures]
        said.append(words["seen_as"].format(postures=words["and"].join(n for n in named if n)))
    male = "" if track.cls == "person" else "_m"
    if track.entry_side != "inside":
        said.append((words.get(f"came_in{male}") or words["came_in"])[track.entry_side])
    if track.exit_side != "inside":
        said.append((words.get(f"left_at{male}") or words["left_at"])[track.exit_side])
    return ", ".join(said)


def track_text(track: TrackRecord) -> str:
    """What search indexes of a track: who or what it is, how it looks and what it did,
    without clock times ("a person in a grey top, still for 12 s, came in at the bottom")."""
    return ", ".join([who(looks(track)), *_track_doings(track)])


def looks(track: TrackRecord) -> dict:
    """A track's one description as plain values (what a verdict keeps of its subject)."""
    return {
        "cls": track.cls,
        "label": track.label,
        "colours": dict(track.attributes.get("colours") or {}),
        "carrying": list(track.attributes.get("carrying") or ()),
        "wearing": list(track.attributes.get("wearing") or ()),
    }


def who(seen: dict, lang: str = "en") -> str:
    """Who or what a description (`looks`) speaks of: 'a person in a grey top', 'een rode
    bestelbus'."""
    det = Detection(
        seen["cls"],
        Box(0, 0, 0, 0),
        1.0,
        label=seen.get("label"),
        colours=dict(seen.get("colours") or {}),
        carrying=tuple(seen.get("carrying") or ()),
        wearing=tuple(seen.get("wearing") or ()),
    )
    colour = det.colours.get("body")
    if lang != "en":
        if det.cls == "person":
            return _person_in(det, lang)
        return noun(det.label or det.cls, lang, "vehicle").a(colour)
    if det.cls == "person":
        return describe_person(det)
    return f"a {colour + ' ' if colour else ''}{det.label or det.cls}"


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
