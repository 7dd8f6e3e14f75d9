"""Language detection: function words (agent.understanding) against lingua (vigil.language).

The cases: every question in tests/data/qa.json and tests/data/qa_unseen.json, each
labelled here by hand (a test checks this list still holds every one of them), and
operator questions and short answers written for this bench in the four site languages
(none of them in those files), answers that quote English captions among them. A
question is read as the agent reads one (``unsure`` left at "English"); an answer as the
agent checks one, with ``unsure`` the language it was asked in: an answer that tells
nothing ("4 [F1].") is taken to be in that language, and an answer in another language
than asked must still be found out. Printed: accuracy of each method, overall and per
language, how often each gave up (``unsure``), the wrong ones, median microseconds per
call, and the time to import each and to answer its first call (lingua builds its
detector then) in a fresh interpreter.

    .venv/bin/python bench/language.py
    .venv/bin/python bench/language.py --quick   a few cases, no timing: it runs, no figure
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

# run as a script, this file's folder comes first on sys.path and its bench/agent.py hides
# the `agent` package it measures
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]

from vigil.language import LANGUAGES  # noqa: E402
from vigil.language import language_of as by_lingua  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# -- the baseline: function-word lists, as agent/understanding.py read languages before
# lingua (kept here, where they are measured, not in the product)
# function words that tell the four site languages apart; a word several of them share
# ("de", "en") counts for each in part
_LANGUAGE_WORDS = {
    "English": "the a an of in on at was were is are did does how many much someone anyone "
    "there what who when where which long yes no it they he she came drove passed stood "
    "with and for seconds people car cars",
    "Dutch": "de het een van met en die niet naar bij op voor zijn wie wat iemand er hoeveel "
    "hoe lang was waren heeft hebben welke wanneer auto's ja nee geen is om kwamen reden "
    "stond bleef seconden mensen personen auto ook uit aan over tussen",
    "French": "le la les un une des du de avec et dans sur qui est sont pour combien quand "
    "quelqu'un y a-t-il il elle personnes voiture temps oui non à au aux était été ont "
    "pendant secondes personne venues venu restée resté",
    "Spanish": "el la los las un una con y del de en por para que sin cuántos cuántas cuánto "
    "cuándo alguien hubo pasó coche coches personas tiempo estuvo sí había hay algún alguna "
    "está estaba fue se lo segundos persona durante vino llegó quedó quién qué dónde cómo ¿",
}
_LANGUAGE_SETS = {lang: frozenset(words.split()) for lang, words in _LANGUAGE_WORDS.items()}
_SHARED_BY = {
    word: sum(word in vocab for vocab in _LANGUAGE_SETS.values())
    for vocab in _LANGUAGE_SETS.values()
    for word in vocab
}
# what is quoted (captions, camera names), cited or put aside in brackets (what was
# searched) is not the writer's own language
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|«[^»]*»|\[[^\]]*\]|\([^)]*\)')


def by_words(text: str, unsure: str = "English") -> str:
    """The site language a question or answer is written in; ``unsure`` where no word
    tells (an answer "4 [F1]."). Quoted text and citations are left out: an answer quotes
    English captions."""
    words = re.findall(r"[\w'-]+|¿", _QUOTED.sub(" ", text).lower())
    scores = {
        lang: sum(1 / _SHARED_BY[w] for w in words if w in vocab)
        for lang, vocab in _LANGUAGE_SETS.items()
    }
    best = max(scores, key=lambda lang: scores[lang])
    if not scores[best]:
        return unsure
    return best if scores[best] > scores["English"] else "English"


QA_FILES = [ROOT / "tests" / "data" / "qa.json", ROOT / "tests" / "data" / "qa_unseen.json"]
E, N, F, S = LANGUAGES
GAVE_UP = "(unsure)"

# every question in the two QA files and its language, read by hand
QA_QUESTIONS = [
    ("Was there a red car in the parking lot?", E),
    ("When did the red car drive through the parking lot?", E),
    ("Was er een rode auto op de parkeerplaats?", N),
    ("Y a-t-il eu une voiture blanche sur le parking ?", F),
    ("¿Pasó algún coche por el parking?", S),
    ("Was there a red car in the parking lot yesterday after 22:00?", E),
    ("Did anyone come into the lobby?", E),
    ("Was there someone dressed in black in the lobby?", E),
    ("Was someone in a long grey cardigan in the lobby?", E),
    ("Was the lobby empty at some point?", E),
    ("¿Había alguien vestido de negro en el lobby?", S),
    ("Was there a woman in a red top on the plaza?", E),
    ("Were people walking on the plaza this morning?", E),
    ("Waren er mensen op de plaza?", N),
    ("Combien de personnes y avait-il sur la plaza ?", F),
    ("How many cars drove through the parking lot?", E),
    ("Hoeveel auto's reden er over de parkeerplaats?", N),
    ("How many people came into the lobby?", E),
    ("Combien de personnes sont venues dans le lobby ?", F),
    ("How long did the first visitor stand at the table in the lobby?", E),
    ("¿Cuánto tiempo estuvo la segunda persona en el lobby?", S),
    ("How long did the last visitor stand at the table in the lobby?", E),
    ("Hoeveel personen kwamen er tussen 21:58 en 21:59 in de lobby?", N),
    ("How many vehicles passed the parking lot between 22:14:10 and 22:14:20?", E),
    ("Combien de temps la voiture rouge est-elle restée sur le parking ?", F),
    ("Hoe lang stond de eerste bezoeker bij de tafel in de lobby?", N),
    ("¿Cuántos coches pasaron por el parking?", S),
    ("Y avait-il une voiture rouge sur le parking ?", F),
    ("Was there a bicycle in the parking lot?", E),
    ("Did a dog run through the lobby?", E),
    ("Was there a red car in the parking lot this morning?", E),
    ("Y avait-il un vélo sur le parking ?", F),
    ("Did anyone in a grey cardigan stop at reception yesterday morning?", E),
    ("How long did the first visitor stay at reception?", E),
    ("How many people came to reception yesterday?", E),
    ("When did the first person arrive at reception?", E),
    ("Was anyone wearing a hard hat at the entrance?", E),
    ("Did someone open the boot of a car at the entrance this morning?", E),
    ("Was there a bicycle on the driveway?", E),
    ("Was anyone sitting at the table in reception?", E),
    ("Were there people sitting at a table?", E),
    ("Was there a dog anywhere?", E),
    ("Was er iemand in een grijs vest bij de receptie?", N),
    ("Hoe laat reed de rode auto over de oprit?", N),
    ("Zag je een witte auto op de oprit?", N),
    ("Hoeveel mensen zaten er aan tafel in de kantine?", N),
    ("Stond er een fiets bij het fietsenrek?", N),
    ("Was er gisteravond iemand in de keuken?", N),
    ("Droeg iemand bij de ingang een veiligheidshelm?", N),
    ("Liep er iemand in een zwarte trui bij de receptie?", N),
    ("Hoe lang bleef de tweede bezoeker bij de receptie?", N),
    ("Quand la voiture rouge est-elle passée dans l'allée ?", F),
    ("Y avait-il quelqu'un en pull gris à l'accueil ?", F),
    ("Combien de voitures sont passées dans l'allée hier soir ?", F),
    ("Une femme en haut rouge est-elle passée devant l'entrée ?", F),
    ("Quelqu'un a-t-il ouvert le coffre d'une voiture devant l'entrée ?", F),
    ("Y avait-il des gens assis à table ?", F),
    ("Y avait-il quelqu'un au bureau hier soir ?", F),
    ("Un camion bloquait-il la rue au chantier ?", F),
    ("Combien de temps la dernière personne est-elle restée à l'accueil ?", F),
    ("¿Había alguien con una chaqueta de punto gris en la recepción?", S),
    ("¿Cuántas personas vinieron a la recepción ayer?", S),
    ("¿Pasó algún coche blanco por el acceso de coches?", S),
    ("¿A qué hora llegó la primera persona a la recepción?", S),
    ("¿Llevaba alguien un casco de seguridad en la entrada?", S),
    ("¿Había alguna bicicleta en el aparcabicis?", S),
    ("¿Había gente en la terraza?", S),
    ("¿Había alguien vestido de negro en la recepción?", S),
    ("¿Cuándo se fue la segunda persona de la recepción?", S),
    ("¿Había un camión en la calle?", S),
]

# operator questions written for this bench, the way they are typed at a console
OPERATOR_QUESTIONS = [
    ("Any cars after 6?", E),
    ("Who came in first?", E),
    ("Anyone at the gate now?", E),
    ("Show me the van at the loading bay.", E),
    ("How many trucks last night?", E),
    ("Was the back door left open?", E),
    ("Did the courier leave a parcel?", E),
    ("Someone waiting outside?", E),
    ("Stond daar iemand te wachten?", N),
    ("Wie kwam er als eerste binnen?", N),
    ("Hoeveel vrachtwagens vannacht?", N),
    ("Is de achterdeur opengebleven?", N),
    ("Laat me de bestelbus bij het hek zien.", N),
    ("Nog auto's na zessen?", N),
    ("Heeft de koerier een pakket achtergelaten?", N),
    ("Iemand bij de poort?", N),
    ("Combien de camions ?", F),
    ("Qui est entré en premier ?", F),
    ("Quelqu'un attendait devant le portail ?", F),
    ("Montre-moi la camionnette au quai de chargement.", F),
    ("La porte de derrière est restée ouverte ?", F),
    ("Des voitures après 18 h ?", F),
    ("Le livreur a-t-il laissé un colis ?", F),
    ("Personne dehors ?", F),
    ("¿Quién entró primero?", S),
    ("¿Cuántos camiones anoche?", S),
    ("¿Alguien esperando en la puerta?", S),
    ("Enséñame la furgoneta en el muelle de carga.", S),
    ("¿Se quedó abierta la puerta trasera?", S),
    ("¿Coches después de las 6?", S),
    ("¿El mensajero dejó un paquete?", S),
    ("¿Hay alguien fuera?", S),
    # terse, as typed in a hurry: hardly a function word
    ("Red car?", E),
    ("Suspicious person near the fence?", E),
    ("Trucks yesterday?", E),
    ("Rode auto?", N),
    ("Verdachte persoon bij het hek?", N),
    ("Vrachtwagens gisteren?", N),
    ("Fietsen gestolen?", N),
    ("Voiture rouge ?", F),
    ("Personne suspecte près de la clôture ?", F),
    ("Camions hier ?", F),
    ("¿Coche rojo?", S),
    ("¿Persona sospechosa junto a la valla?", S),
    ("¿Camiones ayer?", S),
    ("Coche rojo?", S),
]

# answers written for this bench: (answer, its language, the language it was asked in)
ANSWERS = [
    ("Yes [F1].", E, E),
    ("No, nothing was found.", E, E),
    ("Yes, at 18:05 [F2].", E, E),
    ("6 people [F1].", E, E),
    ("Three cars [F1].", E, E),
    ('Yes, "a person in a grey top" [F1].', E, E),
    ("A white van stopped at the gate at 22:14 [F3].", E, E),
    ("Ja [F1].", N, N),
    ("Nee, niets gevonden.", N, N),
    ("Ja, om 18:05 [F2].", N, N),
    ("6 personen [F1].", N, N),
    ("Nee [F1].", N, N),
    ("Drie auto's [F1].", N, N),
    ('Ja, "a person in a grey top" [F1].', N, N),
    ('Ja, "a white car parked in a parking lot" om 22:14 [F1].', N, N),
    ("Er liep een man met een rugzak langs de receptie [F2].", N, N),
    ("Oui [F1].", F, F),
    ("Non, rien trouvé.", F, F),
    ("Oui, à 18:05 [F2].", F, F),
    ("6 personnes [F1].", F, F),
    ("Non [F2].", F, F),
    ("Trois voitures [F1].", F, F),
    ('Oui, "a person in a grey top" [F1].', F, F),
    ("Oui, « a man walking with a backpack » vers 08:31 [F2].", F, F),
    ("Un homme avec un sac à dos est passé devant l'accueil [F2].", F, F),
    ("Sí [F1].", S, S),
    ("No, no se encontró nada.", S, S),
    ("Sí, a las 18:05 [F2].", S, S),
    ("6 personas [F1].", S, S),
    ("Tres coches [F1].", S, S),
    ("6 personas.", S, S),
    ('Sí, "a person in a grey top" [F1].', S, S),
    ("Un hombre con mochila pasó por la recepción [F2].", S, S),
    # nothing tells: the language asked in
    ("4 [F1].", N, N),
    ("22:14 [F3].", F, F),
    ("[F1] [F2]", S, S),
    # written in another language than asked: must be found out (the agent asks again)
    ("Yes, a red car drove past at 22:14 [F1].", E, N),
    ("Four cars [F1].", E, N),
    ("No evidence of a dog was found.", E, F),
    ("Two people came in at 21:58 [F1].", E, S),
    ("Ja, er stond een rode auto [F1].", N, E),
    ("Trois voitures [F1].", F, N),
    ("Tres coches [F1].", S, E),
]


def cases(quick: bool) -> list[tuple[str, str, str, str]]:
    """(text, expected language, unsure, kind) for every case."""
    found = [(q, lang, E, "qa question") for q, lang in QA_QUESTIONS]
    found += [(q, lang, E, "operator question") for q, lang in OPERATOR_QUESTIONS]
    found += [(a, lang, asked, "answer") for a, lang, asked in ANSWERS]
    return found[::10] if quick else found


def qa_questions() -> list[str]:
    return [q["question"] for path in QA_FILES for q in json.loads(path.read_text())["questions"]]


def first_call_s(module: str) -> tuple[float, float]:
    """Seconds to import ``module`` and to answer its first call, in a fresh interpreter."""
    code = (
        "import time; t0 = time.perf_counter()\n"
        f"from {module} import language_of\n"
        "t1 = time.perf_counter(); language_of('Was er iemand bij de ingang?')\n"
        "print(t1 - t0, time.perf_counter() - t1)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    imported, first = map(float, done.stdout.split())
    return imported, first


def median_us(method, texts: list[str], rounds: int = 20) -> float:
    samples = []
    for _ in range(rounds):
        for text in texts:
            t0 = time.perf_counter_ns()
            method(text)
            samples.append((time.perf_counter_ns() - t0) / 1000)
    return statistics.median(samples)


def main() -> None:
    quick = "--quick" in sys.argv
    labelled = {q for q, _ in QA_QUESTIONS}
    missing = [q for q in qa_questions() if q not in labelled]
    if missing:
        sys.exit(f"unlabelled questions in the QA files: {missing}")
    todo = cases(quick)
    print(
        f"{len(todo)} cases: {sum(k == 'qa question' for *_, k in todo)} QA-file questions, "
        f"{sum(k == 'operator question' for *_, k in todo)} operator questions, "
        f"{sum(k == 'answer' for *_, k in todo)} answers"
    )
    for name, method in (("function words", by_words), ("lingua", by_lingua)):
        right, total, wrong, gave_up = Counter(), Counter(), [], 0
        for text, expected, unsure, kind in todo:
            said = method(text, unsure=unsure)
            gave_up += method(text, unsure=GAVE_UP) == GAVE_UP
            total[expected] += 1
            right[expected] += said == expected
            if said != expected:
                wrong.append(f"    {kind}: {text!r} -> {said} (is {expected})")
        per = ", ".join(f"{lang} {right[lang]}/{total[lang]}" for lang in LANGUAGES)
        print(
            f"{name}: accuracy {sum(right.values())}/{len(todo)} "
            f"({sum(right.values()) / len(todo):.1%}); {per}; unsure on {gave_up}"
        )
        print("\n".join(wrong) if wrong else "    none wrong")
    if quick:
        return
    texts = [text for text, *_ in todo]
    print(f"function words: median {median_us(by_words, texts):.1f} us per call (no models)")
    imported, first = first_call_s("vigil.language")
    print(
        f"lingua: median {median_us(by_lingua, texts):.1f} us per call; "
        f"import {imported:.2f} s, first call {first:.2f} s (fresh interpreter)"
    )


if __name__ == "__main__":
    main()
