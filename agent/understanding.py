"""What a question asks for, resolved in code before any search: its time window (time
words in the site zone), the camera it names, and a follow-up rewritten as a standalone
query. The model is only asked for the rewrite."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import NotRequired, TypedDict
from zoneinfo import ZoneInfo

import simplemma

from agent.relevance import FINE_VEHICLES, SUBJECT_PATTERNS, subjects_of
from vigil.domain import TurnRecord
from vigil.errors import InvalidInputError
from vigil.inputs import camera_named_in
from vigil.language import language_of, lemma_languages
from vigil.prompts import without_instructions
from vigil.timewords import WEEKDAY_WORDS, resolve_time_window
from vigil.vocabulary import (
    COLOUR_WORDS,
    POSTURE_WORDS,
    READ_PATTERNS,
    UNSEEABLE,
    VEHICLE_WORDS,
    Looks,
    heading_in,
    looks_asked,
    plain_words,
    read_looks,
    scenes_named,
)
from vigil.words import FUNCTION_WORDS

# "and after that?" in the four site languages: the follow-up's window starts where the
# previous answer's evidence ended
_AFTER_THAT = re.compile(
    r"\b(?:after that|afterwards|then|daarna|erna|toen|ensuite|après (?:ça|cela)|"
    r"puis|después|luego)\b",
    re.IGNORECASE,
)


# questions answered from tracks: how many passed, how long one stayed
_HOW_MANY = re.compile(
    r"\b(?:how many|number of|no\. of|count|head ?count|tally|hoeveel|aantal|combien|cb de|"
    r"nombre de|cu[aá]nt[oa]s|n[uú]mero de|total de|en total|au total|in total|totaal)(?!\w)",
    re.IGNORECASE,
)
# "at the same time": the most at one moment, not how many passed
_AT_ONCE = re.compile(
    r"\b(?:at (?:the same time|once|one time)|simultaneous(?:ly)?|tegelijk(?:ertijd)?|"
    r"gelijktijdig|en m[êe]me temps|à la fois|simultan[ée]ment|"
    r"al mismo tiempo|a la vez|simult[aá]neamente)\b",
    re.IGNORECASE,
)
# "were there two people at the table at the same time?": a number at one moment
_SEVERAL = re.compile(
    r"\b(?:two|three|several|twee|drie|meerdere|deux|trois|plusieurs|dos|tres|vari[oa]s|[2-9])\b",
    re.IGNORECASE,
)
_MOST = re.compile(
    r"\b(?:most|maximum|max|meeste|maximaal|le plus|au maximum|m[aá]ximo|como m[aá]ximo)\b",
    re.IGNORECASE,
)
_HOW_LONG = re.compile(
    r"\b(?:how long|for how many (?:seconds|minutes)|hoe ?lang|combien de temps|cb de temps|"
    r"pendant combien|"
    r"how much time|hoeveel tijd|cu[aá]nto tiempo|cu[aá]nto rato|durante cu[aá]nto)\b",
    re.IGNORECASE,
)


# how long someone or something stayed put, rather than how long it was in view
_DWELL = re.compile(
    r"\b(?:stand|stood|standing|wait(?:ed|ing)?|stay(?:ed)?|linger(?:ed)?|loiter(?:ed)?|"
    r"remain(?:ed)?|stopp?(?:ed)?|park(?:ed)?|stond|staan|staat|gestaan|wachtte|wachten|"
    r"gewacht|bleef|gebleven|stil|"
    r"attendu|attendre|rest[ée]e?|immobile|debout|arr[êe]t[ée]e?|stationn[ée]e?|esper[óo]|"
    r"esperar|se qued[óo]|quiet[oa]|de pie|parad[oa]|aparcad[oa])\b",
    re.IGNORECASE,
)


# "the first / second / last visitor" in the four site languages: which track is meant
_ORDINALS = {
    1: r"first|eerste|premi[eè]re?|primer[oa]?",
    2: r"second|tweede|deuxi[eè]me|seconde?|segund[oa]",
    3: r"third|derde|troisi[eè]me|tercer[oa]?",
    4: r"fourth|vierde|quatri[eè]me|cuarta",  # "el cuarto" is also a room
    5: r"fifth|vijfde|cinqui[eè]me|quint[oa]",
    6: r"sixth|zesde|sixi[eè]me|sext[oa]",
    -1: r"last|laatste|derni[eè]re?|[uú]ltim[oa]",
}
# "the last two days", "la nuit dernière": a time, not which one
_OF_TIME = (
    r"(?!\s+(?:\w+\s+)?(?:nights?|nites?|days?|weeks?|hours?|minutes?|months?|evenings?|mornings?|"
    r"weekends?|shifts?|nacht|nachten|dagen|dag|weken|uur|uren|minuten|maand|avond|ochtend|"
    r"dienst|nuits?|jours?|semaines?|heures?|mois|soirs?|soirées?|matins?|noches?|d[ií]as?|"
    r"semanas?|horas?|minutos?|meses|tardes?|ma[ñn]anas?|turnos?|cuarto de hora|quarter|"
    r"kwartier|" + WEEKDAY_WORDS + r")\b)"
)
_OF_TIME_BEFORE = "".join(
    f"(?<!{unit} )"
    for unit in (
        *("nuit", "semaine", "soirée", "journée", "heure", "noche", "semana"),
        *("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        *("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    )
)
_ORDINAL = {
    n: re.compile(
        rf"{_OF_TIME_BEFORE if n == -1 else ''}\b(?:{words})\b{_OF_TIME if n == -1 else ''}",
        re.IGNORECASE,
    )
    for n, words in _ORDINALS.items()
}


# "the 4th", "de 4e", "le 4ème", "el 4º"
_NUMBERED = re.compile(
    r"(?<!on the )(?<!the )\b(\d{1,2})(?:st|nd|rd|th|e|de|ste|[eè]me|i[eè]me|er|re|[eè]re|º|ª)\b"
    r"|(?<=the )(\d{1,2})(?:st|nd|rd|th)\b(?= (?:\w+ )?(?:visitors?|persons?|people|cars?|ones?|"
    r"vehicles?|guys?|customers?|to|left|came|went|arrived|walked|entered))"
    # "nr 3", "no. 2", "n°3", "número 4": a number in a row
    r"|\b(?:nr\.?|no\.|n°|num\.?|n[uú]mero) ?(\d{1,2})\b"
)


# "has the white van moved?", "il a bougé ?", "se movió el coche?"
_MOVED = re.compile(
    r"\b(?:move[ds]?|moving|dr[io]ven?|drove|bewogen|bewoog|beweegt|verplaatst|verreden|"
    r"weggereden|gereden|reed|boug[ée]e?s?|bouge|déplac[ée]e?s?|roul[ée]e?s?|roulait|"
    r"se movi[óo]|movid[oa]s?|moverse|circul[óo]|circulaba)\b",
    re.IGNORECASE,
)


# "did the 2 cars clip each other?", "zijn ze gebotst?", "accrochage ?", "¿chocaron?"
_COLLIDED = re.compile(
    r"\b(?:crash(?:ed|es)?|collid(?:e|ed|es)|collision|clip(?:ped)? each other|"
    r"hit each other|bump(?:ed)? into each other|accident|bots(?:en|te|ten)|gebotst|"
    r"botsing|aanrijding|tegen elkaar|aangereden|accroch(?:age|[ée]s?|[ée]es)|"
    r"percut[ée]e?s?|se sont (?:touch[ée]e?s|heurt[ée]e?s)|collisionn[ée]e?s?|"
    r"choc(?:aron|ó|o|aron entre s[ií])|chocado|choque|colisi[óo]n|colisionaron|"
    r"accidente)\b",
    re.IGNORECASE,
)


# "which camera saw a red car?", "op welke camera", "sur quelle caméra", "en qué cámara"
_WHICH_CAMERA = re.compile(
    r"\b(?:which|what) cam(?:era)?s?\b|\bwelke cam(?:era)?(?:'?s)?\b|\bquelles? cam[ée]ras?\b|"
    r"\b(?:qu[eé]|cu[aá]l(?:es)?) c[aá]maras?\b",
    re.IGNORECASE,
)


def names_a_camera(answer: str, cameras: Sequence[str], aliases: dict[str, list[str]]) -> bool:
    """Whether an answer names one of ``cameras`` (its name, spaced, or an alias)."""
    lowered = answer.lower()
    return any(name.lower() in lowered for c in cameras for name in _camera_names(c, aliases))


# "par quel côté", "left or right", "aan welke kant": which edge someone came in or left by
_WHICH_SIDE = re.compile(
    r"\b(?:which|what) (?:side|edge|way)|left or (?:the )?right|right or (?:the )?left|"
    r"welke kant|links of rechts|rechts of links|quel côté|par où|gauche ou (?:par |à )?(?:la )?"
    r"droite|droite ou (?:par |à )?(?:la )?gauche|qu[eé] lado|izquierda o (?:por )?(?:la )?"
    r"derecha|derecha o (?:por )?(?:la )?izquierda|por d[oó]nde",
    re.IGNORECASE,
)
_SIDE_WORDS = re.compile(r"\b(?:to|from|on|at|by) the (?:left|right)\b|\bleft or right\b")


def side_moment(question: str) -> str | None:
    """For a question by which side someone came in or left, the moment it asks about
    ("came" or "left", whose frame shows the side); None for any other question."""
    if not _WHICH_SIDE.search(question):
        return None
    if _ARRIVED.search(question):
        return "came"
    return "left" if _LEFT.search(_SIDE_WORDS.sub(" ", question)) else None


# "which way did the red car go?", "welke kant op", "dans quel sens", "en qué dirección"
_WHICH_WAY = re.compile(
    r"\b(?:which way|what direction|which direction|welke kant op|welke richting|"
    r"dans quel sens|quelle direction|dans quelle direction|par où|"
    r"(?:en|hacia) qu[eé] direcci[oó]n|qu[eé] direcci[oó]n|hacia d[oó]nde|para d[oó]nde)"
    # "up or down?", "naar boven of naar beneden?", "vers le haut ou vers le bas ?"
    r"|\b(?:up|naar boven|omhoog|vers le haut|hacia arriba)\b[^?.]{0,25}?\b(?:or|of|ou|o)\s+"
    r"(?:\w+\s+){0,2}?(?:down|beneden|omlaag|bas|abajo)\b"
    r"|\b(?:down|naar beneden|omlaag|vers le bas|hacia abajo)\b[^?.]{0,25}?\b(?:or|of|ou|o)\s+"
    r"(?:\w+\s+){0,2}?(?:up|boven|omhoog|haut|arriba)\b",
    re.IGNORECASE,
)


# what a question asks beyond its subject (`asks`)
_ASKS = {
    "moved": _MOVED,
    "collided": _COLLIDED,
    "which camera": _WHICH_CAMERA,
    "which way": _WHICH_WAY,
}


def asks(what: str, question: str) -> bool:
    """Whether a question asks ``what``: "moved" (did something move or drive: a parked
    vehicle), "collided" (did vehicles crash or touch), "which camera" (its answer names
    one), "which way" (across the picture something went)."""
    return bool(_ASKS[what].search(question))


# an edge of the picture as answers name it ("left" the verb is no side: "she left by the
# right" names the right)
_EDGES = {
    "left": r"(?:the|to|on|at|by|via) left|(?:top|bottom)-left|(?:top|bottom) left (?:corner|"
    r"edge|side)|left(?:[- ]hand| side| edge| corner)|"
    r"links|linker\w*|"
    r"gauche|izquierd[ao]s?",
    "right": r"right|rechts|rechter\w*|droite|derech[ao]s?",
    "top": r"top|boven\w*|haut|arriba|superior",
    "bottom": r"bottom|onder\w*|beneden|bas|abajo|inferior",
}
_EDGE_PATTERNS = {
    edge: re.compile(rf"\b(?:{words})\b", re.IGNORECASE) for edge, words in _EDGES.items()
}


def edges_named(answer: str) -> set[str]:
    """The edges of the picture (left, right, top, bottom) an answer names."""
    return {edge for edge, pattern in _EDGE_PATTERNS.items() if pattern.search(answer)}


# "just before the last one came", "voordat de laatste kwam": the spell before the last
# came, not after they left
_BEFORE_THE_LAST = re.compile(
    r"\b(?:before|voor|voordat|vóór|avant|antes)\b[^?.,;]{0,25}?\b(?:last|laatste|derni|[uú]ltim)",
    re.IGNORECASE,
)


_BETWEEN = re.compile(r"\b(?:between|tussen|entre)\b", re.IGNORECASE)
_ANY_NUMBERED = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th|e|de|ste|[eè]me|i[eè]me|er|re|º|ª)\b")


def empty_after(question: str, nth: int) -> int:
    """Which empty spell an ordinal asks for (`VideoTools.get_empty_spells`'s ``after``):
    the one after the nth left ("between the 2nd and 3rd": the 2nd), or for the last (-1)
    the one after the last left, unless the question asks for the one just before the last
    came (-2)."""
    if nth > 0 and _BETWEEN.search(question):
        said = [int(n) for n in _ANY_NUMBERED.findall(question)]
        said += [n for n, pattern in _ORDINAL.items() if pattern.search(question)]
        return min([n for n in said if n > 0] or [nth])
    return nth - 1 if nth < 0 and _BEFORE_THE_LAST.search(question) else nth


def ordinal_asked(question: str) -> int | None:
    """Which one a question means ("the second visitor": 2, "le 4e": 4, "the last car":
    -1), or None."""
    if numbered := _NUMBERED.search(question):
        number = int(next(group for group in numbered.groups() if group))
        if number > 0:
            return number
    return next((n for n, pattern in _ORDINAL.items() if pattern.search(question)), None)


# "when" and "at what time" in the four site languages, and whether coming or going is meant
_WHEN = re.compile(
    r"\b(?:when|wh?[ao]?t time|at what time|hoe laat|wanneer|quand|à quelle heure|quelle heure|"
    r"cu[aá]ndo|a qu[eé] hora|qu[eé] hora)\b",
    re.IGNORECASE,
)
_ARRIVED = re.compile(
    r"\b(?:arriv\w*|came|come|comes|entered|enter\w*|appear\w*|show(?:ed)? up|got there|"
    r"rock(?:ed)? up|turn(?:ed)? up|pop(?:ped)? in|walk(?:ed)? in|opdook|opdaagde|"
    r"(?:s'est )?point[ée]e?|débarqu[ée]e?|asom[óo]|"
    r"kwam\w*|komen|aan ?gekomen|aankwam|binnen\w*|verscheen|arriv[ée]\w*|venu\w*|entr[ée]\w*|"
    r"apparu\w*|lleg[óoa]\w*|vino|entr[óo]|apareci[óo])\b",
    re.IGNORECASE,
)
_LEFT = re.compile(
    r"\b(?:left|leave|leaves|leaving|went away|go|gone|exit\w*|vertrok\w*|vertrekken|"
    r"ging\w*|weg|verliet|part(?:i|ie|is|it|ir)\b|quitt\w*|sorti\w*|se fue|sali[óo]\w*|"
    r"march[ée]\w*|se march[óo]|t(?:oo|a)k(?:e|es)? off|head(?:ed)? off|clear(?:ed)? off|ervandoor|"
    r"barr[ée]e?|se larg[óo]|larg[óo]|se pir[óo]|repart\w*|ressort\w*)",
    re.IGNORECASE,
)


# "for more than 10 seconds", "langer dan een minuut", "plus de 2 minutes", "al menos 30 s":
# a duration held against a threshold (yes or no), not asked for itself
_LONGER_THAN = re.compile(
    r"\b(?P<bound>more than|longer than|over|at least|meer dan|langer dan|minstens|ten minste|"
    r"plus de|plus longtemps que|au moins|m[aá]s de|m[aá]s tiempo que|al menos|por lo menos)"
    r"\s+(?P<n>\d+(?:[.,]\d+)?|an?|one|een|une?|uno?|half an?|een half|une demi|medio)\s*"
    r"(?P<unit>seconds?|secs?|s|seconden|secondes?|segundos?|minutes?|mins?|min|minuten?|"
    r"minuto?s?|minuut|hours?|hrs?|uur|heures?|horas?)\b(?!\s*(?:ago|geleden))",
    re.IGNORECASE,
)
_UNIT_SECONDS = (("h", 3600), ("uur", 3600), ("m", 60), ("s", 1))


def longer_than(question: str) -> tuple[float, bool] | None:
    """The duration a question holds something against ("for more than 10 seconds"), in
    seconds, and whether it must be exceeded (more than) or only reached (at least)."""
    said = _LONGER_THAN.search(question)
    if said is None or re.search(r"(?:il y a|hace)\s*$", question[: said.start()]):
        return None  # "more than 5 minutes ago", "il y a plus de 5 minutes": when, not a bound
    n = said.group("n").lower().replace(",", ".")
    amount = (
        0.5
        if n.startswith(("half", "een half", "une demi", "medio"))
        else (float(n) if n[0].isdigit() else 1.0)
    )
    unit = said.group("unit").lower()
    per = next(seconds for prefix, seconds in _UNIT_SECONDS if unit.startswith(prefix))
    at_least = said.group("bound").lower() in (
        "at least",
        "minstens",
        "ten minste",
        "au moins",
        "al menos",
        "por lo menos",
    )
    return amount * per, not at_least


def asks_a_number(question: str) -> bool:
    """Whether a question asks for a number (how many, the most) rather than yes or no."""
    return bool(_HOW_MANY.search(question) or _MOST.search(question))


def measure_asked(question: str) -> str | None:
    """'dwell' for how long someone stood or waited, 'duration' for other how-long
    questions, 'count' for how-many ones ('at_once' for the most at one moment),
    'arrival' / 'departure' / 'when' for when
    someone came, left, or was there; else None."""
    if _HOW_LONG.search(question) or longer_than(question):
        return "dwell" if _DWELL.search(question) else "duration"
    if _AT_ONCE.search(question) and (
        _HOW_MANY.search(question) or _MOST.search(question) or _SEVERAL.search(question)
    ):
        return "at_once"
    if _HOW_MANY.search(question):
        return "count"
    if _WHEN.search(question):
        if _LEFT.search(question):
            return "departure"
        return "arrival" if _ARRIVED.search(question) else "when"
    return None


# the words of any question about video, as lemmas (`simplemma`) in the four site
# languages: seeing and filming, coming, passing and going, wearing and holding, time,
# place and picture in general. With function words (`stopwordsiso`) and what the
# vocabularies read, they leave a question's words that name what no model here sees.
_QUESTION_LEMMA_TEXT = """
    see spot notice catch show film record watch view look appear happen occur do go come
    walk run drive ride pass cross move enter leave exit return turn head arrive visit stay
    wait stand sit wear dress carry hold bring take get put use find check tell say know
    think reckon remember confirm guess seem time moment minute second hour day week weekend
    total number amount colour color kind sort type thing stuff area place side front back
    corner middle way picture image video footage camera cam cams shot screen recording clip
    lot exact exactly roughly approximately please thanks total visible long short early late
    set room direction hang heading sec dark light big large small little tiny huge tall
    previous hand path road street lane roll cross climb split separate disappear vanish
    space follow next crossing frame hrs diff different sunrise sunset dawn dusk left right
    altogether stick lil sporty meet together alone
    zien kijken opvallen spotten gebeuren doen gaan komen lopen rijden passeren oversteken
    bewegen binnenkomen binnenlopen vertrekken weggaan terugkomen blijven wachten staan zitten
    dragen aanhebben kleden brengen nemen krijgen houden vinden zeggen weten denken lijken
    tijd moment minuut seconde uur dag week weekend totaal aantal kleur soort ding plek plaats
    kant voorkant achterkant hoek midden beeld camera opname video ongeveer precies heen
    terug kamer zaal richting lang langs reden elf erover allemaal helemaal donker licht
    groot klein vorig hand pad weg straat ruimte rollen dalen stijgen verdwijnen volgen
    volgende splitsen verschillend links rechts samen alleen tonen weergeven vastleggen laten laat
    achterlaten achterliet
    voir regarder remarquer repérer apercevoir filmer montrer apparaître arriver venir aller
    marcher rouler passer traverser bouger entrer sortir partir revenir rester attendre porter
    habiller vêtir mettre tenir apporter prendre durer sembler temps moment minute seconde
    heure jour semaine week-end total nombre couleur genre sorte type chose truc endroit côté
    coin milieu image caméra vidéo enregistrement environ exactement rentrer revenu pied
    salle sens direction fond dernier monde passage repartir ressortir foncé clair grand
    petit main chemin route rue allée faire pièce descendre monter remonter disparaître
    suivre suivant séparer champ retrouver différent gauche droite ensemble seul croiser
    afficher affiche capter
    ver mirar notar fijar grabar mostrar aparecer pasar ocurrir hacer ir venir andar caminar
    conducir cruzar mover entrar salir volver quedar esperar llevar vestir poner tener traer
    tomar tardar durar parecer tiempo momento minuto segundo hora día semana finde total
    número color tipo cosa sitio lugar lado esquina medio imagen cámara vídeo grabación
    aproximadamente exactamente vista cuadro fondo sala sentido dirección subir coincidir
    meter aparcar oscuro claro grande pequeño pasado mano camino calle carretera sendero
    bajar desaparecer seguir siguiente separar separarse habitación cuarto espacio
    encuadre plano sale salen diferente izquierda derecha abajo arriba justo juntos juntar
    enseñar enseña captar
    solo
    """
_QUESTION_LEMMAS = frozenset(_QUESTION_LEMMA_TEXT.split())
_QUESTION_PATTERNS = (
    _HOW_MANY, _AT_ONCE, _SEVERAL, _MOST, _HOW_LONG, _DWELL, _WHEN, _ARRIVED, _LEFT, _NUMBERED,
    *_ORDINAL.values(),
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Dutch: "kereltje", "autootje", "topje" (each ending tried: "to-pje" is no word)
_DIMINUTIVES = tuple(re.compile(rf"(?<=..){end}s?$") for end in ("tje", "etje", "pje", "je"))
_SPANISH_DIMINUTIVE = re.compile(r"(?<=...)c?it[oa]s?$")  # "azulito", "cochecito"
COMPOUND_TAIL = 4  # the shortest last part of a compound word read as the word it ends in
_ELIDED = re.compile(r"^(?:l|d|qu|j|n|s|c|m|t)'")  # French "l'air", "d'une"
# a word where something was ("on the slope", "au contrôle", "en el césped"): a place in
# the camera's view, not what is asked about
_PLACE = re.compile(
    r"(?<![\w'])(?:on|at|near|op|bij|aan|naast|au|aux|sur|près d[eu]|à (?:la|l')|"
    r"en (?:el|la|los|las)|junto al?|cerca del?|al)\s+(?:(?:the|de|het|le|la|les|l'|el|"
    r"los|las)\s*)?([^\W\d_]+)"
)


def without_phrases(question: str, phrases: Sequence[str]) -> str:
    """The question with ``phrases`` (its time words, the name of the camera it asks
    about) blanked: what is left is what it asks about ("how many cars at the taxi rank
    on tuesday" asks of cars, not of taxis)."""
    for phrase in sorted(phrases, key=len, reverse=True):
        question = re.sub(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", " ", question, flags=re.I)
    return question


def camera_phrases(camera: str | None, aliases: dict[str, list[str]]) -> list[str]:
    """What a question may call ``camera`` in more than one word ("taxi rank", "route du
    cap"): a name, not what it asks about. A one-word name ("gate") may be both."""
    if camera is None:
        return []
    return [name for name in _camera_names(camera, aliases) if re.search(r"[\s-]", name.strip())]


def _camera_names(camera: str, aliases: dict[str, list[str]]) -> list[str]:
    """A camera's name, spaced ("taxi rank" for taxi-rank), and its aliases."""
    names = [camera, camera.replace("-", " "), camera.replace("_", " "), *aliases.get(camera, [])]
    return list(dict.fromkeys(names))


def unread_words(question: str) -> tuple[str, ...]:
    """What a question names that no vocabulary here reads ("gedeukt", "une rayure",
    "masten"): its words left once the vocabularies' words, its subjects and question
    words, function words and the words of any question about video are taken out; only
    words a dictionary of its language knows (a typo names nothing), and not a place
    ("on the slope": what the camera looks at). Blank its time words and camera names
    first (`without_phrases`)."""
    text = plain_words(without_instructions(question))  # an instruction asks nothing seen
    for pattern in (*READ_PATTERNS, *SUBJECT_PATTERNS, *_QUESTION_PATTERNS):
        text = pattern.sub(" ", text)
    languages = lemma_languages(language_of(question))
    places = {m.group(1) for m in _PLACE.finditer(text)}
    unread = []
    for match in _WORD.finditer(text):
        word = _ELIDED.sub("", match.group(0))
        if len(word) < 3 or word in FUNCTION_WORDS or word in _QUESTION_LEMMAS or word in places:
            continue
        if _compound_of_read(word):
            continue
        if {simplemma.lemmatize(w, lang=languages) for w in _forms(word)} & _QUESTION_LEMMAS:
            continue
        if simplemma.is_known(word, lang=languages):
            unread.append(word)
    return tuple(dict.fromkeys(unread))


def _compound_of_read(word: str) -> bool:
    """Whether a word is, or ends in, one the vocabularies read, as Dutch compounds and
    diminutives do ("zeilschip" is a ship, "kereltje" a kerel)."""
    stems = {re.sub(r"([aeiou])\1$", r"\1", d.sub("", word)) for d in _DIMINUTIVES}  # auto-otje
    small = _SPANISH_DIMINUTIVE.sub("", word)
    if small != word:
        stems |= {small, f"{small}o", f"{small}a"}
    return any(
        pattern.fullmatch(stem[i:])
        for stem in stems
        for i in (0, *range(1, len(stem) - COMPOUND_TAIL + 1))
        for pattern in (*READ_PATTERNS, *SUBJECT_PATTERNS)
    )


def _forms(word: str) -> tuple[str, ...]:
    """A word and, for a French participle the dictionary lacks ("passées", "rentré"),
    its infinitive."""
    participle = re.sub(r"é(?:e|s|es)?$", "er", word)
    return (word, participle) if participle != word else (word,)


@dataclass(frozen=True)
class Asked:
    """What a question asks, typed: the kind of thing (person, vehicle, ...), how it looks
    (`vigil.vocabulary.Looks`), what is measured (count, dwell, arrival, ...), which one in
    order ("the second visitor"), and what of it the site's models cannot see."""

    subjects: tuple[str, ...]
    looks: Looks
    measure: str | None
    nth: int | None
    reader: str = "words"  # words (this module's rules) or model (the local LLM filled it)
    heading: str | None = None  # the way across the picture ("top to bottom"), if asked
    unread: tuple[str, ...] = ()  # its words no vocabulary here reads (`unread_words`)

    @property
    def kind(self) -> str | None:
        """The tracked kind asked about (person or vehicle: a motorbike is one), if any."""
        kinds = ["vehicle" if s in FINE_VEHICLES else s for s in self.subjects]
        return next((s for s in kinds if s in ("person", "vehicle")), None)


SUBJECT_KINDS = ("person", "vehicle", "bicycle", "animal", "bag", "empty", "other")
MEASURES = ("count", "at_once", "duration", "dwell", "arrival", "departure", "when", "none")


def reading_schema(cameras: list[str]) -> dict:
    """The JSON schema the local LLM fills to read a question (`read_by_model`): every
    value one the code knows, so what it writes needs no guessing."""

    def one_of(values) -> dict:
        return {"anyOf": [{"type": "string", "enum": list(values)}, {"type": "null"}]}

    colours = list(COLOUR_WORDS)
    return {
        "type": "object",
        "properties": {
            "subject": {"type": "string", "enum": list(SUBJECT_KINDS)},
            "upper": one_of(colours),
            "lower": one_of(colours),
            "colour": one_of(colours),
            "posture": one_of(POSTURE_WORDS),
            "vehicle_type": one_of(k for k in VEHICLE_WORDS if k != "car"),
            "measure": {"type": "string", "enum": list(MEASURES)},
            "nth": {"anyOf": [{"type": "integer", "minimum": -1, "maximum": 20}, {"type": "null"}]},
            "camera": one_of(cameras) if cameras else {"type": "null"},
            "cannot_see": one_of(UNSEEABLE),
        },
        "required": ["subject", "measure"],
    }


def asked_from_reading(reading: dict, question: str) -> tuple[Asked, str | None]:
    """A model's reading (`reading_schema`) as a typed question and the camera it named,
    checked in code: unknown values are dropped, never trusted."""
    subject = reading.get("subject")
    subjects = (subject,) if subject in SUBJECT_KINDS and subject != "other" else ()
    try:
        looks = looks_asked(
            reading.get("upper"),
            reading.get("lower"),
            reading.get("colour"),
            reading.get("posture"),
            reading.get("vehicle_type"),
            of_vehicle=subject == "vehicle",
        )
    except InvalidInputError:
        looks = Looks()
    unseeable = UNSEEABLE.get(reading.get("cannot_see") or "")
    looks = replace(
        looks,
        unseeable=(unseeable[1],) if unseeable else (),
        words=read_looks(question).words,
    )
    measure = reading.get("measure")
    nth = reading.get("nth")
    asked = Asked(
        subjects=subjects,
        looks=looks,
        measure=measure if measure in MEASURES and measure != "none" else None,
        nth=nth if isinstance(nth, int) and nth != 0 and -1 <= nth <= 20 else None,
        reader="model",
        heading=heading_in(question),  # said in so many words, never guessed
    )
    camera = reading.get("camera")
    return asked, camera if isinstance(camera, str) else None


def read_question(question: str) -> Asked:
    """The typed reading of a question by the vocabulary of the four site languages."""
    subjects = subjects_of(question)
    vehicle = bool({"vehicle", *FINE_VEHICLES} & set(subjects)) and "person" not in subjects
    looks = read_looks(question, vehicle=vehicle)
    if looks.garments and not vehicle and "person" not in subjects:
        # "el de la camiseta negra", "die met de grijze trui": clothes are worn by someone
        subjects = ("person", *subjects)
    return Asked(
        subjects=subjects,
        looks=looks,
        measure=measure_asked(question),
        nth=ordinal_asked(question),
        heading=heading_in(question),
    )


class Window(TypedDict):
    """The time window and camera a question is about, as stored with its turn."""

    start: str | None  # ISO-8601 in the site zone, or None: from the beginning
    end: str | None  # or None: until now
    phrases: list[str]  # the question's words that said when
    camera: str | None
    moment: NotRequired[str | None]  # ISO-8601: the time said "around" ("at 09:00:10")


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
    scenes: dict[str, list[str]] | None = None,
) -> Understood:
    """Resolve time words and camera names; rewrite a follow-up (``rewrite``) as a query.

    ``frame_time`` gives a cited frame's time, where "and after that?" starts. A question
    that names no camera but a kind of place ("in the kitchen") is about the one camera
    whose ``scenes`` (camera -> scene words) say it looks at such a place, if one does.
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
    if camera is None:
        camera = camera_of_scene(question, scenes or {})
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
            "moment": window.moment.astimezone(tz).isoformat() if window.moment else None,
        },
    )


def camera_of_scene(question: str, scenes: dict[str, list[str]]) -> str | None:
    """The one camera whose scene words include a kind of place the question names."""
    named = scenes_named(question)
    fitting = [camera for camera, words in scenes.items() if set(named) & set(words)]
    return fitting[0] if len(fitting) == 1 else None


# a window and a search said in the asker's language
_SEARCH_WORDS = {
    "English": {"any time": "any time", "span": "from {lo} to {hi}", "start": "the beginning",
                "end": "now", "cameras": "all cameras", "looked for": "looked for"},
    "Dutch": {"any time": "alle opnamen", "span": "van {lo} tot {hi}", "start": "het begin",
              "end": "nu", "cameras": "alle camera's", "looked for": "gezocht naar"},
    "French": {"any time": "toute la période", "span": "du {lo} au {hi}", "start": "le début",
               "end": "maintenant", "cameras": "toutes les caméras", "looked for": "recherché"},
    "Spanish": {"any time": "todo el periodo", "span": "del {lo} al {hi}",
                "start": "el principio", "end": "ahora", "cameras": "todas las cámaras",
                "looked for": "buscado"},
}  # fmt: skip


def window_text(window: Window, language: str = "English") -> str:
    """A time window as the model and the operator read it, in ``language``."""
    words = _SEARCH_WORDS[language]
    start, end = window.get("start"), window.get("end")
    if not start and not end:
        return words["any time"]
    fmt = "%Y-%m-%d %H:%M"
    lo = datetime.fromisoformat(start).strftime(fmt) if start else words["start"]
    hi = datetime.fromisoformat(end).strftime(fmt) if end else words["end"]
    return words["span"].format(lo=lo, hi=hi)


def searched_text(window: Window, looked_for: Sequence[str], language: str) -> str:
    """What was searched, for a "no evidence" answer: the camera (or all of them), the
    window, and the asker's own words for what was looked for."""
    words = _SEARCH_WORDS[language]
    where = f"{window.get('camera') or words['cameras']}, {window_text(window, language)}"
    return f"{where}; {words['looked for']}: {', '.join(looked_for)}" if looked_for else where
