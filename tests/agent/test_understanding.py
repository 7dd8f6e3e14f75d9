"""What a question asks for, read in code: how many / how long, and its language."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from agent.understanding import (
    asks,
    camera_phrases,
    edges_named,
    empty_after,
    longer_than,
    measure_asked,
    names_a_camera,
    ordinal_asked,
    read_question,
    side_moment,
    unread_words,
    without_phrases,
)
from vigil.language import language_of
from vigil.timewords import resolve_time_window


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("How many cars passed the gate?", "count"),
        ("Hoeveel mensen liepen door de hal?", "count"),
        ("Combien de voitures sont passées ?", "count"),
        ("¿Cuántas personas entraron?", "count"),
        ("How long did the man stand at the table?", "dwell"),
        ("Hoe lang bleef de auto staan?", "dwell"),
        ("hoelang heeft de 4e bezoeker bij het loket gestaan?", "dwell"),
        ("wat time did he rock up at the office?", "arrival"),
        ("wht time did the 2nd one take off", "departure"),
        ("el de negro, ¿a qué hora se largó?", "departure"),
        ("à quelle heure il s'est pointé ?", "arrival"),
        ("le 3e visiteur, il est reparti à quelle heure ?", "departure"),
        ("Combien de temps la personne est-elle restée ?", "dwell"),
        ("¿Cuánto tiempo estuvo el coche allí?", "duration"),
        ("How long was the van in view?", "duration"),
        ("Was there a red car?", None),
        ("y avait deux personnes en même temps à la table ?", "at_once"),
        ("lane cam monday nite - total no. of cars?", "count"),
        ("lobby cam just before 6pm - total headcount of visitors who came in?", "count"),
        ("el total de coches en la rampa", "count"),
        ("hoe lang was ze er in totaal in beeld?", "duration"),
        ("were they at the door at the same time?", None),
    ],
)
def test_how_many_and_how_long_are_recognised_in_four_languages(question, asked):
    assert measure_asked(question) == asked


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Was there a red car in the parking lot?", "English"),
        ("Was er een rode auto op de parkeerplaats?", "Dutch"),
        ("Y a-t-il eu une voiture blanche sur le parking ?", "French"),
        ("¿Pasó algún coche por el parking?", "Spanish"),
        ("4 [F1].", "English"),  # nothing tells: the default
        ("¿Había alguien vestido de negro en el lobby?", "Spanish"),  # "de", "en" are Dutch too
        ("Staat er iemand bij de ingang?", "Dutch"),
        ("Est-ce qu'un camion est entré dans la cour cette nuit ?", "French"),
        ("¿Quién abrió la puerta del almacén?", "Spanish"),
        ("Ja, om 22:14 reed er een auto voorbij [F1].", "Dutch"),
        ('Oui, "a person in a black top walking left" à 08:31 [F2].', "French"),  # quoted
        ("Yes, a white car drove up the frame at 22:14:15 [F1].", "English"),
    ],
)
def test_the_language_of_a_question_or_answer(question, language):
    assert language_of(question) == language


def test_a_text_no_word_of_which_tells_its_language_is_what_the_caller_says():
    assert language_of("4 [F1].", unsure="Dutch") == "Dutch"
    assert language_of("Four cars [F1].", unsure="Dutch") == "English"


@pytest.mark.parametrize(
    ("question", "nth"),
    [
        ("How long did the first visitor stand there?", 1),
        ("¿Cuánto tiempo estuvo la segunda persona en el lobby?", 2),
        ("Hoe lang stond de laatste bezoeker bij de tafel?", -1),
        ("Combien de temps la troisième personne est-elle restée ?", 3),
        ("How long did the visitor stand there?", None),
    ],
)
def test_which_one_a_question_means(question, nth):
    assert ordinal_asked(question) == nth


def test_a_kind_of_place_names_the_one_camera_that_looks_at_it():
    from agent.understanding import camera_of_scene

    scenes = {"canteen-2": ["dining area", "room"], "dock": ["waterfront"], "hall": []}
    assert camera_of_scene("Zaten er mensen in de kantine?", scenes) == "canteen-2"
    assert camera_of_scene("¿Había alguien en el comedor?", scenes) == "canteen-2"
    assert camera_of_scene("Anyone in the kitchen?", scenes) is None  # no camera says so
    two = {**scenes, "canteen-1": ["dining area"]}
    assert camera_of_scene("Anyone in the canteen?", two) is None  # which one: not guessed


def test_a_models_reading_is_checked_in_code_before_it_is_used():
    from agent.understanding import asked_from_reading, reading_schema

    schema = reading_schema(["lobby", "parking"])
    assert schema["properties"]["camera"]["anyOf"][0]["enum"] == ["lobby", "parking"]
    reading = {"subject": "person", "upper": "grey", "measure": "arrival", "nth": 2,
               "camera": "lobby", "cannot_see": None}  # fmt: skip
    asked, camera = asked_from_reading(reading, "When did the second one in grey come?")
    assert (asked.kind, asked.looks.colours, asked.measure, asked.nth, camera) == (
        "person", (("upper", "grey"),), "arrival", 2, "lobby"
    )  # fmt: skip
    odd = {"subject": "ghost", "upper": "sparkly", "measure": "forever", "nth": 0}
    asked, camera = asked_from_reading(odd, "?")
    assert (asked.subjects, asked.looks.said, asked.measure, asked.nth, camera) == (
        (), False, None, None, None
    )  # fmt: skip
    helmet, _ = asked_from_reading({"subject": "person", "cannot_see": "headwear"}, "x")
    assert [u.key for u in helmet.looks.unseeable] == ["headwear"]


@pytest.mark.parametrize(
    ("question", "nth"),
    [
        ("any motorbikes seen these last two days?", None),
        ("la nuit dernière, qui est venu ?", None),
        ("wat gebeurde er het laatste uur?", None),
        ("how long did the last visitor stay?", -1),
        ("la dernière voiture la semaine dernière", -1),
        ("¿cuándo llegó el último cliente anoche?", -1),
    ],
)
def test_last_of_a_span_of_time_is_no_ordinal(question, nth):
    assert read_question(question).nth == nth


def test_clothes_are_worn_by_someone_and_a_motorbike_is_a_vehicle():
    """ "el de la camiseta negra" names no person but asks about one; "cuánto rato" is how
    long; a motorbike is tracked as a vehicle and named as its kind."""
    asked = read_question("¿Cuánto rato estuvo el de la camiseta negra en la sala de espera?")
    assert asked.kind == "person" and asked.measure == "duration"
    assert asked.looks.colours == (("upper", "black"),)
    bike = read_question("any motorbikes on the cameras?")
    assert bike.subjects == ("motorbike",) and bike.kind == "vehicle"
    assert bike.looks.vehicle == "motorbike"
    car = read_question("a que hora paso el deportivo blanco por la azotea")
    assert car.kind == "vehicle" and car.looks.colours == (("body", "white"),)


@pytest.mark.parametrize(
    ("question", "nth"),
    [("le 4ème visiteur", 4), ("the 2nd car", 2), ("de 3e bezoeker", 3), ("el 5º coche", 5),
     ("the fifth visitor", 5), ("at 22:47 the car", None), ("hoe laat kwam nr 3 binnen?", 3),
     ("what time did no. 2 leave", 2), ("le n°3 est arrivé quand ?", 3), ("no 5 cars", None)],
)  # fmt: skip
def test_numbered_ordinals(question, nth):
    assert ordinal_asked(question) == nth


@pytest.mark.parametrize(
    "question",
    ["Who came in last Tuesday?", "mardi dernier qui est venu ?", "¿Quién entró en el cuarto?",
     "on the 4th, who came?", "What kind of car was it?"],
)  # fmt: skip
def test_no_ordinal_nor_person_where_there_is_none(question):
    """Found by a hostile review: a weekday, a room ("cuarto"), a date, English "kind"."""
    asked = read_question(question)
    assert asked.nth is None
    if "car" in question:
        assert asked.subjects == ("vehicle",)


@pytest.mark.parametrize(
    ("question", "unread"),
    [
        ("the couple on the garden cam - are they married?", ()),  # two people; married: read
        ("was die gast met de bril gisteren nou dronken of niet?", ("nou",)),  # feelings
        ("the guy w/ the specs and black tee, when did he leave the biergarten?", ()),
        ("how many diff ppl show up on the biergarten cam altogether?", ()),
        ("la voiture rouge avait une rayure ?", ("rayure",)),
        ("¿el coche tenía una abolladura?", ("abolladura",)),
        # what the vocabularies, time words, camera names and question words read: nothing
        ("wht time did the 2nd one walk in at the tasting room yday mornin", ()),
        ("hoe laat ging de 4e bezoeker gisterochtend weer weg uit het proeflokaal?", ()),
        ("la nana sous le parapluie au biergarten dimanche, elle avait quoi comme haut ?", ()),
        ("y en avait combien de blanches parmi les voitures passées à la sortie ouest ?", ()),
        ("¿cuánto rato estuvo la de la blusa roja en el jardín del museo esta mañana?", ()),
        ("devant la supérette hier, y avait une voiture de police ?", ()),  # a role: unseeable
        ("hoeveel masten had dat grote zeilschip?", ("masten",)),  # a zeilschip is a ship
        # a look by words the vocabularies read: hair that says who, a small car, a way
        ("la morena de melena lisa, ¿a qué hora entró?", ()),
        ("hoe laat kwam die met dat rooie topje bij het lichtblauwe autootje?", ()),
        ("el coche azulito, ¿cuándo bajó hacia abajo?", ()),
        ("le couple en rouge et marine, il est sorti du champ ?", ()),
        ("tasting room this am, roughly what time did the couple split up?", ()),
        ("cuando se separó la pareja en el parque esta mañana", ()),
        ("die vrouw met lang steil zwart haar, ging ze links of rechts het beeld uit?", ()),
        # where it was is a place in the view, not what is asked; a snowboarder is a person
        ("was there anyone else on the slope with the snowboarder?", ()),
        ("la voiture rouge, elle a marqué l'arrêt au contrôle ?", ()),
        ("iemand met een fiets bij de slagboom?", ()),
        ("any tractor on the cams this week?", ("tractor",)),
        ("welke camera toont een kat? en welke laat een hond zien?", ()),
        ("quelle caméra affiche un chat ?", ()),
        ("le petit coupé sport blanc au biergarten, il est passé à quelle heure ?", ()),
        ("aan welke kant liep ie uit beeld toen hij haar achterliet?", ()),
        # a hood, "du mat" (morning), a night from one day to the next
        ("cuánto tardó el de la sudadera celeste con capucha en el biergarten hoy?", ()),
        ("le biergarten dimanche vers 2h du mat, il montre quoi ?", ()),
        ("biergarten zaterdag op zondag snachts, wie?", ()),
        # things the object detector names, in four languages; "papier toilette" is no toilet
        ("¿hay algún horno o tostadora en la cocina del biergarten?", ()),
        ("hoeveel wc-potten zijn er in het proeflokaal?", ()),
        ("y a combien de dérouleurs de papier toilette ?", ("dérouleurs", "papier", "toilette")),
        ("four people at the biergarten: any of them with a necktie?", ()),
        ("how many remotes on the table? is the remote on the couch?", ()),
        # where-words the stopword lists lack are no thing asked about
        ("liep die blonde vrouw dan met hem mee, langs de tafel?", ()),
        ("wat staat er links naast de koelkast?", ()),
        ("y avait des sandwichs à côté du lavabo ?", ()),
    ],
)
def test_what_a_question_names_that_no_vocabulary_reads(question, unread):
    """Its words left once the site's words are read: what no model here has a word for,
    typos left out (they name nothing), and places ("on the slope")."""
    cameras = ["tasting room", "proeflokaal", "sortie ouest", "jardín del museo", "biergarten"]
    zone = ZoneInfo("Atlantic/Cape_Verde")
    said = resolve_time_window(question, datetime(2027, 1, 14, 10, 25, tzinfo=zone), zone)
    assert unread_words(without_phrases(question, [*said.phrases, *cameras])) == unread


@pytest.mark.parametrize(
    ("question", "camera", "subjects", "unseeable"),
    [
        ("taxi rank cam tues night - how many people went thru?", "taxi-rank", ("person",), ()),
        (
            "le feu tricolore de la route du cap, était-il rouge ?",
            "cape-road",
            ("traffic light",),
            (),
        ),
        ("anyone open the gate last night?", "gate", ("person",), ("doors",)),
    ],
)
def test_a_camera_named_in_several_words_is_no_subject(question, camera, subjects, unseeable):
    """The taxi rank's name asks nothing of taxis, the route du cap's nothing of caps; a
    one-word name ("gate") may be what is asked about too."""
    aliases = {"taxi-rank": ["taxi rank"], "cape-road": ["route du cap"], "gate": ["gate"]}
    asked = read_question(without_phrases(question, camera_phrases(camera, aliases)))
    assert asked.subjects == subjects
    assert tuple(u.key for u in asked.looks.unseeable) == unseeable


@pytest.mark.parametrize(
    ("question", "after"),
    [
        ("hoe laat was t daar weer leeg na de laatste bezoeker?", -1),
        ("how long was it empty just before the last one came?", -2),
        ("¿cuánto tiempo estuvo vacío antes de que llegara el último?", -2),
        ("how long was it empty after the 2nd visitor left?", 2),
        ("how long was it empty after the 3rd left?", 3),
        # between two: after the first of them left
        ("how long was it empty between the 2nd and 3rd visitor?", 2),
        ("hoelang was het leeg tussen de tweede en de derde bezoeker?", 2),
        ("combien de temps vide entre le 3e et le 4e ?", 3),
    ],
)
def test_the_empty_spell_after_the_last_or_just_before_it(question, after):
    assert empty_after(question, read_question(question).nth) == after


@pytest.mark.parametrize(
    ("question", "moment"),
    [
        ("la meuf avec le haut rouge, elle est entrée par la gauche ou par la droite ?", "came"),
        ("la femme aux cheveux clairs, elle est repartie par quel côté ?", "left"),
        ("did she leave to the left or the right?", "left"),
        ("aan welke kant ging die met de jas weg?", "left"),
        ("¿por qué lado entró el de la chaqueta?", "came"),
        ("aan welke kant staan de auto's geparkeerd?", None),  # no one came or left
        ("did the man in red come in?", None),  # no side asked
    ],
)
def test_by_which_side_one_came_or_left_asks_for_that_moment(question, moment):
    assert side_moment(question) == moment


@pytest.mark.parametrize(
    ("answer", "edges"),
    [
        ("De derde bezoeker ging langs de rechterkant.", {"right"}),
        ("She left by the right.", {"right"}),  # "left" the verb is no side
        ("the person in the black top left", {"top"}),
        ("He left at the top-left corner", {"top", "left"}),
        ("person 1 repartit par le côté gauche", {"left"}),
        ("Salió por abajo, a la izquierda", {"bottom", "left"}),
    ],
)
def test_the_edges_an_answer_names(answer, edges):
    assert edges_named(answer) == edges


def test_which_way_something_went_is_asked_in_four_languages():
    for question in (
        "poort gisteravond: welke kant op reed de rode auto?",
        "gate: which way did the first car go?",
        "dans quel sens est passée la voiture grise ?",
        "¿en qué dirección iba el coche rojo?",
        "dat eerste witte autootje, reed dat naar boven of naar beneden door het beeld?",
        "did it go up or down the picture?",
    ):
        assert asks("which way", question), question
    assert not asks("which way", "by which side did she leave?")


@pytest.mark.parametrize(
    ("question", "bound", "measure"),
    [
        ("was the lobby ever empty for more than 10 seconds?", (10.0, True), "duration"),
        ("did anyone stand still on the plaza for more than 5 seconds?", (5.0, True), "dwell"),
        ("stond er iemand langer dan een minuut bij de balie?", (60.0, True), "dwell"),
        ("y a-t-il eu qqn dans le hall plus de 2 minutes ?", (120.0, True), "duration"),
        ("¿alguien esperó al menos 30 s?", (30.0, False), "dwell"),
        ("more than 3 people at the gate?", None, None),  # a number of people, not a time
        ("anyone at the gate more than 5 minutes ago?", None, None),  # when, not a bound
        ("qqn au portail il y a plus de 5 minutes ?", None, None),
    ],
)
def test_a_duration_held_against_a_bound_is_read_in_seconds(question, bound, measure):
    assert longer_than(question) == bound
    assert measure_asked(question) == measure


def test_which_camera_is_asked_and_answered_by_a_name_or_an_alias():
    assert asks("which camera", "which camera saw a red car this morning?")
    assert asks("which camera", "op welke camera's was er een hond?")
    assert asks("which camera", "sur quelle caméra on voit le vélo ?")
    assert asks("which camera", "¿en qué cámara apareció la furgoneta?")
    assert not asks("which camera", "what did the camera on the gate see?")
    aliases = {"ring-road": ["rocade"]}
    assert names_a_camera("On the ring road at 09:00 [F1].", ["ring-road"], aliases)
    assert names_a_camera("Sur la rocade [F1].", ["ring-road"], aliases)
    assert not names_a_camera("It was seen on camera 1 [F1].", ["ring-road"], aliases)
