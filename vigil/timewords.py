"""Time words in questions ("yesterday after 22:00", "vanochtend", "hier soir") resolved in code.

A small model gets dates wrong (the packaged 1.5B model misread "hier soir"), so the agent
resolves them here against the site's time zone and passes a window to its tools. English,
Dutch, French and Spanish are understood; anything else leaves the window open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class TimeWindow:
    """A resolved window (aware datetimes; either bound may be open) and the words it came from."""

    start: datetime | None
    end: datetime | None
    phrases: tuple[str, ...]
    moment: datetime | None = None  # the time said "around" ("at 09:00:10"), if one was


_DAYS = {
    -2: r"the day before yesterday|eergisteren|avant-hier|anteayer",
    # Dutch "gister" and "van" take a part of the day as one word (`_DUTCH_PARTS`)
    -1: r"yesterday|yday|yest|last night|last nite|gisteren|gister(?:ochtend|morgen|middag"
    r"|avond|nacht)|hier|ayer|anoche",
    0: r"today|tonight|tonite|this (?:morning|morn|am|afternoon|arvo|evening|eve)|vandaag"
    r"|van(?:ochtend|morgen|middag|avond|nacht)|aujourd'hui|ce matin|cet après-midi|ce soir"
    r"|cette nuit|hoy|esta mañana|esta tarde|esta noche",
}


def _short_day(name: str) -> str:
    """An English day's short name where it cannot be another word ("mon" is French for
    "my", "sun" shines): before a part of the day or a time, or after "on" or "last"."""
    return (
        rf"{name}(?=\.?\s+(?:morning|morn|afternoon|arvo|evening|eve|night|nite|early|am|pm)\b)"
        rf"|(?<=\bon ){name}\b|(?<=\blast ){name}\b"
        rf"|{name}(?=\.?\s*(?:~|around |at |\d{{1,2}}(?:[:.]\d\d|\s*[ap]m)))"
    )


def _short_dutch_day(name: str) -> str:
    """A Dutch day's short name ("di", "zo.", "za-avond") before a part of the day or
    "vroeg", or in a night from one day to the next ("van za op zo")."""
    return (
        rf"{name}(?=\.?[\s-]*(?:ochtend|morgen|middag|avond|nacht|'?s ?nachts|vroeg)\b)"
        rf"|(?<=\bvan ){name}(?= op\b)|(?<= op ){name}\b(?!')"
    )


def _short_latin_day(names: str) -> str:
    """A French or Spanish day's short name ("sam", "sáb.", "mer") before a part of the
    day: alone, "mer" is the sea and "dom" a name."""
    return (
        rf"(?:{names})(?=\.?\s+(?:matin|midi|après-midi|aprèm|aprem|soir|soirée|nuit|"
        rf"mañana|mediod[ií]a|tarde|noche|madrugada|(?:x|por) la)\b)"
    )


# a morning begins before six for those at work early (a bakery's line at 05:40)
MORNING = (5, 12)
# the days of the week, Monday first (datetime's weekday numbers)
_WEEKDAYS = (
    rf"monday|maandag|lundi|lunes|{_short_day('mon')}|{_short_dutch_day('ma')}"
    rf"|{_short_latin_day('lun')}",
    rf"tuesday|tues|dinsdag|mardi|martes|{_short_day('tue')}|{_short_dutch_day('di')}"
    rf"|{_short_latin_day('mar')}",
    rf"wednesday|wed|woensdag|mercredi|mi[eé]rcoles|{_short_dutch_day('wo')}"
    rf"|{_short_latin_day('mer|mi[eé]')}",
    rf"thursday|thurs|thu|donderdag|jeudi|jueves|{_short_dutch_day('do')}"
    rf"|{_short_latin_day('jeu|jue')}",
    rf"friday|fri|vrijdag|vendredi|viernes|{_short_dutch_day('vr')}|{_short_latin_day('ven|vie')}",
    rf"saturday|zaterdag|samedi|s[aá]bado|{_short_day('sat')}|{_short_dutch_day('zat?')}"
    rf"|{_short_latin_day('sam|s[aá]b')}",
    rf"sunday|zondag|dimanche|domingo|{_short_day('sun')}|{_short_dutch_day('zo')}"
    rf"|{_short_latin_day('dim|dom')}",
)
WEEKDAY_WORDS = "|".join(_WEEKDAYS)
# a Dutch day and its part written as one word: "dinsdagochtend", "zondagmiddag"
_DUTCH_PARTS = {"ochtend": MORNING, "morgen": MORNING, "middag": (12, 18), "avond": (17, 24),
                "nacht": (22, 30)}  # fmt: skip
# words that name a night of their own, not a day's night ("vannacht", "gisternacht")
_NIGHTS = frozenset({"tonight", "tonite", "vannacht", "gisternacht", "cette nuit", "esta noche"})
# parts of a day: (start hour, end hour); an end past 24 runs into the next morning
_PARTS = {
    # before the day's work, whatever the day's first words ("tuesday before dawn")
    (0, 8): r"early hours|small hours|wee hours|before dawn|dawn|daybreak|before sunrise"
    r"|dageraad|ochtendgloren|'s ochtends vroeg|vroeg in de ochtend|aube|aurores?"
    r"|petit matin|au petit jour|madrugada|amanecer",
    # "last night" and "anoche" take in the evening too (a car at 21:40 was there "last
    # night"); Dutch and French name evening and night apart (gisteravond, hier soir)
    (17, 30): r"last night|last nite|anoche",
    # "this am", "yday am", "monday am": a morning after a day word
    MORNING: r"morning|morn|ochtend|morgen|'?s ?ochtends|'?s ?morgens|matin|(?<=du )mat"
    r"|mañana|(?<=this )am|(?<=day )am|(?<=yday )am|(?<=yest )am",
    (12, 18): r"afternoon|arvo|middag|'?s ?middags|après-midi|aprèm|aprem",
    # Spanish "la tarde" lasts until dark and dinner: "a las ocho de la tarde"
    (12, 21): r"tarde",
    (11, 14): r"midday|noon|lunchtime|midi|mediod[ií]a",
    # an evening begins when people leave work, before dark in winter
    (17, 24): r"evening|eve|avond|'?s ?avonds|soir|soirée",
    (22, 30): r"night|nite|tonight|tonite|nacht|'?s ?nachts|nuit|noche|anoche",
}
_EARLY = re.compile(r"\b(?:early|vroeg|tôt|temprano|primera hora)\b")
EARLY_MORNING = (0, 9)
_DUTCH = re.compile(r"\b(?:wie|wat|iemand|er|het|een|heeft|zijn|waren|welke|bij)\b")
_CLOCK = r"(\d{1,2})(?:[:.h](\d{2})(?::(\d{2}))?)?(?:\s*(am|pm|uur|u|h))?"  # 22:14:10 too
_AFTER = (
    r"after|since|from|na|vanaf|sinds|après|depuis|à partir de|después de(?: las)?"
    r"|desde(?: las)?"
)
_BEFORE = r"before|until|till|voor|vóór|tot|avant|jusqu'à|antes de(?: las)?|hasta(?: las)?"
_BETWEEN = r"between|tussen|entre"
# Spanish "a las 5": an hour alone, "las" says it is one
_HOUR_OF_LAS = r"a las|sobre las|hacia las|alrededor de las|eso de las"
# "around 07:46:38", "rond 22.14", "vers 14h30", "sobre las 8:05", "~10.15pm", "vers 2h":
# either side as much as the time said is rounded (`_around`)
_AROUND = (
    r"(?:around|about|at|approx\.?|circa|ca\.|rond|om|omstreeks|tegen|vers|à|autour de"
    rf"|aux alentours de|environ|{_HOUR_OF_LAS})\s+|~\s*"
)
# with its minutes, or an hour with its unit: not "at 3"
_CLOCK_SAID = r"(\d{1,2})(?:[:.h](\d{2})(?::(\d{2}))?(?:\s*(am|pm))?|\s*(am|pm|uur|u|h))"
_AND = r"and|en|et|y"
_LAST = (
    r"(?:in the )?(?:last|past)|(?:in )?(?:het|de) afgelopen|(?:au cours )?(?:des|les) "
    r"dernières?|(?:en )?(?:las|los) últim[oa]s"
)
_UNITS = {
    "minute": r"minutes?|minuten?|mins?|minutos?",
    "hour": r"hours?|uur|uren|heures?|horas?",
    "day": r"days?|dagen|jours|d[ií]as",
}
_NUMBER_WORDS = {"two": 2, "twee": 2, "deux": 2, "dos": 2, "three": 3, "drie": 3, "trois": 3,
                 "tres": 3}  # fmt: skip
_THIS_WEEK = r"this week|this wk|deze week|cette semaine|esta semana"
# "since friday", "sinds het weekend", "depuis samedi", "desde el finde": up to now
_SINCE = r"since|sinds|vanaf|depuis|desde|à partir de"
_WEEKEND = r"(?:the |het |le |el )?(?:weekend|week-end|weekeinde|finde|fin de semana)"
SATURDAY = 5


def _clock(hour: str, minute: str | None, second: str | None, suffix: str | None) -> time | None:
    h, m, sec = int(hour), int(minute or 0), int(second or 0)
    if suffix == "pm" and h < 12:
        h += 12
    if suffix == "am" and h == 12:
        h = 0
    if h > 24 or m > 59 or sec > 59:
        return None
    return time(0, m, sec) if h == 24 else time(h, m, sec)


# what joins the two days of a night: "van za op zo", "de samedi à dimanche", "del sábado
# al domingo", "saturday night into sunday", "sat-sun"
_NIGHT_JOIN = r"\s*(?:op|à|au|al|to|into|on|-|/|–)\s*"
_NIGHT_WORDS = r"night|nite|overnight|nacht|nachts|nuit|noche|madrugada"


def _night_between(text: str, first: re.Match, second: tuple, weekday: int) -> bool:
    """Whether two days named one after the other are the night from the first to the next
    ("nacht van za op zo"), told by the word that joins them or a night word near them."""
    start, next_weekday, match = second
    if next_weekday != (weekday + 1) % 7:
        return False
    between = text[first.end() : start]
    joined = re.fullmatch(rf"(?:\s*(?:{_NIGHT_WORDS}))?{_NIGHT_JOIN}", between) is not None
    return joined and re.search(rf"(?:{_NIGHT_WORDS})", text) is not None


def _around(minute: str | None, second: str | None) -> timedelta:
    """How far either side of a time said "around": "vers 2h" is within half an hour,
    "~22:15" within ten minutes, "rond 22.10" five, "rond 22.14" or "07:46:38" two."""
    if not minute:
        return timedelta(minutes=30)
    if not second and int(minute) % 15 == 0:
        return timedelta(minutes=10)
    if not second and int(minute) % 5 == 0:
        return timedelta(minutes=5)
    return timedelta(minutes=2)


_ENGLISH_HOURS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                  "eleven", "twelve"]  # fmt: skip
_DUTCH_HOURS = ["een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien",
                "elf", "twaalf"]  # fmt: skip
_HOURS = {
    **{w: n for n, w in enumerate(_ENGLISH_HOURS, 1)},
    **{w: n for n, w in enumerate(_DUTCH_HOURS, 1)},
}
_HOUR = r"(\d{1,2}|" + "|".join(_HOURS) + ")"
# a quarter or half of an hour said in words: (pattern, minutes, hours to add)
_FRACTIONS = (
    (rf"\b{_HOUR} y media\b", 30, 0),  # "las 2 y media"
    (rf"\b{_HOUR} y cuarto\b", 15, 0),
    (rf"\b{_HOUR} menos cuarto\b", 45, -1),
    (rf"\b{_HOUR} ?h(?:eures?)? et demie\b", 30, 0),  # "2h et demie"
    (rf"\b{_HOUR} ?h(?:eures?)? et quart\b", 15, 0),
    (rf"\b{_HOUR} ?h(?:eures?)? moins (?:le )?quart\b", 45, -1),
    (rf"\bhalf past {_HOUR}\b", 30, 0),
    (rf"\b(?:a )?quarter past {_HOUR}\b", 15, 0),
    (rf"\b(?:a )?quarter to {_HOUR}\b", 45, -1),
    (rf"\bkwart over {_HOUR}\b", 15, 0),
    (rf"\bkwart voor {_HOUR}\b", 45, -1),
    # Dutch "half drie" is 2:30 (British "half eight" 8:30: only the Dutch is read)
    (r"\bhalf (" + "|".join(_DUTCH_HOURS) + r")\b", 30, -1),
    (r"(?:(?<=\bom )|(?<=\brond )|(?<=\btegen ))half (\d{1,2})\b", 30, -1),
)


def _fractions_as_clock(lowered: str) -> tuple[str, list[str]]:
    """A question with its quarters and halves of an hour said as a clock ("las 2 y media":
    "las 2:30", "half drie": "2:30"), and those words, as it said them."""
    said = []
    for pattern, minutes, shift in _FRACTIONS:
        for match in list(re.finditer(pattern, lowered)):
            word = match.group(1)
            hour = (int(word) if word.isdigit() else _HOURS[word]) + shift
            lowered = lowered.replace(match.group(0), f"{hour % 24}:{minutes:02d}", 1)
            said.append(match.group(0))
    return lowered, said


def resolve_time_window(text: str, now: datetime, tz: ZoneInfo) -> TimeWindow:
    """The time window a question names, relative to ``now`` in the site zone ``tz``.

    Understood: relative days (yesterday, today, vandaag, hier, ayer, ...), parts of a day
    (morning, afternoon, evening, night), clock bounds (after 22:00, voor 8 uur, entre 14h et
    16h) and "in the last N minutes/hours". With a day but no clock, the whole day or part.
    """
    lowered, phrases = _fractions_as_clock(text.lower())
    local_now = now.astimezone(tz)

    amounts = "|".join([r"\d+", *_NUMBER_WORDS])
    units = "|".join(_UNITS.values())
    if match := re.search(rf"\b(?:{_LAST})\s+({amounts})\s+({units})\b", lowered):
        amount = _NUMBER_WORDS.get(match.group(1)) or int(match.group(1))
        unit = next(u for u, pattern in _UNITS.items() if re.fullmatch(pattern, match.group(2)))
        delta = timedelta(**{f"{unit}s": amount})
        return TimeWindow(local_now - delta, local_now, (match.group(0),))
    if match := re.search(rf"(?<!\w)(?:{_THIS_WEEK})(?!\w)", lowered):
        monday = datetime.combine(
            local_now.date() - timedelta(days=local_now.weekday()), time(0), tz
        )
        return TimeWindow(monday, local_now, (match.group(0),))
    if match := re.search(rf"(?<!\w)(?:{_SINCE})\s+{_WEEKEND}(?!\w)", lowered):
        back = (local_now.weekday() - SATURDAY) % 7  # the last weekend's Saturday
        saturday = datetime.combine(local_now.date() - timedelta(days=back), time(0), tz)
        return TimeWindow(saturday, local_now, (match.group(0),))

    day_offset = None
    for offset, pattern in _DAYS.items():
        if match := re.search(rf"(?<!\w)(?:{pattern})(?!\w)", lowered):
            if match.group(0) == "hier" and _DUTCH.search(lowered):
                continue  # Dutch "hier" is "here", French "hier" is "yesterday"
            day_offset = offset
            phrases.append(match.group(0))
            break
    parts = "|".join(_DUTCH_PARTS)
    dutch = re.fullmatch(rf"(?:gister|van)({parts})", phrases[0]) if phrases else None
    part = _DUTCH_PARTS[dutch.group(1)] if dutch else None  # "gisterochtend": its morning
    weekday_named = False
    if day_offset is None:  # "on Tuesday", "dinsdagochtend": the last such day, today too
        named = sorted(
            (match.start(), weekday, match)
            for weekday, pattern in enumerate(_WEEKDAYS)
            if (match := re.search(rf"(?<!\w)({pattern})({parts})?(?!\w)", lowered))
        )
        if named:
            _, weekday, match = named[0]
            day_offset = -((local_now.weekday() - weekday) % 7)
            weekday_named = True
            part = _DUTCH_PARTS.get(match.group(2) or "")
            phrases.append(match.group(0))
            if len(named) > 1 and _night_between(lowered, match, named[1], weekday):
                part = (17, 30)  # "zaterdag op zondag 's nachts", "nuit de samedi à dimanche"
                phrases.append(named[1][2].group(0))
    for hours, pattern in _PARTS.items():
        if part is not None:
            break
        if match := re.search(rf"(?<!\w)(?:{pattern})(?!\w)", lowered):
            # alone, "morgen" and "mañana" mean tomorrow: a morning only after a day word
            if match.group(0) in ("morgen", "mañana") and day_offset is None:
                continue
            part = hours
            if hours == (22, 30) and day_offset is not None and not _NIGHTS & {*phrases, match[0]}:
                part = (17, 30)  # "tuesday night", "el martes por la noche": from the evening
            if match.group(0) not in phrases:
                phrases.append(match.group(0))
            break

    if part == MORNING and _EARLY.search(lowered):
        part = EARLY_MORNING  # "tue early morning", "dinsdagochtend vroeg": from the small hours
    tonight = bool(_NIGHTS & set(phrases))  # "vannacht", not "tuesday night"
    if day_offset == 0 and part is not None and part[1] > 24 and local_now.hour < 12 and tonight:
        # "vannacht", "cette nuit", "tonight" asked in the morning: the night just ended
        # (the coming one has not been recorded)
        day_offset = -1
    day = local_now.date() + timedelta(days=day_offset or 0)
    start = end = None
    if day_offset is not None or part is not None:
        first, last = part or (0, 24)
        start = datetime.combine(day, time(0), tz) + timedelta(hours=first)
        end = datetime.combine(day, time(0), tz) + timedelta(hours=last)

    since = phrases and re.search(
        rf"(?<!\w)(?:{_SINCE})\s+(?:(?:last|on|le|el|afgelopen)\s+)?{re.escape(phrases[0])}",
        lowered,
    )
    if since and day_offset is not None:
        end = local_now  # "since friday" runs up to now, not to Friday's end
        phrases[0] = since.group(0)

    def at(clock: time, suffix: str | None = None) -> datetime:
        moment = datetime.combine(day, clock, tz)
        if part and suffix != "am" and clock.hour < 12 and part[0] <= clock.hour + 12 < part[1]:
            moment += timedelta(hours=12)  # "sam soir vers 10h", "ayer x la tarde a las 5"
        # "after 02:00" in "last night" means the small hours that followed the evening
        elif part and part[1] > 24 and clock.hour < part[0] - 12:
            moment += timedelta(days=1)
        return moment

    said_around = False
    between = re.search(rf"\b(?:{_BETWEEN})\s+{_CLOCK}\s+(?:{_AND})\s+{_CLOCK}", lowered)
    after = re.search(rf"(?<!\w)(?:{_AFTER})\s+{_CLOCK}(?!\w)", lowered)
    before = re.search(rf"(?<!\w)(?:{_BEFORE})\s+{_CLOCK}(?!\w)", lowered)
    around = re.search(rf"(?<!\w)(?:{_AROUND}){_CLOCK_SAID}(?!\w|[:.]\d)", lowered)
    around = around or re.search(
        rf"(?<!\w)(?:{_HOUR_OF_LAS})\s+(\d{{1,2}})()()()()(?![\w:.])", lowered
    )
    if between:
        lo, hi = _clock(*between.group(1, 2, 3, 4)), _clock(*between.group(5, 6, 7, 8))
        if lo and hi:
            start, end = at(lo, between.group(4)), at(hi, between.group(8))
            if end <= start:
                end += timedelta(days=1)
            phrases.append(between.group(0))
    else:
        if after and (clock := _clock(*after.group(1, 2, 3, 4))):
            start = at(clock, after.group(4))
            if day_offset is None and part is None:
                # "after 22:00" asked at 08:00 means since last night, up to now
                if start > local_now:
                    start -= timedelta(days=1)
                end = local_now
            elif end is None or end <= start:
                end = datetime.combine(day, time(0), tz) + timedelta(days=1)
            phrases.append(after.group(0))
        if before and (clock := _clock(*before.group(1, 2, 3, 4))):
            end = at(clock, before.group(4))
            if start is None or start >= end:
                start = datetime.combine(day, time(0), tz)
            phrases.append(before.group(0))
        said = around and (*around.group(1, 2, 3), around.group(4) or around.group(5))
        if around and not (after or before) and (clock := _clock(*said)):
            moment, spread = at(clock, said[3]), _around(*said[1:3])
            start, end = moment - spread, moment + spread
            said_around = True
            phrases.append(around.group(0))
    if start is not None and start > local_now and day_offset is None:
        # a window not yet begun today is the most recent one: yesterday's
        start, end = start - timedelta(days=1), (end - timedelta(days=1) if end else None)
    elif start is not None and start > local_now and weekday_named:
        # "tuesday night" asked on Tuesday morning: last week's, the one recorded
        start, end = start - timedelta(days=7), (end - timedelta(days=7) if end else None)
    moment = start + (end - start) / 2 if said_around and start and end else None
    phrases += [m.group(0) for m in _CLOCK_CHANGE.finditer(lowered)]  # says when, no window
    return TimeWindow(start, end, tuple(phrases), moment)


# "after the clocks went back", "na het terugzetten van de klok", "après le changement
# d'heure", "tras el cambio de hora": a daylight-saving change says when, and names no clock
_CLOCK_CHANGE = re.compile(
    r"(?:the )?clocks? (?:went|go|going|were put|put|changed?) (?:back|forward|ahead)|"
    r"(?:the )?(?:clock|time) change|(?:het )?(?:terug|voor|ver)zetten van de klok(?:ken)?|"
    r"(?:de )?klok(?:ken)? (?:ging(?:en)?|gaat|gaan|werd(?:en)?|is|zijn) "
    r"(?:terug|vooruit|verzet|teruggezet|vooruitgezet)|(?:de )?(?:zomer|winter)tijd|"
    r"(?:le )?changement d'heure|(?:l')?heure d'(?:été|hiver)|"
    r"(?:el )?cambio de hora(?:rio)?|(?:el )?horario de (?:verano|invierno)"
)
