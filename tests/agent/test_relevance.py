import pytest

from agent.relevance import relevant_frames, subjects_of

CAPTIONS = [
    "an empty scene: no people, vehicles or movement in view",
    "1 person: a person in a black top and black trousers at the centre of the frame",
    "2 vehicles: a white vehicle at the left of the frame; a red vehicle at the bottom",
    "3 people and 1 vehicle: a person in black; a black bicycle at the right of the frame",
]


@pytest.mark.parametrize(
    ("question", "subjects", "relevant"),
    [
        ("Did anyone come into the lobby?", ("person",), (1, 3)),
        ("Y avait-il quelqu'un dans le hall ?", ("person",), (1, 3)),
        ("Was er een rode auto?", ("vehicle",), (2, 3)),
        ("¿Pasó algún coche?", ("vehicle",), (2, 3)),
        ("Was there a bicycle?", ("bicycle",), (3,)),
        ("fietsers gezien deze week?", ("bicycle",), (3,)),
        ("waar zat dat vogeltje van te eten?", ("bird",), ()),  # "van te": no van
        ("des cyclistes ce matin ?", ("bicycle",), (3,)),
        ("did the man in black ride a bike?", ("person", "bicycle"), (3,)),
        ("Did a dog run through the lobby?", ("dog",), ()),
        ("Was the lobby empty at some point?", ("empty",), (0,)),
        ("Was nobody there?", ("empty",), (0,)),
        ("What happened?", (), (0, 1, 2, 3)),
        ("what was the bloke in hi-vis doing?", ("person",), (1, 3)),
        ("hoe lang bleef die meid met dat vest?", ("person",), (1, 3)),
        ("le deuxième mec, il portait quoi ?", ("person",), (1, 3)),
        ("¿qué tipo de coche era?", ("vehicle",), (2, 3)),  # a kind of car, not a guy
        ("wat had die voorbijganger aan die van links kwam?", ("person",), (1, 3)),  # no van
    ],
)
def test_frames_count_only_if_their_caption_shows_the_subject(question, subjects, relevant):
    assert subjects_of(question) == subjects
    assert relevant_frames(question, CAPTIONS).relevant == relevant


def test_things_a_caption_says_are_absent_do_not_count():
    assert relevant_frames("a person?", ["a quiet street with no people or cars"]).relevant == ()


def test_plural_captions_of_still_images_show_their_subject():
    from agent.relevance import shows, subjects_of

    assert shows("vehicle", "4 people, 7 buses and 2 trucks: a picture showing airliner")
    assert shows("bag", "6 suitcases: a picture showing chest")
    assert subjects_of("¿Pasó una moto por la carretera?") == ("motorbike",)


def test_a_kind_of_vehicle_no_other_is_taken_for_is_its_own_subject():
    """ "Any motorbikes?" is answered by frames of motorbikes, not by any vehicle's."""
    from agent.relevance import relevant_frames, subjects_of

    assert subjects_of("was er een bus op het parkeerdak?") == ("bus",)
    assert subjects_of("waren er busjes?") == ("vehicle",)  # a "busje" is a van
    assert subjects_of("¿a qué hora pasó el deportivo blanco?") == ("vehicle",)
    captions = ["2 vehicles: a red van driving up", "a person riding a motorcycle heading left"]
    assert relevant_frames("any motorbikes today?", captions).relevant == (1,)


def test_a_thing_the_detector_names_tells_the_frames_apart():
    """ "Someone with a dog" is shown by a frame with a dog, not by any frame with someone;
    a child is someone, a "chambre d'enfant" a room."""
    from agent.relevance import relevant_frames, subjects_of

    captions = ["1 person: a person in a black top", "a dog and a person"]
    assert relevant_frames("¿entró alguien con un perro?", captions).relevant == (1,)
    assert subjects_of("did any trains show up?") == ("train",)
    assert subjects_of("il était en train de marcher") == ()
    assert subjects_of("zat er een jong olifantje bij?") == ("elephant",)
    assert subjects_of("y avait un gosse ce matin ?") == ("person",)
    assert subjects_of("la chambre d'enfant ce matin") == ()
    assert subjects_of("anyone at the table?") == ("person",)  # a table is where, not what


def test_a_still_images_scene_words_are_no_detection():
    """ "a picture showing orange, banana" is the classifier's guess at the whole image:
    a banana asked about must be among the detector's counted things."""
    from agent.relevance import relevant_frames

    captions = ["8 oranges and 4 apples: a picture showing orange, banana, lemon"]
    assert relevant_frames("any bananas on the stall?", captions).relevant == ()
    assert relevant_frames("any apples on the stall?", captions).relevant == (0,)
    assert relevant_frames("c'était quoi la bestiole ?", ["a bird: a picture"]).relevant == (0,)


@pytest.mark.parametrize(
    ("question", "subjects"),
    [
        ("has anyone seen a dog on the cams?", ("dog",)),
        ("qqn a vu un renard ou un chevreuil sur les caméras ?", ("animal",)),
        ("iemand deze week een vos gezien op een van de cams?", ("animal",)),
        ("¿alguien ha visto un jabalí?", ("animal",)),
        # someone on camera: seen, or described
        ("was anyone seen at the gate?", ("person",)),
        ("iemand met een hond gezien?", ("person", "dog")),
        ("did anyone see a man in red?", ("person",)),
    ],
)
def test_who_saw_it_is_not_what_is_asked_and_wild_animals_are_animals(question, subjects):
    """The "anyone" who has seen something is the asker's colleague; a fox, a deer or a
    boar, which the detector has no class for, is looked for as an animal."""
    assert subjects_of(question) == subjects


def test_kinds_of_car_and_the_english_words_they_are_not():
    """French "coupé" is a car; French "break" and Spanish "familiar" (estate cars) are not
    read, being English words too ("break in", "look familiar")."""
    assert subjects_of("le petit coupé blanc, il est passé quand ?") == ("vehicle",)
    assert subjects_of("did anyone break in last night?") == ("person",)
    assert subjects_of("did anyone look familiar?") == ("person",)


@pytest.mark.parametrize(
    ("question", "subjects"),
    [
        ("op welke camera zag je een zetel?", ("couch",)),
        ("which camera showed a sofa?", ("couch",)),
        ("what's on the table in the hobby club?", ("dining table",)),
        ("anyone sitting on the bench?", ("person",)),  # the bench is where
        ("was er een hond op de bank... ik bedoel het bankje?", ("dog",)),
        ("en qué cámara salía una naranja partida x la mitad?", ("orange",)),  # the fruit
        ("the man in the orange jacket", ("person",)),  # the colour
    ],
)
def test_a_seat_is_asked_about_only_where_nothing_else_is(question, subjects):
    assert subjects_of(question) == subjects
