"""From clause checks to a verdict (pure): rules decide; what they cannot settle goes to a
person. A clause that holds outranks one that does not; an unsure clause or missing video
is ``needs_review``, never ``false_alarm``, so a real intrusion is not closed unseen."""

from __future__ import annotations

from dataclasses import dataclass

from vigil.policies.checks import ClauseCheck
from vigil.policies.model import Rule

VERDICT_ORDER = {"confirmed": 2, "needs_review": 1}


@dataclass(frozen=True)
class Decision:
    verdict: str  # confirmed | false_alarm | needs_review
    confidence: float
    level: int
    decided_by: tuple[str, ...]
    reason: str
    actions: tuple[str, ...] = ()
    escalate_to: tuple[str, ...] = ()


def _ranked(rules: list[Rule]) -> list[Rule]:
    return sorted(rules, key=lambda r: (-VERDICT_ORDER[r.verdict], -r.level, r.id))


def _on(rules: list[Rule], verdict: str, confidence: float, reason: str) -> Decision:
    """A verdict resting on ``rules`` (ranked): their highest level, ids, actions, contacts."""
    return Decision(
        verdict,
        confidence,
        max((r.level for r in rules), default=0),
        tuple(r.id for r in rules),
        reason,
        tuple(dict.fromkeys(a for r in rules for a in r.actions)),
        tuple(dict.fromkeys(c for r in rules for c in r.escalate_to)),
    )


def decide(rules: dict[str, Rule], checks: list[ClauseCheck], has_video: bool) -> Decision:
    """The verdict on the checks of the armed clauses (``rules`` by id)."""
    reasons = {c.rule_id: c.reason for c in checks}
    if not has_video:
        return _on(
            _ranked([rules[c.rule_id] for c in checks]),
            "needs_review",
            0.0,
            "no video of the camera around the alarm time: nothing to verify it on",
        )
    holding = _ranked([rules[c.rule_id] for c in checks if c.holds is True])
    if holding:
        top = holding[0]
        confidence = 0.9 if top.verdict == "confirmed" else 0.6
        return _on(holding, top.verdict, confidence, f"{top.title}: {reasons[top.id]}")
    unsure = _ranked([rules[c.rule_id] for c in checks if c.holds is None])
    if unsure:
        top = unsure[0]
        return _on(unsure, "needs_review", 0.5, f"{top.title}: {reasons[top.id]}")
    if not checks:
        return Decision(
            "false_alarm", 0.7, 0, (), "no clause of the policy is armed for this camera then"
        )
    return Decision(
        "false_alarm",
        0.8,
        0,
        tuple(c.rule_id for c in checks),
        "; ".join(f"{rules[c.rule_id].title}: {c.reason}" for c in checks),
    )
