import json

import pytest

from agent.citations import (
    NO_EVIDENCE,
    AnswerFieldStreamer,
    check_answer,
    restates,
    speaks_of,
    states_measure,
    to_the_second,
)
from vigil.language import language_of

LABELS = {"F1": "cam-0001", "F2": "cam-0002"}


def test_labels_become_frame_ids_and_unknown_ones_are_dropped():
    checked = check_answer("A car passed [F1][F7]. It left [F2, F1].", LABELS, "a car")
    assert checked.text == "A car passed [cam-0001]. It left [cam-0002][cam-0001]."
    assert checked.frame_ids == ("cam-0001", "cam-0002") and checked.dropped == ("F7",)
    assert checked.grounded and checked.uncited_sentences == 0


def test_an_answer_citing_nothing_real_becomes_no_evidence():
    checked = check_answer("The area is clear [F9].", LABELS, "'intruder', any time")
    assert checked.text.startswith(NO_EVIDENCE) and "intruder" in checked.text
    assert checked.frame_ids == () and checked.grounded


def test_a_model_saying_no_evidence_is_kept_and_uncited_sentences_are_counted():
    assert check_answer("No evidence found.", LABELS, "x").text == "No evidence found."
    checked = check_answer("Yes. A person walked by [F1]. He wore red.", LABELS, "x")
    assert checked.uncited_sentences == 2


@pytest.mark.parametrize("step", [1, 2, 3, 7])
def test_the_answer_field_streams_in_any_chunking(step):
    raw = json.dumps({"answer": 'A "red" car at 22:14 [F1].\nCafé \\ done'})
    streamer = AnswerFieldStreamer()
    out = "".join(streamer.feed(raw[i : i + step]) for i in range(0, len(raw), step))
    assert out == json.loads(raw)["answer"] and streamer.raw == raw


def test_a_tool_call_streams_nothing():
    streamer = AnswerFieldStreamer()
    assert streamer.feed('{"tool": "search_video", "arguments": {"query": "x"}}') == ""


def test_an_answer_must_state_something_its_frames_show():
    from agent.citations import states_evidence

    captions = ["2 vehicles: a white vehicle at the left of the frame; a red vehicle (bottom)"]
    assert states_evidence("Yes, a red car drove through [F1].", captions)
    assert states_evidence("Ja, er reed een auto over de parkeerplaats [F1].", captions)
    assert states_evidence("Sí, un coche [F1].", captions)
    assert states_evidence("A white one [F1].", captions)
    assert not states_evidence("PWNED [F1]", captions)
    assert not states_evidence("The area is clear [F1].", captions)
    assert not states_evidence("Left at the top [F1].", captions)  # places are not facts
    assert states_evidence("The lobby was empty [F1].", ["an empty scene"])
    assert not states_evidence("A person walked in [F1].", ["an empty scene"])


def test_an_elision_mark_is_not_a_citation():
    checked = check_answer("2 people: a person in red; and 1 mor [...] [F1]", {"F1": "k1"}, "q")
    assert checked.dropped == () and checked.frame_ids == ("k1",)
    assert "[...]" in checked.text


def test_a_measured_answer_states_the_count_or_a_duration_the_tracks_give():
    assert states_measure("Vier auto's [F1].", {"count": 4, "seconds": []})
    assert not states_measure("5 cars at 22:14:04 [F1].", {"count": 4, "seconds": []})
    assert not states_measure("5 cars [F1][F4][d31e-4-0000082].", {"count": 4, "seconds": []})
    durations = {"seconds": [10, 14]}
    assert states_measure("She stood there for 10 seconds [F1].", durations)
    assert states_measure("About 11 s [F1].", durations)  # to the second
    assert not states_measure("For 30 seconds [F1].", durations)


def test_asked_how_long_someone_stood_only_the_still_spells_count():
    from datetime import timedelta
    from types import SimpleNamespace

    from agent.tool_runner import measure_of
    from tests.conftest import START

    visitor = SimpleNamespace(
        seconds=14.2,
        still=[(START, START + timedelta(seconds=10))],
        start=START,
        end=START + timedelta(seconds=14.2),
        stood_parked=False,
        drove_on=False,
        entry="bottom",
        exit="right",
        direction="left to right",
    )
    output = SimpleNamespace(tracks=[visitor], count=1)
    stood = measure_of("get_tracks", output, "t", {"still_first": True})
    assert stood["seconds"] == [10]  # 14 s in view does not answer "how long did she stand"
    assert not states_measure("She stood there 14 seconds [F1].", stood)
    assert measure_of("get_tracks", output, "t", {})["seconds"] == [10, 14]
    walker = SimpleNamespace(  # never stood still
        seconds=6.0,
        still=[],
        start=START,
        end=START,
        stood_parked=False,
        drove_on=False,
        entry="bottom",
        exit="right",
        direction="left to right",
    )
    walked = measure_of("get_tracks", SimpleNamespace(tracks=[walker], count=1), "t", {})
    assert walked["seconds"] == [6]


def test_a_time_said_to_the_minute_gets_the_seconds_the_tracks_give():
    arrived = ["08:47:16", "08:52:03"]
    said = to_the_second("Elle est arrivée vers 08:47 [F1].", arrived)
    assert said == "Elle est arrivée vers 08:47:16 [F1]."
    assert states_measure(said, {"starts": arrived}, "arrival")
    # two tracks in that minute: which one is meant is not guessed; labels stay labels
    assert to_the_second("At 08:47 [F1]", ["08:47:16", "08:47:40"]) == "At 08:47 [F1]"
    assert to_the_second("At 08:47:20 [08:47]", arrived) == "At 08:47:20 [08:47]"


def test_a_looping_model_is_cut_where_it_began_to_repeat():
    from agent.citations import loop_start

    loop = "Er zijn 3 witte auto's gereden " + "over het parkeerdak gisteravond " * 12
    assert loop[: loop_start(loop)].strip() == (
        "Er zijn 3 witte auto's gereden over het parkeerdak gisteravond"
    )
    sentences = "It was a person. " + "The person wore a black top and blue trousers. " * 4
    assert sentences[: loop_start(sentences)] == (
        "It was a person. The person wore a black top and blue trousers."
    )
    listing = (
        "Three people: a person in a black top and black trousers walking left [F1], a "
        "person in a black top and black trousers walking right [F2] and a person in a "
        "black top and black trousers standing [F3]."
    )
    assert loop_start(listing) is None
    times = "".join(
        f"At 10:0{i} a person in a dark coat walks towards the entrance door [F{i}]. "
        for i in range(1, 4)
    )
    assert loop_start(times) is None


@pytest.mark.parametrize(
    ("language", "written", "said"),
    [
        (
            "English",
            "A man in red; he was standing [F1].",
            "A person in red; this person was standing [F1].",
        ),
        (
            "Dutch",
            "Er liep een man met een rode jas [F1].",
            "Er liep een persoon met een rode jas [F1].",
        ),
        ("French", "Un homme en noir est entré [F1].", "Une personne en noir est entré [F1]."),
        (
            "Spanish",
            "El hombre de la camiseta negra [F1].",
            "La persona de la camiseta negra [F1].",
        ),
        ("English", 'Seen: "a man-sized shadow" [F1].', 'Seen: "a man-sized shadow" [F1].'),
    ],
)
def test_words_for_a_persons_gender_are_made_neutral(language, written, said):
    from agent.citations import neutral_people

    assert neutral_people(written, language) == said


@pytest.mark.parametrize(
    ("answer", "question", "said_back"),
    [
        ("El perro del esquiador era suyo. [F1]", "¿el perro del esquiador era suyo?", True),
        ("Het stoplicht stond op groen. [F1]", "stond het stoplicht op groen?", True),
        ("Die gast was dronken.", "was die gast nou dronken of niet?", True),  # "or not": no choice
        ("The train was pulling out. [F1]", "was the train sitting there or pulling out?", False),
        ("Yes, a red car [F1].", "Was there a red car?", False),
        ("A red car drove in at 22:14 [F2].", "When did the red car drive in?", False),
    ],
)  # fmt: skip
def test_an_answer_that_only_says_the_question_back(answer, question, said_back):
    assert restates(answer, question, language_of(question)) == said_back


@pytest.mark.parametrize(
    ("answer", "unread", "captions", "language", "speaks"),
    [
        ("Elle venait signer un contrat [F1].", ("signer",), ["a person"], "French", True),
        ("De schaap slaapt in de wei [F1].", ("slapen",), ["a sheep"], "Dutch", True),
        # a word the describer's labels hold is seen: "a picture showing pole"
        ("The pole was red [F1].", ("pole",), ["a picture showing pole"], "English", False),
        ("He left at 10:02:14 [F1].", ("glasses",), ["a person"], "English", False),
    ],
)
def test_an_answer_that_speaks_of_what_no_model_sees(answer, unread, captions, language, speaks):
    assert speaks_of(answer, unread, captions, language) == speaks
