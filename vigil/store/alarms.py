"""Alarms: the durable queue between intake and verification, and the verdicts.

An alarm is committed here before the intake answers 202; alarms arriving together share
one transaction. Workers claim the most urgent queued alarm with a compare-and-set
(queued -> verifying) and commit its verdict in one transaction (verifying -> verified);
alarms left verifying by a crash are queued again on start, so each accepted alarm gets
exactly one stored verdict.
"""

from __future__ import annotations

import uuid
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from vigil.domain import AlarmRecord, AlarmReview, AlarmVerdict
from vigil.errors import VigilError
from vigil.store.audit import append, append_many
from vigil.store.batching import GroupCommit
from vigil.store.sql import Alarm, Database, Incident, utcnow


class QueueFullError(VigilError):
    """The queue holds as many unverified alarms as it may: try again later."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class NewAlarm:
    source: str
    source_event_id: str
    camera: str
    utc: datetime
    kind: str
    priority: int
    zone: str | None = None
    text: str = ""
    snapshot: str | None = None


def _record(row: Alarm) -> AlarmRecord:
    return AlarmRecord(
        id=row.id,
        source=row.source,
        source_event_id=row.source_event_id,
        camera=row.camera,
        time=row.utc,
        kind=row.kind,
        zone=row.zone,
        text=row.text,
        snapshot=row.snapshot,
        received=row.received_utc,
        priority=row.priority,
        status=row.status,
        attempts=row.attempts,
        verdict=row.verdict,
        verified=row.verified_utc,
        review=row.review,
        revisions=row.revisions or [],
        owner=row.owner,
        on_hold=bool(row.on_hold),
    )


class AlarmRepository:
    """Alarm rows: intake, the queue, verdicts, reviews."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._intake = GroupCommit(self._accept_batch)

    def accept(self, new: NewAlarm, max_unverified: int) -> tuple[AlarmRecord, bool]:
        """Store a new alarm (queued), or return the one already taken in under the same
        source event id; (record, whether it is new), once committed. QueueFullError when
        the queue is full. Concurrent callers share one transaction (group commit)."""
        return self.accept_later(new, max_unverified).result()

    def accept_later(self, new: NewAlarm, max_unverified: int) -> Future[tuple[AlarmRecord, bool]]:
        """``accept`` as a future, done once the alarm is committed (or refused)."""
        return self._intake.submit((new, max_unverified))

    def _accept_batch(
        self, batch: list[tuple[NewAlarm, int]]
    ) -> list[tuple[AlarmRecord, bool] | QueueFullError]:
        """Accept alarms in one transaction; one by one if another writer (a second
        process) took in one of the same events meanwhile."""
        try:
            with self.db.session() as s:
                return self._accept_in(s, batch)
        except IntegrityError:
            results = []
            for item in batch:
                try:
                    with self.db.session() as s:
                        results.extend(self._accept_in(s, [item]))
                except IntegrityError:  # inserted meanwhile: now it is found
                    with self.db.session() as s:
                        results.extend(self._accept_in(s, [item]))
            return results

    def _accept_in(
        self, s: Session, batch: list[tuple[NewAlarm, int]]
    ) -> list[tuple[AlarmRecord, bool] | QueueFullError]:
        sources = {new.source for new, _ in batch}
        event_ids = {new.source_event_id for new, _ in batch}
        known = {  # both columns named, so the (source, source_event_id) index serves it
            (row.source, row.source_event_id): _record(row)
            for row in s.scalars(
                select(Alarm).where(Alarm.source.in_(sources), Alarm.source_event_id.in_(event_ids))
            )
        }
        waiting = s.scalar(select(func.count()).where(Alarm.status.in_(("queued", "verifying"))))
        results: list[tuple[AlarmRecord, bool] | QueueFullError] = []
        audit: list[tuple] = []  # one audit append for the whole batch
        for new, max_unverified in batch:
            key = (new.source, new.source_event_id)
            if key in known:
                results.append((known[key], False))
                continue
            if waiting >= max_unverified:
                results.append(
                    QueueFullError(
                        f"{waiting} alarms are waiting for verification: try again shortly",
                        retry_after_s=5,
                    )
                )
                continue
            row = Alarm(
                id=uuid.uuid4().hex,
                source=new.source,
                source_event_id=new.source_event_id,
                camera=new.camera,
                utc=new.utc,
                kind=new.kind,
                zone=new.zone,
                text=new.text,
                snapshot=new.snapshot,
                received_utc=utcnow(),
                priority=new.priority,
                status="queued",
                attempts=0,
            )
            s.add(row)
            audit.append(
                (
                    f"source:{new.source}",
                    "alarm.in",
                    f"alarm:{row.id}",
                    {
                        "camera": new.camera,
                        "kind": new.kind,
                        "event": new.source_event_id,
                    },
                )
            )
            waiting += 1
            known[key] = _record(row)
            results.append((known[key], True))
        s.flush()
        append_many(s, audit)
        return results

    def claim_next(self) -> AlarmRecord | None:
        """The most urgent queued alarm, now marked verifying; None when none waits.

        Any number of workers, on any machine, share the queue: on PostgreSQL a worker
        locks the row it takes and passes over rows another holds (``FOR UPDATE SKIP
        LOCKED``); SQLite has one writer at a time, and the guarded update takes an alarm
        only while it is still queued, so none is verified twice."""
        with self.db.session() as s:
            for alarm_id in s.scalars(
                select(Alarm.id)
                .where(Alarm.status == "queued")
                .order_by(Alarm.priority.desc(), Alarm.received_utc, Alarm.id)
                .limit(8)
                .with_for_update(skip_locked=True)
            ):
                taken = s.execute(
                    update(Alarm)
                    .where(Alarm.id == alarm_id, Alarm.status == "queued")
                    .values(status="verifying", attempts=Alarm.attempts + 1, claimed_utc=utcnow())
                ).rowcount
                if taken:
                    return _record(s.get(Alarm, alarm_id))
        return None

    def release(self, alarm_id: str) -> None:
        """Queue an alarm again whose verification failed (to be tried once more)."""
        with self.db.session() as s:
            s.execute(
                update(Alarm)
                .where(Alarm.id == alarm_id, Alarm.status == "verifying")
                .values(status="queued")
            )

    def requeue_unfinished(self, claimed_before: datetime | None = None) -> int:
        """Queue again the alarms a stopped worker left verifying (those claimed before
        ``claimed_before`` only, where other workers may hold the rest); how many."""
        stmt = update(Alarm).where(Alarm.status == "verifying").values(status="queued")
        if claimed_before is not None:
            stmt = stmt.where((Alarm.claimed_utc < claimed_before) | Alarm.claimed_utc.is_(None))
        with self.db.session() as s:
            return s.execute(stmt).rowcount

    def confirmed_without_report(self, limit: int = 1000) -> list[str]:
        """Ids of alarms with a final confirmed verdict and no incident: their drafts were
        still queued when a worker stopped (oldest first)."""
        with self.db.session() as s:
            return list(
                s.scalars(
                    select(Alarm.id)
                    .outerjoin(
                        Incident, (Incident.origin == "alarm") & (Incident.origin_ref == Alarm.id)
                    )
                    .where(
                        Alarm.status == "verified",
                        Alarm.outcome == "confirmed",
                        Alarm.revisit_utc.is_(None),
                        Incident.id.is_(None),
                    )
                    .order_by(Alarm.verified_utc)
                    .limit(limit)
                )
            )

    def claim_revisit(self, now: datetime, lease: timedelta) -> AlarmRecord | None:
        """A verified alarm whose provisional verdict is due to be looked at again; it is
        leased (due again after ``lease``, should this worker die) to the caller."""
        with self.db.session() as s:
            for alarm_id, due in s.execute(
                select(Alarm.id, Alarm.revisit_utc)
                .where(Alarm.status == "verified", Alarm.revisit_utc <= now)
                .order_by(Alarm.revisit_utc)
                .limit(8)
                .with_for_update(skip_locked=True)
            ):
                taken = s.execute(
                    update(Alarm)
                    .where(Alarm.id == alarm_id, Alarm.revisit_utc == due)
                    .values(revisit_utc=now + lease)
                ).rowcount
                if taken:
                    return _record(s.get(Alarm, alarm_id))
        return None

    def finish(self, alarm_id: str, verdict: AlarmVerdict, revisit: datetime | None = None) -> bool:
        """Store an alarm's verdict (it is then verified), to be looked at again at
        ``revisit`` if given. A verdict that differs from the one it replaces (in its word
        or its clauses) keeps the earlier one among the revisions; whether it differed."""
        with self.db.session() as s:
            row = s.get(Alarm, alarm_id)
            before = row.verdict
            changed = before is None or (before["verdict"], before["decided_by"]) != (
                verdict.verdict,
                verdict.decided_by,
            )
            if before is not None and changed:
                row.revisions = [*(row.revisions or []), before]
            row.status = "verified"
            row.verdict = verdict.model_dump(mode="json")
            row.outcome = verdict.verdict
            row.verified_utc = utcnow()
            row.revisit_utc = revisit
            if changed:
                append(
                    s,
                    "vigil",
                    "alarm.verdict",
                    f"alarm:{alarm_id}",
                    {
                        "verdict": verdict.verdict,
                        "decided_by": verdict.decided_by,
                        "final": verdict.final,
                        "frames": [e.frame_id for e in verdict.evidence],
                    },
                )
            return changed

    def stop_revisits(self, alarm_id: str) -> None:
        """Look no more at an alarm's provisional verdict (it stands for a person)."""
        with self.db.session() as s:
            s.execute(update(Alarm).where(Alarm.id == alarm_id).values(revisit_utc=None))

    def handle(self, alarm_id: str, by: str, owner: str | None, on_hold: bool, force: bool) -> bool:
        """Give an unreviewed alarm to ``owner`` (None: back to the queue) and set its hold,
        in one statement: False when another holds it and ``force`` is not given, or it was
        reviewed meanwhile."""
        stmt = update(Alarm).where(Alarm.id == alarm_id, Alarm.review.is_(None))
        if not force:
            stmt = stmt.where(or_(Alarm.owner.is_(None), Alarm.owner == by))
        with self.db.session() as s:
            changed = s.execute(stmt.values(owner=owner, on_hold=on_hold)).rowcount == 1
            if changed:
                action = "alarm.hold" if on_hold else "alarm.take" if owner else "alarm.release"
                append(s, by, action, f"alarm:{alarm_id}", {"owner": owner})
        return changed

    def record_review(self, alarm_id: str, review: AlarmReview, take_over: bool = False) -> bool:
        """Store a review, in the same statement as the check that nobody else is handling
        the alarm (unless ``take_over``; a closed alarm may be reviewed again): False when
        someone took it meanwhile."""
        stmt = update(Alarm).where(Alarm.id == alarm_id)
        if not take_over:
            stmt = stmt.where(
                or_(Alarm.review.is_not(None), Alarm.owner.is_(None), Alarm.owner == review.by)
            )
        with self.db.session() as s:
            stored = review.model_dump(mode="json")
            changed = s.execute(stmt.values(review=stored, owner=review.by, on_hold=False))
            if changed.rowcount != 1:
                return False
            append(
                s,
                review.by,
                "alarm.review",
                f"alarm:{alarm_id}",
                {
                    "decision": review.decision,
                    "verdict": review.verdict,
                    "reason": review.reason[:200],
                },
            )
        return True

    def get(self, alarm_id: str) -> AlarmRecord | None:
        with self.db.session() as s:
            row = s.get(Alarm, alarm_id)
            return _record(row) if row else None

    def list(
        self,
        status: str | None = None,
        camera: str | None = None,
        verdict: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 100,
        cameras: list[str] | None = None,
    ) -> list[AlarmRecord]:
        """Alarms, newest first, narrowed by the filters given (``cameras``: of these only,
        e.g. a limited user's, before the limit is counted)."""
        stmt = select(Alarm).order_by(Alarm.utc.desc(), Alarm.id).limit(limit)
        if status is not None:
            stmt = stmt.where(Alarm.status == status)
        if camera is not None:
            stmt = stmt.where(Alarm.camera == camera)
        if cameras is not None:
            stmt = stmt.where(Alarm.camera.in_(cameras))
        if start is not None:
            stmt = stmt.where(Alarm.utc >= start)
        if end is not None:
            stmt = stmt.where(Alarm.utc <= end)
        if verdict is not None:
            stmt = stmt.where(Alarm.outcome == verdict)
        with self.db.session() as s:
            return [_record(r) for r in s.scalars(stmt)]

    def waiting(self) -> int:
        """Alarms taken in and not yet verified."""
        with self.db.session() as s:
            return s.scalar(select(func.count()).where(Alarm.status.in_(("queued", "verifying"))))
