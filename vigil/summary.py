"""What happened in a shift, per camera: its alarms with their verdicts and reviews, its
activity hour by hour, and the people and vehicles worth a look (the longest stays, every
vehicle), each line citing the frames it rests on, in the reader's language. Assembled in
code from the store: nothing is claimed that the store does not hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from vigil.phrasing import describe_track
from vigil.saying import alarm_kind, verdict_word
from vigil.settings import Settings
from vigil.store import Store

MOST_STAYS = 3  # the longest stays of people named per camera
MOST_VEHICLES = 5
WORDS = {
    "en": {"review": "{by}: {verdict}", "title": "Shift", "hours": "people/vehicles by hour"},
    "nl": {"review": "{by}: {verdict}", "title": "Dienst", "hours": "personen/voertuigen per uur"},
    "fr": {
        "review": "{by} : {verdict}",
        "title": "Service",
        "hours": "personnes/véhicules par heure",
    },
    "es": {"review": "{by}: {verdict}", "title": "Turno", "hours": "personas/vehículos por hora"},
}
HOUR_FRAMES = 6  # frames an hour-by-hour line cites: the first of that many tracks


@dataclass(frozen=True)
class Line:
    """One thing said, with the frames it rests on."""

    text: str
    frames: list[str]


@dataclass
class CameraShift:
    camera: str
    alarms: list[Line] = field(default_factory=list)
    people_by_hour: dict[str, int] = field(default_factory=dict)  # "21:00" -> tracks begun
    vehicles_by_hour: dict[str, int] = field(default_factory=dict)
    notable: list[Line] = field(default_factory=list)
    activity: Line | None = None  # people and vehicles by hour in words, citing frames

    def lines(self) -> list[Line]:
        """What is said of the camera: alarms first, then activity, then the tracks."""
        return [*self.alarms, *([self.activity] if self.activity else []), *self.notable]


@dataclass
class ShiftSummary:
    start: datetime
    end: datetime
    lang: str
    cameras: list[CameraShift]

    def ranked(self) -> list[tuple[str, Line]]:
        """(camera, line) of every line, most telling first: every camera's alarms, then
        each camera's hours, then its tracks (a report or an answer that holds only so
        many frames keeps an alarm of the last camera over a track of the first)."""
        return [
            (shift.camera, line)
            for part in ("alarms", "activity", "notable")
            for shift in self.cameras
            for line in ([shift.activity] if part == "activity" else getattr(shift, part))
            if line is not None
        ]

    @property
    def title(self) -> str:
        """'Dienst 2026-12-05 19:00 - 07:00' (site clock)."""
        start, end = self.start, self.end
        until = (
            f"{end:%H:%M}"
            if end.date() <= start.date() + timedelta(days=1)
            else f"{end:%Y-%m-%d %H:%M}"
        )
        return f"{WORDS.get(self.lang, WORDS['en'])['title']} {start:%Y-%m-%d %H:%M} - {until}"


def shift_summary(
    settings: Settings,
    store: Store,
    start: datetime,
    end: datetime,
    lang: str = "en",
    cameras: list[str] | None = None,
) -> ShiftSummary:
    """The shift [start, end] of ``cameras`` (default: every camera with video)."""
    tz = settings.tz
    words = WORDS.get(lang, WORDS["en"])
    shifts = []
    for camera in cameras if cameras is not None else store.videos.camera_names():
        shift = CameraShift(camera)
        for alarm in reversed(store.alarms.list(camera=camera, start=start, end=end, limit=500)):
            said = f"{alarm.time.astimezone(tz):%H:%M} {alarm_kind(alarm.kind, lang)}"
            frames: list[str] = []
            if alarm.verdict is not None:
                rules = ", ".join(alarm.verdict.decided_by)
                said += f": {verdict_word(alarm.verdict.verdict, lang)}"
                said += f" ({rules})" if rules else ""
                frames = [e.frame_id for e in alarm.verdict.evidence]
            if alarm.review is not None:
                verdict = verdict_word(alarm.review.verdict, lang).lower()
                said += "; " + words["review"].format(by=alarm.review.by, verdict=verdict)
            shift.alarms.append(Line(said, frames))
        tracks = store.tracks.list([camera], start, end, limit=5000)
        hour = start.astimezone(tz).replace(minute=0, second=0, microsecond=0)
        while hour < end:
            label = f"{hour:%H:00}"
            shift.people_by_hour[label] = shift.vehicles_by_hour[label] = 0
            hour += timedelta(hours=1)
        first_frames: dict[str, list[str]] = {}
        for t in tracks:
            label = f"{t.first_utc.astimezone(tz):%H:00}"
            counts = shift.people_by_hour if t.cls == "person" else shift.vehicles_by_hour
            if t.cls in ("person", "vehicle") and label in counts:
                counts[label] += 1
                first_frames.setdefault(label, []).extend(t.keyframe_ids[:1])
        busy = [h for h, n in shift.people_by_hour.items() if n or shift.vehicles_by_hour[h]]
        if busy:
            hours = ", ".join(
                f"{h} {shift.people_by_hour[h]}/{shift.vehicles_by_hour[h]}" for h in busy
            )
            cited = [f for h in busy for f in first_frames.get(h, [])][:HOUR_FRAMES]
            shift.activity = Line(f"{words['hours']}: {hours}", cited)
        people = sorted((t for t in tracks if t.cls == "person"), key=lambda t: -t.seconds)
        vehicles = [t for t in tracks if t.cls == "vehicle"]
        for t in [*people[:MOST_STAYS], *vehicles[:MOST_VEHICLES]]:
            shift.notable.append(Line(describe_track(t, tz, lang), t.keyframe_ids[:1]))
        shifts.append(shift)
    return ShiftSummary(start.astimezone(tz), end.astimezone(tz), lang, shifts)
