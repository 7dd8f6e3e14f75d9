"""Captions, track lines, clause reasons and rationales said in each site language from
the same typed facts; English stays what is indexed and returned by the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from vigil.domain import CARRIED, RIDDEN, Box, Detection, Phrase, TrackRecord
from vigil.lexicon import COLOURS, LANGUAGES, NOUNS, WORDS
from vigil.models.colours import _NAMES
from vigil.models.seeing import VEHICLE_WORDS
from vigil.phrasing import (
    LOWER_GARMENTS,
    UPPER_GARMENTS,
    caption_in,
    compose_caption,
    describe_track,
)
from vigil.saying import SENTENCES, alarm_kind, say, verdict_word

W, H = 640, 480
SEEN = [
    Detection("person", Box(0, 0, 100, 200), 0.9, label="coat",
              colours={"upper": "grey", "lower": "black"}, carrying=("backpack",), motion="left"),
    Detection("vehicle", Box(300, 300, 600, 470), 0.9, label="van", colours={"body": "red"},
              motion="up"),
    Detection("person", Box(300, 100, 400, 300), 0.9, colours={"upper": "white"},
              carrying=("bicycle",), motion="right", posture="sitting"),
]  # fmt: skip


def test_a_caption_is_said_in_each_language_from_the_same_detections():
    assert compose_caption(SEEN, W, H, "nl") == (
        "2 personen en 1 voertuig: een persoon in een grijze jas en een zwarte broek met een "
        "rugzak, loopt naar links, linksboven in beeld; een persoon in een wit bovenstuk op een "
        "fiets, zit, midden in beeld; een rode bestelbus, rijdt naar boven in beeld, "
        "rechtsonder in beeld"
    )
    assert compose_caption(SEEN, W, H, "fr").startswith(
        "2 personnes et 1 véhicule : une personne avec un manteau gris et un pantalon noir "
        "portant un sac à dos"
    )
    assert "una furgoneta roja, sube por la imagen" in compose_caption(SEEN, W, H, "es")
    assert compose_caption([], W, H, "nl").startswith("een lege scène")


def test_a_stored_caption_is_said_again_only_where_vigil_composed_it():
    english = compose_caption(SEEN, W, H)
    assert caption_in(english, SEEN, (W, H), "en") == english
    assert caption_in(english, SEEN, (W, H), "nl") == compose_caption(SEEN, W, H, "nl")
    written = "A man in a red coat opens the door"  # a VLM's words: shown as written
    assert caption_in(written, SEEN, (W, H), "nl") == written
    assert caption_in(english, SEEN, None, "nl") == english  # the video is gone


@pytest.mark.parametrize("lang", ["nl", "fr", "es"])
def test_every_word_the_describer_may_use_has_a_word_in_each_language(lang):
    for colour in set(_NAMES):
        assert lang in COLOURS[colour], colour
    said = UPPER_GARMENTS | LOWER_GARMENTS | CARRIED | RIDDEN | VEHICLE_WORDS | {"hi-vis vest"}
    for label in said:
        assert lang in NOUNS[label], label
    assert set(WORDS[lang]) - {"came_in_m", "left_at_m"} == set(WORDS["nl"])
    assert set(SENTENCES[lang]) == set(SENTENCES["en"])


def test_a_track_line_is_said_in_the_readers_language():
    start = datetime(2026, 12, 4, 20, 58, 6, tzinfo=UTC)
    track = TrackRecord(
        camera="lobby", video_id=1, number=3, cls="person", first_utc=start,
        last_utc=start + timedelta(seconds=14), first_offset_s=2.0, last_offset_s=16.0,
        still_s=10.0, entry_side="bottom", exit_side="right", direction="up",
        attributes={"colours": {"upper": "grey", "lower": "grey"}, "postures": ["sitting"]},
        still_spans=[], path=[], keyframe_ids=["k1"],
    )  # fmt: skip
    tz = ZoneInfo("Europe/Amsterdam")
    assert describe_track(track, tz) == (
        "a person in a grey top and grey trousers, in view 21:58:06-21:58:20 (14 s), "
        "still for 10 s, seen sitting, came in at the bottom, left at the right"
    )
    assert describe_track(track, tz, "nl") == (
        "een persoon in een grijs bovenstuk en een grijze broek, in beeld 21:58:06-21:58:20 "
        "(14 s), 10 s stil, gezien: zittend, kwam onder in beeld, ging rechts uit beeld"
    )
    assert "entrée par le bas" in describe_track(track, tz, "fr")


def test_reasons_and_rationales_keep_the_sites_words_and_say_the_rest():
    holds = Phrase(
        key="holds",
        values={"objects": ["person"], "zone": "door", "wear": ["hi-vis vest"], "count": 2,
                "dwell": 31.4, "without": True},
    )  # fmt: skip
    assert say(holds) == "2 people in zone 'door' without hi-vis vest for 31 s or more at once"
    assert say(holds, "nl") == (
        "2 personen tegelijk in zone 'door' zonder veiligheidshesje, 31 s of langer"
    )
    clause = Phrase(key="clause", values={"title": "Nobody at the door", "reason": holds})
    decided = Phrase(
        key="decided", values={"verdict": "confirmed", "clauses": ["site/door"], "reason": clause}
    )
    assert say(decided, "es").startswith("Confirmada (site/door): Nobody at the door: 2 personas")
    stored = decided.model_dump(mode="json")  # as a verdict keeps it
    assert say(stored, "fr") == say(decided, "fr")
    evidence = Phrase(key="evidence", values={"count": 2, "first": "21:58:18", "last": "21:58:24"})
    assert say(evidence, "nl") == "Bewijs: 2 beeld(en), 21:58:18 tot 21:58:24 plaatselijke tijd."
    assert verdict_word("false_alarm", "nl") == "Vals alarm"
    assert alarm_kind("pir", "fr") == "détecteur de mouvement"
    assert alarm_kind("door_ajar", "nl") == "door ajar"  # unknown: as sent, in words


def test_every_language_names_every_kind_of_alarm():
    from vigil.saying import ALARM_KINDS

    for kind, words in ALARM_KINDS.items():
        assert set(words) == set(LANGUAGES), kind
