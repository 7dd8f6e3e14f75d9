"""Which retrieved frames can bear on a question: a deterministic check before the model.

Search always returns the nearest frames, even for a question about something no frame
shows ("did a dog run through the lobby?"), and a 1.5B model asked to judge relevance was
measured to answer at random. So the subject of a question (a person, a vehicle, an animal,
an empty scene, ...) is read from its words in EN/NL/FR/ES, and a frame counts as evidence
only if its caption (captions are English) names that kind of thing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from vigil.phrasing import plural
from vigil.vocabulary import OBJECT_WORDS, SEATS, VEHICLE_WORDS, plain_words

ANIMALS = frozenset({"dog", "cat", "horse", "sheep", "cow", "bird", "elephant", "giraffe", "zebra"})
# things the object detector names (COCO), each its own subject: "someone with a dog" is
# shown by a frame with a dog, "any trains?" by none that lacks one
THINGS = tuple(OBJECT_WORDS)  # a seat (`SEATS`) only where nothing else is asked about
# subject -> (words in questions, in four languages; words in captions that show it)
SUBJECTS: dict[str, tuple[str, str]] = {
    "person": (
        r"person|persons|people|ppl|someone|somebody|some1|any1|anyone|anybody|man|men|woman|women|guys?|"
        r"lad(?:y|ies)|gentlem[ae]n|folks?|visitors?|guests?|customers?|staff|workers?|"
        # what operators call people, casually
        r"blokes?|chaps?|fellas?|dudes?|gals?|lads?|girls?|boys?|blondes?|brunettes?|"
        # two walking together, as operators call them (a couple is not said to be one)
        r"couples?|pairs?|duos?|twosomes?|stel(?:letje)?s?|koppels?|paartjes?|parejas?|"
        r"redheads?|rubi[ao]s?|morenas?|pelirroj[ao]s?|rousses?|"
        r"meid(?:en)?|meisjes?|jongens?|gast(?:en)?|kerels?|gozers?|mecs?|nanas?|meufs?|qqn|"
        r"filles?|gar[cç]ons?|chic[oa]s?|"
        r"(?<=le |un |ce )type|t[ií][oa]s?|tip[oa]s?(?! de)|muchach[oa]s?|"
        r"passers?-by|passer-bys|voorbijgangers?|passants?|transe[uú]ntes?|"
        r"skiers?|skiërs?|skieurs?|esquiador(?:es|as?)?|joggers?|runners?|hardlopers?|"
        r"coureurs?|corredor(?:es|as?)?|snowboarders?|surfers?|surfeurs?|surfistas?|hikers?|"
        r"wandelaars?|randonneurs?|excursionistas?|senderistas?|"
        r"employees?|intruders?|pedestrians?|kids?|child|children|toddlers?|babies|"
        r"kinderen|kindje|kleuters?|(?<!d')enfants?|gosses?|gamin(?:e|s)?|mômes?|"
        r"bébés?|niñ[oa]s?|crí[oa]s?|chaval(?:es)?|bebés?|"
        r"iemand|persoon|personen|mensen|man|mannen|"
        r"vrouw(?:en)?|meneer|mevrouw|dames?|heren|bezoekers?|klant(?:en)?|medewerkers?|"
        r"indringers?|voetgangers?|quelqu'un|personnes?|gens|hommes?|femmes?|gars|"
        r"dames?|messieurs?|monsieur|visiteurs?|clients?|employ[ée]e?s?|intrus|piétons?|"
        r"alguien|persona|personas|gente|hombres?|mujer(?:es)?|señor(?:a|es|as)?|chic[oa]s?|"
        r"visitantes?|clientes?|emplead[oa]s?|intrusos?|peat[oó]n(?:es)?",
        r"person|people|man|woman|men|women",
    ),
    "vehicle": (
        r"vehicles?|cars?|vans?|trucks?|lorry|lorries|bus|buses|minibus|taxi|suv|auto'?s?|"
        r"wagens?|bagnoles?|busjes?|vrachtwagens?|voertuig(?:en)?|motorfiets(?:en)?|voitures?|"
        r"camion(?:nette)?s?|véhicules?|autobus|coches?|furgonetas?|camión|camiones|"
        r"autobús|autobuses|vehículos?|carro|motorbikes?|motorcycles?|motos?|motocicletas?|"
        r"scooters?|" + "|".join(VEHICLE_WORDS.values()),
        r"vehicles?|cars?|vans?|trucks?|bus|buses|minibus(?:es)?|taxis?|motorcycles?|"
        r"motorbikes?",
    ),
    # kinds of vehicle no other is taken for: a question naming one is answered by frames
    # that show one, not by any vehicle (vans, trucks and cars are told apart too poorly)
    "motorbike": (
        r"motorbikes?|motorcycles?|motos?|motocicletas?|motorfiets(?:en)?|motoren|"
        r"brommers?|scooters?",
        r"motorbikes?|motorcycles?|scooters?|mopeds?",
    ),
    "bus": (
        r"bus(?! ?stop)|buses|busses|coach(?:es)?|bussen|touringcars?|autobus|autocars?|autob[uú]s|"
        r"autobuses",
        r"bus|buses|minibus(?:es)?|coach(?:es)?",
    ),
    "bicycle": (
        r"bicycles?|bikes?|bikers?|cyclists?|fiets(?:en|ers?)?|fietsje|wielrenners?|vélos?|"
        r"cyclistes?|bicicletas?|bicis?|ciclistas?",
        r"bicycle|bicycles|bike|cyclist",
    ),
    "animal": (  # any of them: "c'est quoi comme animal ?" is shown by a giraffe
        r"animals?|dogs?|cats?|birds?|horse|dier(?:en)?|hond(?:en)?|kat(?:ten)?|vogels?|"
        r"animaux|animal|chiens?|chats?|oiseaux?|perros?|gatos?|pájaros?|animales|"
        r"critters?|creatures?|beest(?:je)?s?|bestioles?|b[eê]tes?|bichos?|"
        # wild ones the detector has no class for: seen, if at all, as another animal
        r"fox(?:es)?|vos(?:sen)?|renards?|zorros?|deers?|herten|hert|reeën|ree|chevreuils?|"
        r"cerfs?|biches?|ciervos?|corzos?|rabbits?|hares?|konijn(?:en)?|haas|hazen|lapins?|"
        r"lièvres?|conejos?|liebres?|hedgehogs?|egels?|hérissons?|erizos?|badgers?|"
        r"blaireaux?|tejones|tejón|rats?|ratten|ratas?|mice|mouse|muis|muizen|souris|"
        r"ratón|ratones|squirrels?|eekhoorns?|écureuils?|ardillas?|boars?|wild zwijn|"
        r"everzwijnen|everzwijn|sangliers?|jabalí(?:es)?|wol(?:f|ves)|wolven|loups?|lobos?",
        r"animals?|fox(?:es)?|" + "|".join(rf"{a}|{plural(a)}" for a in sorted(ANIMALS)),
    ),
    "bag": (
        r"bags?|backpacks?|suitcases?|luggage|parcels?|packages?|tas|tassen|rugzak|koffers?|"
        r"pakket|sacs?|sac à dos|valises?|colis|bolsas?|bolsos?|mochilas?|maletas?|paquetes?",
        r"bags?|handbags?|backpacks?|suitcases?|luggage|parcels?|packages?",
    ),
    "empty": (
        r"empty|nobody|no one|deserted|leeg|niemand|vide|désert|personne n'|vacío|vacía|nadie",
        r"empty|no people",
    ),
    **{thing: (OBJECT_WORDS[thing], rf"{thing}|{plural(thing)}") for thing in THINGS},
}
FINE_VEHICLES = ("motorbike", "bus")  # named, they are asked about, not any vehicle
# how captions (English) name each subject: the query for a second search when the
# question's own words found nothing that shows it
SUBJECT_QUERIES = {
    **{thing: f"a {thing}" for thing in THINGS},
    "person": "a person",
    "vehicle": "a vehicle",
    "motorbike": "a motorbike",
    "bus": "a bus",
    "bicycle": "a bicycle",
    "animal": "an animal",
    "bag": "a person carrying a bag",
    "empty": "an empty scene",
}
_PATTERNS = {
    subject: (
        re.compile(rf"(?<!\w)(?:{asked})(?!\w)", re.IGNORECASE),
        re.compile(rf"(?<!\w)(?:{shown})(?!\w)", re.IGNORECASE),
    )
    for subject, (asked, shown) in SUBJECTS.items()
}
SUBJECT_PATTERNS = tuple(asked for asked, _ in _PATTERNS.values())  # as questions name them


# "no people, vehicles or movement in view" names things by saying they are absent
_NEGATED = re.compile(r"\b(?:no|without)\s+\w+(?:,\s*\w+)*(?:\s+(?:or|and)\s+\w+)?", re.IGNORECASE)


@dataclass(frozen=True)
class Relevance:
    """The subjects a question asks about and the indexes of the frames that show one."""

    subjects: tuple[str, ...]
    relevant: tuple[int, ...]


# "has anyone seen a fox?", "iemand een vos gezien?": the one who saw is the asker's
# colleague, not someone on camera ("iemand met een hond gezien?" is someone on camera)
_SEEING = (
    r"seen|see|saw|spotted|spot|noticed|gezien|gespot|opgemerkt|vu|aperçu|remarqué|visto|avistado"
)
_SEER = re.compile(
    rf"(?<![\w'])(?<!was )(?<!were )(?<!is )(?<!are )"
    rf"(?:anyone|anybody|someone|somebody|any1|some1|qqn|quelqu'un|alguien)"
    rf"(?=(?:\s+\S+){{0,2}}?\s+(?:{_SEEING})(?!\w))"
    rf"|(?<![\w'])iemand(?!\s+(?:met|in|die|zonder|bij|op|aan)\b)(?=.*\b(?:{_SEEING})\b)"
)


def subjects_of(question: str) -> tuple[str, ...]:
    """The kinds of thing a question asks about, in a fixed order; () if none is named."""
    question = _SEER.sub(" ", plain_words(question))
    found = [s for s, (asked, _) in _PATTERNS.items() if asked.search(question)]
    # "nobody came in" asks about an empty scene, not about a person; "any motorbikes?"
    # about a motorbike, not about any vehicle; "anyone on the bench?" about a person, the
    # bench where ("which camera shows a sofa?" about the sofa)
    return tuple(
        s
        for s in found
        if not (s == "person" and "empty" in found)
        and not (s == "vehicle" and set(found) & set(FINE_VEHICLES))
        and not (s == "animal" and set(found) & ANIMALS)
        and not (s in SEATS and set(found) - SEATS)
    )


def subject_words(question: str, subjects: Sequence[str]) -> tuple[str, ...]:
    """The question's own words for ``subjects`` ("camion-poubelle" names a vehicle),
    to say back in its language what was looked for."""
    question = plain_words(question)
    found = (_PATTERNS[s][0].search(question) for s in subjects if s in _PATTERNS)
    return tuple(dict.fromkeys(match.group(0) for match in found if match))


def relevant_frames(question: str, captions: Sequence[str]) -> Relevance:
    """Which captions show a subject of the question; every caption if none is named."""
    subjects = subjects_of(question)
    if not subjects:
        return Relevance((), tuple(range(len(captions))))
    # "someone with a dog", "la del top rojo, andaba en bici?": the dog or the bicycle tells
    # the frames apart, not the someone
    things = [s for s in subjects if s in THINGS or s in ("animal", "bag", "bicycle")] or subjects
    relevant = tuple(
        i for i, caption in enumerate(captions) if any(_shows(s, caption) for s in things)
    )
    return Relevance(subjects, relevant)


def shows(subject: str, caption: str) -> bool:
    """Whether a caption (English) shows this kind of thing."""
    return _shows(subject, caption)


# a still image's scene words ("a picture showing orange, banana, lemon") are the image
# classifier's guesses at the whole picture, not things the detector found in it
_SCENE_WORDS = re.compile(r"a picture showing [^;]*")  # up to the people it describes


def _shows(subject: str, caption: str) -> bool:
    if subject == "empty":
        return bool(_PATTERNS["empty"][1].search(caption))
    if subject in THINGS:
        caption = _SCENE_WORDS.sub(" ", caption)
    return bool(_PATTERNS[subject][1].search(_NEGATED.sub(" ", caption)))
