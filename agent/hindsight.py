"""Past verdicts in hindsight: how people judged each rule's verdicts (confirmed, overruled),
and what a changed policy would have decided on the alarms already verified."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from agent.verification import AlarmVerifier, kept_policy
from vigil.domain import AlarmRecord, AlarmVerdict
from vigil.errors import VigilError
from vigil.policies import SitePolicy
from vigil.settings import Settings
from vigil.store import Store

NO_RULE = ""  # a verdict no clause held for (nothing armed)


@dataclass
class RuleStats:
    """One clause's verdicts and what people made of them."""

    rule: str
    alarms: int = 0
    closed_unattended: int = 0  # Vigil said false alarm and nobody reviewed it
    reviewed: int = 0
    overruled: int = 0

    @property
    def overrule_rate(self) -> float:
        return self.overruled / max(1, self.reviewed)

    @property
    def closed_share(self) -> float:
        return self.closed_unattended / max(1, self.alarms)


def rule_stats(alarms: list[AlarmRecord]) -> list[RuleStats]:
    """Per clause a verdict rested on: its alarms, the share closed unattended, and how
    often people overruled it; the most overruled first."""
    stats: dict[str, RuleStats] = {}
    for alarm in alarms:
        if alarm.verdict is None:
            continue
        for rule in alarm.verdict.decided_by or [NO_RULE]:
            row = stats.setdefault(rule, RuleStats(rule))
            row.alarms += 1
            if alarm.review is None:
                row.closed_unattended += alarm.verdict.verdict == "false_alarm"
            else:
                row.reviewed += 1
                row.overruled += alarm.review.decision == "overrule"
    return sorted(stats.values(), key=lambda r: (-r.overrule_rate, -r.alarms, r.rule))


@dataclass(frozen=True)
class Flip:
    alarm_id: str
    camera: str
    time: datetime
    was: str
    would_be: str
    was_rules: tuple[str, ...]
    would_rules: tuple[str, ...]


@dataclass
class WhatIf:
    """What a changed policy would have decided on the alarms already verified."""

    weighed: int = 0
    flips: list[Flip] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # why an alarm was not weighed

    def by_change(self) -> Counter:
        """(was, would be) -> how many."""
        return Counter((f.was, f.would_be) for f in self.flips)


def what_if(
    settings: Settings, store: Store, policy: SitePolicy, alarms: list[AlarmRecord]
) -> WhatIf:
    """Each verified alarm decided again under ``policy`` on the video stored for it; the
    verdicts that would change."""
    verifier = AlarmVerifier(settings, store, policy, keep=False)
    found = WhatIf()
    for alarm in alarms:
        if alarm.verdict is None:
            found.skipped["no verdict yet"] += 1
            continue
        if alarm.camera not in policy.cameras:  # by its own name: never another's alias
            found.skipped["its camera is not in the policy"] += 1
            continue
        try:
            again = verifier.verify(alarm.camera, alarm.time)
        except VigilError as exc:  # e.g. its camera is not in the new policy
            found.skipped[str(exc)] += 1
            continue
        found.weighed += 1
        if again.verdict != alarm.verdict.verdict:
            found.flips.append(
                Flip(
                    alarm.id,
                    alarm.camera,
                    alarm.time,
                    alarm.verdict.verdict,
                    again.verdict,
                    tuple(alarm.verdict.decided_by),
                    tuple(again.decided_by),
                )
            )
    return found


@dataclass
class Replay:
    """A verdict decided again from what it was decided on, and what differs."""

    same: bool
    again: AlarmVerdict | None
    differences: list[str] = field(default_factory=list)
    why: list[str] = field(default_factory=list)


def replay(
    settings: Settings,
    store: Store,
    camera: str,
    moment: datetime,
    verdict: AlarmVerdict | None,
    now: datetime,
) -> Replay:
    """Decide an alarm (of ``camera`` at ``moment``) again under the policy kept for its
    verdict, on the video stored for it, and say what differs and why (the video or the
    checks changed since)."""
    if verdict is None:
        return Replay(False, None, ["the alarm has no verdict yet"])
    basis = verdict.basis
    policy = kept_policy(settings.data_dir, basis.get("policy")) if basis else None
    if policy is None:
        return Replay(
            False, None, ["the policy it was decided under is not kept, or was changed since"]
        )
    verifier = AlarmVerifier(settings, store, policy, window_s=basis.get("window_s"))
    again = verifier.verify(camera, moment, now)
    differences = [
        f"{name}: {was} then, {now_} now"
        for name, was, now_ in (
            ("verdict", verdict.verdict, again.verdict),
            ("decided by", verdict.decided_by, again.decided_by),
            ("rationale", verdict.rationale, again.rationale),
        )
        if was != now_
    ]
    why = []
    if basis.get("checks") != again.basis.get("checks"):
        why.append(f"the checks changed (Vigil {basis.get('checks')} then, "
                   f"{again.basis.get('checks')} now)")  # fmt: skip
    for kind in ("tracks", "keyframes"):
        then, now_seen = basis.get(kind, {}), again.basis.get(kind, {})
        gone = sorted(set(then) - set(now_seen))
        changed = sorted(k for k in set(then) & set(now_seen) if then[k] != now_seen[k])
        added = sorted(set(now_seen) - set(then))
        for words, keys in (("no longer stored", gone), ("changed", changed), ("added", added)):
            if keys:
                why.append(f"{len(keys)} {kind} {words} since: {', '.join(keys[:5])}")
    return Replay(not differences, again, differences, why)
