"""The chat agent: a LangGraph loop over the video tools with a local, grammar-bound LLM.

prepare (time words, camera names, follow-up rewrite) -> retrieve (search_video, then the
relevance check of `agent.relevance`) -> decide (the model answers or calls one more tool,
as JSON held to a schema) <-> act -> check (citations, no-evidence) -> the turn is stored.

The first search runs before the model is asked: every question about video needs evidence,
and on 2 cores a model turn spent deciding to search costs 5-30 s (shared/MODELS.md).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypedDict

from langchain_core.tools import StructuredTool
from langgraph.config import get_stream_writer
from langgraph.graph import END, START, StateGraph

from agent.citations import (
    AnswerFieldStreamer,
    check_answer,
    ground_answer,
    measured_facts,
    states_measure,
    with_labels,
)
from agent.relevance import SUBJECT_QUERIES, subjects_of
from agent.tool_runner import ToolRunner, repeats, resolve_labels
from agent.understanding import (
    LANGUAGE_NAMES,
    language_of,
    measure_asked,
    ordinal_asked,
    understand,
    window_text,
)
from tools.binding import langchain_tools, signature_text, step_schema
from tools.video import VideoTools
from vigil.domain import ChatAnswer, FrameEvidence, TurnRecord
from vigil.errors import Cancelled, InvalidInputError, ModelBusyError, VigilError
from vigil.prompts import prompt_version, render_prompt
from vigil.settings import Settings
from vigil.store.conversations import ConversationRepository

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
HISTORY_TURNS = 3
ANSWER_TOKENS = 220
PROGRESS_EVERY_CHARS = 40  # how often the operator is told the answer is growing
TRACKED = ("person", "vehicle")  # the subjects counts and durations are answered for
PROMPTS = (
    "chat_system.j2",
    "chat_turn.j2",
    "tool_result.j2",
    "query_rewrite.j2",
    "answer_language.j2",
)


class ChatModel(Protocol):
    """What the agent needs of a model: streamed text, optionally held to a JSON schema."""

    name: str

    def stream(
        self,
        messages: list[dict],
        schema: dict | None = None,
        max_tokens: int = 256,
        cancel: threading.Event | None = None,
    ) -> Iterator[str]:
        """Text as it is generated; stops (raising `Cancelled`) soon after ``cancel`` is set."""
        ...


@dataclass(frozen=True)
class AgentEvent:
    """One thing to show the operator: status, tool (a tool call as it starts), progress
    (the model is writing: how far), answer or error.

    The answer's text is only ever sent in ``answer``, once checked against the frames:
    what the model writes before the check (an instruction it obeyed from a question or a
    caption, a claim no frame shows) never reaches the screen. ``data`` is a small dict,
    except for ``answer``, whose data is the `ChatAnswer`.
    """

    kind: str
    data: dict[str, Any] | ChatAnswer = field(default_factory=dict)

    def json_data(self) -> dict[str, Any]:
        """The data as JSON-ready values (for server-sent events and --json)."""
        if isinstance(self.data, ChatAnswer):
            return self.data.model_dump(mode="json")
        return self.data


class AgentState(TypedDict, total=False):
    question: str
    conversation_id: str
    history: list[TurnRecord]
    window: dict
    query: str
    camera: str | None
    messages: list[dict]
    frames: dict[str, FrameEvidence]  # label -> frame
    tool_calls: list[dict]
    steps: int
    pending: dict | None
    raw_answer: str | None
    answered_by: str  # "model", or "evidence" where its answer did not rest on its frames
    rewritten: bool  # the model was asked once to write its answer in the question's language
    result: ChatAnswer


class ChatAgent:
    """Answers operators' questions from stored video, citing the frames it rests on."""

    def __init__(
        self,
        settings: Settings,
        video: VideoTools,
        conversations: ConversationRepository,
        model: Callable[[], ChatModel],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        max_tool_steps: int = 2,
        camera_aliases: dict[str, list[str]] | None = None,
    ) -> None:
        self.settings = settings
        self.camera_aliases = camera_aliases or {}  # from the site policy, where there is one
        self.video = video
        self.conversations = conversations
        self._model = model
        self.now = now
        self.max_tool_steps = max_tool_steps
        self.tools: dict[str, StructuredTool] = {t.name: t for t in langchain_tools(video)}
        self.runner = ToolRunner(self.tools, settings.agent_frames_shown)
        self._system = self._system_message()  # fixed per agent: rendered once
        self._lock = threading.Lock()  # one local model answers one question at a time
        self._cancel = threading.Event()  # the current question's: set when its asker left
        self.graph = self._build_graph()

    # -- public --------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        conversation_id: str | None = None,
        cancel: threading.Event | None = None,
        wait_s: float | None = None,
        asker: str | None = None,
    ) -> Iterator[AgentEvent]:
        """Run one question; yield events as they happen, the checked answer last. A new
        conversation belongs to ``asker`` (None: the server's own shell).

        Expected failures (bad input, a missing or failing model) end with an ``error``
        event carrying a message for the operator. Questions asked at the same time wait
        for each other: with ``wait_s``, at most that long, then `ModelBusyError` is raised
        before any event. Setting ``cancel`` (the asker left) stops the question within a
        token and raises `Cancelled`; closing the iterator early releases the model too.
        """
        cancel = cancel or threading.Event()
        deadline = None if wait_s is None else time.monotonic() + wait_s
        while not self._lock.acquire(timeout=0.2):
            if cancel.is_set():
                raise Cancelled("the question was cancelled while it waited for the model")
            if deadline is not None and time.monotonic() > deadline:
                raise ModelBusyError(
                    f"the assistant is answering another question (waited {wait_s:g} s); "
                    "ask again shortly",
                    retry_after_s=max(1, round(wait_s)),
                )
        try:
            self._cancel = cancel
            yield from self._ask(question, conversation_id, asker)
        finally:
            self._cancel = threading.Event()
            self._lock.release()

    def _ask(
        self, question: str, conversation_id: str | None, asker: str | None
    ) -> Iterator[AgentEvent]:
        try:
            question = self._clean(question)
            history: list[TurnRecord] = []
            if conversation_id:
                history = self.conversations.turns(conversation_id, last=HISTORY_TURNS)
            else:
                conversation_id = self.conversations.start(title=question[:80], owner=asker)
            state: AgentState = {
                "question": question,
                "conversation_id": conversation_id,
                "history": history,
                "messages": [],
                "frames": {},
                "tool_calls": [],
                "steps": 0,
                "pending": None,
                "raw_answer": None,
            }
            yield AgentEvent("status", {"conversation_id": conversation_id})
            for mode, payload in self.graph.stream(state, stream_mode=["custom", "values"]):
                self._stop_if_cancelled()
                if mode == "custom":
                    yield payload
                else:
                    state = payload
            yield AgentEvent("answer", state["result"])
        except VigilError as exc:
            log.warning("question failed: %s", exc)
            yield AgentEvent("error", {"message": str(exc)})

    @contextmanager
    def model_held(self, wait_s: float) -> Iterator[ChatModel]:
        """The local model for other work (a report's description), held as a question
        holds it: at most ``wait_s`` of waiting, then `ModelBusyError`."""
        if not self._lock.acquire(timeout=wait_s):
            raise ModelBusyError(
                f"the assistant is answering a question (waited {wait_s:g} s); try again shortly",
                retry_after_s=max(1, round(wait_s)),
            )
        try:
            yield self._model()
        finally:
            self._lock.release()

    def warm_up(self, cancel: threading.Event | None = None) -> None:
        """Evaluate the fixed system prompt once so the first question does not pay for it.

        ``cancel`` (the server stops) interrupts it.
        """
        with self._lock:
            for _ in self._model().stream([self._system], max_tokens=1, cancel=cancel):
                break

    def _stop_if_cancelled(self) -> None:
        if self._cancel.is_set():
            raise Cancelled("the question was cancelled")

    # -- graph ---------------------------------------------------------------------------
    def _build_graph(self):
        graph = StateGraph(AgentState)
        graph.add_node("prepare", self._prepare)
        graph.add_node("retrieve", self._retrieve)
        graph.add_node("decide", self._decide)
        graph.add_node("act", self._act)
        graph.add_node("check", self._check)
        graph.add_edge(START, "prepare")
        graph.add_edge("prepare", "retrieve")
        graph.add_conditional_edges(
            "retrieve", lambda s: "decide" if s["frames"] else "check", ["decide", "check"]
        )
        graph.add_conditional_edges("decide", self._after_decide, ["act", "decide", "check"])
        graph.add_edge("act", "decide")
        graph.add_edge("check", END)
        return graph.compile()

    def _prepare(self, state: AgentState) -> AgentState:
        """Resolve time words and camera names in code; rewrite a follow-up as a query."""
        understood = understand(
            state["question"],
            state["history"],
            self.now(),
            self.settings.tz,
            self.video.store.videos.camera_names(),
            self._rewrite_follow_up,
            lambda frame_id: self.video.frame(frame_id).time,
            self.camera_aliases,
        )
        return {
            "window": understood.window,
            "query": understood.query,
            "camera": understood.camera,
        }

    def _retrieve(self, state: AgentState) -> AgentState:
        window = state["window"]
        update = self._measure(state)
        if update is None or not update["frames"]:
            update = self._search(state, update or {})
        turn = render_prompt(
            "chat_turn.j2",
            history=state["history"],
            question=state["question"],
            language=LANGUAGE_NAMES[language_of(state["question"])],
            window=window_text(window),
            timezone=self.settings.timezone,
            observation=update["messages"][-1]["content"],
        ).text
        update["messages"] = [self._system, {"role": "user", "content": turn}]
        return update

    def _measure(self, state: AgentState) -> AgentState | None:
        """How many people or vehicles passed, how long they stayed: answered from the
        stored tracks (a line and a frame per track), not guessed from frames."""
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
        return self._run_tool(state, tool, arguments)

    def _search(self, state: AgentState, earlier: AgentState) -> AgentState:
        """The question's search (then by its subject's caption words, then the camera's
        timeline), after any ``earlier`` tool call of this turn."""
        window = state["window"]
        state = {**state, **earlier}
        arguments = {
            "query": state["query"],
            "camera": state["camera"],
            "start": window["start"],
            "end": window["end"],
            "k": 5,
        }
        update = self._run_tool(state, "search_video", arguments)
        subjects = update["tool_calls"][-1].get("subjects")
        if not update["frames"] and subjects:
            # the question's words found nothing showing its subject ("¿pasó algún coche?"):
            # search again with the words captions use for it
            subject_query = " ".join(SUBJECT_QUERIES[s] for s in subjects)
            update = self._run_tool(
                {**state, **update}, "search_video", {**arguments, "query": subject_query}
            )
        if not update["frames"] and state["camera"] and (window["start"] or window["end"]):
            # "what happened on the gate camera last night?" matches no description: the
            # camera's timeline in that window is the evidence to read
            timeline = {"camera": state["camera"], "start": window["start"], "end": window["end"]}
            update = self._run_tool({**state, **update}, "get_timeline", timeline)
        return update

    def _decide(self, state: AgentState) -> AgentState:
        """One model turn, held to the step schema. The operator sees how far the answer
        got, never its unchecked words."""
        write = get_stream_writer()
        allow_tools = state["steps"] < self.max_tool_steps
        schema = step_schema(list(self.tools.values()), allow_tools)
        streamer = AnswerFieldStreamer()
        started = time.perf_counter()
        write(AgentEvent("progress", {"stage": "writing", "chars": 0}))
        chunks = self._model().stream(state["messages"], schema, ANSWER_TOKENS, self._cancel)
        shown = 0
        with closing(chunks):  # a cancelled question stops the model here, not at the end
            for chunk in chunks:
                self._stop_if_cancelled()
                streamer.feed(chunk)
                if len(streamer.text) >= shown + PROGRESS_EVERY_CHARS:
                    shown = len(streamer.text)
                    write(AgentEvent("progress", {"stage": "writing", "chars": shown}))
        log.info("model turn took %.1f s", time.perf_counter() - started)
        try:
            step = json.loads(streamer.raw)
        except json.JSONDecodeError:  # cut off at the token limit
            step = {"answer": streamer.text + " [...]"}
        messages = [*state["messages"], {"role": "assistant", "content": streamer.raw}]
        if "tool" in step and allow_tools:
            if repeats(step, state["tool_calls"]):  # nothing new to learn: answer now
                note = {"role": "user", "content": "That was already done. Answer now."}
                return {
                    "messages": [*messages, note],
                    "pending": None,
                    "steps": self.max_tool_steps,
                }
            return {"messages": messages, "pending": step, "steps": state["steps"] + 1}
        written = step.get("answer", "")
        asked_in = language_of(state["question"])
        if language_of(written, unsure=asked_in) != asked_in and not state.get("rewritten"):
            # the 1.5B model answers Dutch, French or Spanish questions in English now and
            # then: once, it is asked to write the same answer in the question's language
            log.info("answer %r is not in %s: asking for it again", written[:200], asked_in)
            again = render_prompt("answer_language.j2", language=LANGUAGE_NAMES[asked_in]).text
            write(AgentEvent("progress", {"stage": "translating", "language": asked_in}))
            return {
                "messages": [*messages, {"role": "user", "content": again}],
                "pending": None,
                "rewritten": True,
                "steps": self.max_tool_steps,
            }
        grounded, replaced = ground_answer(written, state["frames"], asked_in)
        measure = next(  # a count or track list that found something, if one was asked
            (c["measure"] for c in state["tool_calls"] if "measure" in c and c["frames"]), None
        )
        if measure and states_measure(written, measure):
            # the tracks vouch for the number, even one that names nothing ("4 seconds")
            grounded, replaced = with_labels(written, state["frames"]), False
        elif measure:
            # a number the tracks do not give is a claim without evidence: give theirs
            log.info("answer %r states no number the tracks give", written[:200])
            grounded, replaced = measured_facts(measure, asked_in), True
        return {
            "messages": messages,
            "pending": None,
            "raw_answer": grounded,
            "answered_by": "evidence" if replaced else "model",
        }

    @staticmethod
    def _after_decide(state: AgentState) -> str:
        if state["pending"]:
            return "act"
        return "check" if state.get("raw_answer") is not None else "decide"

    def _act(self, state: AgentState) -> AgentState:
        call = state["pending"]
        arguments = resolve_labels(call.get("arguments", {}), state["frames"])
        update = self._run_tool(state, call["tool"], arguments)
        return {**update, "pending": None}

    def _check(self, state: AgentState) -> AgentState:
        """Ground the answer in the frames shown; store the turn."""
        frames = state["frames"]
        searched = f"{state['query']!r}, {window_text(state['window'])}"
        subjects = {s for call in state["tool_calls"] for s in call.get("subjects", [])}
        if subjects and not frames:
            searched += f"; no frame found shows: {', '.join(sorted(subjects))}"
        raw = state.get("raw_answer") or ""
        checked = check_answer(
            raw,
            {label: f.frame_id for label, f in frames.items()},
            searched,
            language_of(state["question"]),
        )
        if checked.dropped:
            log.warning("dropped citations of unknown frames: %s", ", ".join(checked.dropped))
        by_id = {f.frame_id: f for f in frames.values()}
        model_name = self._model_name() if frames else "none (nothing to ask the model)"
        self.conversations.add_turn(
            state["conversation_id"],
            question=state["question"],
            answer=checked.text,
            citations=list(checked.frame_ids),
            tool_calls=state["tool_calls"],
            window=state["window"],
            model=model_name,
            prompt_versions={name: prompt_version(name) for name in PROMPTS},
        )
        result = ChatAnswer(
            conversation_id=state["conversation_id"],
            text=checked.text,
            citations=[by_id[fid] for fid in checked.frame_ids],
            labels={label: f.frame_id for label, f in frames.items()},
            grounded=checked.grounded,
            dropped_citations=list(checked.dropped),
            uncited_sentences=checked.uncited_sentences,
            no_evidence=not checked.frame_ids,
            answered_by=state.get("answered_by", "none") if frames else "none",
            window=state["window"],
            query=state["query"],
            tool_calls=state["tool_calls"],
        )
        return {"result": result}

    # -- helpers -------------------------------------------------------------------------
    def _run_tool(self, state: AgentState, name: str, arguments: dict) -> AgentState:
        """Run one tool (`ToolRunner`); tell the operator; its observation joins the talk."""
        get_stream_writer()(AgentEvent("tool", {"name": name, "arguments": arguments}))
        outcome = self.runner.run(state["question"], state["frames"], name, arguments)
        return {
            "frames": outcome.frames,
            "tool_calls": [*state["tool_calls"], outcome.record],
            "messages": [*state["messages"], {"role": "user", "content": outcome.observation}],
        }

    def _system_message(self) -> dict:
        tools = [
            {
                "name": t.name,
                "signature": signature_text(t),
                "summary": (t.description or "").splitlines()[0],
            }
            for t in self.tools.values()
        ]
        return {"role": "system", "content": render_prompt("chat_system.j2", tools=tools).text}

    def _rewrite_follow_up(self, question: str, previous: TurnRecord) -> str:
        prompt = render_prompt(
            "query_rewrite.j2",
            previous=previous.question,
            previous_answer=previous.answer,
            question=question,
        ).text
        schema = {
            "type": "object",
            "properties": {"query": {"type": "string"}},
            "required": ["query"],
        }
        # after the system prompt, so llama.cpp's cached prefix still serves the next turn
        messages = [self._system, {"role": "user", "content": prompt}]
        raw = "".join(self._model().stream(messages, schema, 40, self._cancel))
        try:
            rewritten = str(json.loads(raw)["query"]).strip()
        except (json.JSONDecodeError, KeyError, TypeError):
            rewritten = ""
        return rewritten or f"{previous.question} {question}"

    def _model_name(self) -> str:
        return getattr(self._model(), "name", "unknown")

    @staticmethod
    def _clean(question: str) -> str:
        cleaned = " ".join(question.split())
        if not cleaned:
            raise InvalidInputError("the question is empty")
        if len(cleaned) > MAX_QUESTION_CHARS:
            raise InvalidInputError(
                f"the question is {len(cleaned)} characters; keep it under {MAX_QUESTION_CHARS}"
            )
        return cleaned
