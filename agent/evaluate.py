"""`vigil eval qa`: questions about the sample clips, answered by the real agent, scored.

Builds a throw-away store from the clips named in the questions file, at their stated start
times (a clip may be mirrored or cut to make a scene nothing was tuned on; a still image
is a camera of its own), and asks each question with "now", the site time zone and the
camera aliases from that file.
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

import av
import cv2

from agent.chat import ChatAgent
from agent.citations import denies, says_cannot_see, says_no_evidence, states_count, states_seconds
from tools.video import VideoTools
from vigil.domain import ChatAnswer, FrameEvidence
from vigil.language import language_of
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
    language: str = "English"
    precise: bool = False  # right, and every frame it cites lies in a true moment


@dataclass
class QAReport:
    outcomes: list[QAOutcome] = field(default_factory=list)

    def by(self, key: str) -> dict[str, tuple[int, int, int]]:
        """Per language or per ``answered_by``: (right, precise, asked)."""
        groups: dict[str, list[QAOutcome]] = {}
        for o in self.outcomes:
            groups.setdefault(getattr(o, key), []).append(o)
        return {
            name: (sum(o.correct for o in group), sum(o.precise for o in group), len(group))
            for name, group in sorted(groups.items())
        }

    @property
    def correct(self) -> int:
        return sum(o.correct for o in self.outcomes)

    @property
    def share(self) -> float:
        return self.correct / len(self.outcomes) if self.outcomes else 0.0

    @property
    def median_s(self) -> float:
        return statistics.median(o.seconds for o in self.outcomes) if self.outcomes else 0.0


def judge(item: dict, result: ChatAnswer, starts: dict[str, datetime]) -> tuple[bool, bool, str]:
    """Whether one answer is right (with valid citations, in the question's language),
    whether it is also precise (every citation in a true moment), and why not."""
    asked_in = language_of(item["question"])
    answered_in = language_of(result.text, unsure=asked_in)
    if answered_in != asked_in:
        return False, False, f"answered in {answered_in} to a question in {asked_in}"
    if result.dropped_citations:
        return False, False, f"cited frames it was not shown: {result.dropped_citations}"
    cited = result.citations
    expect = item.get("expect")
    if expect == "no_evidence":
        ok = not cited and says_no_evidence(result.text)
        return ok, ok, "" if ok else "claimed evidence where there is none"
    if expect == "cannot_see":
        ok = says_cannot_see(result.text)
        return ok, ok, "" if ok else "does not say the models cannot see this"
    if expect == "no":
        ok = denies(result.text) or says_no_evidence(result.text)
        return ok, ok, "" if ok else "does not deny it"
    if not cited:
        return False, False, "no citation"
    spans = [tuple(s) for s in item["truth"]]
    start = starts[item["camera"]]

    def in_truth(frame: FrameEvidence) -> bool:
        offset = (frame.time - start).total_seconds()
        return frame.camera == item["camera"] and overlaps(offset, offset, spans, SLACK_S)

    if not any(in_truth(f) for f in cited):
        return False, False, "no cited frame lies in a true moment"
    keywords = item.get("keywords")
    if keywords and not any(k in result.text.lower() for k in keywords):
        return False, False, f"none of the words {keywords} in the answer"
    if "count" in item and not states_count(result.text, item["count"]):
        return False, False, f"does not state the count {item['count']}"
    if "seconds" in item and not states_seconds(result.text, *item["seconds"]):
        return False, False, f"states no duration in {item['seconds']} s"
    precise = all(in_truth(f) for f in cited)
    return True, precise, "" if precise else "right, but cites frames outside the truth"


def prepared_clip(shared_data: Path, vtest: Path, clip: dict, folder: Path) -> Path:
    """The clip a spec names, mirrored and cut (``from_s``, ``to_s``) as it says (written
    into ``folder``); a still image as it is."""
    if "still" in clip:
        return shared_data / clip["still"]
    path = vtest if clip["path"] == "vtest.avi" else shared_data / clip["path"]
    if not (clip.get("mirror") or "from_s" in clip or "to_s" in clip):
        return path
    out = folder / f"{path.stem}-{len(list(folder.iterdir()))}.mp4"
    with av.open(str(path)) as source:
        stream = source.streams.video[0]
        rate = stream.average_rate
        with av.open(str(out), "w") as sink:
            encoded = sink.add_stream("libx264", rate=rate)
            encoded.width, encoded.height = stream.width, stream.height
            encoded.pix_fmt = "yuv420p"
            for frame in source.decode(stream):
                if frame.time is None or frame.time < clip.get("from_s", 0.0):
                    continue
                if frame.time >= clip.get("to_s", float("inf")):
                    break
                image = frame.to_ndarray(format="bgr24")
                if clip.get("mirror"):
                    image = cv2.flip(image, 1)
                new = av.VideoFrame.from_ndarray(image, format="bgr24")
                sink.mux(encoded.encode(new))
            sink.mux(encoded.encode())
    return out


@contextmanager
def sample_agent(
    shared_data: Path, vtest: Path, spec: dict, models: ModelRegistry, model=None
) -> Iterator[ChatAgent]:
    """A warmed-up agent over a throw-away store of the spec's clips, at the spec's "now"."""
    now = datetime.fromisoformat(spec["now"])
    with tempfile.TemporaryDirectory() as tmp:
        settings = models.settings.apart(Path(tmp), spec["timezone"])
        search, ingestor = sample_services(settings, models)
        clips = Path(tmp) / "clips"
        clips.mkdir()
        for camera, clip in spec["clips"].items():
            path = prepared_clip(shared_data, vtest, clip, clips)
            start = datetime.fromisoformat(clip["start"])
            if "still" in clip:
                ingestor.ingest_still(path, camera, start)
            else:
                ingestor.ingest(path, camera, start)
        video = VideoTools(settings, search.store, models, search)
        chat_model = model or models.llm
        agent = ChatAgent(
            settings,
            video,
            search.store.conversations,
            lambda: chat_model,
            now=lambda: now,
            camera_aliases=spec.get("aliases"),
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
            language = language_of(item["question"])
            if events[-1].kind == "error":
                outcome = QAOutcome(
                    item["question"], result["message"], False, "error", seconds, language=language
                )
            else:
                ok, precise, why = judge(item, result, starts)
                outcome = QAOutcome(
                    item["question"], result.text, ok, why, seconds, result.answered_by,
                    language, precise,
                )  # fmt: skip
            report.outcomes.append(outcome)
    return report
