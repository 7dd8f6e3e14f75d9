import pytest

from agent.understanding import read_question
from agent.verdicts import measured_verdict


def verdict(question: str, measure: dict, language: str = "English", moment: str | None = None):
    return measured_verdict(question, read_question(question), measure, moment, language)


def test_a_vehicle_parked_all_along_did_not_move():
    parked = {"count": 1, "text": "", "parked": [True]}
    assert verdict("le fourgon blanc, il a bougé ce matin ?", parked, "French") == "Non : "
    assert verdict("did the white van move?", {**parked, "parked": [True, False]}) is None
    assert verdict("where is the white van?", parked) is None  # not asked whether it moved
    assert verdict("y a une bagnole qui a roulé dans le parc ?", parked, "French") == "Non : "
    assert verdict("how many cars drove past?", parked) is None  # a number, not yes or no


def test_vehicles_that_each_drove_on_or_stood_parked_did_not_crash():
    passed = {"count": 2, "text": "", "parked": [False, False], "drove_on": [True, True]}
    assert verdict("did those 2 cars clip each other when they passed?", passed) == "No: "
    assert verdict("zijn de auto's tegen elkaar gebotst?", passed, "Dutch") == "Nee: "
    assert verdict("¿chocaron los coches?", passed, "Spanish") == "No: "
    parked = {**passed, "parked": [True, False], "drove_on": [False, True]}
    assert verdict("les voitures se sont accrochées ?", parked, "French") == "Non : "
    stopped = {**passed, "drove_on": [True, False]}  # one stopped: the tracks cannot say
    assert verdict("did the cars crash?", stopped) is None
    assert verdict("did the cars pass each other?", passed) is None  # not asked


def test_whether_a_view_was_empty_is_told_by_its_empty_spells():
    """At a time said, a spell must hold it; in a window, any spell will do."""
    spells = {"count": 2, "starts": ["09:00:00", "09:00:08"], "ends": ["09:00:04", "09:00:14"]}
    question = "was de hal leeg om 09:00:10?"
    assert verdict(question, spells, "Dutch", "2026-01-01T09:00:10+01:00") == "Ja: "
    assert verdict(question, spells, "Dutch", "2026-01-01T09:00:06+01:00") == "Nee: "
    assert verdict("¿estuvo vacío el vestíbulo?", spells, "Spanish") == "Sí: "
    none = {"count": 0, "starts": [], "ends": []}
    assert verdict("was the hall ever empty?", none) == "No: "


def test_whether_any_duration_passes_a_bound():
    stood = {"count": 3, "seconds": [2, 5, 0]}
    assert verdict("did anyone stand still for more than 5 seconds?", stood) == "No: "
    assert verdict("stond er iemand minstens 5 seconden stil?", stood, "Dutch") == "Ja: "
    assert verdict("how long did they stand still?", stood) is None  # asked for itself


@pytest.mark.parametrize(
    ("question", "most", "language", "said"),
    [
        ("kwamen er ooit 2 mensen tegelijk bij dat tafeltje staan?", 1, "Dutch", "Nee: "),
        ("were there ever two people at the gate at once?", 2, "English", "Yes: "),
        ("y avait-il plus de 3 voitures en même temps ?", 3, "French", "Non : "),
        ("¿estuvieron alguna vez a la vez en el patio?", 2, "Spanish", None),  # no number
        ("at most how many were there at the same time?", 2, "English", None),  # a number
        ("at 10:31, were there ever 3 at the desk at once?", 3, "English", "Yes: "),
    ],
)
def test_whether_a_number_were_together(question, most, language, said):
    assert verdict(question, {"count": most, "text": ""}, language) == said
