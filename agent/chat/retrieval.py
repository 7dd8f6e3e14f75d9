"""Understanding the question and gathering its first evidence, before the model is asked.

The first search runs before the model is asked: every question about video needs
evidence, and on 2 cores a model turn spent deciding to search costs 5-30 s.
"""

from __future__ import annotations

import json

from langgraph.config import get_stream_writer

from agent.chat.state import AgentEvent, AgentState, Engine
from agent.relevance import SUBJECT_QUERIES, subjects_of
from agent.understanding import (
    LANGUAGE_NAMES,
    language_of,
    measure_asked,
    ordinal_asked,
    understand,
    window_text,
)
from vigil.domain import TurnRecord
from vigil.prompts import render_prompt

TRACKED = ("person", "vehicle")  # the subjects counts and durations are answered for
REWRITE_TOKENS = 40


def prepare(engine: Engine, state: AgentState) -> AgentState:
    """Resolve time words and camera names in code; rewrite a follow-up as a query."""
    understood = understand(
        state["question"],
        state["history"],
        engine.now(),
        engine.settings.tz,
        engine.video.store.videos.camera_names(),
        lambda question, previous: rewrite_follow_up(engine, question, previous),
        lambda frame_id: engine.video.frame(frame_id).time,
        engine.camera_aliases,
    )
    return {"window": understood.window, "query": understood.query, "camera": understood.camera}


def retrieve(engine: Engine, state: AgentState) -> AgentState:
    """The first evidence (counts and tracks where they answer it, else a search), and
    the model's turn made of it."""
    update = measure(engine, state)
    if update is None or not update["frames"]:
        update = search(engine, state, update or {})
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


def measure(engine: Engine, state: AgentState) -> AgentState | None:
    """How many people or vehicles passed, how long they stayed: answered from the stored
    tracks (a line and a frame per track), not guessed from frames."""
    asked = measure_asked(state["question"])
    kind = next((s for s in subjects_of(state["question"]) if s in TRACKED), None)
    if asked is None or kind is None:
        return None
    window = state["window"]
    arguments = {
        "what": kind,
        "camera": state["camera"],
        "start": window["start"],
        "end": window["end"],
    }
    if asked == "dwell":
        arguments["still_first"] = True
    nth = ordinal_asked(state["question"])
    if nth is not None and asked != "count":
        arguments["nth"] = nth
    tool = "count_objects" if asked == "count" else "get_tracks"
    return run_tool(engine, state, tool, arguments)


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
