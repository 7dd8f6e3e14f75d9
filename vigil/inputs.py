"""What people type and read, one way for the CLI and the API: times (read in the site zone,
shown in it with its offset), camera names, file names."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from vigil.errors import InvalidInputError
from vigil.words import FOREIGN_WORDS, STOPWORDS

CAMERA_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CAMERA_WORD = r"camera|cam|camera's|caméra|cámara|camara"
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e]")


def validate_camera_name(name: str) -> str:
    """Camera names are short identifiers: letters, digits, '_', '-', '.'; no paths."""
    if not CAMERA_NAME.match(name) or ".." in name:
        raise InvalidInputError(
            f"invalid camera name '{printable(name)}': use 1-64 letters, digits, '_', '-' or "
            "'.', starting with a letter or digit"
        )
    return name


def camera_named_in(
    text: str, cameras: list[str], aliases: dict[str, list[str]] | None = None
) -> str | None:
    """The one camera a question names, or None.

    A name counts as a whole word. A name that is also an everyday word in a site language
    ("a", "de", "la", "entrance" is fine) or is one or two characters long counts only where
    it is marked as a name: after the word camera ("camera a", "caméra B") or in quotes. If
    several cameras are named, those marked as names win; a tie names none. ``aliases``
    (camera -> what people call it, from the site policy: "de parkeerplaats", "la plaza")
    count as plain mentions of their camera, as whole phrases.
    """
    plain, marked = [], []
    for name in cameras:
        word = re.escape(name)
        if re.search(rf"(?<![\w-])(?:{_CAMERA_WORD})\s+[\"'`]?{word}(?![\w-])", text, re.I) or (
            re.search(rf"[\"'`]{word}[\"'`]", text, re.I)
        ):
            marked.append(name)
        elif (
            not _common_word(name) and re.search(rf"(?<![\w-]){word}(?![\w-])", text, re.I)
        ) or any(
            re.search(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", text, re.I)
            for alias in (aliases or {}).get(name, ())
        ):
            plain.append(name)
    named = marked or plain
    return named[0] if len(named) == 1 else None


def _common_word(name: str) -> bool:
    lowered = name.lower()
    return len(lowered) <= 2 or lowered in STOPWORDS or lowered in FOREIGN_WORDS


def parse_time(
    value: str | None, tz: ZoneInfo | None, option: str = "--start", end_of_day: bool = False
) -> datetime | None:
    """An ISO-8601 date or date-time as an aware UTC time; ``None`` stays ``None``.

    A value without a zone is read in the site zone ``tz``. A bare date means the start of
    that day, or with ``end_of_day`` (an upper bound such as ``--to``) its last instant, so
    ``--to 2026-11-20`` includes that day. ``option`` names the input in the error message.
    """
    if value is None:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
        if end_of_day and _DATE_ONLY.match(text):
            parsed = datetime.combine(parsed.date() + timedelta(days=1), time()) - timedelta(
                microseconds=1
            )
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=tz or UTC)
        return parsed.astimezone(UTC)
    except ValueError as exc:
        raise InvalidInputError(
            f"{option}{_echo(value)} is not an ISO-8601 date or date-time "
            "(e.g. 2026-11-20T21:00 or 2026-11-20T21:00+01:00)"
        ) from exc
    except OverflowError:  # 9999-12-31 to the end of its day, 0001-01-01 east of UTC
        raise InvalidInputError(f"{option} is outside the times Vigil can hold") from None


def day_span(day: str, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The start and end (UTC) of a calendar day (YYYY-MM-DD) in the site zone;
    InvalidInputError for anything else, a day at the edge of the calendar included."""
    try:
        start = datetime.combine(date.fromisoformat(day), time(), tz)
        return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)
    except (ValueError, OverflowError):
        raise InvalidInputError(f"{printable(day)[:40]!r} is no date (YYYY-MM-DD)") from None


def show_time(moment: datetime, tz: ZoneInfo, seconds: bool = True) -> str:
    """A time as a person reads it: in the site zone, with its offset."""
    local = moment.astimezone(tz)
    offset = local.strftime("%z")
    return local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M") + (
        f" {offset[:3]}:{offset[3:]}" if offset else ""
    )


def printable(text: str) -> str:
    """Text safe to print on one line: control and direction characters escaped."""
    return _UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def display_name(path: Path) -> str:
    """A file's name as shown to people (never where it lives), escaped for one line."""
    return printable(path.name)


def _echo(value: str) -> str:
    """What was typed, quoted after the option's name where it is a short token (a typo to
    see); a sentence is not repeated back (a link's parameter must not speak for Vigil)."""
    shown = printable(value)
    return f" '{shown}'" if len(shown) <= 32 and not any(c.isspace() for c in shown) else ""
