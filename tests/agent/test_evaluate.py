from datetime import UTC, datetime

from agent.evaluate import judge
from vigil.domain import ChatAnswer, FrameEvidence

START = {"parking": datetime(2026, 11, 20, 21, 14, tzinfo=UTC)}
ITEM = {"question": "red car?", "camera": "parking", "truth": [[15.0, 19.2]], "keywords": ["red"]}


def cited(second: float, camera: str = "parking") -> FrameEvidence:
    return FrameEvidence(
        frame_id="x",
        camera=camera,
        time=datetime(2026, 11, 20, 21, 14, int(second), tzinfo=UTC),
        caption="",
        thumbnail="",
    )


def answer(text: str, citations: list, dropped: list | None = None) -> ChatAnswer:
    return ChatAnswer(
        conversation_id="c",
        text=text,
        citations=citations,
        labels={},
        grounded=True,
        dropped_citations=dropped or [],
        uncited_sentences=0,
        no_evidence=not citations,
        answered_by="model",
        window={},
        query="",
        tool_calls=[],
    )


def test_an_answer_is_right_when_it_cites_the_true_moment_and_names_the_thing():
    ok = answer("A red vehicle [x].", [cited(16)])
    assert judge(ITEM, ok, START) == (True, True, "")
    also_elsewhere = ok.model_copy(update={"citations": [cited(16), cited(5)]})
    assert judge(ITEM, also_elsewhere, START)[:2] == (True, False)  # right, not precise
    early = ok.model_copy(update={"citations": [cited(5)]})
    assert judge(ITEM, early, START)[0] is False
    elsewhere = ok.model_copy(update={"citations": [cited(16, "lobby")]})
    assert judge(ITEM, elsewhere, START)[0] is False
    wrong_word = ok.model_copy(update={"text": "A white vehicle [x]."})
    assert judge(ITEM, wrong_word, START)[0] is False
    invented = ok.model_copy(update={"dropped_citations": ["F9"]})
    assert judge(ITEM, invented, START)[0] is False


def test_no_evidence_questions_want_no_citations():
    item = {"question": "a dog?", "expect": "no_evidence"}
    none = answer("No evidence found: ...", [])
    assert judge(item, none, START)[0] is True
    claimed = answer("A dog [x].", [cited(3)])
    assert judge(item, claimed, START)[0] is False


def test_counts_and_durations_must_be_stated_not_read_off_a_clock():
    item = {"question": "how many?", "camera": "parking", "truth": [[15.0, 19.2]], "count": 4}
    assert judge(item, answer("Four cars passed [x].", [cited(16)]), START)[0]
    dutch = {**item, "question": "hoeveel auto's?"}
    assert judge(dutch, answer("Er reden 4 auto's [x].", [cited(16)]), START)[0]
    clock_only = answer("A car at 22:14:04 [x].", [cited(16)])
    assert judge(item, clock_only, START) == (False, False, "does not state the count 4")
    item = {"question": "how long?", "camera": "parking", "truth": [[15.0, 19.2]],
            "seconds": [8, 13]}  # fmt: skip
    assert judge(item, answer("She stood there for 10 seconds [x].", [cited(16)]), START)[0]
    spanish = {**item, "question": "¿cuánto tiempo?"}
    assert judge(spanish, answer("Estuvo 9,5 segundos [x].", [cited(16)]), START)[0]
    assert not judge(item, answer("From 22:14:10 to 22:14:20 [x].", [cited(16)]), START)[0]


def test_an_answer_in_another_language_than_the_question_is_wrong():
    item = {"question": "Hoeveel auto's reden er?", "camera": "parking",
            "truth": [[15.0, 19.2]], "count": 4}  # fmt: skip
    english = answer("Four cars passed [x].", [cited(16)])
    assert judge(item, english, START) == (
        False,
        False,
        "answered in English to a question in Dutch",
    )
    quoting = answer('Er reden 4 auto\'s: "a white car driving up the frame" [x].', [cited(16)])
    assert judge(item, quoting, START)[0]


def test_what_the_models_cannot_see_must_be_said_so_and_a_no_must_deny():
    helmet = {"question": "Droeg iemand een helm?", "camera": "parking", "expect": "cannot_see"}
    said = answer("Niet te zien op de beelden: de modellen zien geen helmen (...). [x]", [cited(3)])
    assert judge(helmet, said, START)[0]
    closest = answer('De best passende opnamen: parking om 22:14:03, "a person" [x].', [cited(3)])
    assert not judge(helmet, closest, START)[0]  # reads like an answer but is none
    sitting = {"question": "Was anyone sitting?", "camera": "parking", "expect": "no"}
    assert judge(sitting, answer("No frame shows a person sitting [x].", [cited(3)]), START)[0]
    assert not judge(sitting, answer("Yes, someone sat down [x].", [cited(3)]), START)[0]
