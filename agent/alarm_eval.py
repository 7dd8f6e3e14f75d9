"""`vigil eval alarms`: verdicts on labelled alarm cases over the sample clips, and the
operators' reviews of real alarms, as precision, recall and the share closed unattended.

An alarm is "real" when the policy wants a person to know of it (confirmed or
needs_review); a false alarm closed by Vigil is one nobody looks at, so the figure that
must stay at zero is real alarms called false.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from agent.hindsight import replay
from agent.verification import AlarmVerifier, camera_sightings
from vigil.domain import AlarmRecord
from vigil.ingest import Ingestor
from vigil.inputs import parse_time
from vigil.models import ModelRegistry
from vigil.policies import SitePolicy, load_policy
from vigil.policies.model import WEEKDAYS, Hours, Schedule
from vigil.policies.raising import raised_alarms
from vigil.store import Store

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class CaseResult:
    name: str
    camera: str
    expected: str
    got: str
    real: bool
    clause: str | None
    decided_by: tuple[str, ...]
    rationale: str

    @property
    def right(self) -> bool:
        return self.got == self.expected and (self.clause is None or self.clause in self.decided_by)


@dataclass
class Tally:
    """Counts for precision/recall of 'real' (anything but false_alarm)."""

    cases: int = 0
    right: int = 0
    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    closed: int = 0  # called false_alarm: closed without a person

    def add(self, real: bool, called_real: bool, right: bool) -> None:
        self.cases += 1
        self.right += right
        self.true_pos += real and called_real
        self.false_pos += (not real) and called_real
        self.false_neg += real and not called_real
        self.closed += not called_real

    @property
    def precision(self) -> float:
        return self.true_pos / max(1, self.true_pos + self.false_pos)

    @property
    def recall(self) -> float:
        return self.true_pos / max(1, self.true_pos + self.false_neg)


@dataclass(frozen=True)
class RaisedTally:
    """Vigil's own alarms on one clip against its timeline's subjects (time intervals)."""

    camera: str
    alarms: int
    subjects: int
    right: int  # alarms raised while a subject was in view
    found: int  # subjects with an alarm raised while they were in view
    most_on_one: int  # the most alarms raised while one subject was in view

    @property
    def precision(self) -> float:
        return self.right / max(1, self.alarms)

    @property
    def recall(self) -> float:
        return self.found / max(1, self.subjects)


RAISED_SLACK_S = 1.0  # checked once a second: an alarm this late still counts


def raised_tally(camera: str, alarm_s: list[float], subjects: list[list[float]]) -> RaisedTally:
    """Alarms (seconds into the clip) against the subjects' in-view intervals."""

    def during(t: float, interval: list[float]) -> bool:
        return interval[0] <= t <= interval[1] + RAISED_SLACK_S

    return RaisedTally(
        camera,
        len(alarm_s),
        len(subjects),
        sum(any(during(t, i) for i in subjects) for t in alarm_s),
        sum(any(during(t, i) for t in alarm_s) for i in subjects),
        max((sum(during(t, i) for t in alarm_s) for i in subjects), default=0),
    )


@dataclass
class AlarmReport:
    raised: list[RaisedTally] = field(default_factory=list)
    replayed: int = 0  # cases whose verdict, decided again from its basis, is the same
    cases: list[CaseResult] = field(default_factory=list)
    overall: Tally = field(default_factory=Tally)
    by_camera: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_clause: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    reviewed: Tally = field(default_factory=Tally)


def always_on(policy: SitePolicy) -> SitePolicy:
    """The policy with every schedule on at every hour (for "in hours" cases)."""
    whole_week = Hours(days=list(WEEKDAYS), **{"from": time(0), "to": time(23, 59, 59)})
    return policy.model_copy(
        update={"schedules": {name: Schedule(hours=[whole_week]) for name in policy.schedules}}
    )


def eval_alarms(
    shared_data: Path, vtest: Path, truth_file: Path, models: ModelRegistry
) -> AlarmReport:
    """Ingest the clips as the site's cameras and verify every labelled case."""
    truth = json.loads(truth_file.read_text())
    policy = load_policy(REPO / truth["policy"])
    policies = {"night": policy, "day": always_on(policy)}
    report = AlarmReport()
    with tempfile.TemporaryDirectory() as tmp:
        settings = models.settings.apart(Path(tmp), policy.timezone)
        store = Store(settings)
        ingestor = Ingestor(settings, store, models)
        starts, ends = {}, {}
        for camera, clip in truth["clips"].items():
            path = vtest if clip["file"] == "vtest.avi" else shared_data / clip["file"]
            starts[camera] = parse_time(clip["start"], None)
            seconds = ingestor.ingest(path, camera, starts[camera]).video_seconds
            ends[camera] = starts[camera] + timedelta(seconds=seconds)
        for camera, subjects in truth.get("raised", {}).items():
            _, _, seen = camera_sightings(store, camera, starts[camera], ends[camera])
            raised = raised_alarms(policy, camera, seen, starts[camera], ends[camera])
            alarm_s = [(a.at - starts[camera]).total_seconds() for a in raised]
            report.raised.append(raised_tally(camera, alarm_s, subjects))
        for case in truth["cases"]:
            verifier = AlarmVerifier(
                settings, store, policies[case["hours"]], window_s=case["window_s"]
            )
            moment = starts[case["camera"]] + timedelta(seconds=case["at_s"])
            now = datetime.now(UTC)
            verdict = verifier.verify(case["camera"], moment, now)
            # decided again from what it was decided on (`vigil alarms replay`): the same
            report.replayed += replay(settings, store, case["camera"], moment, verdict, now).same
            result = CaseResult(
                case["name"],
                case["camera"],
                case["expected"],
                verdict.verdict,
                case["real"],
                case.get("clause"),
                tuple(verdict.decided_by),
                verdict.rationale,
            )
            report.cases.append(result)
            called_real = result.got != "false_alarm"
            for tally in (
                report.overall,
                report.by_camera[result.camera],
                *(report.by_clause[c] for c in ([result.clause] if result.clause else [])),
            ):
                tally.add(result.real, called_real, result.right)
    return report


def review_tally(alarms: list[AlarmRecord]) -> Tally:
    """Verdicts against the operators' reviews: the reviewed verdict is the truth."""
    tally = Tally()
    for alarm in alarms:
        if alarm.verdict is None or alarm.review is None:
            continue
        real = alarm.review.verdict != "false_alarm"
        called_real = alarm.verdict.verdict != "false_alarm"
        tally.add(real, called_real, alarm.review.verdict == alarm.verdict.verdict)
    return tally
