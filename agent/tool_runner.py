"""Running the agent's tools: frames they return get labels ([F1]) the model cites, the
frames of evidence tools must pass the relevance check, and the output (or the failure)
becomes the observation the model reads."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, TypedDict

from langchain_core.tools import StructuredTool

from agent.relevance import relevant_frames
from tools.video import SHIFT_FRAMES
from vigil.domain import FrameEvidence
from vigil.errors import InvalidInputError, VigilError
from vigil.prompts import render_prompt

log = logging.getLogger(__name__)
EVIDENCE_TOOLS = ("search_video", "get_timeline")  # their frames pass the relevance check
# a frame per track (or empty spell): each may be cited
TRACK_TOOLS = ("count_objects", "get_tracks", "get_empty_spells")
LINE_TOOLS = (*TRACK_TOOLS, "summarise_shift")  # a frame per line: two alike are two lines
TRACK_FRAMES_SHOWN = 8


class ToolCall(TypedDict):
    """A call of one tool, as the model asks for it (arguments by the tool's schema)."""

    tool: str
    arguments: dict[str, Any]


class Measure(TypedDict, total=False):
    """What a count or track tool measured: an answer's numbers are checked against it."""

    count: int  # how many (count_objects, get_tracks, get_empty_spells)
    seconds: list[int]  # the durations it gave (tracks, empty spells), to the second
    starts: list[str]  # when each track (or empty spell) began, HH:MM:SS in the site zone
    ends: list[str]  # and when it left
    text: str  # its own lines, with frame labels
    parked: list[bool]  # whether each track stood parked all the time it was seen
    drove_on: list[bool]  # whether each drove and left at an edge without stopping
    sides: list[tuple[str, str]]  # by which edge each came and left ("inside": neither)
    directions: list[str]  # the way each crossed the picture ("bottom to top"; "" if it stayed)


class ToolRecord(ToolCall, total=False):
    """One call as the turn keeps it (stored with the turn, shown with the answer)."""

    error: str  # the tool failed, and why (the model was told so)
    subjects: list[str]  # what the question asks about (evidence tools)
    not_relevant: int  # frames the relevance check kept from the model
    frames: list[str]  # the frames it gave the model, by id
    measure: Measure  # for count and track tools


@dataclass(frozen=True)
class ToolOutcome:
    """One tool call's result: every labelled frame so far, the call's record, and what
    the model reads."""

    frames: dict[str, FrameEvidence]  # label -> frame
    record: ToolRecord
    observation: str


class ToolRunner:
    """Runs one tool call at a time over the LangChain-bound tools."""

    def __init__(self, tools: dict[str, StructuredTool], frames_shown: int) -> None:
        self.tools = tools
        self.frames_shown = frames_shown

    def run(
        self, question: str, frames: dict[str, FrameEvidence], name: str, arguments: dict
    ) -> ToolOutcome:
        """Run ``name``; a failing or unknown tool is reported to the model, not raised."""
        frames = dict(frames)
        record: ToolRecord = {"tool": name, "arguments": arguments}
        error = None
        shown: list[tuple[str, FrameEvidence]] = []
        text = ""
        tool = self.tools.get(name)
        try:
            if tool is None:
                raise InvalidInputError(f"there is no tool called {name!r}")
            output = tool.invoke(arguments)
        except Exception as exc:  # a failing tool must not end the conversation
            if isinstance(exc, VigilError | ValueError):  # bad arguments, nothing found
                log.warning("tool %s failed: %s", name, exc)
            else:  # a bug: the model hears the tool failed, the log keeps the traceback
                log.exception("tool %s failed", name)
            error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            record["error"] = error
        else:
            produced = frames_of(output)
            if name not in LINE_TOOLS:
                produced = distinct(produced)
            if name in EVIDENCE_TOOLS:
                check = relevant_frames(question, [f.caption for f in produced])
                record["subjects"] = list(check.subjects)
                record["not_relevant"] = len(produced) - len(check.relevant)
                produced = [produced[i] for i in check.relevant]
            limit = (
                SHIFT_FRAMES
                if name == "summarise_shift"
                else TRACK_FRAMES_SHOWN
                if name in TRACK_TOOLS
                else self.frames_shown
            )
            produced = produced[:limit]
            text = getattr(output, "text", "") or getattr(output, "answer", "")
            label_of = {f.frame_id: label for label, f in frames.items()}
            for frame in produced:
                label = label_of.get(frame.frame_id) or f"F{len(frames) + 1}"
                frames[label] = frame
                label_of[frame.frame_id] = label
                if frame.frame_id in text:  # the tool's text names it: cite it there
                    text = text.replace(frame.frame_id, f"[{label}]")
                else:
                    shown.append((label, frame))
            record["frames"] = [f.frame_id for f in produced]
            if name in TRACK_TOOLS:  # what an answer's numbers are checked against
                record["measure"] = measure_of(name, output, text, arguments)
        observation = render_prompt(
            "tool_result.j2",
            tool=name,
            error=error,
            frames=shown,
            text=text,
            show_date=len({f.time.date() for _, f in shown}) > 1,
        ).text
        return ToolOutcome(frames, record, observation)


def measure_of(name: str, output, text: str, arguments: dict | None = None) -> Measure:
    """What an answer's numbers are checked against: the count `count_objects` gave, or
    the durations `get_tracks` gave (in view, stood still); and the text, with labels.
    Asked how long someone stood or waited (``still_first``), only the stood-still spells
    count where there are any: a time in view is not an answer to it."""
    if name == "count_objects":
        return {"count": output.count, "text": text}
    if name == "get_empty_spells":
        return {
            "count": output.count,
            "starts": [f"{spell.start:%H:%M:%S}" for spell in output.spells],
            "ends": [f"{spell.end:%H:%M:%S}" for spell in output.spells],
            "seconds": sorted({round(spell.seconds) for spell in output.spells}),
            "text": text,
        }
    measured: Measure = {
        "count": output.count,
        "starts": [f"{t.start:%H:%M:%S}" for t in output.tracks],
        "ends": [f"{t.end:%H:%M:%S}" for t in output.tracks],
        "text": text,
        "parked": [t.stood_parked for t in output.tracks],
        "drove_on": [t.drove_on for t in output.tracks],
        "sides": [(t.entry, t.exit) for t in output.tracks],
        "directions": [t.direction for t in output.tracks],
    }
    still = {round((b - a).total_seconds()) for t in output.tracks for a, b in t.still}
    if still and (arguments or {}).get("still_first"):
        return {**measured, "seconds": sorted(still)}
    seconds = still | {round(t.seconds) for t in output.tracks}
    return {**measured, "seconds": sorted(seconds)}


def frames_of(output: object) -> list[FrameEvidence]:
    """The frames a tool's output names."""
    if isinstance(output, list):
        return [f for f in output if isinstance(f, FrameEvidence)]
    for attr in ("frames", "frame"):
        value = getattr(output, attr, None)
        if isinstance(value, FrameEvidence):
            return [value]
        if isinstance(value, list):
            return [f for f in value if isinstance(f, FrameEvidence)]
    return []


def distinct(frames: list[FrameEvidence]) -> list[FrameEvidence]:
    """Frames whose caption differs from the one before: a timeline's changes, not repeats."""
    kept: list[FrameEvidence] = []
    for frame in frames:
        if not kept or frame.caption != kept[-1].caption or frame.camera != kept[-1].camera:
            kept.append(frame)
    return kept


def repeats(step: ToolCall, calls: list[ToolRecord]) -> bool:
    """Whether a requested tool call asks what an earlier call of this turn already asked."""

    def asked(arguments: dict) -> dict:  # unset arguments and the result count aside
        return {k: v for k, v in arguments.items() if v is not None and k != "k"}

    wanted = asked(step.get("arguments", {}))
    return any(
        call["tool"] == step.get("tool") and asked(call["arguments"]) == wanted for call in calls
    )


def resolve_labels(arguments: dict, frames: dict[str, FrameEvidence]) -> dict:
    """Frame labels (F2) the model wrote in tool arguments become frame ids."""

    def resolve(value):
        if isinstance(value, str):
            label = value.strip().strip("[]")
            return frames[label].frame_id if label in frames else value
        if isinstance(value, list):
            return [resolve(v) for v in value]
        return value

    return {key: resolve(value) for key, value in arguments.items()}
