from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from vigil.timewords import resolve_time_window

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 21, 9, 15, tzinfo=AMS)  # a Saturday morning


def window(text: str) -> tuple[str | None, str | None]:
    w = resolve_time_window(text, NOW, AMS)
    fmt = "%d %H:%M"
    return (w.start.strftime(fmt) if w.start else None, w.end.strftime(fmt) if w.end else None)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("did anyone enter the loading bay after 22:00 yesterday?", ("20 22:00", "21 00:00")),
        ("was er gisteren na 22 uur iemand bij de poort?", ("20 22:00", "21 00:00")),
        ("quelqu'un hier soir ?", ("20 17:00", "21 00:00")),
        ("¿alguien anoche después de las 23:00?", ("20 23:00", "21 06:00")),
        ("what happened this morning?", ("21 05:00", "21 12:00")),
        ("iemand vanochtend voor 8 uur?", ("21 05:00", "21 08:00")),
        ("between 21:50 and 22:20 yesterday", ("20 21:50", "20 22:20")),
        ("entre 14h et 16h", ("20 14:00", "20 16:00")),  # not yet today: yesterday's
        ("between 08:14:10 and 08:14:20", ("21 08:14", "21 08:14")),  # to the second
        ("in the last 30 minutes", ("21 08:45", "21 09:15")),
        ("after 22:00", ("20 22:00", "21 09:15")),  # asked in the morning: since last night
        ("last night after 2am", ("21 02:00", "21 06:00")),
        ("a red car at the loading bay last night?", ("20 17:00", "21 06:00")),  # the evening too
        ("¿cuántos coches anoche?", ("20 17:00", "21 06:00")),
        ("was er vannacht iemand?", ("20 22:00", "21 06:00")),  # at 09:15: the night just ended
        ("person at the gate", (None, None)),
        ("who was at the gate at 22:14 yesterday?", ("20 22:12", "20 22:16")),  # minutes around
        ("die voorbijganger vanochtend rond 07:46:38?", ("21 07:44", "21 07:48")),
        ("vers 14h30 hier ?", ("20 14:20", "20 14:40")),  # a round time: ten minutes
        ("sat ~10.15pm: the white car", ("14 22:05", "14 22:25")),
        ("vers 2h du mat dimanche", ("15 01:30", "15 02:30")),  # an hour alone: half an hour
        ("ayer x la tarde a las 5", ("20 16:30", "20 17:30")),  # in the afternoon: 17:00
        ("sam soir vers 10h", ("14 21:30", "14 22:30")),
        ("at 3 people in the lobby?", (None, None)),  # no clock without its minutes
        ("Was er hier iemand?", (None, None)),  # Dutch "hier" is "here"
    ],
)
def test_time_words_resolve_in_the_site_zone(question, expected):
    assert window(question) == expected


def test_the_phrases_used_are_reported():
    w = resolve_time_window("a red car yesterday after 22:00", NOW, AMS)
    assert w.phrases == ("yesterday", "after 22:00")
    assert w.start.utcoffset().total_seconds() == 3600  # aware, in the site zone


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("sobre las 2 y media", "02:30"),
        ("a las 5 menos cuarto", "04:45"),
        ("vers 2h et demie", "02:30"),
        ("around half past two", "02:30"),
        ("at a quarter to ten", "09:45"),
        ("om half drie", "02:30"),  # Dutch: half an hour before three
        ("rond kwart over drie", "03:15"),
        ("om half 8", "07:30"),
    ],
)
def test_quarters_and_halves_of_an_hour_said_in_words_are_a_clock(question, said):
    w = resolve_time_window(question, NOW, AMS)
    assert f"{w.moment:%H:%M}" == said and w.start < w.moment < w.end


@pytest.mark.parametrize(
    ("question", "change"),
    [
        ("zondagnacht na het terugzetten van de klok, wie?", "het terugzetten van de klok"),
        ("after the clocks went back, how many cars?", "the clocks went back"),
        ("dimanche après le changement d'heure ?", "le changement d'heure"),
        ("¿quién entró tras el cambio de hora?", "el cambio de hora"),
    ],
)
def test_a_clock_change_says_when_and_names_no_clock(question, change):
    """Its words are phrases of the question's time (blanked before its subjects are read:
    no wall clock is asked about), and the window is what the rest says."""
    w = resolve_time_window(question, NOW, AMS)
    assert change in w.phrases
    plain = resolve_time_window(question.replace(change, ""), NOW, AMS)
    assert (w.start, w.end) == (plain.start, plain.end)


def test_a_time_said_around_is_kept_as_the_moment_asked():
    w = resolve_time_window("was the hall empty at 10:31:28 yesterday?", NOW, AMS)
    assert f"{w.moment:%d %H:%M:%S}" == "20 10:31:28"
    assert resolve_time_window("between 10:31 and 10:32", NOW, AMS).moment is None


def test_clock_times_may_give_seconds():
    w = resolve_time_window("between 08:14:10 and 08:14:20", NOW, AMS)
    assert (w.start.second, w.end.second) == (10, 20)
    assert resolve_time_window("after 25:61:00", NOW, AMS).start is None


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("welke kleur jas had hij dinsdagochtend", "2026-12-01 05:00", "2026-12-01 12:00"),
        ("combien de chevaux mardi aprèm ?", "2026-12-01 12:00", "2026-12-01 18:00"),
        ("¿algún coche el martes por la mañana?", "2026-12-01 05:00", "2026-12-01 12:00"),
        ("cuantas ovejas el martes a mediodia", "2026-12-01 11:00", "2026-12-01 14:00"),
        ("what happened on thursday?", "2026-12-03 00:00", "2026-12-04 00:00"),
        ("any trains this week?", "2026-11-30 00:00", "2026-12-03 09:40"),
        ("any motorbikes these last two days?", "2026-12-01 09:40", "2026-12-03 09:40"),
        ("how many white cars tuesday night?", "2026-12-01 17:00", "2026-12-02 06:00"),
        ("cuantos coches el martes x la noche", "2026-12-01 17:00", "2026-12-02 06:00"),
        ("wie was er vannacht?", "2026-12-02 22:00", "2026-12-03 06:00"),
        ("qui était là cette nuit ?", "2026-12-02 22:00", "2026-12-03 06:00"),
        ("how many ppl came by wed evening?", "2026-12-02 17:00", "2026-12-03 00:00"),
        ("whats on the line tues morning?", "2026-12-01 05:00", "2026-12-01 12:00"),
        ("someone sat at the table yesterday", "2026-12-02 00:00", "2026-12-03 00:00"),
        ("total cars through the lot mon night?", "2026-11-30 17:00", "2026-12-01 06:00"),
        ("snowboarder on the run sun afternoon", "2026-11-29 12:00", "2026-11-29 18:00"),
        ("anyone on the dock on sat?", "2026-11-28 00:00", "2026-11-29 00:00"),
        ("mon collègue est passé hier soir ?", "2026-12-02 17:00", "2026-12-03 00:00"),
        ("cuantas personas ayer x la tarde", "2026-12-02 12:00", "2026-12-02 21:00"),
        ("who came by tue eve", "2026-12-01 17:00", "2026-12-02 00:00"),
        ("fan zone cam tues arvo, what were they up to?", "2026-12-01 12:00", "2026-12-01 18:00"),
        ("gallery cam yday morning, how many?", "2026-12-02 05:00", "2026-12-02 12:00"),
        ("hoe laat kwam nr 3 gisterochtend binnen?", "2026-12-02 05:00", "2026-12-02 12:00"),
        ("wie was er gistermiddag bij de balie?", "2026-12-02 12:00", "2026-12-02 18:00"),
        ("wie was er gisteravond bij de poort?", "2026-12-02 17:00", "2026-12-03 00:00"),
        ("en gisternacht?", "2026-12-02 22:00", "2026-12-03 06:00"),
        ("wie kwam er vanmiddag?", "2026-12-03 12:00", "2026-12-03 18:00"),
        ("the couple on the lawn this morn", "2026-12-03 05:00", "2026-12-03 12:00"),
        ("ferry lane cam monday nite, total no. of cars?", "2026-11-30 17:00", "2026-12-01 06:00"),
        ("white car tuesday before dawn, what time?", "2026-12-01 00:00", "2026-12-01 08:00"),
        ("how many cars tue early hours?", "2026-12-01 00:00", "2026-12-01 08:00"),
        ("¿el coche del martes de madrugada?", "2026-12-01 00:00", "2026-12-01 08:00"),
        ("the car in frame tue early morning?", "2026-12-01 00:00", "2026-12-01 09:00"),
        ("tolplein di vroeg in de ochtend, hoe laat?", "2026-12-01 00:00", "2026-12-01 08:00"),
        ("bergmeer zo.middag: hoeveel paarden?", "2026-11-29 12:00", "2026-11-29 18:00"),
        ("hospital grounds this am, what time?", "2026-12-03 05:00", "2026-12-03 12:00"),
        ("monday am, who came?", "2026-11-30 05:00", "2026-11-30 12:00"),
        ("les voitures mardi aux aurores ?", "2026-12-01 00:00", "2026-12-01 08:00"),
        # French and Spanish short days before a part of the day
        ("poste frontière sam soir : combien de temps ?", "2026-11-28 17:00", "2026-11-29 00:00"),
        ("le vestiaire ven. matin, qui ?", "2026-11-27 05:00", "2026-11-27 12:00"),
        ("¿el coche rojo el jue x la tarde?", "2026-11-26 12:00", "2026-11-26 21:00"),
        ("sáb noche en el puesto, cuántos coches?", "2026-11-28 17:00", "2026-11-29 06:00"),
        ("lake cam sun arvo, what colour?", "2026-11-29 12:00", "2026-11-29 18:00"),
        ("vogelkijkhut zat ochtend, wat at het?", "2026-11-28 05:00", "2026-11-28 12:00"),
        # a day's short name joined to its part; the night from one day to the next
        ("ring za-avond, max aantal autos?", "2026-11-28 17:00", "2026-11-29 00:00"),
        ("kombuis zaterdag op zondag snachts?", "2026-11-28 17:00", "2026-11-29 06:00"),
        ("de nacht van za op zo rond 2u?", "2026-11-29 01:30", "2026-11-29 02:30"),
        ("la nuit de samedi à dimanche ?", "2026-11-28 17:00", "2026-11-29 06:00"),
        ("la noche del sábado al domingo", "2026-11-28 17:00", "2026-11-29 06:00"),
        ("saturday night into sunday", "2026-11-28 17:00", "2026-11-29 06:00"),
        ("wie was er zondag 's avonds?", "2026-11-29 17:00", "2026-11-30 00:00"),
        ("de zondag op maandag", "2026-11-29 00:00", "2026-11-30 00:00"),  # no night said
    ],
)
def test_weekdays_nights_evenings_and_spans_of_days(question, start, end):
    """Asked on Thursday 3 December at 09:40: a weekday is the last such day, today too;
    "tuesday night" is the evening and the night after it, "vannacht" and "cette nuit" the
    night just past; an evening begins at 17:00 (a visit at 17:48 was "yesterday evening"
    to the operator); "wed" is Wednesday; "mon", "sun" and "sat" are days before a part
    of the day or after "on" (French "mon" is "my"); Spanish "la tarde" lasts until 21:00."""
    tz = ZoneInfo("Europe/Paris")
    window = resolve_time_window(question, datetime(2026, 12, 3, 9, 40, tzinfo=tz), tz)
    assert f"{window.start:%Y-%m-%d %H:%M}" == start and f"{window.end:%Y-%m-%d %H:%M}" == end


def test_a_weekday_part_not_yet_begun_today_is_last_weeks():
    """Asked on Tuesday morning, "tuesday night" has not been recorded: last week's."""
    tuesday = datetime(2026, 12, 1, 9, 40, tzinfo=AMS)
    night = resolve_time_window("how many cars tuesday night?", tuesday, AMS)
    assert (night.start, night.end) == (
        datetime(2026, 11, 24, 17, tzinfo=AMS),
        datetime(2026, 11, 25, 6, tzinfo=AMS),
    )
    morning = resolve_time_window("anyone tuesday morning?", tuesday, AMS)
    assert morning.start == datetime(2026, 12, 1, 5, tzinfo=AMS)  # begun: today's


@pytest.mark.parametrize(
    ("question", "start"),
    [
        ("any dogs running loose on any of the cams since friday?", "2026-11-27 00:00"),
        ("fietsers gespot sinds vrijdag?", "2026-11-27 00:00"),
        ("un camion-poubelle est passé depuis vendredi ?", "2026-11-27 00:00"),
        ("¿alguna ambulancia desde el viernes?", "2026-11-27 00:00"),
        ("any wheelchair users since the weekend?", "2026-11-28 00:00"),
        ("iemand met een paraplu sinds het weekend?", "2026-11-28 00:00"),
        ("un renard depuis le week-end ?", "2026-11-28 00:00"),
        ("¿alguna pelea desde el finde?", "2026-11-28 00:00"),
        ("anyone at the gate since yesterday evening?", "2026-12-02 17:00"),
        ("seen any motorbikes this wk?", "2026-11-30 00:00"),
    ],
)
def test_since_a_day_runs_up_to_now(question, start):
    """Asked on Thursday 3 December at 09:40: "since friday" is from Friday to now, not
    Friday alone; "since the weekend" from the last Saturday."""
    tz = ZoneInfo("Europe/Paris")
    now = datetime(2026, 12, 3, 9, 40, tzinfo=tz)
    window = resolve_time_window(question, now, tz)
    assert f"{window.start:%Y-%m-%d %H:%M}" == start and window.end == now
