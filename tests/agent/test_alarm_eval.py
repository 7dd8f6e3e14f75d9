"""`vigil eval alarms` on the labelled cases (tests/data/alarm_cases.json), real models."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agent.alarm_eval import eval_alarms, review_tally
from vigil.domain import AlarmRecord

pytestmark = pytest.mark.slow
CASES = Path(__file__).resolve().parents[1] / "data" / "alarm_cases.json"


def test_labelled_alarm_cases_are_mostly_right_and_no_real_alarm_is_closed(models, shared_data):
    vtest = Path(os.environ.get("VIGIL_VTEST", "var/samples/vtest.avi"))
    if not vtest.is_file():
        pytest.skip("vtest.avi is fetched by make test")
    report = eval_alarms(shared_data, vtest, CASES, models)
    assert report.overall.cases >= 15
    assert report.overall.right / report.overall.cases >= 0.9, [
        (c.name, c.got) for c in report.cases if not c.right
    ]
    assert report.overall.false_neg == 0  # no real alarm called a false alarm


def test_reviews_are_the_truth_for_reviewed_alarms():
    def alarm(verdict: str, reviewed: str) -> AlarmRecord:
        return AlarmRecord.model_validate(
            {
                "id": "a", "source": "s", "source_event_id": "e", "camera": "c",
                "time": "2026-11-20T21:00:00Z", "kind": "k", "received": "2026-11-20T21:00:00Z",
                "priority": 2, "status": "verified",
                "verdict": {
                    "verdict": verdict, "confidence": 0.9, "level": 1, "decided_by": [],
                    "clauses": [], "evidence": [], "boxes": {}, "rationale": "", "actions": [],
                    "escalate_to": [], "window": {},
                },
                "review": {
                    "decision": "x", "verdict": reviewed, "reason": "r", "by": "b",
                    "at": "2026-11-20T21:00:00Z",
                },
            }
        )  # fmt: skip

    tally = review_tally(
        [alarm("confirmed", "confirmed"), alarm("confirmed", "false_alarm"),
         alarm("false_alarm", "confirmed")]
    )  # fmt: skip
    assert (tally.cases, tally.right, tally.true_pos, tally.false_pos, tally.false_neg) == (
        3, 1, 1, 1, 1,
    )  # fmt: skip
