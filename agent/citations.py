"""Grounding checks on an answer: pure functions over the labels the model was shown.

Evidence frames reach the model as short labels (F1, F2, ...), which a small model copies
reliably; the check maps them back to frame ids, drops citations of anything it was not
shown, and refuses an answer about video that cites nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import simplemma

from agent.relevance import shows, subjects_of
from agent.tool_runner import Measure
from vigil.domain import FrameEvidence
from vigil.language import lemma_languages
from vigil.prompts import fence
from vigil.words import FUNCTION_WORDS, STOPWORDS, TOKEN, stem

NO_EVIDENCE = "No evidence found"
# what the checks write instead of an answer, in the question's language: nothing found,
# {searched} being what was searched; the closest matches, each "{camera}", "{time}",
# "{caption}" (quoted: captions are English) and "{label}"
NO_EVIDENCE_TEXT = {
    "English": NO_EVIDENCE + ": the recordings searched ({searched}) do not show this.",
    "Dutch": "Geen bewijs gevonden: de doorzochte opnamen ({searched}) tonen dit niet.",
    "French": "Aucune preuve trouvée : les enregistrements consultés ({searched}) ne le "
    "montrent pas.",
    "Spanish": "No se encontraron pruebas: las grabaciones revisadas ({searched}) no lo muestran.",
}
# what the checks write where the site's models cannot perceive what was asked, in the
# question's language: {what} cannot be seen, {why}; what they can see follows
CANNOT_SEE_TEXT = {
    "English": "Cannot tell from the video: the site's models do not see {what} ({why}).",
    "Dutch": "Niet te zien op de beelden: de modellen van deze locatie zien geen {what} ({why}).",
    "French": "Impossible à dire d'après la vidéo : les modèles du site ne voient pas {what} "
    "({why}).",
    "Spanish": "No se puede saber por el vídeo: los modelos del sitio no ven {what} ({why}).",
}
# what the checks write where no frame shows what an answer claims: {what} is the
# question's own words for it; the nearest frames follow
NOT_SHOWN_TEXT = {
    "English": "No frame shows what was asked ({what}). The nearest: ",
    "Dutch": "Geen beeld toont wat gevraagd werd ({what}). Het dichtst bij: ",
    "French": "Aucune image ne montre ce qui était demandé ({what}). Les plus proches : ",
    "Spanish": "Ninguna imagen muestra lo que se preguntó ({what}). Lo más cercano: ",
}
# what the checks write where the model said no but frames show what was asked: {what}
# is the question's own words for it; those frames follow
SHOWN_TEXT = {
    "English": "Frames that show it ({what}): ",
    "Dutch": "Beelden die het tonen ({what}): ",
    "French": "Images qui le montrent ({what}) : ",
    "Spanish": "Imágenes que lo muestran ({what}): ",
}
# after a "cannot see" answer: what the cameras do show
WHAT_IT_SEES = {
    "English": "What the cameras show: ",
    "Dutch": "Wat de camera's tonen: ",
    "French": "Ce que montrent les caméras : ",
    "Spanish": "Lo que muestran las cámaras: ",
}
CLOSEST_TEXT = {
    "English": ("The closest recorded matches: ", '{camera} at {time}, "{caption}" [{label}]'),
    "Dutch": ("De best passende opnamen: ", '{camera} om {time}, "{caption}" [{label}]'),
    "French": (
        "Les images enregistrées les plus proches : ",
        '{camera} à {time}, "{caption}" [{label}]',
    ),
    "Spanish": (
        "Las grabaciones más cercanas: ",
        '{camera} a las {time}, "{caption}" [{label}]',
    ),
}
CITATION = re.compile(r"\[([^\[\]]{1,200})\]")
_LABEL = re.compile(r"\bF(\d{1,3})\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
LABELS = re.compile(r"(?<=[\[ ,])F\d{1,3}\b")  # labels as the model writes them: [F1], [F1, F2]
# an answer that opens by denying (in the four site languages)
_DENIES = re.compile(
    r"\s*(?:no\b|nee\b|non\b|niemand|nobody|no one|nothing|personne|nadie|nada|geen\b|"
    r"aucune?\b|ningun[oa]?\b|"
    r"there (?:was|were) no\b|er (?:was|waren) geen|il n'y a)",
    re.IGNORECASE,
)
# where in the picture a caption places things: not a fact an answer can be checked by
_PLACE_WORDS = frozenset(["top", "bottom", "centre", "center", "left", "right", "frame"])


# number words of the four site languages, for judging stated counts
NUMBER_WORDS = {
    1: "one een un une uno una", 2: "two twee deux dos", 3: "three drie trois tres",
    4: "four vier quatre cuatro", 5: "five vijf cinq cinco", 6: "six zes seis",
    7: "seven zeven sept siete", 8: "eight acht huit ocho", 9: "nine negen neuf nueve",
    10: "ten tien dix diez",
}  # fmt: skip
_SECONDS = re.compile(
    r"(?<![\d:.])(\d+(?:[.,]\d+)?)\s*(?:s\b|sec|seconds?|seconden|secondes?|segundos?)"
)


def states_count(text: str, count: int) -> bool:
    """Whether an answer states ``count`` as a number: digits that are not part of a clock
    time or a citation ([F4], [frame id]), or the number word in a site language."""
    text = CITATION.sub(" ", text)
    if re.search(rf"(?<![\d:.]){count}(?![\d:])", text):
        return True
    words = NUMBER_WORDS.get(count, "").split()
    return any(re.search(rf"(?<!\w){w}(?!\w)", text, re.IGNORECASE) for w in words)


def states_seconds(text: str, low: float, high: float) -> bool:
    """Whether an answer states a duration in seconds within [low, high] (outside its
    citations)."""
    text = CITATION.sub(" ", text)
    return any(low <= float(m.group(1).replace(",", ".")) <= high for m in _SECONDS.finditer(text))


CLOCK = re.compile(r"(?<![\d:])([01]?\d|2[0-3])[:.h]([0-5]\d)(?::([0-5]\d))?(?![\d:])")


def states_time(text: str, times: Sequence[str]) -> bool:
    """Whether an answer states one of ``times`` (HH:MM:SS) on the clock, outside its
    citations: to the second (one either way), or to the minute where it gives no
    seconds."""
    wanted = []
    for t in times:
        h, m, sec = (int(x) for x in t.split(":"))
        wanted.append(h * 3600 + m * 60 + sec)
    for match in CLOCK.finditer(CITATION.sub(" ", text)):
        h, m = int(match.group(1)), int(match.group(2))
        if match.group(3) is None:
            if any(w // 60 == h * 60 + m for w in wanted):
                return True
        elif any(abs(w - (h * 3600 + m * 60 + int(match.group(3)))) <= 1 for w in wanted):
            return True
    return False


def to_the_second(text: str, times: Sequence[str]) -> str:
    """An answer's clock times given to the minute ("vers 08:47") with the seconds the
    tracks give, where one of ``times`` (HH:MM:SS) alone falls in that minute."""

    def precise(match: re.Match) -> str:
        if match.group(3) is not None:
            return match.group(0)
        minute = f"{int(match.group(1)):02d}:{match.group(2)}"
        inside = {t for t in times if t.startswith(minute)}
        return inside.pop() if len(inside) == 1 else match.group(0)

    said, end = [], 0
    for cited in CITATION.finditer(text):  # a label is not a time
        said += [CLOCK.sub(precise, text[end : cited.start()]), cited.group(0)]
        end = cited.end()
    return "".join([*said, CLOCK.sub(precise, text[end:])])


def measured_times(measure: Measure, asked: str | None) -> list[str]:
    """The clock times (HH:MM:SS) the tracks give for what was ``asked``: when they came
    for an arrival, when they left for a departure, both otherwise."""
    starts, ends = measure.get("starts", []), measure.get("ends", [])
    return {"arrival": starts, "departure": ends}.get(asked or "", [*starts, *ends])


def states_measure(text: str, measure: Measure, asked: str | None = None) -> bool:
    """Whether an answer states what the tracks give for what was ``asked``: the count,
    one of the durations (to the second), or when one came or left."""
    if asked in ("arrival", "departure", "when"):
        return states_time(text, measured_times(measure, asked))
    if asked in ("count", "at_once") or (asked is None and not measure.get("seconds")):
        return "count" in measure and states_count(text, measure["count"])
    return any(states_seconds(text, s - 1, s + 1) for s in measure.get("seconds", []))


# the lead-in to a count or track tool's own (English) lines, quoted, in a site language
MEASURED_TEXT = {
    "Dutch": "Volgens de gevolgde sporen: ",
    "French": "D'après les pistes suivies : ",
    "Spanish": "Según las trayectorias seguidas: ",
}


def measured_facts(measure: Measure, language: str = "English", lines: int = 3) -> str:
    """A count or track tool's own words as the answer: its first lines, labels kept; for
    a question in another site language, quoted after a lead-in in that language."""
    said = "; ".join(line.rstrip(":") for line in measure["text"].splitlines()[: lines + 1])
    if language in MEASURED_TEXT:
        labels = "".join(dict.fromkeys(re.findall(r"\[F\d{1,3}\]", said)))
        quoted = re.sub(r"\s*\[F\d{1,3}\]", "", said).rstrip("; ")
        return f'{MEASURED_TEXT[language]}"{quoted}" {labels}.'
    return said + "."


@dataclass(frozen=True)
class CheckedAnswer:
    """An answer whose citations name real evidence frames."""

    text: str
    frame_ids: tuple[str, ...]
    dropped: tuple[str, ...]  # citations that named no frame the model was shown
    uncited_sentences: int
    grounded: bool  # cites at least one frame, or says there is no evidence


def says_no_evidence(text: str) -> bool:
    """Whether a text says that nothing was found, in any of the site languages."""
    lowered = text.lower()
    return any(
        phrase.split(":")[0].strip().lower() in lowered for phrase in NO_EVIDENCE_TEXT.values()
    )


def says_cannot_see(text: str) -> bool:
    """Whether a text says the site's models cannot perceive what was asked."""
    lowered = text.lower()
    return any(
        phrase.split(":")[0].strip().lower() in lowered for phrase in CANNOT_SEE_TEXT.values()
    )


def denies(text: str) -> bool:
    """Whether an answer opens by denying (no one, nothing, none) in a site language."""
    return bool(_DENIES.match(text))


def states_evidence(answer: str, captions: Sequence[str]) -> bool:
    """Whether an answer says something its frames show.

    It must name a kind of thing (person, vehicle, empty scene, ...; in any site language)
    that one of the ``captions`` shows, or use a content word of a caption (a colour, a
    garment, ...). An answer that does neither, such as an obeyed instruction ("PWNED"),
    rests on nothing the frames show, whatever it cites. Pass captions as the model saw
    them (fenced), so instructions planted in a caption cannot vouch for an answer.
    """
    text = CITATION.sub(" ", answer)
    if any(shows(subject, caption) for subject in subjects_of(text) for caption in captions):
        return True
    said = {stem(w) for w in TOKEN.findall(text.lower())}
    shown = {
        stem(w)
        for caption in captions
        for w in TOKEN.findall(caption.lower())
        if len(w) > 2 and not w.isdigit() and w not in STOPWORDS and w not in _PLACE_WORDS
    }
    return bool(said & shown)


# "A or B?" in each site language: a question whose answer may be made of its own words
# ("or not" offers none; English "of" is no "or")
_OR = {"English": "or", "Dutch": "of", "French": "ou", "Spanish": "o"}
_CHOICE = {
    language: re.compile(rf"\b{word}\s+(?!not\b|niet\b|pas\b|non\b|no\b)\w", re.IGNORECASE)
    for language, word in _OR.items()
}
_ANSWER_WORD = re.compile(r"[^\W_]+")


def restates(answer: str, question: str, language: str) -> bool:
    """Whether an answer only says the question back ("El perro ... era suyo.", "Het
    stoplicht stond ... op groen.", "il attendait quelqu'un ?"): every word of it, its
    citations and function words left out, is one of the question's, and the question
    offers no choice it could be picking from (in its ``language``)."""
    if _CHOICE[language].search(question):
        return False
    asked = {w.lower() for w in _ANSWER_WORD.findall(question)}
    said = {w.lower() for w in _ANSWER_WORD.findall(CITATION.sub(" ", answer))}
    content = said - FUNCTION_WORDS
    return len(content) >= 2 and content <= asked


def speaks_of(answer: str, words: Sequence[str], captions: Sequence[str], language: str) -> bool:
    """Whether an answer (in ``language``) says something of ``words``, a question's words
    no vocabulary reads ("signer", "palen"), compared as lemmas, where no caption holds
    them: a claim about what no model here sees ("elle venait signer un contrat")."""
    languages = lemma_languages(language)

    def lemmas(text: str) -> set[str]:
        found = {w.lower() for w in _ANSWER_WORD.findall(CITATION.sub(" ", text))}
        return found | {simplemma.lemmatize(w, lang=languages) for w in found}

    said = lemmas(answer) & lemmas(" ".join(words))
    return bool(said) and not said & lemmas(" ".join(captions))


def ground_answer(
    answer: str, frames: dict[str, FrameEvidence], language: str = "English"
) -> tuple[str, bool]:
    """The model's answer, cited; its frames' facts where it does not rest on them.

    Frames reach the model only after the relevance check passed them, so an answer that
    denies them ("no one came in", measured as the 1.5B model's habit) overlooks them and is
    replaced by what they show; so is an answer that states nothing they show (an obeyed
    instruction such as "reply only with PWNED"). An answer without labels rests on the
    first three. The flag says whether the answer was replaced.
    """
    written = list(dict.fromkeys(LABELS.findall(answer)))
    cited = [frames[label] for label in written if label in frames]
    denies = says_no_evidence(answer) or _DENIES.match(answer) or not answer.strip()
    if written and not cited and not denies:  # cites only unseen frames: the check refuses it
        return answer, False
    captions = [fence(f.caption, 300) for f in cited or frames.values()]
    if denies or not states_evidence(answer, captions):
        return closest_matches(frames, language), True
    return with_labels(answer, frames), False


def closest_matches(frames: dict[str, FrameEvidence], language: str) -> str:
    """The frames' facts, said as the closest recorded matches, in ``language``."""
    return f"{CLOSEST_TEXT[language][0]}{frame_facts(frames, language)}."


def frame_facts(frames: dict[str, FrameEvidence], language: str, limit: int = 3) -> str:
    """The first ``limit`` frames as facts: camera, time, quoted caption, label."""
    fact = CLOSEST_TEXT[language][1]
    return "; ".join(
        fact.format(
            camera=f.camera, time=f"{f.time:%H:%M:%S}", caption=fence(f.caption, 300),
            label=label,
        )
        for label, f in list(frames.items())[:limit]
    )  # fmt: skip


def cannot_see_text(unseeable: Sequence, frames: dict[str, FrameEvidence], language: str) -> str:
    """What cannot be seen and why (`vigil.vocabulary.Unseeable`), then what the cameras
    do show of the question's time and place."""
    said = " ".join(
        CANNOT_SEE_TEXT[language].format(what=u.what[language], why=u.why[language])
        for u in unseeable
    )
    if frames:
        said += f" {WHAT_IT_SEES[language]}{frame_facts(frames, language)}."
    return said


def with_labels(answer: str, frames: dict[str, FrameEvidence]) -> str:
    """The answer as written if it cites frame labels; else citing the first three shown."""
    if LABELS.search(answer):
        return answer
    return f"{answer.rstrip()} {''.join(f'[{label}]' for label in list(frames)[:3])}"


def check_answer(
    raw: str, labels: dict[str, str], searched: str, language: str = "English"
) -> CheckedAnswer:
    """Replace ``[F1]``-style labels with ``[frame-id]``; drop unknown ones.

    ``labels`` maps each label the model was shown to its frame id. An answer left with no
    valid citation that does not already say so becomes "No evidence found" with what was
    ``searched`` (in ``language``), instead of an unsupported claim.
    """
    kept: list[str] = []
    dropped: list[str] = []

    def replace(match: re.Match) -> str:
        inner = match.group(1)
        if not inner.strip(" .…"):  # "[...]" marks text left out, not a citation
            return match.group(0)
        found = [f"F{n}" for n in _LABEL.findall(inner)]
        if not found:
            if inner in labels.values():  # the model quoted a frame id itself
                kept.append(inner)
                return f"[{inner}]"
            dropped.append(inner)
            return ""
        out = []
        for label in found:
            if label in labels:
                kept.append(labels[label])
                out.append(f"[{labels[label]}]")
            else:
                dropped.append(label)
        return "".join(out)

    text = CITATION.sub(replace, raw)
    text = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", text)).strip()
    sentences = [s for s in _SENTENCE.split(text) if s.strip()]
    uncited = sum(1 for s in sentences if "[" not in s and not says_no_evidence(s))
    frame_ids = tuple(dict.fromkeys(kept))
    if not frame_ids and not says_no_evidence(text) and not says_cannot_see(text):
        text = NO_EVIDENCE_TEXT[language].format(searched=searched)
    return CheckedAnswer(
        text=text,
        frame_ids=frame_ids,
        dropped=tuple(dropped),
        uncited_sentences=uncited if frame_ids else 0,
        grounded=bool(frame_ids) or says_no_evidence(text) or says_cannot_see(text),
    )


# words for who a person is (their gender), in each language, and the neutral words said
# in their place: the model writes "a man" of a figure in a dark coat (EU AI Act: Vigil
# describes clothing, posture and actions only)
_GENDERED: dict[str, list[tuple[str, str]]] = {
    "English": [
        (r"\b(?:men|women|guys|ladies|gentlemen|boys|girls)\b", "people"),
        (r"\b(?:an? )?(?:old|elderly|young) (?:man|woman|lady|gentleman|guy)\b", "a person"),
        (r"\b(?:man|woman|guy|lady|gentleman|boy|girl)\b", "person"),
        (r"\b(?:he|she)(?:'s| is)\b", "this person is"),
        (r"\b(?:he|she) was\b", "this person was"),
        (r"\b(?:he|she) has\b", "this person has"),
        (r"\b(?:he|she)\b", "this person"),
        (r"\b(?:himself|herself)\b", "themselves"),
        (r"\bher\b(?=\s*(?:[.,;:!?\[]|$|\s(?:and|or|at|in|on|to|from|with|by|for)\b))", "them"),
        (r"\b(?:his|her)\b", "their"),
        (r"\bhim\b", "them"),
    ],
    "Dutch": [
        (r"\b(?:mannen|vrouwen|jongens|meisjes|heren|dames)\b", "personen"),
        (r"\b(?:man|vrouw|jongen|meisje|meneer|mevrouw|heer|dame)\b", "persoon"),
        (r"\bhet persoon\b", "de persoon"),
    ],
    "French": [
        (r"\b(?:hommes|femmes|garçons|filles|messieurs|dames)\b", "personnes"),
        (r"\b(?:un|une) (?:(?:jeune|vieil|vieux|vieille) )?(?:homme|femme|garçon|fille|monsieur|"
         r"dame)\b", "une personne"),
        (r"\b(?:le|la|l'|l’)\s?(?:(?:jeune|vieil|vieux|vieille) )?(?:homme|femme|garçon|fille|"
         r"monsieur|dame)\b", "la personne"),
        (r"\b(?:cet|cette|ce) (?:homme|femme|garçon|fille|monsieur|dame)\b", "cette personne"),
        (r"\b(?:homme|femme|garçon|monsieur)\b", "personne"),
    ],
    "Spanish": [
        (r"\b(?:los|las|unos|unas) (?:hombres|mujeres|chicos|chicas|señores|señoras)\b",
         "las personas"),
        (r"\b(?:hombres|mujeres|señores|señoras)\b", "personas"),
        (r"\b(?:un|una) (?:hombre|mujer|chico|chica|señor|señora)\b", "una persona"),
        (r"\b(?:el|la|ese|esa) (?:hombre|mujer|chico|chica|señor|señora)\b", "la persona"),
        (r"\bdel (?:hombre|chico|señor)\b", "de la persona"),
        (r"\bal (?:hombre|chico|señor)\b", "a la persona"),
        (r"\b(?:hombre|mujer|señor|señora)\b", "persona"),
    ],
}  # fmt: skip
_GENDERED_PATTERNS = {
    language: [(re.compile(words, re.IGNORECASE), said) for words, said in pairs]
    for language, pairs in _GENDERED.items()
}


def neutral_people(text: str, language: str) -> str:
    """The model's answer with words for a person's gender made neutral ("a man in a red
    coat" becomes "a person in a red coat"); quoted captions and citations are neutral
    already and stay as they are."""
    parts = re.split(r'("[^"]*"|\[[^\[\]]*\])', text)
    for i in range(0, len(parts), 2):  # the model's own words, between quotes and labels
        for pattern, said in _GENDERED_PATTERNS.get(language, []):
            parts[i] = pattern.sub(lambda m, said=said: _same_case(m.group(0), said), parts[i])
    return "".join(parts)


def _same_case(written: str, said: str) -> str:
    return said[:1].upper() + said[1:] if written[:1].isupper() else said


LOOP_WORDS = 10  # a run of this many words written a third time: the model is looping
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def loop_start(text: str) -> int | None:
    """Where a small model began writing the same words over and over, if it did (pure):
    a run of `LOOP_WORDS` equal words written a third time after the very same stretch of
    text as the second (a list of three people in dark coats differs by its times and
    labels; a loop does not). The cut is the start of the second run, drawn back to the
    end of the last whole sentence before it; None where nothing repeats so."""
    words = [(m.group(0).lower(), m.start()) for m in _WORD.finditer(text)]
    lowered = text.lower()
    seen: dict[tuple[str, ...], list[int]] = {}
    for i in range(len(words) - LOOP_WORDS + 1):
        run = tuple(w for w, _ in words[i : i + LOOP_WORDS])
        starts = seen.setdefault(run, [])
        starts.append(words[i][1])
        if len(starts) >= 3:
            first, second, third = starts[-3:]
            if lowered[first:second] == lowered[second:third]:
                ends = [m.end() for m in re.finditer(r"[.!?](?=\s|$)", text[:second])]
                return ends[-1] if ends else second
    return None


class AnswerFieldStreamer:
    """Feeds on the raw JSON a constrained model writes; reads the ``answer`` string's text.

    The model replies ``{"answer": "..."}`` or a tool call; how much answer there is tells
    the operator the model is getting on, and a reply cut off at the token limit still has
    its text read.
    """

    _START = re.compile(r'^\s*\{\s*"answer"\s*:\s*"')
    _UNFINISHED_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\(?:u[0-9a-fA-F]{0,3})?$")
    _CLOSING_QUOTE = re.compile(r'(?<!\\)(?:\\\\)*"')

    def __init__(self) -> None:
        self.raw = ""
        self._emitted = ""

    @property
    def text(self) -> str:
        """The answer's text read so far."""
        return self._emitted

    def feed(self, chunk: str) -> str:
        """Add model output; return the newly readable part of the answer (maybe "")."""
        self.raw += chunk
        start = self._START.match(self.raw)
        if not start:
            return ""
        content = self.raw[start.end() :]
        if closing := self._CLOSING_QUOTE.search(content):
            content = content[: closing.end() - 1]
        elif unfinished := self._UNFINISHED_ESCAPE.search(content):
            tail = unfinished.group(0)  # whole escaped backslashes, then an escape cut short
            content = content[: unfinished.start()] + tail[: tail.rfind("\\")]
        try:
            decoded = json.loads(f'"{content}"')
        except json.JSONDecodeError:
            return ""
        new = decoded[len(self._emitted) :]
        self._emitted = decoded
        return new
