"""The audit log in SQL: appended inside the transaction of what it records, verified by
walking the chain (vigil/audit.py), pruned after the retention time.

``append`` first updates the chain's one head row, so appends from the server, the alarm
worker and the CLI take turns (a row lock on PostgreSQL, the write lock on SQLite) and
every entry follows exactly one other.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from vigil.audit import (
    ChainReport,
    Checkpoint,
    Entry,
    entry_hash,
    sign_checkpoint,
    verify_chain,
    verify_checkpoints,
)
from vigil.keys import load_private, signed_by_any, site_public_keys
from vigil.store.batching import GroupCommit
from vigil.store.checkpoints import CheckpointFile
from vigil.store.sql import AuditEntry, AuditHead, Database, utcnow

PAGE = 2000
log = logging.getLogger("vigil.audit")


def _entry(row: AuditEntry) -> Entry:
    return Entry(
        row.seq,
        row.at_utc,
        row.actor,
        row.action,
        row.subject,
        row.detail,
        row.prev_hash,
        row.hash,
    )


def append(
    s: Session, actor: str, action: str, subject: str, detail: dict[str, Any] | None = None
) -> Entry:
    """Append one entry in the session's transaction (it commits, or rolls back, with what
    it records)."""
    return append_many(s, [(actor, action, subject, detail)])[0]


def append_many(
    s: Session, items: list[tuple[str, str, str, dict[str, Any] | None]]
) -> list[Entry]:
    """Append entries (actor, action, subject, detail), in order, in the session's
    transaction: the head row is taken once for all of them."""
    if not items:
        return []
    s.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq + len(items)))
    head = s.get(AuditHead, 1, populate_existing=True)
    at, prev, rows = utcnow(), head.hash, []
    for seq, (actor, action, subject, detail) in enumerate(items, head.seq - len(items) + 1):
        actor, subject, detail = actor[:128], subject[:128], detail or {}
        digest = entry_hash(seq, at, actor, action, subject, detail, prev)
        rows.append(
            AuditEntry(
                seq=seq,
                at_utc=at,
                actor=actor,
                action=action,
                subject=subject,
                detail=detail,
                prev_hash=prev,
                hash=digest,
            )
        )
        prev = digest
    s.add_all(rows)
    head.hash = prev
    s.flush()
    return [_entry(row) for row in rows]


class AuditRepository:
    """The log as the rest of Vigil reads it, and its signed checkpoints: written to
    ``checkpoints`` with the site's key from ``keys_dir``."""

    def __init__(self, db: Database, checkpoints: CheckpointFile, keys_dir: Path) -> None:
        self.db = db
        self.checkpoints = checkpoints
        self.keys_dir = keys_dir
        self._writes = GroupCommit(self._write_batch)

    def record(
        self, actor: str, action: str, subject: str, detail: dict[str, Any] | None = None
    ) -> Entry:
        """Append an entry of its own, once committed; entries recorded at the same time
        (searches, frame views) share one transaction."""
        return self._writes.submit((actor, action, subject, detail)).result()

    def _write_batch(self, batch: list[tuple]) -> list[Entry]:
        with self.db.session() as s:
            return append_many(s, batch)

    def entries(
        self,
        subject: str | None = None,
        subject_prefix: str | None = None,
        since: datetime | None = None,
        limit: int = 500,
        newest_first: bool = False,
        actor: str | None = None,
        action: str | None = None,
        until: datetime | None = None,
        before_seq: int | None = None,
    ) -> list[Entry]:
        """Entries in order (or newest first), optionally of one subject (or subjects
        starting with a prefix), one actor, one action, between two times, and before a
        sequence number (the next page, newest first)."""
        order = AuditEntry.seq.desc() if newest_first else AuditEntry.seq
        query = select(AuditEntry).order_by(order).limit(limit)
        if actor is not None:
            query = query.where(AuditEntry.actor == actor)
        if action is not None:
            query = query.where(AuditEntry.action == action)
        if until is not None:
            query = query.where(AuditEntry.at_utc <= until)
        if before_seq is not None:
            query = query.where(AuditEntry.seq < before_seq)
        if subject is not None:
            query = query.where(AuditEntry.subject == subject)
        if subject_prefix is not None:
            query = query.where(AuditEntry.subject.startswith(subject_prefix, autoescape=True))
        if since is not None:
            query = query.where(AuditEntry.at_utc >= since)
        with self.db.session() as s:
            return [_entry(row) for row in s.scalars(query)]

    def actions(self) -> list[str]:
        """Every action the log holds, for a filter's choices."""
        with self.db.session() as s:
            return sorted(s.scalars(select(AuditEntry.action).distinct()))

    def head(self) -> tuple[int, str]:
        """The last entry's sequence number and hash."""
        with self.db.session() as s:
            head = s.get(AuditHead, 1)
            return head.seq, head.hash

    def _all(self) -> Iterator[Entry]:
        after = -1
        while True:
            with self.db.session() as s:
                rows = s.scalars(
                    select(AuditEntry)
                    .where(AuditEntry.seq > after)
                    .order_by(AuditEntry.seq)
                    .limit(PAGE)
                ).all()
            if not rows:
                return
            yield from (_entry(row) for row in rows)
            after = rows[-1].seq

    def verify(self) -> ChainReport:
        """Walk the whole chain from its anchor (see vigil.audit.verify_chain), then hold
        it against the signed checkpoints, which a database writer cannot make."""
        with self.db.session() as s:
            head = s.get(AuditHead, 1)
            first, anchor, seq, last = head.first_seq, head.anchor_hash, head.seq, head.hash
        report = verify_chain(self._all(), first, anchor, seq, last)
        points, problems = self.checkpoints.read()
        if points:
            keys = site_public_keys(self.keys_dir)
            if keys:
                holds = partial(signed_by_any, keys)
                problems += verify_checkpoints(points, self._hash_at, first, anchor, seq, holds)
            else:
                problems.append(
                    f"the checkpoints cannot be checked: no site key in {self.keys_dir}"
                )
        return replace(report, problems=[*report.problems, *problems], checkpoints=len(points))

    def _hash_at(self, seq: int) -> str | None:
        with self.db.session() as s:
            return s.scalar(select(AuditEntry.hash).where(AuditEntry.seq == seq))

    def checkpoint(self) -> Checkpoint:
        """Sign the chain's head with the site's key into the checkpoint file, after the
        last one (unless the head has not moved since), and say so in the log, which a
        site may ship elsewhere. The checkpoint that vouches for the head; NotFoundError
        without a site key (`vigil keys init`)."""
        sign = load_private(self.keys_dir).sign
        seq, digest = self.head()

        def make(last: Checkpoint | None) -> Checkpoint | None:
            if last is not None and (last.seq, last.hash) == (seq, digest):
                return None
            at = utcnow().isoformat(timespec="seconds")
            return sign_checkpoint(Checkpoint(seq, digest, at, last.digest() if last else ""), sign)

        point, new = self.checkpoints.append(make)
        if new:
            log.info(
                "audit checkpoint: entry %d hash %s signed %s", point.seq, point.hash,
                point.signature,
            )  # fmt: skip
        return point

    def prune(self, keep: timedelta, actor: str = "vigil") -> int:
        """Remove entries older than ``keep``; the first kept entry's back-link becomes the
        anchor, and the pruning itself is an entry. How many were removed."""
        cutoff = utcnow() - keep
        with self.db.session() as s:
            s.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq))
            last_old = s.scalar(select(func.max(AuditEntry.seq)).where(AuditEntry.at_utc < cutoff))
            if last_old is None:
                return 0
            head = s.get(AuditHead, 1, populate_existing=True)
            if last_old >= head.seq:  # the newest entry stays, so the chain never empties
                last_old = head.seq - 1
            if last_old < head.first_seq:
                return 0
            anchor = s.scalar(select(AuditEntry.hash).where(AuditEntry.seq == last_old))
            removed = s.execute(delete(AuditEntry).where(AuditEntry.seq <= last_old)).rowcount
            head.first_seq, head.anchor_hash = last_old + 1, anchor
            s.flush()
            append(
                s, actor, "audit.prune", "audit", {"removed": removed, "before": cutoff.isoformat()}
            )
            return removed
