"""Which of the four site languages a question or answer is written in, told by lingua
(lingua-language-detector): character n-gram models of each language, shipped inside the
package's wheel, so nothing is downloaded at run time."""

from __future__ import annotations

import re
import threading

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

LANGUAGES = ("English", "Dutch", "French", "Spanish")
# how the prompt names each language (the native name helps a small model)
LANGUAGE_NAMES = {
    "English": "English",
    "Dutch": "Dutch (Nederlands)",
    "French": "French (français)",
    "Spanish": "Spanish (español)",
}
LANGUAGE_CODES = {"English": "en", "Dutch": "nl", "French": "fr", "Spanish": "es"}


def lemma_languages(language: str) -> tuple[str, ...]:
    """The language codes to look words of ``language`` up in (`simplemma`): its own,
    then English, which operators mix in ("de cardi", "le parking")."""
    return tuple(dict.fromkeys((LANGUAGE_CODES[language], "en")))


_LINGUA = {
    Language.ENGLISH: "English",
    Language.DUTCH: "Dutch",
    Language.FRENCH: "French",
    Language.SPANISH: "Spanish",
}
# what is quoted (captions, camera names), cited or put aside in brackets (what was
# searched) is not the writer's own language
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|«[^»]*»|\[[^\]]*\]|\([^)]*\)')
_LETTER = re.compile(r"[^\W\d_]")
# lingua gives up (None) where its two likeliest languages lie closer than this in
# confidence (the four confidences sum to 1). On bench/language.py's 159 cases its wrong
# first choices were within 0.02 of the second ("Ja [F1]." Spanish by 0.017, "Rode auto?"
# Spanish by 0.008: words several languages spell alike; there the caller's ``unsure`` is
# the better guess), all but "Tres coches [F1]." (French by 0.12, "très" and "coches"
# being French too: no distance that keeps "Four cars [F1]." at 0.13 catches it). Right
# ones are as close as "Red car?" (0.067) and "Oui, « ... » vers 08:31" (0.088), both
# lost at 0.1. 0.05 lies between.
_MIN_DISTANCE = 0.05

_detector: LanguageDetector | None = None
_building = threading.Lock()


def _lingua() -> LanguageDetector:
    """The one detector of this process, built on first use.

    High accuracy mode, models preloaded (measured on 2 cores by bench/language.py and by
    hand): building takes 0.4-0.9 s and the process ~150 MB more memory; then ~60-70 us a
    call. Lazy loading ends at the same memory but pays as much on the first call and may
    stall a later one on a model not loaded yet. Low accuracy mode (trigram models only)
    costs ~35 MB and ~25 us a call but got 9 of the 159 bench cases wrong at its best
    distance (16 at this one) where high accuracy got 3: it is meant for texts over 120
    characters, and questions and answers are shorter. One detector serves every thread
    (lingua's detector is thread-safe); the lock only keeps two first callers from
    building it twice."""
    global _detector
    if _detector is None:
        with _building:
            if _detector is None:
                _detector = (
                    LanguageDetectorBuilder.from_languages(*_LINGUA)
                    .with_preloaded_language_models()
                    .with_minimum_relative_distance(_MIN_DISTANCE)
                    .build()
                )
    return _detector


def language_of(text: str, unsure: str = "English") -> str:
    """The site language a question or answer is written in; ``unsure`` where nothing in it
    tells.

    Quoted text, citations ("[F1]") and bracketed asides are left out first: an answer
    quotes English captions and cites frames, neither of which is the writer's language.
    What is left with no letter ("4 [F1].") tells nothing and is not shown to lingua; text
    lingua cannot place clearly (one word several of the languages spell alike: "Ja",
    "Yes") is ``unsure`` too, so the caller's own guess (for an answer: the language it
    was asked in) stands rather than a coin toss. A short answer with one telling word
    ("6 personas.") is still placed.
    """
    own = _QUOTED.sub(" ", text)
    if not _LETTER.search(own):
        return unsure
    found = _lingua().detect_language_of(own)
    return unsure if found is None else _LINGUA[found]
