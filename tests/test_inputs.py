"""Reading what people type: times and camera names, the same for the CLI and the API."""

from zoneinfo import ZoneInfo

import pytest

from vigil.errors import InvalidInputError
from vigil.inputs import camera_named_in, day_span, parse_time, printable

AMS = ZoneInfo("Europe/Amsterdam")


def test_times_without_zone_are_site_times_and_dates_bound_whole_days():
    assert parse_time("2026-11-20T21:00", AMS).isoformat() == "2026-11-20T20:00:00+00:00"
    assert parse_time("2026-11-20", AMS).isoformat() == "2026-11-19T23:00:00+00:00"
    end = parse_time("2026-11-20", AMS, "--to", end_of_day=True)
    assert end.isoformat() == "2026-11-20T22:59:59.999999+00:00"
    assert parse_time("2026-11-20T21:00Z", AMS).isoformat() == "2026-11-20T21:00:00+00:00"
    assert parse_time(None, AMS) is None


def test_a_bad_time_names_the_input_and_is_printable():
    with pytest.raises(InvalidInputError, match=r"^--to '1\\n2' is not an ISO-8601"):
        parse_time("1\n2", AMS, "--to")


def test_times_at_the_edges_of_the_calendar_are_clear_errors():
    with pytest.raises(InvalidInputError, match="outside the times"):
        parse_time("9999-12-31", AMS, "--to", end_of_day=True)
    with pytest.raises(InvalidInputError, match="outside the times"):
        parse_time("0001-01-01", AMS, "--from")
    for day in ("9999-12-31", "0001-01-01", "2026-02-30", "tomorrow"):
        with pytest.raises(InvalidInputError, match="no date"):
            day_span(day, AMS)
    start, end = day_span("2026-03-29", AMS)  # the clocks go forward: a 23-hour day
    assert (end - start).total_seconds() == 23 * 3600


def test_printable_escapes_control_characters():
    assert printable("a\nb\x1b[31m\u202e") == "a\\nb\\x1b[31m\\u202e"


CAMERAS = ["a", "parking", "lobby", "de", "gate-2"]


@pytest.mark.parametrize(
    ("question", "camera"),
    [
        ("Was there a red car in the parking lot?", "parking"),  # "a" is a word, not camera a
        ("Was er iemand in de lobby?", "lobby"),  # Dutch "de" is a word, not camera de
        ("What did camera a see after 22:00?", "a"),
        ("anything on 'de' tonight?", "de"),
        ("Anything at gate-2 last night?", "gate-2"),
        ("Anything at gate-22?", None),
        ("Was the lobby or the parking busy?", None),  # two cameras named: no filter
        ("Camera A, and then the parking?", "a"),  # named as a name wins over a plain word
    ],
)
def test_camera_names_are_matched_as_names(question, camera):
    assert camera_named_in(question, CAMERAS) == camera


ALIASES = {"parking": ["car park", "de parkeerplaats"], "plaza": ["la plaza", "het plein"]}


@pytest.mark.parametrize(
    ("question", "camera"),
    [
        ("Wie liep er gisteren over de parkeerplaats?", "parking"),
        ("¿Quién cruzó la plaza anoche?", "plaza"),
        ("Any car in the car park after 22:00?", "parking"),
        ("Was er iemand op het pleintje?", None),  # an alias counts as a whole phrase
        ("From the car park to het plein, who walked?", None),  # two cameras: no filter
    ],
)
def test_what_people_call_a_camera_finds_it(question, camera):
    assert camera_named_in(question, ["parking", "plaza", "lobby"], ALIASES) == camera
