"""What a question asks for, resolved in code before any search: its time window (time
words in the site zone), the camera it names, and a follow-up rewritten as a standalone
query. The model is only asked for the rewrite."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypedDict
from zoneinfo import ZoneInfo

from vigil.domain import TurnRecord
from vigil.inputs import camera_named_in
from vigil.timewords import resolve_time_window

# "and after that?" in the four site languages: the follow-up's window starts where the
# previous answer's evidence ended
_AFTER_THAT = re.compile(
    r"\b(?:after that|afterwards|then|daarna|erna|toen|ensuite|après (?:ça|cela)|"
    r"puis|después|luego)\b",
    re.IGNORECASE,
)


# questions answered from tracks: how many passed, how long one stayed
_HOW_MANY = re.compile(
    r"\b(?:how many|number of|count|hoeveel|aantal|combien|nombre de|cu[aá]nt[oa]s|"
    r"n[uú]mero de)\b",
    re.IGNORECASE,
)
_HOW_LONG = re.compile(
    r"\b(?:how long|for how many (?:seconds|minutes)|hoe lang|combien de temps|pendant combien|"
    r"cu[aá]nto tiempo|durante cu[aá]nto)\b",
    re.IGNORECASE,
)


# function words that tell the four site languages apart; a word several of them share
# ("de", "en") counts for each in part
_LANGUAGE_WORDS = {
    "English": "the a an of in on at was were is are did does how many much someone anyone "
    "there what who when where which long yes no it they he she came drove passed stood "
    "with and for seconds people car cars",
    "Dutch": "de het een van met en die niet naar bij op voor zijn wie wat iemand er hoeveel "
    "hoe lang was waren heeft hebben welke wanneer auto's ja nee geen is om kwamen reden "
    "stond bleef seconden mensen personen auto ook uit aan over tussen",
    "French": "le la les un une des du de avec et dans sur qui est sont pour combien quand "
    "quelqu'un y a-t-il il elle personnes voiture temps oui non à au aux était été ont "
    "pendant secondes personne venues venu restée resté",
    "Spanish": "el la los las un una con y del de en por para que sin cuántos cuántas cuánto "
    "cuándo alguien hubo pasó coche coches personas tiempo estuvo sí había hay algún alguna "
    "está estaba fue se lo segundos persona durante vino llegó quedó quién qué dónde cómo ¿",
}
# how the prompt names each language (the native name helps a small model)
LANGUAGE_NAMES = {
    "English": "English",
    "Dutch": "Dutch (Nederlands)",
    "French": "French (français)",
    "Spanish": "Spanish (español)",
}
_LANGUAGE_SETS = {lang: frozenset(words.split()) for lang, words in _LANGUAGE_WORDS.items()}
_SHARED_BY = {
    word: sum(word in vocab for vocab in _LANGUAGE_SETS.values())
    for vocab in _LANGUAGE_SETS.values()
    for word in vocab
}
# what is quoted (captions, camera names), cited or put aside in brackets (what was
# searched) is not the writer's own language
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|«[^»]*»|\[[^\]]*\]|\([^)]*\)')


def language_of(text: str, unsure: str = "English") -> str:
    """The site language a question or answer is written in; ``unsure`` where no word
    tells (an answer "4 [F1]."). Quoted text and citations are left out: an answer quotes
    English captions."""
    words = re.findall(r"[\w'-]+|¿", _QUOTED.sub(" ", text).lower())
    scores = {
        lang: sum(1 / _SHARED_BY[w] for w in words if w in vocab)
        for lang, vocab in _LANGUAGE_SETS.items()
    }
    best = max(scores, key=lambda lang: scores[lang])
    if not scores[best]:
        return unsure
    return best if scores[best] > scores["English"] else "English"


# how long someone or something stayed put, rather than how long it was in view
_DWELL = re.compile(
    r"\b(?:stand|stood|standing|wait(?:ed|ing)?|stay(?:ed)?|linger(?:ed)?|loiter(?:ed)?|"
    r"remain(?:ed)?|stopp?(?:ed)?|park(?:ed)?|stond|staan|staat|wachtte|wachten|bleef|stil|"
    r"attendu|attendre|rest[ée]e?|immobile|debout|arr[êe]t[ée]e?|stationn[ée]e?|esper[óo]|"
    r"esperar|se qued[óo]|quiet[oa]|de pie|parad[oa]|aparcad[oa])\b",
    re.IGNORECASE,
)


# "the first / second / last visitor" in the four site languages: which track is meant
_ORDINALS = {
    1: r"first|eerste|premi[eè]re?|primer[oa]?",
    2: r"second|tweede|deuxi[eè]me|seconde?|segund[oa]",
    3: r"third|derde|troisi[eè]me|tercer[oa]?",
    -1: r"last|laatste|derni[eè]re?|[uú]ltim[oa]",
}
_ORDINAL = {n: re.compile(rf"\b(?:{words})\b", re.IGNORECASE) for n, words in _ORDINALS.items()}


def ordinal_asked(question: str) -> int | None:
    """Which one a question means ("the second visitor": 2, "the last car": -1), or None."""
    return next((n for n, pattern in _ORDINAL.items() if pattern.search(question)), None)


def measure_asked(question: str) -> str | None:
    """'dwell' for how long someone stood or waited, 'duration' for other how-long
    questions, 'count' for how-many ones, else None."""
    if _HOW_LONG.search(question):
        return "dwell" if _DWELL.search(question) else "duration"
    if _HOW_MANY.search(question):
        return "count"
    return None


class Window(TypedDict):
    """The time window and camera a question is about, as stored with its turn."""

    start: str | None  # ISO-8601 in the site zone, or None: from the beginning
    end: str | None  # or None: until now
    phrases: list[str]  # the question's words that said when
    camera: str | None


@dataclass(frozen=True)
class Understood:
    """The search a question asks for."""

    query: str
    camera: str | None
    window: Window


def understand(
    question: str,
    history: Sequence[TurnRecord],
    now: datetime,
    tz: ZoneInfo,
    cameras: list[str],
    rewrite: Callable[[str, TurnRecord], str],
    frame_time: Callable[[str], datetime],
    aliases: dict[str, list[str]] | None = None,
) -> Understood:
    """Resolve time words and camera names; rewrite a follow-up (``rewrite``) as a query.

    ``frame_time`` gives a cited frame's time, where "and after that?" starts.
    """
    window = resolve_time_window(question, now, tz)
    start, end = window.start, window.end
    query = question
    if history:
        query = rewrite(question, history[-1])
        if _AFTER_THAT.search(question) and history[-1].citations:
            start = max(frame_time(fid) for fid in history[-1].citations) + timedelta(seconds=1)
            end = None
    for phrase in window.phrases:
        query = re.sub(re.escape(phrase), " ", query, flags=re.IGNORECASE)
    query = " ".join(query.split()) or question
    camera = camera_named_in(question, cameras, aliases)
    if camera is None and history:  # "and after that?" stays on the same camera
        camera = history[-1].window.get("camera")
    return Understood(
        query=query,
        camera=camera,
        window={
            "start": start.astimezone(tz).isoformat() if start else None,
            "end": end.astimezone(tz).isoformat() if end else None,
            "phrases": list(window.phrases),
            "camera": camera,
        },
    )


def window_text(window: Window) -> str:
    """A time window as the model and the operator read it."""
    start, end = window.get("start"), window.get("end")
    if not start and not end:
        return "any time"
    fmt = "%Y-%m-%d %H:%M"
    lo = datetime.fromisoformat(start).strftime(fmt) if start else "the beginning"
    hi = datetime.fromisoformat(end).strftime(fmt) if end else "now"
    return f"from {lo} to {hi}"
