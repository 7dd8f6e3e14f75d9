"""From clause checks to a verdict (pure): rules decide; what they cannot settle goes to a
person. A clause that holds outranks one that does not; an unsure clause or missing video
is ``needs_review``, never ``false_alarm``, so a real intrusion is not closed unseen."""

from __future__ import annotations

from dataclasses import dataclass

from vigil.domain import Phrase
from vigil.policies.checks import ClauseCheck
from vigil.policies.model import Rule

VERDICT_ORDER = {"confirmed": 2, "needs_review": 1, "false_alarm": 0}


@dataclass(frozen=True)
class Decision:
    verdict: str  # confirmed | false_alarm | needs_review
    confidence: float
    level: int
    decided_by: tuple[str, ...]
    reason: Phrase
    actions: tuple[str, ...] = ()
    escalate_to: tuple[str, ...] = ()


def _ranked(rules: list[Rule]) -> list[Rule]:
    return sorted(rules, key=lambda r: (-VERDICT_ORDER[r.verdict], -r.level, r.id))


def _on(rules: list[Rule], verdict: str, confidence: float, reason: Phrase) -> Decision:
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
    """The verdict on the checks of the armed clauses (``rules`` by id). An alarm clause
    whose every subject an allow clause covers (a person in the vest the site allows)
    is excused: where nothing else holds, the allow clause makes it a false alarm."""
    reasons = {c.rule_id: c.phrase for c in checks}

    def on_clause(rule: Rule) -> Phrase:
        return Phrase(key="clause", values={"title": rule.title, "reason": reasons[rule.id]})

    if not has_video:  # what it can be unseen: a clause on what people do ("a person
        # down") is no reason to call every blind alarm a threat to life
        armed = [rules[c.rule_id] for c in checks]
        return _on(
            _ranked([r for r in armed if r.about_presence] or armed),
            "needs_review",
            0.0,
            Phrase(key="no_video"),
        )
    allowing = [c for c in checks if rules[c.rule_id].allows and c.holds is True]

    def standing(c: ClauseCheck) -> bool:
        """An alarm clause not wholly excused: an allow clause excuses the subjects it saw
        where the alarm clause saw them (its zone the same, or the whole frame)."""
        rule = rules[c.rule_id]
        if rule.allows:
            return False
        allowed = frozenset().union(
            *(a.subjects for a in allowing if rules[a.rule_id].zone in (None, rule.zone))
        )
        return not (c.subjects and c.subjects <= allowed)

    holding = _ranked([rules[c.rule_id] for c in checks if c.holds is True and standing(c)])
    if holding:
        top = holding[0]
        confidence = 0.9 if top.verdict == "confirmed" else 0.6
        return _on(holding, top.verdict, confidence, on_clause(top))
    unsure = _ranked([rules[c.rule_id] for c in checks if c.holds is None and standing(c)])
    if unsure:
        return _on(unsure, "needs_review", 0.5, on_clause(unsure[0]))
    if allowing:
        allow = _ranked([rules[c.rule_id] for c in allowing])
        return Decision(
            "false_alarm",
            0.8,
            0,
            tuple(r.id for r in allow),
            Phrase(key="allowed", values={"each": [on_clause(r) for r in allow]}),
        )
    alarm_checks = [c for c in checks if not rules[c.rule_id].allows]  # none held
    if not alarm_checks:
        return Decision("false_alarm", 0.7, 0, (), Phrase(key="nothing_armed"))
    return Decision(
        "false_alarm",
        0.8,
        0,
        tuple(c.rule_id for c in alarm_checks),
        Phrase(key="clauses", values={"each": [on_clause(rules[c.rule_id]) for c in alarm_checks]}),
    )
