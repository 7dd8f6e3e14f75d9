"""Function words and stems that search, reading what people type and the agent share:
English stop words, the words that mark a query as Dutch, French or Spanish, the four
languages' function words, and a light English stemmer."""

from __future__ import annotations

import re

import stopwordsiso

TOKEN = re.compile(r"[a-z0-9]+")
_STOPWORD_TEXT = """a an the of in on at to and or with without is are was were be been being there
this that these those it its by for from as into near after before during while who what
where when which any some no not frame scene"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


# Function words that mark a query as Dutch, French or Spanish (and not English).
_FOREIGN_TEXT = """de het een van met en die niet naar bij op voor zijn wie iemand le la les un une
des du avec et dans sur qui est sont pour el los las una con y del por para que sin
personne persona alguien"""
FOREIGN_WORDS = frozenset(_FOREIGN_TEXT.split())
ENGLISH_WORDS = STOPWORDS | {"someone", "somebody", "anyone", "person", "people", "man", "woman"}
# the function words of the four site languages, as people type them (`stopwordsiso`),
# and where-words its Dutch and French lists lack ("naast het raam", "à côté de")
_PLACE_TEXT = """naast mee langs bovenop onderaan bovenaan ernaast erachter eronder erboven erin
eruit côté"""
FUNCTION_WORDS = frozenset(_PLACE_TEXT.split()).union(
    *(stopwordsiso.stopwords(c) for c in ("en", "nl", "fr", "es"))
)


def looks_english(text: str) -> bool:
    """Whether a query reads as English: more English function words than foreign ones.

    Lexical matching and the English cross-encoder only help English queries; other
    languages are matched by the multilingual embedding alone.
    """
    words = TOKEN.findall(text.lower())
    english = sum(w in ENGLISH_WORDS for w in words)
    foreign = sum(w in FOREIGN_WORDS for w in words)
    return english >= foreign


def stem(word: str) -> str:
    """A light English stemmer: plurals and -ing forms to their base."""
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word
