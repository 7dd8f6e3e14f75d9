"""Yes or no by what the tracks measured (pure), for the yes/no questions they decide
whatever the model wrote: whether a parked vehicle moved, whether vehicles that each drove
on and out of the picture (or stood parked) crashed, whether a view was empty (at a
time said), whether anyone stayed longer than a bound, whether a number were ever in view
at once. The 1.5B model got each of them wrong on footage it had the tracks of."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from agent.citations import NUMBER_WORDS
from agent.tool_runner import Measure
from agent.understanding import (
    Asked,
    asks,
    asks_a_number,
    longer_than,
)

YES_NO = {  # an answer's opening yes or no, in each site language
    "English": ("Yes: ", "No: "),
    "Dutch": ("Ja: ", "Nee: "),
    "French": ("Oui : ", "Non : "),
    "Spanish": ("Sí: ", "No: "),
}
# "were there ever 2 at the table at once?": the number asked about, and whether more than
# it was asked ("more than 3")
_ASKED_NUMBER = re.compile(
    r"\b(?P<more>more than |meer dan |plus de |más de |mas de )?(?<![:.h])(?P<n>\d{1,2}|"
    + "|".join(w for n, words in NUMBER_WORDS.items() if n > 1 for w in words.split())
    + r")\b(?![:.h]\d)",  # not a clock's hour ("at 10:31")
    re.IGNORECASE,
)


def measured_verdict(
    question: str, asked: Asked, measure: Measure, moment: str | None, language: str
) -> str | None:
    """The opening "Yes: " or "No: " (in ``language``) the tracks' ``measure`` gives a
    question they decide; None for any other. ``moment``: the time the question said
    "around" (ISO-8601 in the site zone), if it said one."""
    held = _held(question, asked, measure, moment)
    return None if held is None else YES_NO[language][0 if held else 1]


def _held(question: str, asked: Asked, measure: Measure, moment: str | None) -> bool | None:
    parked = measure.get("parked")
    if asked.measure is None and parked and all(parked) and asks("moved", question):
        return False  # "did the white van move?" of vehicles parked all the time seen
    calm = [a or b for a, b in zip(parked or [], measure.get("drove_on", []), strict=False)]
    if calm and all(calm) and asks("collided", question):
        return False  # "did the 2 cars crash?": each stood parked, or drove on and out
    if "empty" in asked.subjects and asked.measure is None:
        return _empty(measure, moment)  # "was de hal leeg om 10:31:28?"
    if "seconds" in measure and (bound := longer_than(question)):
        return _longer(bound, measure["seconds"])  # "was anyone here over a minute?"
    if asked.measure == "at_once" and not asks_a_number(question):
        return _together(question, measure["count"])  # "ever 2 at once?"
    return None


def _empty(measure: Measure, moment: str | None) -> bool:
    """At the ``moment`` said, one of the empty spells holds it; else there was one."""
    spells = list(zip(measure.get("starts", []), measure.get("ends", []), strict=True))
    if moment is None:
        return bool(spells)
    said = f"{datetime.fromisoformat(moment):%H:%M:%S}"
    return any(start <= said <= end for start, end in spells)


def _longer(bound: tuple[float, bool], seconds: Sequence[float]) -> bool:
    """Whether any duration passes a question's bound (`longer_than`: seconds, and whether
    it must be exceeded or only reached)."""
    limit, exceeded = bound
    return any(s > limit if exceeded else s >= limit for s in seconds)


def _together(question: str, most: int) -> bool | None:
    """Whether the most in view at one moment reaches the number the question names ("more
    than 2": exceeds it); None where it names none."""
    asked = _ASKED_NUMBER.search(question)
    if asked is None:
        return None
    said = asked.group("n").lower()
    number = (
        int(said)
        if said.isdigit()
        else next(n for n, words in NUMBER_WORDS.items() if said in words.split())
    )
    return most > number if asked.group("more") else most >= number
