"""What Vigil says of its decisions, in the reader's language: why a policy clause holds
or not, the verdict's rationale, the verdict and alarm-kind words. Each is a `Phrase`
(its kind and values) made where the decision is made and said here, in English for the
API and the audit, in Dutch, French or Spanish for a page. Rule titles and zone names are
the site's own words and are never translated.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from babel.numbers import format_decimal

from vigil.domain import Phrase
from vigil.lexicon import NOUNS, PLURAL_NOUNS, WORDS
from vigil.phrasing import who

VERDICTS = {
    "en": {"confirmed": "Confirmed", "needs_review": "Needs review", "false_alarm": "False alarm"},
    "nl": {"confirmed": "Bevestigd", "needs_review": "Te beoordelen", "false_alarm": "Vals alarm"},
    "fr": {"confirmed": "Confirmé", "needs_review": "À examiner", "false_alarm": "Fausse alarme"},
    "es": {"confirmed": "Confirmada", "needs_review": "Por revisar", "false_alarm": "Falsa alarma"},
}
# what alarm systems call their alarms (vigil.adapters), in words; others are shown as sent
ALARM_KINDS = {
    "intrusion": {"en": "intrusion", "nl": "inbraak", "fr": "intrusion", "es": "intrusión"},
    "pir": {
        "en": "motion sensor",
        "nl": "bewegingsmelder",
        "fr": "détecteur de mouvement",
        "es": "detector de movimiento",
    },  # fmt: skip
    "motion": {"en": "motion", "nl": "beweging", "fr": "mouvement", "es": "movimiento"},
    "line_crossing": {
        "en": "line crossed",
        "nl": "lijn overschreden",
        "fr": "ligne franchie",
        "es": "línea cruzada",
    },  # fmt: skip
    "loitering": {
        "en": "loitering",
        "nl": "rondhangen",
        "fr": "maraudage",
        "es": "merodeo",
    },  # fmt: skip
    "tamper": {
        "en": "camera tampering",
        "nl": "sabotage van de camera",
        "fr": "sabotage de caméra",
        "es": "sabotaje de cámara",
    },  # fmt: skip
    "person": {"en": "person", "nl": "persoon", "fr": "personne", "es": "persona"},
    "car": {"en": "car", "nl": "auto", "fr": "voiture", "es": "coche"},
    "vehicle": {"en": "vehicle", "nl": "voertuig", "fr": "véhicule", "es": "vehículo"},
    "door_forced": {
        "en": "door forced",
        "nl": "deur geforceerd",
        "fr": "porte forcée",
        "es": "puerta forzada",
    },  # fmt: skip
    "door_held": {
        "en": "door held open",
        "nl": "deur blijft open",
        "fr": "porte maintenue ouverte",
        "es": "puerta retenida",
    },  # fmt: skip
}
SENTENCES: dict[str, dict[str, str]] = {
    "en": {
        "in_view": "in view",
        "in_zone": "in zone '{zone}'",
        "or": " or ",
        "and": " and ",
        "none_tracked": "no {kinds} tracked {where}",
        "too_short": "{counted} {where}, the longest for {longest} s (the rule needs {needs} s)",
        "holds": "{counted} {where}{without}{dwell} at once",
        "with_wear": " wearing {wear}",
        "allowed": "{each}; this is allowed",
        "later": "; {n} more came after the alarm and were not weighed",
        "subject": "Seen at the alarm: {who}.",
        "more": "and {n} more",
        "across": "crossing the line",
        "doing": " seen {doing}",
        "cannot_tell": "{counted} {where}: the site's models cannot tell {wear}",
        "without": " without {wear}",
        "dwell": " for {seconds} s or more",
        "too_small": "{counted} {where} too small to tell {wear}",
        "too_few": "at most {count} {kinds} {where}{without} at once (the rule needs {needs})",
        "no_video": "no video of the camera around the alarm time: nothing to verify it on",
        "nothing_armed": "no clause of the policy is armed for this camera then",
        "always_armed": "always armed",
        "not_armed": "not armed: {reason}",
        "schedule": "{when}: {schedule} {state} at {at}",
        "on": "on",
        "off": "off",
        "holiday": "{when}: a holiday at {at}",
        "during": "during {schedule}",
        "outside": "outside {schedule}",
        "decided": "{verdict}{clauses}: {reason}.",
        "evidence": "Evidence: {count} frame(s), {span} site time.",
        "span": "{first} to {last}",
        "no_frame": "No stored frame of this camera covers the alarm time.",
    },
    "nl": {
        "in_view": "in beeld",
        "in_zone": "in zone '{zone}'",
        "or": " of ",
        "and": " en ",
        "none_tracked": "geen {kinds} gevolgd {where}",
        "too_short": "{counted} {where}, de langste {longest} s (de regel vraagt {needs} s)",
        "holds": "{counted} tegelijk {where}{without}{dwell}",
        "with_wear": " met {wear}",
        "allowed": "{each}; dit is toegestaan",
        "later": "; {n} later gekomen, niet meegewogen",
        "subject": "Gezien bij het alarm: {who}.",
        "more": "en nog {n}",
        "across": "over de lijn",
        "doing": ", {doing}",
        "cannot_tell": "{counted} {where}: de modellen van de locatie kunnen {wear} niet zien",
        "without": " zonder {wear}",
        "dwell": ", {seconds} s of langer",
        "too_small": "{counted} {where}, te klein in beeld om {wear} te zien",
        "too_few": "hoogstens {count} {kinds} tegelijk {where}{without} (de regel vraagt {needs})",
        "no_video": "geen video van de camera rond het alarm: niets om het aan te toetsen",
        "nothing_armed": "geen clausule van het beleid is dan actief voor deze camera",
        "always_armed": "altijd actief",
        "not_armed": "niet actief: {reason}",
        "schedule": "{when}: {schedule} {state} op {at}",
        "on": "aan",
        "off": "uit",
        "holiday": "{when}: een feestdag op {at}",
        "during": "tijdens {schedule}",
        "outside": "buiten {schedule}",
        "decided": "{verdict}{clauses}: {reason}.",
        "evidence": "Bewijs: {count} beeld(en), {span} plaatselijke tijd.",
        "span": "{first} tot {last}",
        "no_frame": "Geen opgeslagen beeld van deze camera dekt het tijdstip van het alarm.",
    },
    "fr": {
        "in_view": "dans le champ",
        "in_zone": "dans la zone « {zone} »",
        "or": " ou ",
        "and": " et ",
        "none_tracked": "aucun suivi de {kinds} {where}",
        "too_short": "{counted} {where}, la plus longue présence {longest} s "
        "(la règle demande {needs} s)",
        "holds": "{counted} en même temps {where}{without}{dwell}",
        "with_wear": " avec {wear}",
        "allowed": "{each} ; c'est autorisé",
        "later": " ; {n} arrivé(s) après l'alarme, non pris en compte",
        "subject": "Vu au moment de l'alarme : {who}.",
        "more": "et {n} autres",
        "across": "en franchissant la ligne",
        "doing": ", {doing}",
        "cannot_tell": "{counted} {where} : les modèles du site ne savent pas voir {wear}",
        "without": " sans {wear}",
        "dwell": ", pendant {seconds} s ou plus",
        "too_small": "{counted} {where}, trop petit à l'image pour voir : {wear}",
        "too_few": "au plus {count} {kinds} en même temps {where}{without} "
        "(la règle en demande {needs})",
        "no_video": "aucune vidéo de la caméra autour de l'alarme : rien pour la vérifier",
        "nothing_armed": "aucune clause de la politique n'est active pour cette caméra à ce moment",
        "always_armed": "toujours active",
        "not_armed": "inactive : {reason}",
        "schedule": "{when} : {schedule} {state} le {at}",
        "on": "en cours",
        "off": "hors période",
        "holiday": "{when} : jour férié le {at}",
        "during": "pendant {schedule}",
        "outside": "en dehors de {schedule}",
        "decided": "{verdict}{clauses} : {reason}.",
        "evidence": "Preuves : {count} image(s), {span} heure locale.",
        "span": "de {first} à {last}",
        "no_frame": "Aucune image enregistrée de cette caméra ne couvre l'heure de l'alarme.",
    },
    "es": {
        "in_view": "a la vista",
        "in_zone": "en la zona «{zone}»",
        "or": " o ",
        "and": " y ",
        "none_tracked": "ningún seguimiento de {kinds} {where}",
        "too_short": "{counted} {where}, la estancia más larga {longest} s "
        "(la regla pide {needs} s)",
        "holds": "{counted} a la vez {where}{without}{dwell}",
        "with_wear": " con {wear}",
        "allowed": "{each}; está permitido",
        "later": "; {n} llegaron después de la alarma, sin tenerse en cuenta",
        "subject": "Visto en el momento de la alarma: {who}.",
        "more": "y {n} más",
        "across": "cruzando la línea",
        "doing": ", {doing}",
        "cannot_tell": "{counted} {where}: los modelos de la sede no saben ver {wear}",
        "without": " sin {wear}",
        "dwell": ", durante {seconds} s o más",
        "too_small": "{counted} {where}, demasiado pequeño en la imagen para ver: {wear}",
        "too_few": "como mucho {count} {kinds} a la vez {where}{without} (la regla pide {needs})",
        "no_video": "no hay vídeo de la cámara en torno a la alarma: nada con qué verificarla",
        "nothing_armed": "ninguna cláusula de la política está activa para esta cámara entonces",
        "always_armed": "siempre activa",
        "not_armed": "inactiva: {reason}",
        "schedule": "{when}: {schedule} {state} el {at}",
        "on": "activo",
        "off": "inactivo",
        "holiday": "{when}: festivo el {at}",
        "during": "durante {schedule}",
        "outside": "fuera de {schedule}",
        "decided": "{verdict}{clauses}: {reason}.",
        "evidence": "Pruebas: {count} imagen(es), {span} hora local.",
        "span": "de {first} a {last}",
        "no_frame": "Ninguna imagen guardada de esta cámara cubre la hora de la alarma.",
    },
}
WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "nl": ("ma", "di", "wo", "do", "vr", "za", "zo"),
    "fr": ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."),
    "es": ("lun.", "mar.", "mié.", "jue.", "vie.", "sáb.", "dom."),
}
PLURALS_EN = {
    "person": "people",
    "vehicle": "vehicles",
    "bicycle": "bicycles",
    "motorcycle": "motorcycles",
    "suitcase": "suitcases",
}


def say(phrase: Phrase | dict, lang: str = "en") -> str:
    """The phrase in ``lang`` (English for a language Vigil does not speak)."""
    phrase = Phrase.model_validate(phrase)
    words = SENTENCES.get(lang) or SENTENCES["en"]
    lang = lang if lang in SENTENCES else "en"
    return SAYERS[phrase.key](phrase.values, words, lang)


def verdict_word(verdict: str, lang: str = "en") -> str:
    """'Confirmed', 'Vals alarm'."""
    return (VERDICTS.get(lang) or VERDICTS["en"]).get(verdict, verdict.replace("_", " "))


def alarm_kind(kind: str, lang: str = "en") -> str:
    """An alarm system's name for an alarm in words ('pir' -> 'bewegingsmelder')."""
    known = ALARM_KINDS.get(kind.lower())
    return known[lang if lang in known else "en"] if known else kind.replace("_", " ")


def number(value: float, lang: str) -> str:
    """A number as the language writes it ('2,5')."""
    return format_decimal(value, locale=lang, format="0.##")


def _kinds(objects: list[str], words: dict, lang: str) -> str:
    if lang == "en":
        return words["or"].join(PLURALS_EN[k] for k in objects)
    return words["or"].join(PLURAL_NOUNS[k][lang] for k in objects)


def _counted(n: int, objects: list[str], words: dict, lang: str) -> str:
    if n != 1:
        return f"{n} {_kinds(objects, words, lang)}"
    if lang == "en":
        return f"1 {words['or'].join(objects)}"
    return f"1 {words['or'].join(NOUNS[k][lang][0] for k in objects)}"


def _wear(wear: list[str], joiner: str, lang: str) -> str:
    return joiner.join(NOUNS[w][lang][0] if lang != "en" and w in NOUNS else w for w in wear)


def _doing(doing: list[str], words: dict, lang: str) -> str:
    if lang == "en":
        return words["and"].join(doing)
    return words["and"].join(WORDS[lang]["seen"].get(d, d) for d in doing)


def _clause_parts(v: dict, words: dict, lang: str) -> dict[str, str]:
    """The pieces every clause reason shares: what kinds, where, without what, how long."""
    objects = v["objects"]
    worn = _wear(v.get("wear", []), words["and"], lang)
    without = ""
    if v.get("wear") and "without" in v:
        without = words["without"].format(wear=worn)
    elif v.get("wear") and "wearing" in v:
        without = words["with_wear"].format(wear=worn)
    return {
        "kinds": _kinds(objects, words, lang),
        "where": (
            words["across"]
            if v.get("line")
            else words["in_zone"].format(zone=v["zone"])
            if v.get("zone")
            else words["in_view"]
        )
        + (words["doing"].format(doing=_doing(v["doing"], words, lang)) if v.get("doing") else ""),
        "counted": _counted(v.get("count", 0), objects, words, lang),
        "without": without,
        "count": str(v.get("count", 0)),
        "needs": number(v["needs"], lang) if "needs" in v else "",
        "longest": f"{v.get('longest', 0):.0f}",
        "wear": _wear(v.get("wear", []), words["or"], lang),
    }


def _clause(key: str) -> Callable[[dict, dict, str], str]:
    def said(v: dict, words: dict, lang: str) -> str:
        parts = _clause_parts(v, words, lang)
        dwell = v.get("dwell")
        parts["dwell"] = words["dwell"].format(seconds=f"{dwell:.0f}") if dwell else ""
        later = words["later"].format(n=v["later"]) if v.get("later") else ""
        return words[key].format(**parts) + later

    return said


def _armed(v: dict, words: dict, lang: str) -> str:
    schedule = v["schedule"]
    when = words["during" if v["when"].startswith("during") else "outside"].format(
        schedule=schedule
    )
    at = f"{WEEKDAYS[lang][v['weekday']]} {v['at']}"
    if v["state"] == "holiday":
        return words["holiday"].format(when=when, at=at)
    state = words[v["state"]]
    return words["schedule"].format(when=when, schedule=schedule, state=state, at=at)


def _decided(v: dict, words: dict, lang: str) -> str:
    clauses = f" ({', '.join(v['clauses'])})" if v.get("clauses") else ""
    return words["decided"].format(
        verdict=verdict_word(v["verdict"], lang), clauses=clauses, reason=say(v["reason"], lang)
    )


def _subject(v: dict, words: dict, lang: str) -> str:
    """Who the verdict rests on, each with when they were in view."""
    seen = [f"{who(s['looks'], lang)} ({s['first']}-{s['last']})" for s in v["who"]]
    if v.get("more"):
        seen.append(SENTENCES[lang]["more"].format(n=v["more"]))
    return words["subject"].format(who="; ".join(seen))


def _evidence(v: dict, words: dict, lang: str) -> str:
    last = v.get("last")
    span = words["span"].format(first=v["first"], last=last) if last else v["first"]
    return words["evidence"].format(count=v["count"], span=span)


SAYERS: dict[str, Callable[[dict, dict, str], str]] = {
    "none_tracked": _clause("none_tracked"),
    "too_short": _clause("too_short"),
    "holds": _clause("holds"),
    "too_small": _clause("too_small"),
    "too_few": _clause("too_few"),
    "cannot_tell": _clause("cannot_tell"),
    "no_video": lambda v, words, lang: words["no_video"],
    "nothing_armed": lambda v, words, lang: words["nothing_armed"],
    "always_armed": lambda v, words, lang: words["always_armed"],
    "armed": _armed,
    "not_armed": lambda v, words, lang: words["not_armed"].format(reason=say(v["reason"], lang)),
    "clause": lambda v, words, lang: f"{v['title']}: {say(v['reason'], lang)}",
    "clauses": lambda v, words, lang: "; ".join(say(c, lang) for c in v["each"]),
    "allowed": lambda v, words, lang: words["allowed"].format(
        each="; ".join(say(c, lang) for c in v["each"])
    ),
    "decided": _decided,
    "evidence": _evidence,
    "subject": _subject,
    "no_frame": lambda v, words, lang: words["no_frame"],
}

# the words of an exported report (prompts/report.*.j2), by their English
DOCUMENT_WORDS = {
    "nl": {
        "Incident": "Incident", "version": "versie", "Site": "Locatie", "Cameras": "Camera's",
        "Period": "Periode", "to": "tot", "Verdict": "Oordeel", "Report hash": "Rapporthash",
        "For the operator": "Voor de operator", "Description": "Beschrijving", "by": "door",
        "no frame cited": "geen beeld genoemd", "Not written yet.": "Nog niet geschreven.",
        "Timeline": "Tijdlijn", "People": "Personen", "Vehicles": "Voertuigen",
        "none seen": "niemand gezien", "Policy clauses": "Beleidsclausules", "holds": "geldt",
        "does not hold": "geldt niet", "unsure": "onzeker", "none": "geen",
        "Actions taken": "Genomen acties", "none recorded": "niets vastgelegd",
        "Recommended actions": "Aanbevolen acties", "Evidence": "Bewijs", "frame": "beeld",
        "Exported": "Geëxporteerd", "faces and licence plates blurred":
        "gezichten en kentekens onherkenbaar gemaakt", "Page": "Pagina", "of": "van",
        "draft": "concept", "edited": "bewerkt", "submitted": "ingediend",
        "approved": "goedgekeurd", "withdrawn": "ingetrokken",
    },
    "fr": {
        "Incident": "Incident", "version": "version", "Site": "Site", "Cameras": "Caméras",
        "Period": "Période", "to": "à", "Verdict": "Verdict", "Report hash": "Empreinte du rapport",
        "For the operator": "Pour l'opérateur", "Description": "Description", "by": "par",
        "no frame cited": "aucune image citée", "Not written yet.": "Pas encore rédigée.",
        "Timeline": "Chronologie", "People": "Personnes", "Vehicles": "Véhicules",
        "none seen": "aucun vu", "Policy clauses": "Clauses de la politique",
        "holds": "s'applique", "does not hold": "ne s'applique pas", "unsure": "incertain",
        "none": "aucune", "Actions taken": "Actions menées", "none recorded": "aucune notée",
        "Recommended actions": "Actions recommandées", "Evidence": "Preuves",
        "frame": "image", "Exported": "Exporté", "faces and licence plates blurred":
        "visages et plaques floutés", "Page": "Page", "of": "sur", "draft": "brouillon",
        "edited": "modifié", "submitted": "soumis", "approved": "approuvé",
        "withdrawn": "retiré",
    },
    "es": {
        "Incident": "Incidente", "version": "versión", "Site": "Sede", "Cameras": "Cámaras",
        "Period": "Periodo", "to": "a", "Verdict": "Veredicto", "Report hash": "Huella del informe",
        "For the operator": "Para el operador", "Description": "Descripción", "by": "por",
        "no frame cited": "sin imagen citada", "Not written yet.": "Aún sin redactar.",
        "Timeline": "Cronología", "People": "Personas", "Vehicles": "Vehículos",
        "none seen": "ninguno visto", "Policy clauses": "Cláusulas de la política",
        "holds": "se cumple", "does not hold": "no se cumple", "unsure": "dudoso",
        "none": "ninguna", "Actions taken": "Acciones realizadas", "none recorded":
        "ninguna anotada", "Recommended actions": "Acciones recomendadas",
        "Evidence": "Pruebas", "frame": "imagen", "Exported": "Exportado",
        "faces and licence plates blurred": "caras y matrículas difuminadas",
        "Page": "Página", "of": "de", "draft": "borrador", "edited": "editado",
        "submitted": "enviado", "approved": "aprobado", "withdrawn": "retirado",
    },
}  # fmt: skip


def document_words(lang: str) -> Callable[[str], str]:
    """``t(english)``: a report template's word in the report's language."""
    words = DOCUMENT_WORDS.get(lang, {})
    return lambda english: words.get(english, english)


# what a report asks of its operator (`agent.reports`), kept in English in the report
REPORT_FLAGS = {
    "evidence: no stored frame backs this incident; add frames or close it": {
        "nl": "bewijs: geen opgeslagen beeld onderbouwt dit incident; voeg beelden toe of "
        "sluit het",
        "fr": "preuves : aucune image enregistrée n'étaye cet incident ; ajoutez des images ou "
        "clôturez-le",
        "es": "pruebas: ninguna imagen guardada respalda este incidente; añada imágenes o ciérrelo",
    },
    "description: nothing in the video was described yet; write it or let the model draft it": {
        "nl": "beschrijving: nog niets in de video is beschreven; schrijf het zelf of laat de "
        "assistent een opzet maken",
        "fr": "description : rien dans la vidéo n'est encore décrit ; rédigez-la ou laissez "
        "l'assistant la proposer",
        "es": "descripción: aún no se ha descrito nada del vídeo; escríbala o deje que el "
        "asistente la redacte",
    },
    "people and vehicles: none seen in the evidence frames; check": {
        "nl": "personen en voertuigen: geen gezien op de bewijsbeelden; controleer dit",
        "fr": "personnes et véhicules : aucun vu sur les images de preuve ; à vérifier",
        "es": "personas y vehículos: ninguno visto en las imágenes de prueba; compruébelo",
    },
    "actions taken: record what was done (called, dispatched, closed)": {
        "nl": "genomen acties: leg vast wat er is gedaan (gebeld, uitgestuurd, afgesloten)",
        "fr": "actions menées : notez ce qui a été fait (appel, envoi sur place, clôture)",
        "es": "acciones realizadas: anote lo que se hizo (llamada, envío, cierre)",
    },
    "shift: more happened than a report's 12 frames hold; the Shift page shows it all": {
        "nl": "dienst: er gebeurde meer dan de 12 beelden van een rapport bevatten; de "
        "pagina Dienst toont alles",
        "fr": "service : il s'est passé plus que les 12 images d'un rapport ; la page Service "
        "montre tout",
        "es": "turno: pasó más de lo que caben en las 12 imágenes de un informe; la página "
        "Turno lo muestra todo",
    },
    "description: the model wrote nothing grounded; write it": {
        "nl": "beschrijving: de assistent schreef niets dat op beelden berust; schrijf het zelf",
        "fr": "description : l'assistant n'a rien écrit d'étayé ; rédigez-la",
        "es": "descripción: el asistente no escribió nada respaldado; escríbala",
    },
}
WITHDRAWN = re.compile(
    r"withdrawn: (?P<who>.+) overruled the alarm \((?P<verdict>[a-z ]+)\): (?P<why>.*)"
)
WITHDRAWN_WORDS = {
    "nl": "ingetrokken: {who} verwierp het alarm ({verdict}): {why}",
    "fr": "retiré : {who} a rejeté l'alarme ({verdict}) : {why}",
    "es": "retirado: {who} rechazó la alarma ({verdict}): {why}",
}


def report_flag(flag: str, lang: str) -> str:
    """A report's flag for its operator in ``lang``."""
    withdrawn = WITHDRAWN.fullmatch(flag)
    if withdrawn and lang in WITHDRAWN_WORDS:
        verdict = verdict_word(withdrawn["verdict"].replace(" ", "_"), lang).lower()
        return WITHDRAWN_WORDS[lang].format(
            who=withdrawn["who"], verdict=verdict, why=withdrawn["why"]
        )
    return REPORT_FLAGS.get(flag, {}).get(lang, flag)
