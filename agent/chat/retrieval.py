"""Understanding the question and gathering its first evidence, before the model is asked.

The first search runs before the model is asked: every question about video needs
evidence, and on 2 cores a model turn spent deciding to search costs 5-30 s.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime

from langgraph.config import get_stream_writer

from agent.chat.state import AgentEvent, AgentState, Engine
from agent.citations import cannot_see_text
from agent.relevance import SUBJECT_QUERIES, THINGS, shows
from agent.understanding import (
    Asked,
    asked_from_reading,
    asks,
    camera_phrases,
    empty_after,
    read_question,
    reading_schema,
    side_moment,
    understand,
    unread_words,
    window_text,
    without_phrases,
)
from vigil.domain import FrameEvidence, TurnRecord
from vigil.language import LANGUAGE_CODES, LANGUAGE_NAMES, language_of
from vigil.prompts import render_prompt
from vigil.summary import shift_summary

REWRITE_TOKENS = 40
READ_TOKENS = 120


def prepare(engine: Engine, state: AgentState) -> AgentState:
    """Resolve time words and camera names in code; rewrite a follow-up as a query."""
    cameras = engine.video.store.videos.camera_names()
    understood = understand(
        state["question"],
        state["history"],
        engine.now(),
        engine.settings.tz,
        cameras,
        lambda question, previous: rewrite_follow_up(engine, question, previous),
        lambda frame_id: engine.video.frame(frame_id).time,
        engine.camera_aliases,
        engine.video.store.videos.scene_words(),
    )
    camera, window = understood.camera, understood.window
    # what it asks about: its time words and the name of its camera left out
    called = camera_phrases(camera, engine.camera_aliases)
    reading = without_phrases(state["question"], [*window["phrases"], *called])
    if engine.settings.agent_question_reader == "model":
        asked, named = read_by_model(engine, state["question"], cameras)
        if camera is None and named in cameras:  # the code found none: the model's, checked
            camera, window = named, {**window, "camera": named}
    else:
        asked = read_question(reading)
    # a camera's name, one word or several, or a word of it ("chez le notaire" of the
    # "étude du notaire"), is no word for what is asked
    names = [*cameras, *(a for aliases in engine.camera_aliases.values() for a in aliases)]
    words = {w for name in names for w in re.findall(r"[^\W\d_]{4,}", name)}
    asked = replace(asked, unread=unread_words(without_phrases(reading, [*names, *words])))
    return {"window": window, "query": understood.query, "camera": camera, "asked": asked}


def read_by_model(engine: Engine, question: str, cameras: list[str]) -> tuple[Asked, str | None]:
    """What a question asks, as the local LLM reads it under a JSON schema (grammar-bound),
    checked in code (`asked_from_reading`); the word reader's where its reply is no JSON."""
    prompt = render_prompt("question_read.j2", question=question).text
    # after the system prompt, so llama.cpp's cached prefix still serves the answer turn
    messages = [engine.system, {"role": "user", "content": prompt}]
    schema = reading_schema(cameras)
    raw = "".join(engine.model().stream(messages, schema, READ_TOKENS, engine.cancel))
    try:
        return asked_from_reading(json.loads(raw), question)
    except (json.JSONDecodeError, AttributeError):
        return read_question(question), None


def retrieve(engine: Engine, state: AgentState) -> AgentState:
    """The first evidence (the tracks where they answer it: counts, how long, when, who
    looked how; else a search), and the model's turn made of it; or, for what the site's
    models cannot see, the answer that says so, with what they can see."""
    said = overview(engine, state)
    if said is not None and said["frames"]:
        return said
    update = measure(engine, state)
    if update is None or not update["frames"]:
        update = search(engine, state, update or {})
    cannot = cannot_see(state, update["frames"], engine)
    if cannot is not None:
        return {**update, "raw_answer": cannot, "answered_by": "cannot_see"}
    turn = render_prompt(
        "chat_turn.j2",
        history=state["history"],
        question=state["question"],
        language=LANGUAGE_NAMES[language_of(state["question"])],
        window=window_text(state["window"]),
        timezone=engine.settings.timezone,
        observation=update["messages"][-1]["content"],
    ).text
    update["messages"] = [engine.system, {"role": "user", "content": turn}]
    return update


def overview(engine: Engine, state: AgentState) -> AgentState | None:
    """A question about no one and nothing in particular over a span of time ("what
    happened last night?", "wat is er vannacht gebeurd?"): the span's summary per camera
    (alarms and verdicts, activity by hour, the longest stays, every vehicle) answers it,
    each line with its frame; a search for the words "what happened" would not."""
    asked: Asked = state["asked"]
    window = state["window"]
    if asked.subjects or asked.measure not in (None, "none") or asked.looks.said:
        return None
    if asked.unread:  # about something in particular, if nothing the models name
        return None
    if asked.looks.unseeable:  # "a fire last night?": said to be beyond the models instead
        return None
    if window["start"] is None or window["end"] is None:
        return None
    arguments = {"start": window["start"], "end": window["end"], "camera": state["camera"]}
    update = run_tool(engine, state, "summarise_shift", arguments)
    label_of = {f.frame_id: label for label, f in update["frames"].items()}
    summary = shift_summary(
        engine.settings,
        engine.video.store,
        datetime.fromisoformat(window["start"]),
        datetime.fromisoformat(window["end"]),
        LANGUAGE_CODES[language_of(state["question"])],
        [state["camera"]] if state["camera"] else None,
    )
    # the summary's own lines, in the question's language, each with its frame's label:
    # assembled from the store, so there is nothing for the model to get wrong
    lines = [
        f"{shift.camera}: {line.text} [{label_of[line.frames[0]]}]"
        for shift in summary.cameras
        for line in shift.lines()
        if line.frames and line.frames[0] in label_of
    ]
    if not lines:
        return update
    return {**update, "raw_answer": "\n".join(lines), "answered_by": "summary"}


def measure(engine: Engine, state: AgentState) -> AgentState | None:
    """How many people or vehicles passed, how long they stayed, when they came or left,
    which of them looked as asked, when and how long none was there: answered from the
    stored tracks (a line and a frame per track or empty spell, one description each), not
    guessed from frames."""
    asked: Asked = state["asked"]
    window = state["window"]
    if "empty" in asked.subjects and asked.measure != "at_once":
        # "how long was it empty between the 3rd and the 4th?", "was it ever empty?"
        arguments = {  # "was the road empty?": of people and moving vehicles alike
            "what": {"vehicle": "vehicles", "person": "people"}.get(asked.kind, "anything"),
            "camera": state["camera"],
            "start": window["start"],
            "end": window["end"],
        }
        if asked.nth:  # between the nth and the next, after the last, or just before it
            arguments["after"] = empty_after(state["question"], asked.nth)
        return run_tool(engine, state, "get_empty_spells", arguments)
    things = [s for s in asked.subjects if s in THINGS]
    if asked.kind is None and asked.measure in ("count", "at_once") and things:
        # "how many sheep in the meadow?": the most of them seen at one moment
        arguments = {"camera": state["camera"], "start": window["start"], "end": window["end"]}
        return run_tool(engine, state, "count_objects", {"what": things[0], **arguments})
    if asked.kind is None and not _about_whoever_passed(asked, state["camera"]):
        return None
    side = side_moment(state["question"])  # by which side one came in or left
    # parked all along? or did they crash (stop)?
    moved = asked.kind == "vehicle" and (
        asks("moved", state["question"]) or asks("collided", state["question"])
    )
    if (
        asked.measure is None
        and not asked.looks.said
        and not asked.heading
        and asked.nth is None
        and side is None
        and not moved
        and not asks("which way", state["question"])
    ):
        return None
    # "how many were in view at 16:40:40?": those in view at that instant, not around it
    instant = window.get("moment") if asked.measure in ("count", "at_once") else None
    start, end = (
        (instant, instant)
        if instant and datetime.fromisoformat(instant).second
        else (window["start"], window["end"])
    )
    arguments = {
        "what": asked.kind,
        "camera": state["camera"],
        "start": start,
        "end": end,
        **track_looks(asked),
    }
    if asked.measure == "dwell":  # how long it stood: those that never did answer it too
        arguments["still_first"] = True
        if arguments.get("posture") == "standing":
            del arguments["posture"]
    if asked.nth is not None and asked.measure not in ("count", "at_once"):
        arguments["nth"] = asked.nth
    if asked.measure in ("arrival", "departure"):  # the frame of that moment is its evidence
        arguments["moment"] = "came" if asked.measure == "arrival" else "left"
    elif side:
        arguments["moment"] = side
    tool = "get_tracks"
    if asked.measure == "at_once":  # the most at one moment, of those that look as asked
        arguments["at_once"] = True
    elif asked.measure == "count" and not asked.looks.said and not asked.heading and asked.kind:
        tool = "count_objects"
        arguments = {k: arguments[k] for k in ("what", "camera", "start", "end")}
    return run_tool(engine, state, tool, arguments)


def _about_whoever_passed(asked: Asked, camera: str | None) -> bool:
    """Whether a question that names no one still asks about the tracks of a camera it
    names: how long the last visit lasted, when the second one came, how many passed."""
    if camera is None or asked.subjects or asked.looks.unseeable:
        return False
    return asked.nth is not None or asked.measure in ("duration", "dwell", "count", "at_once")


def track_looks(asked: Asked) -> dict:
    """A question's looks as `get_tracks` arguments (upper, lower, colour, posture, the
    kind of vehicle, the way across the picture)."""
    arguments: dict = {}
    for part, colour in asked.looks.colours:
        key = {"upper": "upper", "lower": "lower"}.get(part, "colour")
        arguments.setdefault(key, colour)
    if asked.looks.posture:
        arguments["posture"] = asked.looks.posture
    if asked.looks.vehicle:
        arguments["vehicle_type"] = asked.looks.vehicle
    if asked.heading:
        arguments["heading"] = asked.heading
    return arguments


# what the detector names, that a thing beyond the models would be on or in
CARRIERS = frozenset({*THINGS, "bicycle", "motorbike", "bus", "vehicle", "animal"})


def cannot_see(state: AgentState, frames: dict[str, FrameEvidence], engine: Engine) -> str | None:
    """For a question about what the site's models cannot perceive (README: "What the
    models cannot see"), the answer that says so, in the question's language, with what
    they do see; None where they can answer it. What they see only sometimes (a bag on
    someone standing still) is "cannot tell" only where no frame shows it."""
    asked: Asked = state["asked"]
    if not asked.looks.unseeable:
        return None
    shown = engine.video.store.keyframes.get_many([f.frame_id for f in frames.values()])
    # carried by someone standing still, or lying about on a still image
    carried = {c for k in shown.values() for d in k.detections for c in (*d.carrying, d.label)}
    unseeable = [
        u for u in asked.looks.unseeable if not (u.partly and carried & set(asked.looks.carrying))
    ]
    if not unseeable:
        return None
    # "a bicycle courier with a thermal bag?": the bag is beyond the models, the bicycle is
    # not; where no frame shows the thing it would be on, there is no evidence of it at all
    things = [s for s in asked.subjects if s in CARRIERS]
    if things and not any(shows(s, f.caption) for s in things for f in frames.values()):
        return None
    return cannot_see_text(unseeable, frames, language_of(state["question"]))


def search(engine: Engine, state: AgentState, earlier: AgentState) -> AgentState:
    """The question's search (then by its subject's caption words, then the camera's
    timeline), after any ``earlier`` tool call of this turn."""
    window = state["window"]
    state = {**state, **earlier}
    arguments = {
        "query": state["query"],
        "camera": state["camera"],
        "start": window["start"],
        "end": window["end"],
        "k": engine.settings.agent_search_k,
        **track_looks(state["asked"]),
    }
    update = run_tool(engine, state, "search_video", arguments)
    subjects = update["tool_calls"][-1].get("subjects")
    if not update["frames"] and subjects:
        # the question's words found nothing showing its subject ("¿pasó algún coche?"):
        # search again with the words captions use for it
        subject_query = " ".join(SUBJECT_QUERIES[s] for s in subjects)
        update = run_tool(
            engine, {**state, **update}, "search_video", {**arguments, "query": subject_query}
        )
    if not update["frames"] and state["camera"] and (window["start"] or window["end"]):
        # "what happened on the gate camera last night?" matches no description: the
        # camera's timeline in that window is the evidence to read
        timeline = {"camera": state["camera"], "start": window["start"], "end": window["end"]}
        update = run_tool(engine, {**state, **update}, "get_timeline", timeline)
    return update


def run_tool(engine: Engine, state: AgentState, name: str, arguments: dict) -> AgentState:
    """Run one tool (`ToolRunner`); tell the operator; its observation joins the talk."""
    get_stream_writer()(AgentEvent("tool", {"name": name, "arguments": arguments}))
    outcome = engine.runner.run(state["question"], state["frames"], name, arguments)
    return {
        "frames": outcome.frames,
        "tool_calls": [*state["tool_calls"], outcome.record],
        "messages": [*state["messages"], {"role": "user", "content": outcome.observation}],
    }


def rewrite_follow_up(engine: Engine, question: str, previous: TurnRecord) -> str:
    """A follow-up ("and after that?") as a query of its own, written by the model."""
    prompt = render_prompt(
        "query_rewrite.j2",
        previous=previous.question,
        previous_answer=previous.answer,
        question=question,
    ).text
    schema = {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}
    # after the system prompt, so llama.cpp's cached prefix still serves the next turn
    messages = [engine.system, {"role": "user", "content": prompt}]
    raw = "".join(engine.model().stream(messages, schema, REWRITE_TOKENS, engine.cancel))
    try:
        rewritten = str(json.loads(raw)["query"]).strip()
    except (json.JSONDecodeError, KeyError, TypeError):
        rewritten = ""
    return rewritten or f"{previous.question} {question}"
