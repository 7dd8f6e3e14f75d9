"""What every page shares: the Jinja2 templates, the UI language and its catalogue, and
the signed-in user (a page without one redirects to the sign-in page)."""

from __future__ import annotations

import re
import threading
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from babel.dates import format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from fastapi import Depends, HTTPException, Request, Response
from fastapi.templating import Jinja2Templates

from vigil.domain import AlarmVerdict, ClauseResult, TrackRecord, UserRecord
from vigil.media.clips import reencoded_clip
from vigil.phrasing import caption_in, describe_track
from vigil.saying import alarm_kind, report_flag, say
from vigil.workflow import may
from web.deps import ContextDep, signed_in_user

WEB = Path(__file__).resolve().parent.parent
LANGUAGES = {"en": "English", "nl": "Nederlands", "fr": "Français", "es": "Español"}
LANG_COOKIE = "vigil_lang"
templates = Jinja2Templates(directory=str(WEB / "templates"))


@lru_cache(maxsize=8)
def catalogue(lang: str) -> dict[str, str]:
    """msgid -> msgstr of a UI language (gettext .po in web/locales); English is the key."""
    path = WEB / "locales" / f"{lang}.po"
    if lang == "en" or not path.is_file():
        return {}
    with path.open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id and m.string}


def language(request: Request) -> str:
    """The chosen language (cookie), else the browser's first supported one, else English."""
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in LANGUAGES:
            return code
    return "en"


def translator(lang: str):
    """``_(text)``, and ``_(text, name=value)`` for a msgid with ``%(name)s`` in it."""
    words = catalogue(lang)

    def translate(text: str, **values: object) -> str:
        said = words.get(text, text)
        return said % values if values else said

    return translate


async def page_user(request: Request, ctx: ContextDep) -> UserRecord:
    """The signed-in user of a page; without one, a redirect to the sign-in page."""
    request.state.tz = ctx.settings.tz
    request.state.ctx = ctx
    try:
        user = await signed_in_user(request, ctx)
    except HTTPException as exc:
        if exc.status_code != 401:
            raise
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        where = quote(target, safe="/?=&%")  # a header is Latin-1: "/frames/€" is quoted
        raise HTTPException(303, "sign in first", {"Location": f"/login?next={where}"}) from exc
    if may(user.role, "supervisor"):  # reports waiting for them show in every page's menu
        request.state.awaiting = awaiting_approval(ctx.store, user)
    return user


def awaiting_approval(store, user: UserRecord) -> int:
    """Submitted reports the user may approve (of cameras they see)."""
    if user.cameras is None:
        return store.reports.counts().get("submitted", 0)
    waiting = store.reports.list(status="submitted", limit=10_000)
    return sum(1 for r in waiting if user.sees_all(r.report.cameras))


PageUser = Annotated[UserRecord, Depends(page_user)]


LOCALES = {"en": "en_GB", "nl": "nl_NL", "fr": "fr_FR", "es": "es_ES"}  # 24-hour clocks
DATE_STYLES = {  # Babel patterns: the words and order are the locale's
    "moment": "d MMM y HH:mm:ss zzz",  # a moment on its own: an alarm, a frame
    "day time": "d MMM HH:mm:ss",  # a row of a list in the last days
    "minute": "d MMM y HH:mm",
    "seconds": "d MMM y HH:mm:ss",
    "time": "HH:mm:ss",
}


# English sentences with values in them, and the catalogue's msgid for each
SYSTEM_SENTENCES = [
    (re.compile(p), msgid)
    for p, msgid in (
        (
            r"(?P<who>.+) overruled the alarm \((?P<verdict>[a-z ]+)\): (?P<reason>.*)",
            "%(who)s overruled the alarm (%(verdict)s): %(reason)s",
        ),
        (
            r"the alarm was confirmed again by (?P<who>.+)",
            "the alarm was confirmed again by %(who)s",
        ),
        (
            r"description by (?P<model>.+) from (?P<n>\d+) frames",
            "description by %(model)s from %(n)s frames",
        ),
        (
            r"description by (?P<model>.+) from (?P<n>\d+) frames; (?P<dropped>\d+) sentence\(s\) "
            r"dropped \(uncited or not neutral\)",
            "description by %(model)s from %(n)s frames; %(dropped)s sentence(s) dropped "
            "(uncited or not neutral)",
        ),
        (
            r"the query was shortened to its first (?P<n>\d+) characters",
            "the query was shortened to its first %(n)s characters",
        ),
    )
]


class Speaker:
    """What the pages say that Vigil generated (captions, track lines, the verdict's
    rationale, clause reasons, alarm kinds, dates and numbers) in the page's language and
    the site's clock. Captions are said again from their frame's detections."""

    def __init__(self, ctx, lang: str, tz) -> None:
        self.ctx, self.lang, self.tz = ctx, lang, tz
        self._captions: dict[str, str] = {}

    def caption(self, frame_id: str, stored: str) -> str:
        if self.lang == "en" or self.ctx is None:
            return stored
        if frame_id not in self._captions:
            frame = self.ctx.store.keyframes.get(frame_id)
            if frame is None:
                return stored
            size = self.ctx.store.videos.frame_sizes({frame.video_id}).get(frame.video_id)
            self._captions[frame_id] = caption_in(stored, frame.detections, size, self.lang)
        return self._captions[frame_id]

    def track(self, track: TrackRecord) -> str:
        return describe_track(track, self.tz, self.lang)

    def tracks_in(self, frame_ids: list[str]) -> list[str]:
        """The people and vehicles followed through these frames, one line each."""
        return [self.track(t) for t, _ in self.ctx.store.tracks_shown(frame_ids)]

    def rationale(self, verdict: AlarmVerdict) -> str:
        if not verdict.said:  # a verdict stored before rationales were phrases
            return verdict.rationale
        return " ".join(say(p, self.lang) for p in verdict.said)

    def reason(self, clause: ClauseResult) -> str:
        return say(clause.said, self.lang) if clause.said else clause.reason

    def flag(self, flag: str) -> str:
        """A report's flag for its operator, in the page's language."""
        return report_flag(flag, self.lang)

    def system(self, text: str, translate) -> str:
        """A sentence Vigil wrote for people in English (a report's history, a search's
        notes) in the page's language; any other text as it is."""
        for pattern, msgid in SYSTEM_SENTENCES:
            found = pattern.fullmatch(text)
            if found:
                values = found.groupdict()
                if "verdict" in values:
                    values["verdict"] = translate(values["verdict"].replace(" ", "_"))
                return translate(msgid, **values)
        return translate(text)

    def kind(self, kind: str) -> str:
        return alarm_kind(kind, self.lang)

    def when(self, moment, style: str = "moment") -> str:
        local = moment.astimezone(self.tz) if self.tz else moment
        return format_datetime(
            local, DATE_STYLES[style], tzinfo=local.tzinfo, locale=LOCALES[self.lang]
        )

    def number(self, value: float, digits: int = 2) -> str:
        pattern = "#,##0." + "#" * digits if digits else "#,##0"
        return format_decimal(value, format=pattern, locale=LOCALES[self.lang])


def in_site_zone(request: Request):
    """A point in time as the site's clock shows it (UTC where the zone is not known)."""
    tz = getattr(request.state, "tz", None)
    return lambda moment: moment.astimezone(tz) if tz else moment


def render(request: Request, name: str, user: UserRecord | None, status_code: int = 200, **values):
    """A page (or a fragment) in the request's language, with the user and CSRF token."""
    lang = language(request)
    return templates.TemplateResponse(
        request,
        name,
        {
            "_": translator(lang),
            "lang": lang,
            "languages": LANGUAGES,
            "user": user,
            "csrf": getattr(request.state, "csrf", ""),
            "may": (lambda lowest: user is not None and may(user.role, lowest)),
            "local": in_site_zone(request),
            "say": Speaker(
                getattr(request.state, "ctx", None), lang, getattr(request.state, "tz", None)
            ),
            "awaiting": getattr(request.state, "awaiting", 0),
            **values,
        },
        status_code=status_code,
    )


ERROR_WORDS = {  # status -> (title, sentence); any other status reads as the last
    403: (
        "Not allowed",
        "You may not open this page: it needs another role or other cameras. Ask a "
        "supervisor if you need it.",
    ),
    404: (
        "Not found",
        "Nothing is here: the address is wrong, or what it showed is no longer kept.",
    ),
    503: (
        "Not available just now",
        "Vigil cannot show this page just now. Try again in a moment; if it keeps "
        "happening, tell the site's administrator.",
    ),
    400: ("Cannot be shown", "This page cannot be shown for that address."),
}


def error_page(request: Request, user: UserRecord | None, status: int, headers: dict | None):
    """An error as a page in the user's language, for a browser that asked for a page."""
    key = status if status in ERROR_WORDS else (503 if status >= 500 else 400)
    title, sentence = ERROR_WORDS[key]
    response = render(
        request, "error.html", user, status_code=status, title=title, sentence=sentence
    )
    response.headers.update(headers or {})
    return response


CLIPS_AT_ONCE = 2  # clips re-encoded at once, whoever asks (two cores)
CLIPS_BEING_MADE = threading.BoundedSemaphore(CLIPS_AT_ONCE)


def mp4_clip(ctx, video_id: int, start_s: float, end_s: float) -> Response:
    """Seconds ``start_s``..``end_s`` of a stored video as H.264 MP4 a browser plays (made
    on request); 404 when the video's file is no longer kept."""
    source = ctx.store.videos.file_of(video_id)
    if source is None:
        raise HTTPException(404, "the video of that frame is no longer kept")
    if not CLIPS_BEING_MADE.acquire(blocking=False):  # each re-encodes: a CPU core for seconds
        raise HTTPException(503, "clips are being made for others; try again", {"Retry-After": "5"})
    target = ctx.settings.data_dir / "tmp" / f"play-{uuid.uuid4().hex}.mp4"  # requests overlap
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        reencoded_clip(
            source, target, max(0.0, start_s), end_s, lambda bgr, _: bgr, container="mp4"
        )
        data = target.read_bytes()
    finally:
        target.unlink(missing_ok=True)
        CLIPS_BEING_MADE.release()
    return Response(
        data, media_type="video/mp4", headers={"Cache-Control": "private, max-age=3600"}
    )
