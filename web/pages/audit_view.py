"""The audit view's reading of the log: what each entry is about in words (a frame by its
camera and time, an alarm, a report by its title), filters by camera, and runs of the
same step by the same person shown as one row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from vigil.audit import Entry
from vigil.errors import NotFoundError
from vigil.store import Store

GROUP_WITHIN = timedelta(minutes=15)  # one person's run of the same step reads as one row

ACTION_WORDS = {  # the log's action -> what a supervisor reads (translated on the page)
    "alarm.in": "Alarm received",
    "alarm.verdict": "Alarm verified",
    "alarm.review": "Alarm reviewed",
    "alarm.escalate": "Alarm escalated",
    "alarm.take": "Alarm taken",
    "alarm.hold": "Alarm put on hold",
    "alarm.release": "Alarm given back",
    "alarm.video": "Alarm video played",
    "audit.prune": "Old audit entries removed",
    "audit.verify": "Audit chain checked",
    "chat.question": "Question to the assistant",
    "frame.view": "Frame viewed",
    "live.view": "Live view opened",
    "login": "Signed in",
    "logout": "Signed out",
    "login.failed": "Sign-in failed",
    "search": "Search",
    "report.draft": "Report drafted",
    "report.edit": "Report edited",
    "report.submit": "Report submitted",
    "report.approve": "Report approved",
    "report.return": "Report returned",
    "report.withdraw": "Report withdrawn",
    "report.export": "Report exported",
    "report.package": "Evidence package made",
    "user.add": "User added",
    "user.remove": "User removed",
    "user.password": "Password changed",
    "user.token": "API token issued",
    "keys.init": "Signing key made",
    # read through another assistant (MCP): the API logs none of these
    "tracks.count": "People and vehicles counted",
    "tracks.list": "Tracks listed",
    "alarm.list": "Alarms listed",
    "alarm.read": "Alarm read",
    "report.read": "Report read",
    "cameras.read": "Cameras listed",
    "policy.read": "Site policy read",
}


@dataclass
class Subject:
    """What an entry is about, as a person reads it: words, a link, a camera."""

    kind: str  # frame, alarm, incident, camera, user, thumbnail, other
    text: str
    href: str | None = None
    camera: str | None = None


@dataclass
class Row:
    """One entry, or a run of the same step by the same person."""

    first: Entry
    subjects: list[Subject] = field(default_factory=list)
    last: Entry | None = None

    @property
    def count(self) -> int:
        return len(self.subjects)


def subjects(store: Store, entries: list[Entry], say) -> dict[str, Subject]:
    """Each entry's subject in words (looked up in batches; ``say`` is the page's
    `web.pages.common.Speaker`)."""
    ids = {kind: set() for kind in ("frame", "alarm", "incident")}
    for e in entries:
        kind, _, key = e.subject.partition(":")
        if kind in ids:
            ids[kind].add(key)
    frames = store.keyframes.get_many(list(ids["frame"]))
    said: dict[str, Subject] = {}
    for e in entries:
        if e.subject in said:
            continue
        kind, _, key = e.subject.partition(":")
        if kind == "frame" and key in frames:
            f = frames[key]
            when = say.when(f.utc, "seconds")
            said[e.subject] = Subject("frame", f"{f.camera} {when}", f"/frames/{key}", f.camera)
        elif kind == "alarm" and key in ids["alarm"]:
            alarm = store.alarms.get(key)
            if alarm is not None:
                when = say.when(alarm.time, "seconds")
                text = f"{say.kind(alarm.kind)} · {alarm.camera} {when}"
                href = f"/alarms?selected={key}"
                said[e.subject] = Subject("alarm", text, href, alarm.camera)
        elif kind == "incident":
            try:
                report = store.reports.get(key)
            except NotFoundError:
                report = None
            if report is not None:
                cameras = report.report.cameras
                said[e.subject] = Subject(
                    "incident",
                    report.report.title,
                    f"/incidents/{key}",
                    cameras[0] if len(cameras) == 1 else None,
                )
        elif kind == "camera":
            said[e.subject] = Subject("camera", key, None, key)
        elif kind == "user":
            said[e.subject] = Subject("user", key)
        if e.subject not in said:  # gone since, or a thumbnail: no id is shown
            said[e.subject] = Subject(kind if kind in ("thumbnail", *ids) else "other", "")
    return said


# the details a person reads, by their name in the log; ids (a source's event, a report's
# origin) and lists (the keyframes a search returned) stay in the exported log
DETAIL_WORDS = {
    "q": "what was searched",
    "camera": "camera",
    "kind": "kind of alarm",
    "verdict": "verdict",
    "final": "final",
    "decision": "decision",
    "reason": "reason",
    "origin": "drafted from",
    "version": "version",
    "status": "status",
    "note": "note",
    "role": "role",
    "owner": "owner",
    "from": "from",
    "via": "through",
}
WORDED = {"verdict", "decision", "status", "origin", "role", "via"}  # values that are words


def readable_detail(detail: dict, translate, say) -> dict[str, str]:
    """An entry's detail as a person reads it, in the page's language (``say``, the page's
    `web.pages.common.Speaker`): what was asked, decided or changed, under its name."""
    said = {}
    for key, value in detail.items():
        if key not in DETAIL_WORDS or not isinstance(value, str | int | float | bool):
            continue
        if value == "":
            continue
        if isinstance(value, bool):
            value = translate("yes") if value else translate("no")
        elif key == "kind":
            value = say.kind(str(value))
        elif key == "note":
            value = say.system(str(value), translate)
        elif key in WORDED:
            value = translate(str(value))
        said[translate(DETAIL_WORDS[key])] = str(value)
    return said


def grouped(entries: list[Entry], said: dict[str, Subject]) -> list[Row]:
    """Entries (newest first) with runs of one actor's same action within GROUP_WITHIN as
    one row."""
    rows: list[Row] = []
    for e in entries:
        last = rows[-1] if rows else None
        if (
            last is not None
            and last.first.actor == e.actor
            and last.first.action == e.action
            and (last.last or last.first).at - e.at <= GROUP_WITHIN
        ):
            last.subjects.append(said[e.subject])
            last.last = e
            continue
        rows.append(Row(e, [said[e.subject]]))
    return rows
