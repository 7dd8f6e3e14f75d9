"""The words Vigil says of people, vehicles and things in Dutch, French and Spanish, and
the little grammar their noun phrases need (articles, gender, where a colour goes and how
it agrees). English is `vigil.phrasing`'s own: captions are indexed in it.

Keys are the describer's English words (`vigil.models.colours`, the labeler's labels);
a word missing here is said with its kind's general word ("een voertuig"), never in
English.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("en", "nl", "fr", "es")

# english noun -> {language: (word, gender)}; gender: nl "de"/"het", fr and es "m"/"f"
NOUNS: dict[str, dict[str, tuple[str, str]]] = {
    "person": {"nl": ("persoon", "de"), "fr": ("personne", "f"), "es": ("persona", "f")},
    "top": {"nl": ("bovenstuk", "het"), "fr": ("haut", "m"), "es": ("prenda superior", "f")},
    "trousers": {"nl": ("broek", "de"), "fr": ("pantalon", "m"), "es": ("pantalón", "m")},
    "cardigan": {"nl": ("vest", "het"), "fr": ("cardigan", "m"), "es": ("cárdigan", "m")},
    "jersey": {"nl": ("shirt", "het"), "fr": ("t-shirt", "m"), "es": ("camiseta", "f")},
    "sweatshirt": {"nl": ("sweater", "de"), "fr": ("sweat", "m"), "es": ("sudadera", "f")},
    "coat": {"nl": ("jas", "de"), "fr": ("manteau", "m"), "es": ("abrigo", "m")},
    "fur coat": {
        "nl": ("bontjas", "de"),
        "fr": ("manteau de fourrure", "m"),
        "es": ("abrigo de piel", "m"),
    },  # fmt: skip
    "lab coat": {"nl": ("labjas", "de"), "fr": ("blouse", "f"), "es": ("bata", "f")},
    "suit": {"nl": ("pak", "het"), "fr": ("costume", "m"), "es": ("traje", "m")},
    "vest": {"nl": ("bodywarmer", "de"), "fr": ("gilet", "m"), "es": ("chaleco", "m")},
    "uniform": {"nl": ("uniform", "het"), "fr": ("uniforme", "m"), "es": ("uniforme", "m")},
    "poncho": {"nl": ("poncho", "de"), "fr": ("poncho", "m"), "es": ("poncho", "m")},
    "kimono": {"nl": ("kimono", "de"), "fr": ("kimono", "m"), "es": ("kimono", "m")},
    "cloak": {"nl": ("cape", "de"), "fr": ("cape", "f"), "es": ("capa", "f")},
    "apron": {"nl": ("schort", "de"), "fr": ("tablier", "m"), "es": ("delantal", "m")},
    "long robe": {"nl": ("gewaad", "het"), "fr": ("robe longue", "f"), "es": ("túnica", "f")},
    "gown": {"nl": ("jurk", "de"), "fr": ("robe", "f"), "es": ("vestido", "m")},
    "jeans": {"nl": ("spijkerbroek", "de"), "fr": ("jean", "m"), "es": ("vaquero", "m")},
    "skirt": {"nl": ("rok", "de"), "fr": ("jupe", "f"), "es": ("falda", "f")},
    "hi-vis vest": {
        "nl": ("veiligheidshesje", "het"),
        "fr": ("gilet de sécurité", "m"),
        "es": ("chaleco reflectante", "m"),
    },  # fmt: skip
    "hard hat": {
        "nl": ("veiligheidshelm", "de"),
        "fr": ("casque de chantier", "m"),
        "es": ("casco de obra", "m"),
    },  # fmt: skip
    "backpack": {"nl": ("rugzak", "de"), "fr": ("sac à dos", "m"), "es": ("mochila", "f")},
    "umbrella": {"nl": ("paraplu", "de"), "fr": ("parapluie", "m"), "es": ("paraguas", "m")},
    "handbag": {"nl": ("handtas", "de"), "fr": ("sac à main", "m"), "es": ("bolso", "m")},
    "suitcase": {"nl": ("koffer", "de"), "fr": ("valise", "f"), "es": ("maleta", "f")},
    "bicycle": {"nl": ("fiets", "de"), "fr": ("vélo", "m"), "es": ("bicicleta", "f")},
    "motorcycle": {"nl": ("motor", "de"), "fr": ("moto", "f"), "es": ("moto", "f")},
    "motorbike": {"nl": ("motor", "de"), "fr": ("moto", "f"), "es": ("moto", "f")},
    "vehicle": {"nl": ("voertuig", "het"), "fr": ("véhicule", "m"), "es": ("vehículo", "m")},
    "car": {"nl": ("auto", "de"), "fr": ("voiture", "f"), "es": ("coche", "m")},
    "van": {"nl": ("bestelbus", "de"), "fr": ("camionnette", "f"), "es": ("furgoneta", "f")},
    "truck": {"nl": ("vrachtwagen", "de"), "fr": ("camion", "m"), "es": ("camión", "m")},
    "bus": {"nl": ("bus", "de"), "fr": ("bus", "m"), "es": ("autobús", "m")},
    "minibus": {"nl": ("minibus", "de"), "fr": ("minibus", "m"), "es": ("microbús", "m")},
    "jeep": {"nl": ("jeep", "de"), "fr": ("jeep", "f"), "es": ("todoterreno", "m")},
    "pickup truck": {"nl": ("pick-up", "de"), "fr": ("pick-up", "m"), "es": ("camioneta", "f")},
    "camper": {"nl": ("camper", "de"), "fr": ("camping-car", "m"), "es": ("autocaravana", "f")},
    "go-kart": {"nl": ("skelter", "de"), "fr": ("kart", "m"), "es": ("kart", "m")},
    "golf cart": {
        "nl": ("golfkar", "de"),
        "fr": ("voiturette de golf", "f"),
        "es": ("carrito de golf", "m"),
    },  # fmt: skip
    "object": {"nl": ("bewegend voorwerp", "het"), "fr": ("objet", "m"), "es": ("objeto", "m")},
}
# the plural of the nouns that are counted
PLURAL_NOUNS: dict[str, dict[str, str]] = {
    "person": {"nl": "personen", "fr": "personnes", "es": "personas"},
    "vehicle": {"nl": "voertuigen", "fr": "véhicules", "es": "vehículos"},
    "bicycle": {"nl": "fietsen", "fr": "vélos", "es": "bicicletas"},
    "motorcycle": {"nl": "motoren", "fr": "motos", "es": "motos"},
    "suitcase": {"nl": "koffers", "fr": "valises", "es": "maletas"},
    "object": {
        "nl": "bewegende voorwerpen",
        "fr": "objets en mouvement",
        "es": "objetos en movimiento",
    },  # fmt: skip
}

# english colour -> {language: (form, other form)}: nl (after "een" before a het-word,
# before a de-word), fr and es (masculine, feminine)
COLOURS: dict[str, dict[str, tuple[str, str]]] = {
    "black": {"nl": ("zwart", "zwarte"), "fr": ("noir", "noire"), "es": ("negro", "negra")},
    "white": {"nl": ("wit", "witte"), "fr": ("blanc", "blanche"), "es": ("blanco", "blanca")},
    "grey": {"nl": ("grijs", "grijze"), "fr": ("gris", "grise"), "es": ("gris", "gris")},
    "dark grey": {
        "nl": ("donkergrijs", "donkergrijze"),
        "fr": ("gris foncé", "gris foncé"),
        "es": ("gris oscuro", "gris oscuro"),
    },  # fmt: skip
    "brown": {"nl": ("bruin", "bruine"), "fr": ("marron", "marron"), "es": ("marrón", "marrón")},
    "dark red": {
        "nl": ("donkerrood", "donkerrode"),
        "fr": ("bordeaux", "bordeaux"),
        "es": ("granate", "granate"),
    },  # fmt: skip
    "red": {"nl": ("rood", "rode"), "fr": ("rouge", "rouge"), "es": ("rojo", "roja")},
    "orange": {
        "nl": ("oranje", "oranje"),
        "fr": ("orange", "orange"),
        "es": ("naranja", "naranja"),
    },  # fmt: skip
    "yellow": {"nl": ("geel", "gele"), "fr": ("jaune", "jaune"), "es": ("amarillo", "amarilla")},
    "beige": {"nl": ("beige", "beige"), "fr": ("beige", "beige"), "es": ("beis", "beis")},
    "green": {"nl": ("groen", "groene"), "fr": ("vert", "verte"), "es": ("verde", "verde")},
    "blue": {"nl": ("blauw", "blauwe"), "fr": ("bleu", "bleue"), "es": ("azul", "azul")},
    "navy": {
        "nl": ("marineblauw", "marineblauwe"),
        "fr": ("bleu marine", "bleu marine"),
        "es": ("azul marino", "azul marino"),
    },  # fmt: skip
    "purple": {
        "nl": ("paars", "paarse"),
        "fr": ("violet", "violette"),
        "es": ("morado", "morada"),
    },  # fmt: skip
    "pink": {"nl": ("roze", "roze"), "fr": ("rose", "rose"), "es": ("rosa", "rosa")},
}
ARTICLES = {"nl": {"de": "een", "het": "een"}, "fr": {"m": "un", "f": "une"},
            "es": {"m": "un", "f": "una"}}  # fmt: skip
COLOUR_AFTER = {"nl": False, "fr": True, "es": True}  # "een grijze jas", "un manteau gris"


@dataclass(frozen=True)
class Noun:
    """A noun of one language, as a phrase with its article and colour."""

    word: str
    gender: str
    lang: str

    def with_colour(self, colour: str | None) -> str:
        """'grijze jas', 'manteau gris' (no article); the bare word where no colour."""
        if not colour:
            return self.word
        forms = COLOURS.get(colour, {}).get(self.lang)
        if forms is None:  # a colour with no word here is left unsaid
            return self.word
        said = forms[1] if self.gender in ("de", "f") else forms[0]
        return f"{self.word} {said}" if COLOUR_AFTER[self.lang] else f"{said} {self.word}"

    def a(self, colour: str | None = None) -> str:
        """'een grijze jas', 'un manteau gris', 'una falda negra'."""
        return f"{ARTICLES[self.lang][self.gender]} {self.with_colour(colour)}"


def noun(english: str, lang: str, kind: str = "object") -> Noun:
    """The noun of ``english`` in ``lang``; the general word of ``kind`` where it has none."""
    entry = NOUNS.get(english) or NOUNS[kind]
    word, gender = entry[lang]
    return Noun(word, gender, lang)


def counted(n: int, english: str, lang: str) -> str:
    """'1 persoon', '2 personen'."""
    if n == 1:
        return f"1 {NOUNS[english][lang][0]}"
    return f"{n} {PLURAL_NOUNS[english][lang]}"


# the words of captions and track lines; a person's doings agree with "persoon",
# "personne", "persona" (feminine in French and Spanish)
WORDS: dict[str, dict[str, object]] = {
    "nl": {
        "empty": "een lege scène: geen personen, voertuigen of beweging in beeld",
        "more": "en nog {n}",
        "and": " en ",
        "colon": ": ",
        "clothes": " in ",
        "clothes_article": True,
        "carrying": " met ",
        "on": " op ",
        "where": {
            "": "midden in beeld",
            "top": "bovenaan in beeld",
            "bottom": "onderaan in beeld",
            "left": "links in beeld",
            "right": "rechts in beeld",
            "top left": "linksboven in beeld",
            "top right": "rechtsboven in beeld",
            "bottom left": "linksonder in beeld",
            "bottom right": "rechtsonder in beeld",
        },
        "person": {
            "still": "staat stil",
            "left": "loopt naar links",
            "right": "loopt naar rechts",
            "up": "loopt van de camera weg",
            "down": "loopt naar de camera toe",
        },
        "riding": {
            "still": "staat stil",
            "left": "rijdt naar links",
            "right": "rijdt naar rechts",
            "up": "rijdt van de camera weg",
            "down": "rijdt naar de camera toe",
        },
        "vehicle": {
            "still": "staat stil",
            "left": "rijdt naar links",
            "right": "rijdt naar rechts",
            "up": "rijdt naar boven in beeld",
            "down": "rijdt naar beneden in beeld",
        },
        "object": {
            "left": "beweegt naar links",
            "right": "beweegt naar rechts",
            "up": "beweegt omhoog",
            "down": "beweegt omlaag",
        },
        "posture": {
            "sitting": "zit",
            "lying": "ligt op de grond",
            "bending": "bukt",
            "arms raised": "met de armen omhoog",
        },
        "seen": {
            "sitting": "zittend",
            "lying": "liggend",
            "bending": "gebukt",
            "running": "rennend",
            "arms raised": "met de armen omhoog",
        },
        "in_view": "in beeld {start}-{end} ({seconds} s)",
        "still_for": "{seconds} s stil",
        "seen_as": "gezien: {postures}",
        "came_in": {
            "top": "kwam boven in beeld",
            "bottom": "kwam onder in beeld",
            "left": "kwam links in beeld",
            "right": "kwam rechts in beeld",
        },
        "left_at": {
            "top": "ging boven uit beeld",
            "bottom": "ging onder uit beeld",
            "left": "ging links uit beeld",
            "right": "ging rechts uit beeld",
        },
    },
    "fr": {
        "empty": "une scène vide : ni personne, ni véhicule, ni mouvement",
        "more": "et {n} autres",
        "and": " et ",
        "colon": " : ",
        "clothes": " avec ",
        "clothes_article": True,
        "carrying": " portant ",
        "on": " sur ",
        "where": {
            "": "au centre de l'image",
            "top": "en haut de l'image",
            "bottom": "en bas de l'image",
            "left": "à gauche de l'image",
            "right": "à droite de l'image",
            "top left": "en haut à gauche de l'image",
            "top right": "en haut à droite de l'image",
            "bottom left": "en bas à gauche de l'image",
            "bottom right": "en bas à droite de l'image",
        },
        "person": {
            "still": "immobile",
            "left": "marche vers la gauche",
            "right": "marche vers la droite",
            "up": "s'éloigne de la caméra",
            "down": "vient vers la caméra",
        },
        "riding": {
            "still": "à l'arrêt",
            "left": "roule vers la gauche",
            "right": "roule vers la droite",
            "up": "s'éloigne de la caméra",
            "down": "vient vers la caméra",
        },
        "vehicle": {
            "still": "à l'arrêt",
            "left": "roule vers la gauche",
            "right": "roule vers la droite",
            "up": "roule vers le haut de l'image",
            "down": "roule vers le bas de l'image",
        },
        "object": {
            "": "en mouvement",
            "left": "se déplace vers la gauche",
            "right": "se déplace vers la droite",
            "up": "monte",
            "down": "descend",
        },
        "posture": {
            "sitting": "assise",
            "lying": "allongée au sol",
            "bending": "penchée",
            "running": "en train de courir",
            "arms raised": "les bras levés",
        },
        "seen": {
            "sitting": "assise",
            "lying": "allongée",
            "bending": "penchée",
            "arms raised": "les bras levés",
        },
        "in_view": "visible de {start} à {end} ({seconds} s)",
        "still_for": "immobile pendant {seconds} s",
        "seen_as": "vue {postures}",
        "came_in": {
            "top": "entrée par le haut",
            "bottom": "entrée par le bas",
            "left": "entrée par la gauche",
            "right": "entrée par la droite",
        },
        "left_at": {
            "top": "sortie par le haut",
            "bottom": "sortie par le bas",
            "left": "sortie par la gauche",
            "right": "sortie par la droite",
        },
        "came_in_m": {
            "top": "entré par le haut",
            "bottom": "entré par le bas",
            "left": "entré par la gauche",
            "right": "entré par la droite",
        },
        "left_at_m": {
            "top": "sorti par le haut",
            "bottom": "sorti par le bas",
            "left": "sorti par la gauche",
            "right": "sorti par la droite",
        },
    },
    "es": {
        "empty": "una escena vacía: sin personas, vehículos ni movimiento a la vista",
        "more": "y {n} más",
        "and": " y ",
        "colon": ": ",
        "clothes": " con ",
        "clothes_article": True,
        "carrying": " que lleva ",
        "on": " en ",
        "where": {
            "": "en el centro de la imagen",
            "top": "en la parte superior de la imagen",
            "bottom": "en la parte inferior de la imagen",
            "left": "a la izquierda de la imagen",
            "right": "a la derecha de la imagen",
            "top left": "arriba a la izquierda de la imagen",
            "top right": "arriba a la derecha de la imagen",
            "bottom left": "abajo a la izquierda de la imagen",
            "bottom right": "abajo a la derecha de la imagen",
        },
        "person": {
            "still": "quieta",
            "left": "camina hacia la izquierda",
            "right": "camina hacia la derecha",
            "up": "se aleja de la cámara",
            "down": "camina hacia la cámara",
        },
        "riding": {
            "still": "parada",
            "left": "va hacia la izquierda",
            "right": "va hacia la derecha",
            "up": "se aleja de la cámara",
            "down": "viene hacia la cámara",
        },
        "vehicle": {
            "still": "parado",
            "left": "circula hacia la izquierda",
            "right": "circula hacia la derecha",
            "up": "sube por la imagen",
            "down": "baja por la imagen",
        },
        "object": {
            "": "en movimiento",
            "left": "se mueve hacia la izquierda",
            "right": "se mueve hacia la derecha",
            "up": "sube",
            "down": "baja",
        },
        "posture": {
            "sitting": "sentada",
            "lying": "tumbada en el suelo",
            "bending": "agachada",
            "running": "corriendo",
            "arms raised": "con los brazos en alto",
        },
        "seen": {
            "sitting": "sentada",
            "lying": "tumbada",
            "bending": "agachada",
            "arms raised": "con los brazos en alto",
        },
        "in_view": "a la vista de {start} a {end} ({seconds} s)",
        "still_for": "sin moverse durante {seconds} s",
        "seen_as": "vista {postures}",
        "came_in": {
            "top": "entró por arriba",
            "bottom": "entró por abajo",
            "left": "entró por la izquierda",
            "right": "entró por la derecha",
        },
        "left_at": {
            "top": "salió por arriba",
            "bottom": "salió por abajo",
            "left": "salió por la izquierda",
            "right": "salió por la derecha",
        },
    },
}
