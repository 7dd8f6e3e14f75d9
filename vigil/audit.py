"""The audit chain as pure functions: how an entry is hashed, and what a walk over the
stored entries finds changed, removed or reordered.

Each entry's hash covers its sequence number, time, actor, action, subject, detail and the
hash of the entry before it, so changing any stored field, removing an entry or swapping
two breaks the chain at a place that can be named. Pruning old entries (retention) keeps
the hash the first kept entry points back to as the chain's anchor.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class Entry:
    seq: int
    at: datetime
    actor: str
    action: str
    subject: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str


def canonical(value: Any) -> bytes:
    """The one byte form of a JSON value that hashes and signatures are taken over."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(
    seq: int, at: datetime, actor: str, action: str, subject: str, detail: dict, prev_hash: str
) -> str:
    fields = {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "subject": subject,
        "detail": detail,
        "prev": prev_hash,
    }
    return hashlib.sha256(canonical(fields)).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    """What a walk over the chain found: ``problems`` names each break, empty when intact."""

    checked: int
    first_seq: int
    last_seq: int
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_chain(
    entries: Iterable[Entry], first_seq: int, anchor_hash: str, head_seq: int, head_hash: str
) -> ChainReport:
    """Walk ``entries`` (in stored sequence order) from the anchor to the head and name
    every entry that was changed, removed, added or moved."""
    problems: list[str] = []
    expected_seq, prev, checked, last = first_seq, anchor_hash, 0, first_seq - 1
    prev_intact = True  # a link is only judged after an entry that is itself intact
    for e in entries:
        checked += 1
        in_place = e.seq == expected_seq and prev_intact
        if e.seq > expected_seq:
            gap = f"{expected_seq}" if e.seq == expected_seq + 1 else f"{expected_seq}-{e.seq - 1}"
            problems.append(f"entry {gap} is missing (removed)")
        elif e.seq < expected_seq:
            problems.append(f"entry {e.seq} is out of place or repeated")
        recomputed = entry_hash(e.seq, e.at, e.actor, e.action, e.subject, e.detail, e.prev_hash)
        prev_intact = recomputed == e.hash
        if not prev_intact:
            problems.append(f"entry {e.seq} ({e.action} {e.subject}) was changed")
        elif in_place and e.prev_hash != prev:
            problems.append(f"entry {e.seq} does not follow the entry before it (reordered)")
        prev, last = e.hash, e.seq
        expected_seq = e.seq + 1
    if last < head_seq:
        problems.append(f"entries {last + 1}-{head_seq} are missing (removed at the end)")
    elif last > head_seq or (checked and prev != head_hash):
        problems.append(f"the chain does not end where its head says (entry {head_seq})")
    return ChainReport(checked, first_seq, last, problems)
