"""An answer's claims against what its cited frames show (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from agent.claims import check_claims, frame_shows
from agent.understanding import read_question
from vigil.domain import Box, Detection, FrameEvidence
from vigil.vocabulary import read_looks

BOX = Box(0, 0, 50, 150)


def frame(label: int, second: int) -> FrameEvidence:
    return FrameEvidence(
        frame_id=f"k{label}",
        camera="reception",
        time=datetime(2026, 11, 17, 7, 42, second, tzinfo=UTC),
        caption="1 person",
        thumbnail="",
    )


FRAMES = {"F1": frame(1, 10), "F2": frame(2, 30), "F3": frame(3, 50)}
SEEN = {
    "k1": [(Detection("person", BOX, 0.8, None, {"upper": "grey"}, posture="standing"), ())],
    "k2": [(Detection("person", BOX, 0.8, None, {"upper": "black"}, posture="standing"), ())],
    "k3": [(Detection("person", BOX, 0.8, None, {"upper": "black"}, motion="right"), ())],
}


def test_a_frame_shows_a_kind_that_looks_as_claimed():
    grey = read_looks("grey top")
    assert frame_shows("person", grey, SEEN["k1"]) is True
    assert frame_shows("person", grey, SEEN["k2"]) is False
    assert frame_shows("vehicle", grey, SEEN["k1"]) is False  # no vehicle at all
    assert frame_shows("person", read_looks("sitting"), SEEN["k3"]) is False
    entering = Detection("person", BOX, 0.8, None, {"upper": "grey"})  # no posture told here
    assert frame_shows("person", read_looks("sitting"), [(entering, ())]) is None
    stood = [(entering, ("standing",))]  # but whenever still, the track stood
    assert frame_shows("person", read_looks("sitting"), stood) is False


def test_a_citation_of_the_wrong_person_goes_to_the_frame_that_shows_the_claim():
    asked = read_question("Was er iemand in een grijs vest?")
    checked = check_claims("Ja, iemand in een grijs vest [F2].", asked, FRAMES, SEEN, "Dutch")
    assert checked.text == "Ja, iemand in een grijs vest [F1]." and not checked.replaced


def test_a_claim_no_frame_shows_becomes_no_frame_shows_it():
    asked = read_question("Was anyone sitting at the table?")
    checked = check_claims("Yes, someone sat at the table [F2].", asked, FRAMES, SEEN, "English")
    assert checked.replaced
    assert checked.text.startswith("No frame shows what was asked (sitting at the table). The")
    spanish = read_question("¿Había alguien sentado a la mesa?")
    said = check_claims("Sí [F3].", spanish, FRAMES, SEEN, "Spanish").text
    assert said.startswith("Ninguna imagen muestra lo que se preguntó (sentado a la mesa)")


def test_a_stated_time_must_be_one_the_frames_or_tracks_show():
    asked = read_question("When was the person in grey there?")
    right = check_claims("At 07:42:10 [F1].", asked, FRAMES, SEEN, "English")
    assert right.text == "At 07:42:10 [F1]." and not right.replaced
    wrong = check_claims("At 07:43:09 [F1].", asked, FRAMES, SEEN, "English")
    assert wrong.replaced and "07:42:10" in wrong.text
    tracked = check_claims("At 07:43:09 [F1].", asked, FRAMES, SEEN, "English", ["07:43:09"])
    assert not tracked.replaced


def test_a_table_beside_people_is_told_on_stills_and_unknown_on_video():
    people = read_looks("people sitting at a table")
    canteen = [
        (Detection("person", BOX, 0.8, "person"), ()),
        (Detection("object", BOX, 0.7, "dining table"), ()),
    ]
    assert frame_shows("person", people, canteen) is True  # no posture told, a table seen
    walking = [(Detection("person", BOX, 0.8, None, {"upper": "red"}, motion="left"), ())]
    assert frame_shows("person", people, walking) is False


def test_a_thing_seen_does_not_tell_a_posture_a_seat_does():
    """ "Birds sitting on the wires": a bird seen on a still tells not that it sat; "people
    sitting at a table": a table seen with them does."""
    from agent.claims import frame_shows
    from vigil.domain import Box, Detection
    from vigil.vocabulary import read_looks

    bird = [(Detection("object", Box(0, 0, 9, 9), 0.8, label="bird"), ())]
    assert frame_shows(None, read_looks("birds sitting on the wires"), bird) is None
    table = [
        (Detection("person", Box(0, 0, 9, 9), 0.8, label="person"), ()),
        (Detection("object", Box(0, 0, 9, 9), 0.8, label="dining table"), ()),
    ]
    assert frame_shows("person", read_looks("people sitting at a table"), table) is True
