import numpy as np

from vigil.domain import Box, Detection
from vigil.models.colours import colour_name, dominant_colour, is_hi_vis
from vigil.models.detector import Region
from vigil.models.labeler import CropLabel
from vigil.models.seeing import agree_with_tracks, appearance, classify_region
from vigil.phrasing import compose_caption, position_words, search_labels

W, H = 640, 480


def person(x1, colours, label=None):
    return Detection("person", Box(x1, 100, x1 + 60, 300), 0.8, label, colours)


def test_position_words():
    assert position_words(Box(0, 0, 100, 100), W, H) == "at the top left of the frame"
    assert position_words(Box(270, 190, 370, 290), W, H) == "at the centre of the frame"
    assert position_words(Box(500, 200, 600, 280), W, H) == "at the right of the frame"


def test_caption_of_an_empty_scene():
    assert "empty scene" in compose_caption([], W, H)


def test_caption_names_counts_garments_and_colours():
    dets = [
        person(280, {"upper": "grey", "lower": "black"}, "cardigan"),
        Detection("vehicle", Box(0, 300, 200, 420), 0.7, "car", {"body": "red"}),
    ]
    caption = compose_caption(dets, W, H)
    assert caption.startswith("1 person and 1 vehicle:")
    assert "a person in a grey cardigan and black trousers at the centre" in caption
    assert "a red car at the bottom left of the frame" in caption


def test_caption_caps_the_number_described():
    dets = [person(10 + 50 * i, {"upper": "blue"}) for i in range(6)]
    caption = compose_caption(dets, W, H)
    assert caption.startswith("6 people:")
    assert caption.endswith("and 2 more")


def test_search_labels_are_distinct_words():
    dets = [person(0, {"upper": "red", "lower": "blue"}, "jeans"), person(100, {"upper": "red"})]
    assert search_labels(dets) == ["blue", "jeans", "person", "red"]


def region(w, h, fill):
    return Region(Box(0, 0, w, h), np.ones((h, w), bool), fill)


def test_shape_priors_separate_people_from_vehicles():
    unsure = CropLabel(person_score=0.05, vehicle_score=0.05, word=None, word_score=0.0)
    assert classify_region(region(40, 120, 0.5), unsure, W * H)[0] == "person"
    assert classify_region(region(120, 200, 0.85), unsure, W * H)[0] == "vehicle"
    assert classify_region(region(30, 20, 0.5), unsure, W * H)[0] == "object"


def test_classifier_evidence_wins_over_shape():
    says_car = CropLabel(person_score=0.05, vehicle_score=0.6, word="car", word_score=0.5)
    assert classify_region(region(40, 120, 0.5), says_car, W * H)[0] == "vehicle"


def test_colour_names():
    assert colour_name((0, 0, 20)) == "black"
    assert colour_name((0, 0, 240)) == "white"
    assert colour_name((0, 200, 200)) == "red"
    assert colour_name((110, 200, 200)) == "blue"
    assert colour_name((60, 200, 200)) == "green"
    red = np.tile(np.array([[20, 20, 220]], np.uint8), (50, 1))
    assert dominant_colour(red) == "red"
    assert dominant_colour(np.zeros((0, 3), np.uint8)) is None


def pixels(*shares: tuple[tuple[int, int, int], int]) -> np.ndarray:
    """BGR pixels: each colour repeated its count of times."""
    return np.concatenate([np.tile(np.array([bgr], np.uint8), (n, 1)) for bgr, n in shares])


def test_a_tinted_bright_is_grey_and_white_is_untinted():
    # a pale blue-grey (silver) car body: bright, slightly blue; a white van: no tint
    assert colour_name((93, 24, 215)) == "grey"
    assert colour_name((90, 4, 240)) == "white"
    assert dominant_colour(pixels(((235, 215, 205), 60))) == "grey"
    assert dominant_colour(pixels(((240, 240, 240), 60))) == "white"


def test_grey_in_folds_and_shade_is_one_colour_against_black_hair_not_white():
    cardigan = pixels(((30, 30, 30), 40), ((130, 130, 130), 35), ((75, 75, 75), 20))
    assert dominant_colour(cardigan) == "grey"
    jacket = pixels(((20, 20, 20), 90), ((75, 75, 75), 5), ((130, 130, 130), 5))
    assert dominant_colour(jacket) == "black"
    # a white car entering with its shaded sides: grey and dark grey do not outvote white
    car = pixels(((240, 240, 240), 48), ((150, 150, 150), 45), ((75, 75, 75), 7))
    assert dominant_colour(car) == "white"


def test_the_object_detector_completes_what_motion_found():
    from vigil.domain import Box, Detection
    from vigil.models.seeing import merge_objects
    from vigil.models.vision import Found

    frame = np.full((240, 320, 3), 120, np.uint8)
    walker = Detection(cls="person", box=Box(10, 40, 50, 200), score=0.8)
    leg = Detection(cls="vehicle", box=Box(20, 150, 45, 200), score=0.3, label="bicycle")
    blob = Detection(cls="object", box=Box(200, 150, 260, 200), score=0.2)
    van = Detection(cls="vehicle", box=Box(100, 10, 190, 60), score=0.6, label="vehicle")
    found = [
        Found("person", 0.9, Box(12, 42, 48, 198)),  # the walker, seen by both
        Found("backpack", 0.6, Box(20, 60, 45, 110)),  # on the walker
        Found("person", 0.8, Box(270, 40, 310, 200)),  # standing still: motion missed it
        Found("suitcase", 0.5, Box(205, 152, 258, 198)),  # the moving blob
        Found("bus", 0.5, Box(102, 12, 188, 58)),  # a van seen from above: not trusted
        Found("tv", 0.5, Box(0, 0, 30, 20)),  # never moves: scenery, not news
        Found("person", 0.2, Box(150, 100, 170, 160)),  # too unsure to count
    ]
    merged = merge_objects(frame, [walker, leg, blob, van], found)
    people = [d for d in merged if d.cls == "person"]
    assert len(people) == 2 and people[0].carrying == ("backpack",)
    assert people[1].source == "objects" and people[1].box == Box(270, 40, 310, 200)
    assert [d.label for d in merged if d.cls == "vehicle"] == ["vehicle"]  # the leg is gone
    assert [d for d in merged if d.cls == "object"] == [blob]
    assert not any(d.label == "tv" for d in merged)
    caption = compose_caption(merged, 320, 240)
    assert caption.startswith("2 people and 1 vehicle: a person")
    assert "carrying a backpack" in caption


def test_a_vehicle_blob_the_detector_sees_as_two_people_is_two_people():
    from vigil.models.seeing import merge_objects, needs_objects
    from vigil.models.vision import Found

    frame = np.full((240, 320, 3), 120, np.uint8)
    walker = Detection(cls="person", box=Box(10, 40, 50, 200), score=0.8)
    pair = Detection(cls="vehicle", box=Box(150, 60, 250, 200), score=0.4, label="vehicle")
    car = Detection(cls="vehicle", box=Box(0, 200, 120, 240), score=0.5, label="vehicle")
    assert needs_objects([walker, pair])  # a vehicle in view: worth a second opinion
    found = [
        Found("person", 0.7, Box(150, 62, 198, 200)),
        Found("person", 0.6, Box(200, 60, 250, 198)),
        Found("cell phone", 0.5, Box(2, 202, 118, 238)),  # a car seen from above
    ]
    merged = merge_objects(frame, [walker, pair, car], found)
    assert [d.cls for d in merged] == ["person", "vehicle", "person", "person"]
    assert merged[1] is car  # the detector saw no people on the car: it stays


def test_a_rider_and_bicycle_moving_as_one_blob_is_a_person_riding_a_bicycle():
    from vigil.models.seeing import merge_objects
    from vigil.models.vision import Found

    frame = np.full((240, 320, 3), 120, np.uint8)
    blob = Detection(cls="vehicle", box=Box(100, 60, 220, 200), score=0.4, motion="left")
    found = [
        Found("person", 0.7, Box(130, 60, 190, 180)),
        Found("bicycle", 0.6, Box(100, 120, 220, 200)),
    ]
    [rider] = merge_objects(frame, [blob], found)
    assert rider.cls == "person" and rider.carrying == ("bicycle",) and rider.motion == "left"
    caption = compose_caption([rider], 320, 240)
    assert caption.startswith("1 person: a person") and "riding a bicycle heading left" in caption
    assert "bicycle" in search_labels([rider])
    # one standing by a bicycle (motion saw no one) is with it, not riding it; a car the
    # detector sees a person beside stays a car
    parked = merge_objects(frame, [], found)
    assert "with a bicycle" in compose_caption(parked, 320, 240)
    car = Detection(cls="vehicle", box=Box(100, 60, 220, 200), score=0.6, motion="left")
    beside = [
        Found("person", 0.7, Box(130, 60, 190, 180)),
        Found("car", 0.6, Box(100, 90, 220, 200)),
    ]
    assert car in merge_objects(frame, [car], beside)


def test_captions_say_where_tracked_things_are_going():
    walking = Detection("person", Box(0, 100, 60, 300), 0.8, None, {"upper": "red"}, motion="right")
    parked = Detection("vehicle", Box(300, 300, 500, 400), 0.7, "van", {"body": "white"},
                       motion="still")  # fmt: skip
    caption = compose_caption([walking, parked], W, H)
    assert "a person in a red top walking right at the left of the frame" in caption
    assert "a white van stopped" in caption


def test_a_detection_takes_its_tracks_class_and_looks_and_keeps_its_own():
    from vigil.tracking import TrackIdentity, own_looks

    blob = Detection("object", Box(0, 0, 50, 50), 0.3, None, {"body": "grey"}, track=3)
    person_ = Detection("person", Box(100, 0, 150, 120), 0.9, "long robe", {"upper": "black"},
                        track=4, posture="standing")  # fmt: skip
    tracks = {
        3: TrackIdentity("vehicle", "van", {"colours": {"body": "white"}}),
        4: TrackIdentity("person", None, {"colours": {"upper": "grey"}}),
    }
    agreed = agree_with_tracks([blob, person_], tracks)
    assert [(d.cls, d.label) for d in agreed] == [("vehicle", "van"), ("person", None)]
    assert agreed[1].colours == {"upper": "grey"} and agreed[1].posture == "standing"
    assert own_looks(agreed[1]).colours == {"upper": "black"}  # what the frame saw is kept
    assert own_looks(agreed[1]).label == "long robe" and agreed[0].seen_as == "object"
    assert agree_with_tracks(agreed, tracks) is None  # told once, it stays told
    assert Detection.from_dict(agreed[1].to_dict()) == agreed[1]


def test_no_posture_is_told_for_a_person_cut_off_by_the_bottom_edge():
    from vigil.models.seeing import with_postures
    from vigil.models.vision import KEYPOINTS, Pose

    joints = {
        "left shoulder": (90, 40),
        "right shoulder": (110, 40),
        "left hip": (92, 100),
        "right hip": (108, 100),
        "left knee": (140, 105),
    }
    kps = [(0.0, 0.0, 0.0)] * 17
    for name, xy in joints.items():
        kps[KEYPOINTS.index(name)] = (*xy, 0.9)
    seated = Pose(Box(60, 20, 160, 150), 0.8, tuple(kps))
    inside = Detection("person", Box(60, 20, 160, 150), 0.8, motion="still")
    cut_off = Detection("person", Box(60, 20, 160, 240), 0.8, motion="still")
    walking = Detection("person", Box(60, 20, 160, 150), 0.8, motion="left")
    told = with_postures([inside, cut_off, walking], [seated], height=240)
    assert [d.posture for d in told] == ["sitting", None, None]


def test_a_fluorescent_yellow_green_top_is_a_hi_vis_vest():
    import cv2

    def pixels(hue, saturation, value, n=200):
        hsv = np.full((n, 1, 3), (hue, saturation, value), np.uint8)
        return cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR).reshape(-1, 3)

    assert is_hi_vis(np.vstack([pixels(40, 200, 200, 60), pixels(110, 80, 60, 140)]))
    assert not is_hi_vis(pixels(40, 200, 200, 5))  # too few to tell
    assert not is_hi_vis(pixels(12, 230, 230))  # orange: warm-lit skin looks the same
    assert not is_hi_vis(pixels(40, 60, 200))  # pale green
    frame = np.zeros((300, 100, 3), np.uint8)
    frame[60:150] = pixels(40, 220, 220, 1)[0]  # the upper body
    seen = appearance(frame, Region(Box(0, 0, 100, 300), np.ones((300, 100), bool), 1.0), "person")
    assert seen["wearing"] == ("hi-vis vest",)
    vested = Detection("person", Box(280, 100, 340, 300), 0.8, colours={"lower": "black"})
    vested = Detection(**{**vested.__dict__, "wearing": ("hi-vis vest",)})
    assert "a person in a hi-vis vest and black trousers" in compose_caption([vested], W, H)
    assert {"hi-vis", "safety vest"} <= set(search_labels([vested]))
    assert Detection.from_dict(vested.to_dict()) == vested
