"""The alarm desk: alarms taken in, queued durably, verified by workers, reviewed.

Intake checks what it can before the 202 (a known camera, a plausible time) and stores the
alarm; a worker (`agent.workers`: a process of its own under the server) claims alarms by
priority and stores each verdict once. A failure while verifying is retried; after three
tries the alarm goes to a person (needs_review), never closed.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from datetime import UTC, datetime, timedelta

from agent.outcomes import InBackground, VerdictSender
from agent.reports import ReportDrafter
from agent.verification import AlarmVerifier, FrameQuestion
from vigil.adapters import SourceAlarm
from vigil.domain import AlarmRecord, AlarmReview, AlarmVerdict, UserRecord
from vigil.errors import InvalidInputError, NotFoundError, StateError
from vigil.inputs import printable
from vigil.once import Once
from vigil.phrasing import describe_track
from vigil.policies import SitePolicy, armed_rules
from vigil.settings import Settings
from vigil.store import NewAlarm, Store
from vigil.workflow import may

log = logging.getLogger(__name__)
PRIORITIES = {"low": 1, "normal": 2, "high": 3, "critical": 4}
MAX_ATTEMPTS = 3
MAX_TEXT = 2000
FUTURE_SLACK = timedelta(minutes=10)  # clocks drift; an alarm from the future does not
OLDEST = timedelta(days=30)
REVISIT_LEASE = timedelta(seconds=60)  # a worker that dies mid-revision frees it after this


class AlarmDesk:
    """Intake, queue, verification and review of one site's alarms."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        policy: SitePolicy,
        ask: FrameQuestion | None = None,
        drafter: ReportDrafter | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.policy = policy
        self.verifier = AlarmVerifier(settings, store, policy, ask)
        self.wake = threading.Event()  # set on every new alarm, for a worker thread
        self.senders: list[VerdictSender] = []  # told each verdict once it is stored
        self.drafter = drafter or ReportDrafter(settings, store, policy.name)
        # confirmed verdicts' reports are drafted on a thread of their own, off the queue's path
        self._drafts = Once(lambda: InBackground(self._draft_by_vigil, "report-drafter"))
        # a provisional verdict is looked at again as often as new live video can arrive
        self.revisit_every = timedelta(seconds=max(2.0, settings.live_segment_s / 2))

    # -- intake ------------------------------------------------------------------------
    def take_in(
        self, source: str, alarm: SourceAlarm, now: datetime | None = None
    ) -> tuple[AlarmRecord, bool]:
        """Queue an alarm (or find the one already taken in for that source event);
        (record, whether it is new), once committed. InvalidInputError for an unknown
        camera or a time that cannot be an alarm's; QueueFullError when the queue is full."""
        return self._taken(
            self.store.alarms.accept(
                self._admitted(source, alarm, now), self.settings.alarm_queue_max
            )
        )

    async def take_in_async(
        self, source: str, alarm: SourceAlarm, now: datetime | None = None
    ) -> tuple[AlarmRecord, bool]:
        """``take_in`` for an event loop: it waits for the commit without holding a thread."""
        pending = self.store.alarms.accept_later(
            self._admitted(source, alarm, now), self.settings.alarm_queue_max
        )
        return self._taken(await asyncio.wrap_future(pending))

    def _admitted(self, source: str, alarm: SourceAlarm, now: datetime | None) -> NewAlarm:
        """The alarm as it is stored: camera by its policy name, priority from the clauses
        armed then (those about presence), text made printable; InvalidInputError for what
        cannot be an alarm."""
        name = self.verifier.camera_of(alarm.camera)
        when = alarm.time
        if when.tzinfo is None:
            raise InvalidInputError("the alarm time needs a zone (e.g. 2026-11-20T21:58:00Z)")
        now = now or datetime.now(UTC)
        if when > now + FUTURE_SLACK:
            raise InvalidInputError(f"the alarm time {when.isoformat()} is in the future")
        if when < now - OLDEST:
            raise InvalidInputError(f"the alarm time {when.isoformat()} is over 30 days old")
        # a clause that holds only on what people are seen doing or crossing ("a person
        # down") does not raise every alarm
        armed = [
            a.rule
            for a in armed_rules(self.policy, when, name)
            if a.armed and a.rule.about_presence
        ]
        priority = max((PRIORITIES[r.priority] for r in armed), default=PRIORITIES["normal"])
        return NewAlarm(
            source=source,
            source_event_id=alarm.source_event_id,
            camera=name,
            utc=when.astimezone(UTC),
            kind=alarm.kind,
            priority=priority,
            zone=alarm.zone,
            text=printable(alarm.text)[:MAX_TEXT],
            snapshot=alarm.snapshot,
        )

    def _taken(self, accepted: tuple[AlarmRecord, bool]) -> tuple[AlarmRecord, bool]:
        record, new = accepted
        if new:
            self.wake.set()
        return self._shown(record), new

    # -- verification ------------------------------------------------------------------
    def verify_next(self, now: datetime | None = None) -> AlarmRecord | None:
        """Verify the most urgent queued alarm, else look again at a provisional verdict
        that is due; store the verdict and tell the senders when it is new, changed or
        final. None if nothing waits."""
        now = now or datetime.now(UTC)
        alarm = self.store.alarms.claim_next() or self.store.alarms.claim_revisit(
            now, REVISIT_LEASE
        )
        if alarm is None:
            return None
        revising = alarm.verdict is not None
        try:
            verdict = self.verifier.verify(alarm.camera, alarm.time, now)
        except Exception as exc:  # a failing store or a bug: retry, then hand to a person
            log.exception("verifying alarm %s failed (attempt %d)", alarm.id, alarm.attempts)
            if revising:  # the provisional verdict stands, for a person to settle
                self.store.alarms.stop_revisits(alarm.id)
                return None
            if alarm.attempts < MAX_ATTEMPTS:
                self.store.alarms.release(alarm.id)
                return None
            verdict = self._unverifiable(f"verification failed {alarm.attempts} times: {exc}")
        revisit = None if verdict.final else now + self.revisit_every
        changed = self.store.alarms.finish(alarm.id, verdict, revisit)
        record = self.get(alarm.id)
        if verdict.final and verdict.verdict == "confirmed":
            self._drafts.get()(record)
        if changed or verdict.final:
            for send in self.senders:
                try:
                    send(record)
                except Exception:  # a sender's failure never costs the stored verdict
                    log.exception("sending the verdict of alarm %s failed", alarm.id)
        return record

    def run(self, stop: threading.Event, idle_s: float = 1.0) -> None:
        """Work the queue until ``stop``: first the alarms a crash left half-verified, and
        the reports a stop left undrafted. Alone on SQLite, every alarm left verifying is
        this site's dead worker's; on a database several workers share, only one claimed
        longer ago than the lease is, and that is looked for again every quarter lease."""
        lease = timedelta(seconds=self.settings.alarm_claim_lease_s)
        self._take_back(lease if self.store.shared_sql else None)
        if drafts := self.draft_missing():
            log.info("%d confirmed alarms without a report are drafted now", drafts)
        swept = time.monotonic()
        while not stop.is_set():
            if self.store.shared_sql and time.monotonic() - swept > lease.total_seconds() / 4:
                self._take_back(lease)
                swept = time.monotonic()
            if self.verify_next() is None:
                self.wake.wait(idle_s)
                self.wake.clear()

    def _take_back(self, lease: timedelta | None) -> None:
        """Queue again the alarms a worker that stopped or died left verifying."""
        before = None if lease is None else datetime.now(UTC) - lease
        again = self.store.alarms.requeue_unfinished(before)
        if again:
            log.info("%d alarms left verifying by a stopped worker are queued again", again)

    def _unverifiable(self, reason: str) -> AlarmVerdict:
        return AlarmVerdict(
            verdict="needs_review",
            confidence=0.0,
            level=0,
            decided_by=[],
            clauses=[],
            evidence=[],
            boxes={},
            rationale=f"Needs review: {reason}. A person must look at this alarm.",
            actions=[],
            escalate_to=[],
            window={},
        )

    # -- reading and review ------------------------------------------------------------
    def get(self, alarm_id: str) -> AlarmRecord:
        record = self.store.alarms.get(alarm_id)
        if record is None:
            raise NotFoundError(self.missing(alarm_id))
        shown = self._shown(record)
        if shown.verdict is None:
            return shown
        frames = [e.frame_id for e in shown.verdict.evidence]
        tracked = [describe_track(t, self.settings.tz) for t, _ in self.store.tracks_shown(frames)]
        return shown.model_copy(update={"tracked": tracked})

    @staticmethod
    def missing(alarm_id: str) -> str:
        """What is said of an alarm that is not there (or not the asker's to see)."""
        return f"no alarm {printable(alarm_id)[:64]!r}"

    def list(self, **filters) -> list[AlarmRecord]:
        if filters.get("camera") is not None:
            filters["camera"] = self.verifier.camera_of(filters["camera"])
        return [self._shown(r) for r in self.store.alarms.list(**filters)]

    def review(
        self,
        alarm_id: str,
        decision: str,
        reason: str,
        by: str,
        verdict: str | None = None,
        reviewer: UserRecord | None = None,
    ) -> AlarmRecord:
        """An operator confirms the verdict, escalates the alarm (it is real: the contacts
        are called in) or overrules the verdict (to ``verdict``), with a reason. A report
        drafted for a confirmed alarm is withdrawn when a person says it was none.

        A ``reviewer`` limited to some cameras may not review an alarm whose report has
        since grown to cover cameras they are not given: the review would change it."""
        record = self.get(alarm_id)
        report = self.store.reports.find("alarm", alarm_id)
        if reviewer is not None and report is not None:
            reviewer.check_sees(report.report.cameras)
        taken = record.review is None and record.owner not in (None, by)
        if taken and not _may_take_over(reviewer):  # a closed alarm may be reviewed again
            raise StateError(f"{record.owner} is handling this alarm")
        if record.verdict is None:
            raise InvalidInputError("the alarm has no verdict yet to review")
        if not reason.strip():
            raise InvalidInputError("a review needs a reason")
        if decision == "escalate":
            standing = "confirmed"
        elif decision == "confirm":
            standing = record.verdict.verdict
        elif decision == "overrule":
            standing = verdict or (
                "false_alarm" if record.verdict.verdict == "confirmed" else "confirmed"
            )
            if standing == record.verdict.verdict:
                raise InvalidInputError(f"overruling needs another verdict than {standing}")
        else:
            raise InvalidInputError("a review decision is 'confirm', 'escalate' or 'overrule'")
        review = AlarmReview(
            decision=decision,
            verdict=standing,
            reason=printable(reason)[:MAX_TEXT],
            by=printable(by)[:64],
            at=datetime.now(UTC),
        )
        if not self.store.alarms.record_review(alarm_id, review, _may_take_over(reviewer)):
            raise StateError(f"{self.get(alarm_id).owner or 'someone'} is handling this alarm")
        reviewed = self.get(alarm_id)
        if standing == "confirmed":
            self._draft_report(reviewed, review.by)
        else:
            self.drafter.withdraw(reviewed)
        return reviewed

    def handle(
        self, alarm_id: str, action: str, user: UserRecord, force: bool = False
    ) -> AlarmRecord:
        """``take`` an alarm (the others see who has it), put it ``hold`` (waiting for word
        from outside; it stays the taker's) or ``release`` it to the queue. Another's alarm
        is refused, but a supervisor may take it over (``force``)."""
        record = self.get(alarm_id)
        if record.review is not None:
            raise StateError("the alarm is closed: it was reviewed")
        if action not in ("take", "hold", "release"):
            raise InvalidInputError("an alarm is taken, put on hold or released")
        owner = None if action == "release" else user.name
        force = force and _may_take_over(user)
        if not self.store.alarms.handle(alarm_id, user.name, owner, action == "hold", force):
            held = self.get(alarm_id)
            raise StateError(f"{held.owner or 'someone'} is handling this alarm")
        return self.get(alarm_id)

    def draft_missing(self) -> int:
        """Hand the drafting thread every confirmed final verdict that has no report (its
        draft was still queued when a worker stopped); how many."""
        missing = self.store.alarms.confirmed_without_report()
        for alarm_id in missing:
            self._drafts.get()(self.get(alarm_id))
        return len(missing)

    def drafts_settled(self) -> None:
        """Wait until every report handed to the drafting thread is drafted."""
        self._drafts.get().join()

    def _draft_by_vigil(self, record: AlarmRecord) -> None:
        self._draft_report(record, "vigil")

    def _draft_report(self, record: AlarmRecord, by: str) -> None:
        """The incident report of a confirmed alarm, drafted once; a failure is logged and
        never costs the verdict or the review."""
        try:
            incident, new = self.drafter.from_alarm(record, by)
            if new:
                log.info("alarm %s: incident %s drafted", record.id, incident.id)
        except Exception:
            log.exception("drafting the report of alarm %s failed", record.id)

    def _shown(self, record: AlarmRecord) -> AlarmRecord:
        """The record with its times in the site's zone."""
        tz = self.settings.tz
        update: dict = {
            "time": record.time.astimezone(tz),
            "received": record.received.astimezone(tz),
        }
        if record.verified is not None:
            update["verified"] = record.verified.astimezone(tz)
        if record.review is not None:
            update["review"] = record.review.model_copy(
                update={"at": record.review.at.astimezone(tz)}
            )
        return record.model_copy(update=update)


def _may_take_over(user: UserRecord | None) -> bool:
    """Supervisors may take over an alarm another operator holds."""
    return user is not None and may(user.role, "supervisor")
