"""The composition root: every service Vigil's front ends use, built once per context.

The web app and its pages, the CLI and the alarm worker all ask a `Services` for search,
the video tools, the chat agent, the alarm desk, the report drafter and the exporter;
none builds its own, so one context has one of each (one model loaded, one desk waking
one worker). Each is made on first use, once, even when requests ask at the same moment,
and its libraries are imported then too: a command that only searches loads no LLM stack.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from vigil.context import Context
from vigil.domain import AlarmRecord, IncidentRecord, KeyframeRecord, TurnRecord, UserRecord
from vigil.errors import InvalidInputError, NotFoundError, StateError, VigilError
from vigil.once import Once
from vigil.policies import SitePolicy, load_policy
from vigil.search.service import SearchService
from vigil.workflow import may

if TYPE_CHECKING:
    from agent.alarms import AlarmDesk, FrameQuestion
    from agent.chat import ChatAgent
    from agent.reports import ReportDrafter
    from tools.video import VideoTools
    from vigil.reports.export import ReportExporter

log = logging.getLogger(__name__)
MAX_EXPORT_SPAN = timedelta(minutes=30)  # a span re-encoded for redaction: minutes of work
MAX_EXPORT_VIDEO = timedelta(minutes=60)  # over all its cameras


class Services:
    """The services of one context. ``chat`` may be handed in (a test's scripted agent)."""

    def __init__(self, ctx: Context, chat: ChatAgent | None = None) -> None:
        self.ctx = ctx
        self.settings, self.store, self.models = ctx.settings, ctx.store, ctx.models
        self._policy = Once(self._load_policy)
        self._search = Once(lambda: SearchService(self.settings, self.store, self.models))
        self._video = Once(self._make_video)
        self._chat = Once(lambda: chat or self._make_chat())
        self._drafter = Once(self._make_drafter)
        self._exporter = Once(self._make_exporter)
        self._desk = Once(self._make_desk)

    # -- the site ------------------------------------------------------------------------
    @property
    def policy(self) -> SitePolicy | None:
        """The site policy, where one is configured; a VigilError says why it does not load
        (asked again, it says so again)."""
        policy, error = self._policy.get()
        if error is not None:
            raise error
        return policy

    @property
    def site_name(self) -> str:
        """The site's name from its policy, where one is configured and loads."""
        try:
            policy = self.policy
        except VigilError:
            return "site"
        return policy.name if policy is not None else "site"

    # -- the services ----------------------------------------------------------------------
    @property
    def search(self) -> SearchService:
        return self._search.get()

    @property
    def video(self) -> VideoTools:
        return self._video.get()

    @property
    def chat(self) -> ChatAgent:
        return self._chat.get()

    @property
    def drafter(self) -> ReportDrafter:
        return self._drafter.get()

    @property
    def exporter(self) -> ReportExporter:
        return self._exporter.get()

    @property
    def desk(self) -> AlarmDesk | None:
        """The alarm desk of the site policy; None where none is configured (a VigilError
        where it does not load)."""
        if self.policy is None:
            return None
        return self._desk.get()

    # -- what a user may do through them ------------------------------------------------
    def conversation(self, user: UserRecord, conversation_id: str) -> list[TurnRecord]:
        """The turns of a conversation ``user`` may read: their own, or any for a
        supervisor or admin, and only where every frame its answers cite is of the user's
        cameras. Any other is NotFoundError, as if it did not exist."""
        unknown = NotFoundError(f"unknown conversation {conversation_id[:64]!r}")
        try:
            owner = self.store.conversations.owner(conversation_id)
        except NotFoundError:
            raise unknown from None
        if owner != user.name and not may(user.role, "supervisor"):
            raise unknown
        turns = self.store.conversations.turns(conversation_id)
        cited = self.store.keyframes.get_many({f for t in turns for f in t.citations})
        if not user.sees_all(frame.camera for frame in cited.values()):
            raise unknown
        return turns

    def visible_alarm(self, user: UserRecord, alarm_id: str) -> AlarmRecord:
        """An alarm ``user`` may see; one of another camera is NotFoundError, said exactly
        as one that does not exist (nothing tells which ids are stored)."""
        desk = self.desk
        if desk is None:
            raise NotFoundError("this site has no alarm policy: no alarms are kept")
        found = desk.get(alarm_id)
        if not user.sees(found.camera):
            raise NotFoundError(desk.missing(alarm_id))
        return found

    def visible_incident(
        self, user: UserRecord, incident_id: str, version: int | None = None
    ) -> IncidentRecord:
        """An incident ``user`` may see: one whose latest version (and the version asked
        for) shows a camera they are not given is NotFoundError, as one that does not
        exist, before anything about its versions is told."""
        missing = NotFoundError(f"no incident {incident_id[:40]!r}")
        try:
            latest = self.store.reports.get(incident_id)
        except NotFoundError:
            raise missing from None
        if not user.sees_all(latest.report.cameras):
            raise missing
        if version is None or version == latest.version:
            return latest
        record = self.store.reports.get(incident_id, version)
        if not user.sees_all(record.report.cameras):
            raise missing
        return record

    def visible_frame(self, user: UserRecord, frame_id: str) -> KeyframeRecord:
        """A stored keyframe of a camera ``user`` may see (else NotFoundError)."""
        frame = self.store.keyframes.get(frame_id)
        if frame is None or not user.sees(frame.camera):
            raise NotFoundError(f"no stored frame has the id {frame_id[:64]!r}")
        return frame

    def draft_incident(
        self,
        user: UserRecord,
        *,
        alarm_id: str | None = None,
        conversation_id: str | None = None,
        turn: int = 1,
        frame_ids: list[str] | None = None,
        title: str = "Incident",
    ) -> tuple[IncidentRecord, bool]:
        """Draft an incident as ``user`` from exactly one of an alarm's verdict, a chat
        answer or frames, only from what they may see (an alarm, a conversation or a frame
        they may not see is answered as one that does not exist); (the record, whether it
        is new: one already drafted from the same origin is returned as it is, if the user
        may see all of it)."""
        if sum(x is not None for x in (alarm_id, conversation_id, frame_ids)) != 1:
            raise InvalidInputError("give exactly one of an alarm, a conversation or frames")
        if alarm_id is not None:
            if self.desk is None:
                raise VigilError("no site policy is configured (VIGIL_POLICY_FILE)")
            alarm = self.desk.get(alarm_id)
            if not user.sees(alarm.camera):
                raise NotFoundError(self.desk.missing(alarm_id))
            record, new = self.drafter.from_alarm(alarm, user.name)
        elif conversation_id is not None:
            self.conversation(user, conversation_id)
            record, new = self.drafter.from_answer(conversation_id, turn, user.name)
        else:
            wanted = list(dict.fromkeys(frame_ids or []))
            frames = self.store.keyframes.get_many(wanted)
            for frame_id in wanted:  # another camera's frame: as if it did not exist
                if frame_id not in frames or not user.sees(frames[frame_id].camera):
                    raise NotFoundError(f"no stored frame {frame_id[:80]!r}")
            record, new = self.drafter.from_moments(wanted, title, user.name)
        # one already drafted from the same origin may since show more than the user may see
        user.check_sees(record.report.cameras)
        return record, new

    def shift_report(
        self,
        user: UserRecord,
        start: datetime,
        end: datetime,
        cameras: list[str] | None = None,
        now: datetime | None = None,
    ) -> tuple[IncidentRecord, bool]:
        """The report of the shift [start, end] on ``cameras`` (default: all the user's
        with video), in the site's language: drafted once per shift and cameras, then
        edited and exported like any incident (`ReportDrafter.from_shift`). Only of a
        shift that has ended by ``now``: one still running would be kept half-told."""
        from vigil.summary import shift_summary

        if end > (now or datetime.now(UTC)):
            raise StateError("the shift has not ended yet: its report is made once it has")
        asked = user.scope(cameras)
        cameras = [c for c in self.store.videos.camera_names() if asked is None or c in asked]
        summary = shift_summary(
            self.settings, self.store, start, end, self.settings.language, cameras
        )
        record, new = self.drafter.from_shift(summary, user.name)
        user.check_sees(record.report.cameras)
        return record, new

    def export_span(
        self, user: UserRecord, cameras: list[str], start: datetime, end: datetime, title: str
    ) -> tuple[IncidentRecord, dict[int, tuple[float, float]]]:
        """The incident that stands for a span of video on some cameras, drafted from frames
        spread over it, and the span's seconds in each video it covers (its package's
        clips); only of cameras the user may see, by a user who may make packages."""
        from agent.reports import clip_spans, span_frames
        from vigil.reports.export import ReportExporter

        ReportExporter.check_may_export(user.role, True, package=True)
        if not cameras:
            raise InvalidInputError("choose at least one camera")
        if not start < end <= start + MAX_EXPORT_SPAN:
            raise InvalidInputError(
                f"a span runs forward and lasts at most {MAX_EXPORT_SPAN.seconds // 60} minutes"
            )
        if len(cameras) * (end - start) > MAX_EXPORT_VIDEO:
            raise InvalidInputError(
                f"at most {MAX_EXPORT_VIDEO.seconds // 60} minutes of video in all: choose "
                "fewer cameras or a shorter span"
            )
        for camera in cameras:  # another camera: as if it did not exist
            if not user.sees(camera) or camera not in self.store.videos.camera_names():
                raise NotFoundError(f"no camera {camera[:64]!r}")
        keyframes = [k for c in cameras for k in self.store.keyframes.list(c, start, end, 10_000)]
        if not keyframes:
            raise InvalidInputError("no video from these cameras in that span")
        record, _ = self.draft_incident(user, frame_ids=span_frames(keyframes), title=title)
        return record, clip_spans(keyframes, start, end)

    # -- making them -----------------------------------------------------------------------
    def _load_policy(self) -> tuple[SitePolicy | None, VigilError | None]:
        if self.settings.policy_file is None:
            return None, None
        try:
            return load_policy(self.settings.policy_file), None
        except VigilError as exc:
            return None, exc

    def _make_video(self) -> VideoTools:
        from tools.video import VideoTools

        return VideoTools(self.settings, self.store, self.models, self.search)

    def _make_drafter(self) -> ReportDrafter:
        from agent.reports import ReportDrafter

        return ReportDrafter(self.settings, self.store, self.site_name)

    def _make_exporter(self) -> ReportExporter:
        from vigil.reports.export import ReportExporter

        try:
            policy = self.policy
        except VigilError:  # exports without zone outlines rather than none
            policy = None
        return ReportExporter(self.settings, self.store, self.models, policy)

    def _make_chat(self) -> ChatAgent:
        """The chat agent with the packaged or configured LLM, finding cameras also by what
        the site policy says people call them."""
        from agent.chat import ChatAgent

        try:
            aliases = self.policy.aliases if self.policy is not None else {}
        except VigilError as exc:  # the assistant still answers; cameras by their names only
            log.warning("camera aliases not used: %s", exc)
            aliases = {}
        return ChatAgent(
            self.settings,
            self.video,
            self.store.conversations,
            lambda: self.models.llm,
            camera_aliases=aliases,
        )

    def _make_desk(self) -> AlarmDesk:
        from agent.alarms import AlarmDesk

        return AlarmDesk(
            self.settings, self.store, self.policy, self._frame_question(), self.drafter
        )

    def _frame_question(self) -> FrameQuestion | None:
        """Policy questions about evidence frames, answered (and cached) by the site's VLM;
        None without one."""
        if self.settings.vlm_model_path is None:
            return None

        def ask(frame_id: str, question: str) -> tuple[str, str]:
            answered = self.video.describe_frame(frame_id, question)
            return answered.answer, answered.model

        return ask


_lock = threading.Lock()


@lru_cache(maxsize=8)
def _made(ctx: Context) -> Services:
    return Services(ctx)


def services_of(ctx: Context) -> Services:
    """The one `Services` of a context (contexts are equal only to themselves)."""
    with _lock:
        return _made(ctx)
