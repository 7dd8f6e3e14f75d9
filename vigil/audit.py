"""The audit chain as pure functions: how an entry is hashed, and what a walk over the
stored entries finds changed, removed or reordered.

Each entry's hash covers its sequence number, time, actor, action, subject, detail and the
hash of the entry before it, so changing any stored field, removing an entry or swapping
two breaks the chain at a place that can be named. Pruning old entries (retention) keeps
the hash the first kept entry points back to as the chain's anchor.

A chain alone cannot stop whoever can write the database from rewriting it whole
(change an entry, recompute every later hash and the head) or cutting its tail. A
checkpoint can: the head's sequence number and hash, signed with the site's key and kept
outside the database. Each checkpoint also names the one before it, so a checkpoint
removed from the middle is noticed too.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any


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
    checkpoints: int = 0  # signed checkpoints it was held against

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


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head at a moment, signed: ``prev`` is the digest of the checkpoint
    before it ("" for the first)."""

    seq: int
    hash: str
    at: str  # UTC, ISO-8601
    prev: str
    signature: str = ""  # base64 Ed25519 over `signed_bytes`

    def signed_bytes(self) -> bytes:
        return canonical({"seq": self.seq, "hash": self.hash, "at": self.at, "prev": self.prev})

    def line(self) -> str:
        """The checkpoint as one line of JSON, as the checkpoint file keeps it."""
        return canonical(asdict(self)).decode()

    def digest(self) -> str:
        return hashlib.sha256(self.line().encode()).hexdigest()

    @classmethod
    def from_line(cls, line: str) -> Checkpoint:
        data = json.loads(line)
        return cls(
            int(data["seq"]), str(data["hash"]), str(data["at"]), str(data["prev"]),
            str(data["signature"]),
        )  # fmt: skip


def sign_checkpoint(checkpoint: Checkpoint, sign: Callable[[bytes], bytes]) -> Checkpoint:
    signature = base64.b64encode(sign(checkpoint.signed_bytes())).decode()
    return Checkpoint(checkpoint.seq, checkpoint.hash, checkpoint.at, checkpoint.prev, signature)


def verify_checkpoints(
    checkpoints: list[Checkpoint],
    hash_at: Callable[[int], str | None],
    first_seq: int,
    anchor_hash: str,
    head_seq: int,
    holds: Callable[[bytes, bytes], bool],
) -> list[str]:
    """What the signed checkpoints (oldest first) say of the stored chain: each must be
    signed by the site's key (``holds(signature, message)``), follow the one before it,
    and name an entry the chain still holds with the same hash; the chain must reach the
    newest one. ``hash_at(seq)`` is the stored hash of an entry (None: not stored)."""
    problems: list[str] = []
    previous = ""
    for n, point in enumerate(checkpoints, 1):
        where = f"checkpoint {n} (entry {point.seq}, {point.at})"
        try:
            signature = base64.b64decode(point.signature, validate=True)
        except ValueError:
            signature = b""
        if not holds(signature, point.signed_bytes()):
            problems.append(f"{where} is not signed by the site's key: it was changed or forged")
            previous = point.digest()
            continue
        if point.prev != previous:
            problems.append(f"{where} does not follow the checkpoint before it (one removed)")
        previous = point.digest()
        if point.seq > head_seq:
            problems.append(
                f"{where}: the chain ends at entry {head_seq}, before the signed head "
                f"{point.seq}: entries were cut off the end"
            )
            continue
        if point.seq < first_seq - 1:
            continue  # pruned by retention since: nothing left to compare it with
        stored = anchor_hash if point.seq == first_seq - 1 else hash_at(point.seq)
        if stored is None:
            problems.append(f"{where}: entry {point.seq} is gone")
        elif stored != point.hash:
            problems.append(
                f"{where}: entry {point.seq} no longer has the signed hash: the chain up to it "
                "was rewritten"
            )
    return problems
