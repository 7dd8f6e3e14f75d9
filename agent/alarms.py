"""The alarm desk: alarms taken in, queued durably, verified by workers, reviewed.

Intake checks what it can before the 202 (a known camera, a plausible time) and stores the
alarm; a worker thread claims alarms by priority and stores each verdict once. A failure
while verifying is retried; after three tries the alarm goes to a person (needs_review),
never closed.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

from agent.verification import AlarmVerifier
from vigil.context import Context
from vigil.domain import AlarmRecord, AlarmReview, AlarmVerdict
from vigil.errors import InvalidInputError, NotFoundError
from vigil.inputs import printable
from vigil.policies import SitePolicy, armed_rules, load_policy
from vigil.settings import Settings
from vigil.store import NewAlarm, Store

log = logging.getLogger(__name__)
PRIORITIES = {"low": 1, "normal": 2, "high": 3, "critical": 4}
MAX_ATTEMPTS = 3
MAX_TEXT = 2000
FUTURE_SLACK = timedelta(minutes=10)  # clocks drift; an alarm from the future does not
OLDEST = timedelta(days=30)


class AlarmDesk:
    """Intake, queue, verification and review of one site's alarms."""

    def __init__(self, settings: Settings, store: Store, policy: SitePolicy) -> None:
        self.settings = settings
        self.store = store
        self.policy = policy
        self.verifier = AlarmVerifier(
            settings, store, policy, settings.alarm_window_s, settings.alarm_window_s
        )
        self.wake = threading.Event()

    # -- intake ------------------------------------------------------------------------
    def take_in(
        self,
        source: str,
        event_id: str,
        camera: str,
        when: datetime,
        kind: str,
        zone: str | None = None,
        text: str = "",
        snapshot: str | None = None,
        now: datetime | None = None,
    ) -> tuple[AlarmRecord, bool]:
        """Queue an alarm (or find the one already taken in for that source event);
        (record, whether it is new). InvalidInputError for an unknown camera or a time
        that cannot be an alarm's."""
        name = self.verifier.camera_of(camera)
        if when.tzinfo is None:
            raise InvalidInputError("the alarm time needs a zone (e.g. 2026-11-20T21:58:00Z)")
        now = now or datetime.now(UTC)
        if when > now + FUTURE_SLACK:
            raise InvalidInputError(f"the alarm time {when.isoformat()} is in the future")
        if when < now - OLDEST:
            raise InvalidInputError(f"the alarm time {when.isoformat()} is over 30 days old")
        armed = [a.rule for a in armed_rules(self.policy, when, name) if a.armed]
        priority = max((PRIORITIES[r.priority] for r in armed), default=PRIORITIES["normal"])
        record, new = self.store.alarms.accept(
            NewAlarm(
                source=source,
                source_event_id=event_id,
                camera=name,
                utc=when.astimezone(UTC),
                kind=kind,
                priority=priority,
                zone=zone,
                text=printable(text)[:MAX_TEXT],
                snapshot=snapshot,
            ),
            self.settings.alarm_queue_max,
        )
        if new:
            self.wake.set()
        return self._shown(record), new

    # -- verification ------------------------------------------------------------------
    def verify_next(self) -> AlarmRecord | None:
        """Verify the most urgent queued alarm and store its verdict; None if none waits."""
        alarm = self.store.alarms.claim_next()
        if alarm is None:
            return None
        try:
            verdict = self.verifier.verify(alarm.camera, alarm.time)
        except Exception as exc:  # a failing store or a bug: retry, then hand to a person
            log.exception("verifying alarm %s failed (attempt %d)", alarm.id, alarm.attempts)
            if alarm.attempts < MAX_ATTEMPTS:
                self.store.alarms.release(alarm.id)
                return None
            verdict = self._unverifiable(f"verification failed {alarm.attempts} times: {exc}")
        self.store.alarms.finish(alarm.id, verdict.model_dump(mode="json"))
        return self.get(alarm.id)

    def run(self, stop: threading.Event, idle_s: float = 1.0) -> None:
        """Work the queue until ``stop``: first the alarms a crash left half-verified."""
        again = self.store.alarms.requeue_unfinished()
        if again:
            log.info("%d alarms left verifying by a stop are queued again", again)
        while not stop.is_set():
            if self.verify_next() is None:
                self.wake.wait(idle_s)
                self.wake.clear()

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
            raise NotFoundError(f"no alarm {printable(alarm_id)[:64]!r}")
        return self._shown(record)

    def list(self, **filters) -> list[AlarmRecord]:
        if filters.get("camera") is not None:
            filters["camera"] = self.verifier.camera_of(filters["camera"])
        return [self._shown(r) for r in self.store.alarms.list(**filters)]

    def review(
        self, alarm_id: str, decision: str, reason: str, by: str, verdict: str | None = None
    ) -> AlarmRecord:
        """An operator confirms the verdict or overrules it (to ``verdict``) with a reason."""
        record = self.get(alarm_id)
        if record.verdict is None:
            raise InvalidInputError("the alarm has no verdict yet to review")
        if not reason.strip():
            raise InvalidInputError("a review needs a reason")
        if decision == "confirm":
            standing = record.verdict.verdict
        elif decision == "overrule":
            standing = verdict or (
                "false_alarm" if record.verdict.verdict == "confirmed" else "confirmed"
            )
            if standing == record.verdict.verdict:
                raise InvalidInputError(f"overruling needs another verdict than {standing}")
        else:
            raise InvalidInputError("a review decision is 'confirm' or 'overrule'")
        review = AlarmReview(
            decision=decision,
            verdict=standing,
            reason=printable(reason)[:MAX_TEXT],
            by=printable(by)[:64],
            at=datetime.now(UTC),
        )
        self.store.alarms.record_review(alarm_id, review.model_dump(mode="json"))
        return self.get(alarm_id)

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


def site_desk(ctx: Context) -> AlarmDesk | None:
    """The alarm desk of the configured site policy; None where none is configured."""
    if ctx.settings.policy_file is None:
        return None
    return AlarmDesk(ctx.settings, ctx.store, load_policy(ctx.settings.policy_file))
