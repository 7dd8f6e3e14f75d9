"""`vigil eval qa`: questions about the sample clips, answered by the real agent, scored.

Builds a throw-away store from the clips named in the questions file, at their stated start
times, and asks each question with "now" and the site time zone from that file.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from agent.chat import ChatAgent
from agent.citations import says_no_evidence, states_count, states_seconds
from agent.understanding import language_of
from tools.video import VideoTools
from vigil.domain import ChatAnswer, FrameEvidence
from vigil.models import ModelRegistry
from vigil.search.evaluate import sample_services
from vigil.search.ranking import overlaps

SLACK_S = 3.0


@dataclass(frozen=True)
class QAOutcome:
    question: str
    answer: str
    correct: bool
    why: str
    seconds: float
    answered_by: str = "none"  # model | evidence (the model denied what it was shown) | none


@dataclass
class QAReport:
    outcomes: list[QAOutcome] = field(default_factory=list)

    @property
    def correct(self) -> int:
        return sum(o.correct for o in self.outcomes)

    @property
    def share(self) -> float:
        return self.correct / len(self.outcomes) if self.outcomes else 0.0

    @property
    def median_s(self) -> float:
        return statistics.median(o.seconds for o in self.outcomes) if self.outcomes else 0.0


def judge(item: dict, result: ChatAnswer, starts: dict[str, datetime]) -> tuple[bool, str]:
    """Whether one answer is right, with valid citations, in the question's language; and
    why not."""
    asked_in = language_of(item["question"])
    answered_in = language_of(result.text, unsure=asked_in)
    if answered_in != asked_in:
        return False, f"answered in {answered_in} to a question in {asked_in}"
    if result.dropped_citations:
        return False, f"cited frames it was not shown: {result.dropped_citations}"
    cited = result.citations
    if item.get("expect") == "no_evidence":
        ok = not cited and says_no_evidence(result.text)
        return ok, "" if ok else "claimed evidence where there is none"
    if not cited:
        return False, "no citation"
    spans = [tuple(s) for s in item["truth"]]
    start = starts[item["camera"]]

    def in_truth(frame: FrameEvidence) -> bool:
        offset = (frame.time - start).total_seconds()
        return frame.camera == item["camera"] and overlaps(offset, offset, spans, SLACK_S)

    if not any(in_truth(f) for f in cited):
        return False, "no cited frame lies in a true moment"
    keywords = item.get("keywords")
    if keywords and not any(k in result.text.lower() for k in keywords):
        return False, f"none of the words {keywords} in the answer"
    if "count" in item and not states_count(result.text, item["count"]):
        return False, f"does not state the count {item['count']}"
    if "seconds" in item and not states_seconds(result.text, *item["seconds"]):
        return False, f"states no duration in {item['seconds']} s"
    return True, ""


@contextmanager
def sample_agent(
    shared_data: Path, vtest: Path, spec: dict, models: ModelRegistry, model=None
) -> Iterator[ChatAgent]:
    """A warmed-up agent over a throw-away store of the spec's clips, at the spec's "now"."""
    now = datetime.fromisoformat(spec["now"])
    with tempfile.TemporaryDirectory() as tmp:
        settings = models.settings.model_copy(
            update={"data_dir": Path(tmp), "chroma_url": None, "timezone": spec["timezone"]}
        )
        search, ingestor = sample_services(settings, models)
        for camera, clip in spec["clips"].items():
            path = vtest if clip["path"] == "vtest.avi" else shared_data / clip["path"]
            ingestor.ingest(path, camera, datetime.fromisoformat(clip["start"]))
        video = VideoTools(settings, search.store, models, search)
        chat_model = model or models.llm
        agent = ChatAgent(
            settings, video, search.store.conversations, lambda: chat_model, now=lambda: now
        )
        agent.warm_up()
        yield agent


def eval_qa(
    shared_data: Path,
    vtest: Path,
    questions_file: Path,
    models: ModelRegistry,
    limit: int | None = None,
) -> QAReport:
    """Ask every question of the file (or the first ``limit``) and judge each answer."""
    spec = json.loads(questions_file.read_text())
    starts = {cam: datetime.fromisoformat(c["start"]) for cam, c in spec["clips"].items()}
    report = QAReport()
    with sample_agent(shared_data, vtest, spec, models) as agent:
        for item in spec["questions"][:limit]:
            t0 = time.perf_counter()
            events = list(agent.ask(item["question"]))
            seconds = time.perf_counter() - t0
            result = events[-1].data
            if events[-1].kind == "error":
                outcome = QAOutcome(item["question"], result["message"], False, "error", seconds)
            else:
                ok, why = judge(item, result, starts)
                outcome = QAOutcome(
                    item["question"], result.text, ok, why, seconds, result.answered_by
                )
            report.outcomes.append(outcome)
    return report
