"""Words of the four site languages read as typed looks, and looks compared with frames."""

from __future__ import annotations

import pytest

from vigil.domain import Box, Detection
from vigil.vocabulary import looks_asked, looks_fit, read_looks, track_fits, unseeable_in

BOX = Box(0, 0, 50, 150)


@pytest.mark.parametrize(
    "question",
    [
        "Did anyone in a grey cardigan stop at reception?",
        "Was er iemand in een grijs vest bij de receptie?",  # Dutch "vest" is a cardigan
        "Liep er iemand in een grijze trui?",
        "Y avait-il quelqu'un en pull gris à l'accueil ?",
        "¿Había alguien con una chaqueta de punto gris en la recepción?",
        "¿Alguien con camisa gris?",
    ],
)
def test_the_same_top_in_four_languages_is_one_typed_look(question):
    assert read_looks(question).colours == (("upper", "grey"),)


def test_colours_go_with_the_garment_beside_them_or_the_whole_person():
    assert read_looks("un pull gris et un pantalon noir").colours == (
        ("upper", "grey"),
        ("lower", "black"),
    )
    assert read_looks("a person in a black top and grey trousers").colours == (
        ("upper", "black"),
        ("lower", "grey"),
    )
    assert read_looks("¿Había alguien vestido de negro?").colours == (("any", "black"),)
    assert read_looks("Zag je een witte auto?", vehicle=True).colours == (("body", "white"),)
    assert read_looks("a silver car", vehicle=True).colours == (("body", "grey"),)


def test_a_things_own_colour_is_not_a_persons():
    assert read_looks("how many walked up to that little white table?").colours == ()
    assert read_looks("the woman in the red top by the white van").colours == (("upper", "red"),)
    assert read_looks("la femme en rouge près de la table blanche").colours == (("any", "red"),)
    assert read_looks("the guy in a white shirt at the table").colours == (("upper", "white"),)


@pytest.mark.parametrize(
    ("question", "posture"),
    [
        ("Was anyone sitting at the table?", "sitting"),
        ("Zaten er mensen aan tafel?", "sitting"),
        ("Y avait-il des gens assis ?", "sitting"),
        ("¿Había alguien tumbado en el suelo?", "lying"),
    ],
)
def test_postures_in_four_languages(question, posture):
    assert read_looks(question).posture == posture


@pytest.mark.parametrize(
    ("question", "what"),
    [
        ("Was anyone wearing a hard hat?", "headwear"),
        ("Droeg iemand een veiligheidshelm?", "headwear"),
        ("¿Llevaba alguien un casco de seguridad?", "headwear"),
        ("Quelqu'un a-t-il ouvert le coffre d'une voiture ?", "vehicle parts"),
        ("Was the back door left open?", "doors"),
        ("How old was the man at the gate?", "identity"),
        ("Did someone carry a bag?", "bags"),
        ("What make was the red car?", "makes"),
        ("Welk merk had de bestelbus?", "makes"),
        ("Quelle race de chien ?", "breeds"),
        ("¿Estaba hablando por teléfono?", "speech"),
        ("Was she on the phone?", "speech"),
    ],
)
def test_what_the_models_cannot_see_is_recognised(question, what):
    assert what in [u.key for u in unseeable_in(question)]


@pytest.mark.parametrize(
    "question",
    [
        "Was anyone in a hi-vis vest?",
        "Did someone stand at the front door?",
        "A red car?",
        "Can you make a report of it?",
        # found by a hostile review: who came last, a driver getting out, someone on
        # screen are questions about what the cameras show
        "Who was the last person to leave?",
        "Wie was de laatste die vertrok?",
        "¿Quién es el último de la fila?",
        "Did the driver get out of the truck?",
        "Is anyone on screen?",
        "¿Quién estaba en la planta baja?",
    ],
)
def test_what_they_can_see_is_not_taken_for_what_they_cannot(question):
    assert unseeable_in(question) == ()


def test_a_frame_fits_contradicts_or_cannot_tell():
    grey = Detection("person", BOX, 0.8, None, {"upper": "grey", "lower": "black"})
    cardigan = read_looks("someone in a grey cardigan")
    assert looks_fit(cardigan, grey) is True
    assert looks_fit(read_looks("in a black top"), grey) is False
    # "dressed in black" is what the eye takes in first, the top: black trousers under a
    # grey top are not it; where no top was seen, any part tells
    assert looks_fit(read_looks("dressed in black"), grey) is False
    legs = Detection("person", BOX, 0.8, None, {"lower": "black"})
    assert looks_fit(read_looks("dressed in black"), legs) is True
    assert looks_fit(read_looks("in a dark grey top"), grey) is True  # neighbours
    walking = Detection("person", BOX, 0.8, None, {}, motion="left")
    assert looks_fit(read_looks("sitting"), walking) is False  # walking is upright
    still = Detection("person", BOX, 0.8, None, {}, motion="still")
    assert looks_fit(read_looks("sitting"), still) is None  # no posture told: cannot tell
    assert looks_fit(read_looks("sitting"), Detection("person", BOX, 0.8, posture="standing")) is (
        False
    )


def test_a_track_fits_by_its_one_description():
    attributes = {"colours": {"upper": "grey", "lower": "black"}, "postures": ["standing"]}
    assert track_fits(looks_asked(upper="grijs"), attributes) is True
    assert track_fits(looks_asked(upper="negro"), attributes) is False
    assert track_fits(looks_asked(posture="assis"), attributes) is False
    assert track_fits(looks_asked(posture="standing"), attributes) is True


def test_unknown_words_in_a_tool_call_are_a_clear_error():
    from vigil.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="not a colour"):
        looks_asked(upper="sparkly")
    with pytest.raises(InvalidInputError, match="not a posture"):
        looks_asked(posture="dancing")


def test_a_false_friend_counts_in_its_own_language_only():
    """Dutch "brand" is a fire; English "brand" a make."""
    from vigil.vocabulary import unseeable_in

    keys = lambda text: [u.key for u in unseeable_in(text)]  # noqa: E731
    assert keys("is er de afgelopen 2 dagen ergens brand of rook gezien") == ["smoke"]
    assert keys("what brand was the red car?") == ["makes"]
    assert keys("welk merk had de rode auto?") == ["makes"]


def test_operators_words_for_colours_and_vehicles():
    from vigil.vocabulary import read_looks

    assert read_looks("iemand in een babyblauw jack").colours == (("upper", "blue"),)
    assert read_looks("la personne en veste bleu ciel").colours == (("upper", "blue"),)
    assert read_looks("any motorcycles?").vehicle == "motorbike"
    assert read_looks("la furgoneta blanca", vehicle=True).vehicle == "van"


def test_a_vehicle_that_stood_still_long_enough_stopped():
    """ "Did any car stop?" is read as standing, which a vehicle's track tells by how long
    it stood still; a person's by the postures it was seen in."""
    from vigil.vocabulary import VEHICLE_STOPPED_S, track_fits, track_postures

    stopped = read_looks("did any car stop on the roof?", vehicle=True)
    assert stopped.posture == "standing"
    queue = read_looks("y a eu de la queue ? des voitures qui attendaient ?", vehicle=True)
    assert queue.posture == "standing"
    for halted in ("la voiture rouge, elle a marqué l'arrêt ?", "hield de auto halt?"):
        assert read_looks(halted, vehicle=True).posture == "standing"
    assert read_looks("how long was she waiting?").posture is None  # of a person: no
    assert track_postures("vehicle", VEHICLE_STOPPED_S, {}) == ("standing",)
    assert track_postures("vehicle", 0.4, {}) == ("moving",)
    assert track_postures("person", 0.0, {"postures": ["sitting"]}) == ("sitting",)
    assert track_fits(stopped, {"postures": track_postures("vehicle", 0.4, {})}) is False
    assert read_looks("was there a red car in the car park?").posture is None


@pytest.mark.parametrize(
    ("question", "keys"),
    [
        ("laptop in the study, what was on the screen?", ["screens"]),
        ("wat stond er op het parkeerdak?", []),
        ("Hoeveel inzittenden had die rode auto?", ["occupants"]),
        ("¿sonaba la alarma de incendios esta mañana?", ["sound"]),
        ("¿sabes quién es la rubia de la sudadera negra?", ["identity"]),
        ("who was in the lobby at ten?", []),
        ("who is that in the red coat?", ["identity"]),
        ("what's written on the sheet of paper he waved?", ["text"]),
        ("wat staat erop?", ["text"]),
        ("tu peux lire le nom sur son badge ?", ["text"]),
        ("elle allait à combien de km/h la balle ?", ["measures"]),
        ("¿qué temperatura tenía el agua?", ["measures"]),
        ("what did the red car do?", []),
        ("¿en qué idioma hablaban los dos?", ["speech"]),
        ("how tall was the guy in the grey shirt, in cm?", ["measures"]),
        ("¿cuánto mide el de la chaqueta roja?", ["measures"]),
        ("hoe lang stond hij bij de tafel?", []),
        ("hoe groot was de groep bij de poort?", []),
        ("anyone walking in the distance?", []),
        ("hoorde je vannacht getoeter op het plein?", ["sound"]),
        ("welke tas hoorde bij wie?", ["bags"]),
        ("t'as entendu quelque chose hier soir ?", ["sound"]),
        ("il était à la hauteur de la porte ?", []),
        ("¿entró alguien en silla de ruedas anoche?", ["mobility aids"]),
        ("iemand met een kinderwagen bij de ingang?", ["mobility aids"]),
        ("heeft iemand de schuifdeur van dat witte busje op het plein opengedaan?", ["doors"]),
        ("stond de man bij de deur toen hij wegging?", []),
        ("ging er gisteravond een autoalarm af bij de poort?", ["sound"]),
        ("any ambulances show up on any of the cams?", ["roles"]),
        ("zat er een man of een vrouw achter het stuur van die auto?", ["occupants"]),
        ("la voiture rouge, elle est à qui ?", ["identity"]),
        ("was there loud music on the lawn this morning?", ["sound"]),
        ("¿pasó algún coche patrulla por la puerta?", ["roles"]),
        ("that guy in black - what was he actually there for?", ["intentions"]),
        ("why did she leave so fast?", ["intentions"]),
        ("le gars à la veste rouge, c'est le mari de la blonde ?", ["relationships"]),
        ("zijn ze een stel, die twee op het gazon?", ["relationships"]),
        ("ça sentait fort au refuge lundi ?", ["smell"]),
        ("stonk het bij de poort?", ["smell"]),
        ("seen any camper vans or motorhomes since the weekend?", ["roles"]),
        ("was he wearing glasses?", ["identity"]),  # a face's features, asked for
        ("cuántos de los que pasaron llevaban gafas?", ["identity"]),
        ("hoeveel van hen droegen een bril?", ["identity"]),
        ("hoe laat ging die gast met bril en zwart t-shirt weg?", []),  # who is meant
        ("au séjour, y avait quoi dans le pot posé sur la table basse ?", ["contents"]),
        ("wat zat er in die doos bij de balie?", ["contents"]),
        ("había algo dentro del horno esta mañana?", ["contents"]),  # closed appliances
        ("anything left in the fridge?", ["contents"]),
        ("y a quoi dans le four ?", ["contents"]),
        ("what was in the lobby at 3pm?", []),  # a place, not a container
        ("the bloke with the glasses - what name was on his visitor pass?", ["text"]),
        ("el monopatín del crío, ¿es suyo o se lo prestaron?", ["identity"]),
        ("¿cómo se llama el grandote?", ["identity"]),
        ("¿alguien se paró a charlar con la de la rebeca gris?", ["speech"]),
        ("le feu tricolore, il était rouge ?", []),  # a thing the detector names
        ("how long was he there for?", []),
        ("el conductor del coche rojo, ¿iba borracho?", ["feelings"]),
        ("il avait l'air de mauvaise humeur ?", ["feelings"]),
        ("had dat hondje honger of zo?", ["feelings"]),
        ("after the pair split, how long did she stay alone?", []),
        ("the couple on the grass, how long were they together before they split up?", []),
        ("were they a couple, the two on the lawn?", ["relationships"]),
        ("el tío todo de negro, era un empleado o un cliente?", ["identity"]),
        ("was die man een medewerker of een klant?", ["identity"]),
        ("how many customers came in?", []),
        ("hoeveel mannen zijn er gisteravond in de garderobe geweest?", ["identity"]),
        ("¿cuántas mujeres pasaron por objetos perdidos ayer?", ["identity"]),
        ("how many people came in?", []),
        ("la chica de rojo, iba a trabajar o estaba dando un paseo?", ["intentions"]),
        ("was she going to work?", ["intentions"]),
        ("wandelde ze naar links?", []),
        ("was anyone high up on the ladder?", []),
        ("de qué color tenía el pelo el chaval?", ["hair"]),
        ("c'était quoi la couleur de ses cheveux ?", ["hair"]),
        ("la 3e personne, elle avait les cheveux de quelle couleur ?", ["hair"]),
        ("welke kleur had haar jas?", []),  # her coat
        ("the girl with the long black hair, what colour was her coat?", []),
    ],
)
def test_more_that_the_models_cannot_see(question, keys):
    assert [u.key for u in unseeable_in(question)] == keys


def test_dutch_zat_er_asks_whether_something_was_there():
    assert read_looks("zat er ook een jong olifantje bij?").posture is None
    assert read_looks("zaten er mensen in de wachtkamer?").posture is None
    assert read_looks("er zat iemand aan de tafel").posture == "sitting"


def test_hair_is_not_clothing_and_jeans_are_blue_trousers():
    hair = read_looks("die met dat lange zwarte haar en lichtgrijs vest")
    assert hair.colours == (("upper", "grey"),)
    assert read_looks("anybody in jeans?").colours == (("lower", "blue"),)
    assert read_looks("someone in black jeans").colours == (("lower", "black"),)
    assert read_looks("hoe lang liep die met de zwarte jas van het plein weg").vehicle is None


def test_van_that_is_of_from_or_they_go_is_no_vehicle():
    """Dutch "van za op zo" is "from Saturday to Sunday", Spanish "se van" "they leave";
    "una van blanca" and "a white van" are vans."""
    assert read_looks("stond de deur open, nacht van za op zo?", vehicle=True).vehicle is None
    assert read_looks("a qué hora se van los dos", vehicle=True).vehicle is None
    assert read_looks("van a la mesa juntos?", vehicle=True).vehicle is None
    assert read_looks("¿pasó una van blanca?", vehicle=True).vehicle == "van"


def test_a_hood_is_worn_on_top():
    assert read_looks("el de la sudadera celeste con capucha").garments == ("sudadera", "capucha")


def test_dutch_stood_and_lay_there_ask_whether_it_was_there():
    assert read_looks("hoeveel tandenborstels stonden er vanochtend").posture is None
    assert read_looks("lag er iemand op de grond?").posture == "lying"
    assert read_looks("anyone fall over on any cam since fri?").posture == "lying"
    assert read_looks("quelqu'un est tombé ?").posture == "lying"  # a fall ends lying


def test_false_friends_of_clothes_things_and_stops():
    assert read_looks("de vrouw met haar rode jas").colours == (("upper", "red"),)
    assert read_looks("was there a white van 2 hours ago?", vehicle=True).vehicle == "van"
    assert read_looks("anyone walk past the parked car in a red coat").posture is None
    assert read_looks("did any car stop on the roof?", vehicle=True).posture == "standing"
    assert read_looks("Anyone jogging in blue?").colours == (("any", "blue"),)
    # a group's alternatives stay in it: "raised (his|her) arms", not any "her"
    assert read_looks("what did she hold up in front of her?").posture is None
    assert read_looks("she raised her arms").posture == "arms raised"
    assert read_looks("¿Quién estaba en la planta baja?").objects == ()


@pytest.mark.parametrize(
    ("question", "heading"),
    [
        ("¿cuántos coches pasaron de arriba hacia abajo de la imagen?", "top to bottom"),
        ("hoeveel auto's reden van links naar rechts?", "left to right"),
        ("wie stak er van linksonder naar rechts over?", "left to right"),
        ("combien de voitures de droite à gauche ?", "right to left"),
        ("any car from the bottom to the top?", "bottom to top"),
        ("hoeveel auto's reden er richting bovenkant beeld?", "bottom to top"),
        ("how many cars went towards the top of the frame?", "bottom to top"),
        ("combien sont partis vers la droite ?", "left to right"),
        ("¿cuántos coches iban hacia abajo?", "top to bottom"),
        ("wie liep er naar links?", "right to left"),
        ("a van drove down the street", None),
        ("the silver hatchback heading down, which side?", "top to bottom"),
        ("the car that drove up, when?", "bottom to top"),
        ("quand est-ce que la voiture blanche est descendue ?", "top to bottom"),
        ("¿el coche rojo subió por el centro?", "bottom to top"),
        ("hoe laat reed de rode auto naar boven?", "bottom to top"),
        ("à quelle heure est-il monté dans la voiture ?", None),
        ("reed dat naar boven of naar beneden door het beeld?", None),  # asks which
        ("who walked up to the table?", None),
        ("wie liep er links in beeld?", None),
    ],
)
def test_the_way_across_the_picture_only_in_so_many_words(question, heading):
    from vigil.vocabulary import heading_in

    assert heading_in(question) == heading
