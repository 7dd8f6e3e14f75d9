from datetime import UTC, datetime

from agent.evaluate import judge

START = {"parking": datetime(2026, 11, 20, 21, 14, tzinfo=UTC)}
ITEM = {"question": "red car?", "camera": "parking", "truth": [[15.0, 19.2]], "keywords": ["red"]}


def cited(second: float, camera: str = "parking") -> dict:
    return {
        "camera": camera,
        "time": datetime(2026, 11, 20, 21, 14, int(second), tzinfo=UTC).isoformat(),
    }


def test_an_answer_is_right_when_it_cites_the_true_moment_and_names_the_thing():
    ok = {"text": "A red vehicle [x].", "citations": [cited(16)], "dropped_citations": []}
    assert judge(ITEM, ok, START) == (True, "")
    early = {**ok, "citations": [cited(5)]}
    assert judge(ITEM, early, START)[0] is False
    elsewhere = {**ok, "citations": [cited(16, "lobby")]}
    assert judge(ITEM, elsewhere, START)[0] is False
    wrong_word = {**ok, "text": "A white vehicle [x]."}
    assert judge(ITEM, wrong_word, START)[0] is False
    invented = {**ok, "dropped_citations": ["F9"]}
    assert judge(ITEM, invented, START)[0] is False


def test_no_evidence_questions_want_no_citations():
    item = {"question": "a dog?", "expect": "no_evidence"}
    none = {"text": "No evidence found: ...", "citations": [], "dropped_citations": []}
    assert judge(item, none, START)[0] is True
    claimed = {"text": "A dog [x].", "citations": [cited(3)], "dropped_citations": []}
    assert judge(item, claimed, START)[0] is False
