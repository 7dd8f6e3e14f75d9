"""The language of a question or answer, told by the real lingua models in its package."""

import pytest

from vigil.language import LANGUAGE_NAMES, LANGUAGES, language_of

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Was there a red car in the parking lot?", "English"),
        ("Any cars after 6?", "English"),
        ("Stond daar iemand te wachten?", "Dutch"),
        ("Hoeveel auto's reden er over de parkeerplaats?", "Dutch"),
        ("Combien de camions ?", "French"),
        ("Y a-t-il eu une voiture blanche sur le parking ?", "French"),
        ("¿Quién entró primero?", "Spanish"),
        ("¿Había alguien vestido de negro en el lobby?", "Spanish"),
    ],
)
def test_each_language_is_told_on_a_typical_question(text, language):
    assert language_of(text) == language


def test_a_short_answer_with_one_telling_word_is_told():
    assert language_of("6 personas [F1].") == "Spanish"
    assert language_of("Oui, à 18:05 [F2].") == "French"


def test_quoted_english_captions_and_citations_are_left_out():
    caption = '"a person in a grey top walking to the left of the frame"'
    assert language_of(f"Oui, {caption} à 08:31 [F2].") == "French"
    assert language_of(f"Sí, {caption} a las 08:31 [F2].", unsure="English") == "Spanish"
    assert language_of(f"Er liep {caption} langs de receptie [F1].") == "Dutch"


def test_nothing_to_tell_gives_what_the_caller_says():
    assert language_of("4 [F1].") == "English"
    assert language_of("4 [F1].", unsure="Dutch") == "Dutch"
    assert language_of("", unsure="French") == "French"
    # one word several languages spell alike: not a coin toss
    assert language_of("Ja [F1].", unsure="Dutch") == "Dutch"


def test_an_answer_in_another_language_than_asked_is_found_out():
    assert language_of("Four cars [F1].", unsure="Dutch") == "English"


def test_every_language_has_a_name_for_the_prompt():
    assert set(LANGUAGE_NAMES) == set(LANGUAGES)
