"""Vigil's own alarms: where an armed rule starts to hold on what a camera saw, an alarm is
raised (pure functions on frozen data).

The video is stepped through; at each step every armed rule of the camera is checked on
what was seen up to then (those in view at the step, over the rule's dwell), and the
checks are weighed as a verdict is (`decide`: an allow clause excuses whom it covers). A
rule that holds raises one alarm per subject: while a subject it raised for stays in view
(and ``cooldown_s`` after), that subject raises no other on that rule, so a person
loitering is one alarm, not one a second. A rule that counts (``min_count`` above one) is
about the group: one alarm while it holds, another only once it has not held for
``cooldown_s``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from vigil.policies.checks import ClauseCheck, Sighting, check_rule
from vigil.policies.model import Rule, SitePolicy
from vigil.policies.verdict import decide

STEP_S = 1.0  # how often the rules are checked along the video
LOOK_BACK_S = 5.0  # seen before a step beyond a rule's dwell, still weighed at it


@dataclass(frozen=True)
class RaisedAlarm:
    """An alarm a rule raised: when, on which clauses, for whom (their tracks, frames)."""

    camera: str
    at: datetime
    rule_ids: tuple[str, ...]
    verdict: str
    tracks: tuple[tuple[int, int], ...]
    keyframe_ids: tuple[str, ...]
    about: str  # whom it was raised for first (a track piece, or the group)

    @property
    def event_id(self) -> str:
        """The same alarm raised twice (a segment analysed again) is one alarm; two subjects,
        two cameras or two rules at the same second are two."""
        return f"{self.camera}/{self.rule_ids[0]}@{self.at:%Y%m%dT%H%M%S}/{self.about}"


@dataclass
class Raised:
    """What raised alarms already cover: (rule, a piece of a subject) -> until when it is
    quiet. A subject is known by any of its pieces, so a person whose track goes on into
    the next segment is still the one alarmed for."""

    quiet_until: dict[tuple[str, object], datetime] = field(default_factory=dict)

    def quiet(self, rule_id: str, pieces, at: datetime) -> bool:
        return any(self.quiet_until.get((rule_id, p), at) > at for p in pieces)

    def cover(self, rule_id: str, pieces, until: datetime) -> None:
        for p in pieces:
            self.quiet_until[(rule_id, p)] = max(until, self.quiet_until.get((rule_id, p), until))

    def forget_before(self, moment: datetime) -> None:
        """Drop what was quiet only until before ``moment`` (a live camera runs for months)."""
        self.quiet_until = {k: t for k, t in self.quiet_until.items() if t >= moment}


def raised_alarms(
    policy: SitePolicy,
    camera: str,
    sightings: list[Sighting],
    start: datetime,
    end: datetime,
    raised: Raised | None = None,
    step_s: float = STEP_S,
) -> list[RaisedAlarm]:
    """The alarms the policy's rules raise on a camera's sightings in [start, end); ``raised``
    carries what earlier calls raised (a live camera, one segment at a time)."""
    raised = raised if raised is not None else Raised()
    raised.forget_before(start)
    zones = policy.cameras[camera].zones
    rules = {r.id: r for r in policy.rules if r.covers(camera)}
    last_seen = {s.key: s.samples[-1][0] for s in sightings if s.samples}
    alarms: list[RaisedAlarm] = []
    at = start
    while at < end:
        armed = [r for r in rules.values() if policy.armed(r, at)]
        checks = [
            check_rule(
                r,
                zones.get(r.zone or ""),
                sightings,
                at - timedelta(seconds=r.min_dwell_s + LOOK_BACK_S),
                at,
                at,
            )
            for r in armed
        ]
        verdict = decide(rules, checks, True)
        if verdict.verdict != "false_alarm":
            allowed = frozenset().union(
                *(c.subjects for c in checks if rules[c.rule_id].allows and c.holds)
            )
            holding = [
                c for c in checks if c.rule_id in verdict.decided_by and c.holds is not False
            ]
            about = [
                (c.rule_id, key)
                for c in holding
                for key in _keys(rules[c.rule_id], c, allowed)
                if not raised.quiet(c.rule_id, _pieces(key), at)
            ]
            if about:
                alarms.append(
                    RaisedAlarm(
                        camera,
                        at,
                        verdict.decided_by,
                        verdict.verdict,
                        tuple(dict.fromkeys(p for c in holding for p in c.tracks)),
                        tuple(dict.fromkeys(k for c in holding for k in c.keyframe_ids)),
                        _name(min(_pieces(about[0][1]))),
                    )
                )
            for c in holding:  # everyone it holds for is covered, the new and the known
                cooldown = timedelta(seconds=rules[c.rule_id].cooldown_s)
                for key in _keys(rules[c.rule_id], c, allowed):
                    raised.cover(c.rule_id, _pieces(key), last_seen.get(key, at) + cooldown)
        at += timedelta(seconds=step_s)
    return alarms


GROUP = ("group",)


def _keys(rule: Rule, check: ClauseCheck, allowed: frozenset) -> frozenset:
    """Whom a holding rule's alarm is about: each subject an allow clause does not cover,
    or the group for a count."""
    return frozenset({GROUP}) if rule.min_count > 1 else check.subjects - allowed


def _pieces(key: tuple) -> tuple:
    """The pieces a subject is known by: its track pieces, or itself."""
    return key if key and isinstance(key[0], tuple) else (key,)


def _name(piece) -> str:
    """A piece of a subject as part of an event id."""
    return "-".join(str(v) for v in (piece if isinstance(piece, tuple) else (piece,)))
