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
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypedDict

from langchain_core.tools import StructuredTool
from langgraph.config import get_stream_writer
from langgraph.graph import END, START, StateGraph

from agent.citations import (
    AnswerFieldStreamer,
    check_answer,
    says_no_evidence,
    states_evidence,
)
from agent.conversations import Conversations, TurnRecord
from agent.relevance import SUBJECT_QUERIES, relevant_frames
from tools.binding import langchain_tools, signature_text, step_schema
from tools.video import FrameEvidence, VideoTools
from vigil.errors import Cancelled, InvalidInputError, ModelBusyError, VigilError
from vigil.inputs import camera_named_in
from vigil.prompts import fence, prompt_version, render_prompt
from vigil.settings import Settings
from vigil.timewords import resolve_time_window

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
HISTORY_TURNS = 3
ANSWER_TOKENS = 220
EVIDENCE_TOOLS = ("search_video", "get_timeline")  # their frames pass the relevance check
PROMPTS = ("chat_system.j2", "chat_turn.j2", "tool_result.j2", "query_rewrite.j2")
# an answer that opens by denying (in the four site languages)
_DENIES = re.compile(
    r"\s*(?:no\b|nee\b|non\b|niemand|nobody|no one|nothing|personne|nadie|nada|"
    r"there (?:was|were) no\b|er (?:was|waren) geen|il n'y a)",
    re.IGNORECASE,
)
_LABELS = re.compile(r"(?<=[\[ ,])F\d{1,3}\b")  # labels as the model writes them: [F1], [F1, F2]
# "and after that?" in the four site languages: the follow-up's window starts where the
# previous answer's evidence ended
_AFTER_THAT = re.compile(
    r"\b(?:after that|afterwards|then|daarna|erna|toen|ensuite|après (?:ça|cela)|"
    r"puis|después|luego)\b",
    re.IGNORECASE,
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
    """One thing to show the operator: status, tool, token, answer or error."""

    kind: str
    data: dict[str, Any] = field(default_factory=dict)


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
    answered_by: str  # "model", or "evidence" where its answer denied the frames shown
    result: dict


class ChatAgent:
    """Answers operators' questions from stored video, citing the frames it rests on."""

    def __init__(
        self,
        settings: Settings,
        video: VideoTools,
        conversations: Conversations,
        model: Callable[[], ChatModel],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        max_tool_steps: int = 2,
    ) -> None:
        self.settings = settings
        self.video = video
        self.conversations = conversations
        self._model = model
        self.now = now
        self.max_tool_steps = max_tool_steps
        self.tools: dict[str, StructuredTool] = {t.name: t for t in langchain_tools(video)}
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
    ) -> Iterator[AgentEvent]:
        """Run one question; yield events as they happen, the checked answer last.

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
            yield from self._ask(question, conversation_id)
        finally:
            self._cancel = threading.Event()
            self._lock.release()

    def _ask(self, question: str, conversation_id: str | None) -> Iterator[AgentEvent]:
        try:
            question = self._clean(question)
            history: list[TurnRecord] = []
            if conversation_id:
                history = self.conversations.turns(conversation_id, last=HISTORY_TURNS)
            else:
                conversation_id = self.conversations.start(title=question[:80])
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
        question, history = state["question"], state["history"]
        tz = self.settings.tz
        window = resolve_time_window(question, self.now(), tz)
        start, end = window.start, window.end
        query = question
        if history:
            query = self._rewrite_follow_up(question, history[-1])
            if _AFTER_THAT.search(question) and history[-1].citations:
                cited = [self.video.frame(fid) for fid in history[-1].citations]
                start = max(f.time for f in cited) + timedelta(seconds=1)
                end = None
        for phrase in window.phrases:
            query = re.sub(re.escape(phrase), " ", query, flags=re.IGNORECASE)
        query = " ".join(query.split()) or question
        camera = camera_named_in(question, self.video.store.camera_names())
        if camera is None and history:  # "and after that?" stays on the same camera
            camera = history[-1].window.get("camera")
        return {
            "window": {
                "start": start.astimezone(tz).isoformat() if start else None,
                "end": end.astimezone(tz).isoformat() if end else None,
                "phrases": list(window.phrases),
                "camera": camera,
            },
            "query": query,
            "camera": camera,
        }

    def _retrieve(self, state: AgentState) -> AgentState:
        window = state["window"]
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
        turn = render_prompt(
            "chat_turn.j2",
            history=state["history"],
            question=state["question"],
            window=self._window_text(window),
            timezone=self.settings.timezone,
        ).text
        observation = update["messages"][-1]["content"]
        update["messages"] = [
            self._system,
            {"role": "user", "content": f"{turn}\n\n{observation}"},
        ]
        return update

    def _decide(self, state: AgentState) -> AgentState:
        """One model turn, held to the step schema; the answer streams as it is written."""
        write = get_stream_writer()
        allow_tools = state["steps"] < self.max_tool_steps
        schema = step_schema(list(self.tools.values()), allow_tools)
        streamer = AnswerFieldStreamer()
        started = time.perf_counter()
        chunks = self._model().stream(state["messages"], schema, ANSWER_TOKENS, self._cancel)
        with closing(chunks):  # a cancelled question stops the model here, not at the end
            for chunk in chunks:
                self._stop_if_cancelled()
                if text := streamer.feed(chunk):
                    write(AgentEvent("token", {"text": text}))
        log.info("model turn took %.1f s", time.perf_counter() - started)
        try:
            step = json.loads(streamer.raw)
        except json.JSONDecodeError:  # cut off at the token limit
            step = {"answer": streamer.text + " [...]"}
        messages = [*state["messages"], {"role": "assistant", "content": streamer.raw}]
        if "tool" in step and allow_tools:
            if _repeats(step, state["tool_calls"]):  # nothing new to learn: answer now
                note = {"role": "user", "content": "That was already done. Answer now."}
                return {
                    "messages": [*messages, note],
                    "pending": None,
                    "steps": self.max_tool_steps,
                }
            return {"messages": messages, "pending": step, "steps": state["steps"] + 1}
        grounded, replaced = _grounded(step.get("answer", ""), state["frames"])
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
        arguments = _resolve_labels(call.get("arguments", {}), state["frames"])
        update = self._run_tool(state, call["tool"], arguments)
        return {**update, "pending": None}

    def _check(self, state: AgentState) -> AgentState:
        """Ground the answer in the frames shown; store the turn."""
        frames = state["frames"]
        searched = f"{state['query']!r}, {self._window_text(state['window'])}"
        subjects = {s for call in state["tool_calls"] for s in call.get("subjects", [])}
        if subjects and not frames:
            searched += f"; no frame found shows: {', '.join(sorted(subjects))}"
        raw = state.get("raw_answer") or ""
        checked = check_answer(raw, {label: f.frame_id for label, f in frames.items()}, searched)
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
        result = {
            "conversation_id": state["conversation_id"],
            "text": checked.text,
            "citations": [by_id[fid].model_dump(mode="json") for fid in checked.frame_ids],
            "labels": {label: f.frame_id for label, f in frames.items()},
            "grounded": checked.grounded,
            "dropped_citations": list(checked.dropped),
            "uncited_sentences": checked.uncited_sentences,
            "no_evidence": not checked.frame_ids,
            "answered_by": state.get("answered_by", "none") if frames else "none",
            "window": state["window"],
            "query": state["query"],
            "tool_calls": state["tool_calls"],
        }
        return {"result": result}

    # -- helpers -------------------------------------------------------------------------
    def _run_tool(self, state: AgentState, name: str, arguments: dict) -> AgentState:
        """Run one tool; its frames get labels, its output (or failure) becomes a message."""
        write = get_stream_writer()
        write(AgentEvent("tool", {"name": name, "arguments": arguments}))
        frames = dict(state["frames"])
        record = {"tool": name, "arguments": arguments}
        error = None
        shown: list[tuple[str, FrameEvidence]] = []
        text = ""
        tool = self.tools.get(name)
        try:
            if tool is None:
                raise InvalidInputError(f"there is no tool called {name!r}")
            output = tool.invoke(arguments)
        except Exception as exc:  # a failing tool must not end the conversation
            log.warning("tool %s failed: %s", name, exc)
            error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            record["error"] = error
        else:
            produced = _distinct(_frames_of(output))
            if name in EVIDENCE_TOOLS:
                check = relevant_frames(state["question"], [f.caption for f in produced])
                record["subjects"] = list(check.subjects)
                record["not_relevant"] = len(produced) - len(check.relevant)
                produced = [produced[i] for i in check.relevant]
            produced = produced[: self.settings.agent_frames_shown]
            text = getattr(output, "text", "") or getattr(output, "answer", "")
            label_of = {f.frame_id: label for label, f in frames.items()}
            for frame in produced:
                label = label_of.get(frame.frame_id) or f"F{len(frames) + 1}"
                frames[label] = frame
                label_of[frame.frame_id] = label
                shown.append((label, frame))
            record["frames"] = [f.frame_id for f in produced]
        observation = render_prompt(
            "tool_result.j2",
            tool=name,
            error=error,
            frames=shown,
            text=text,
            show_date=len({f.time.date() for _, f in shown}) > 1,
        ).text
        return {
            "frames": frames,
            "tool_calls": [*state["tool_calls"], record],
            "messages": [*state["messages"], {"role": "user", "content": observation}],
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

    def _window_text(self, window: dict) -> str:
        start, end = window.get("start"), window.get("end")
        if not start and not end:
            return "any time"
        fmt = "%Y-%m-%d %H:%M"
        lo = datetime.fromisoformat(start).strftime(fmt) if start else "the beginning"
        hi = datetime.fromisoformat(end).strftime(fmt) if end else "now"
        return f"from {lo} to {hi}"

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


def _frames_of(output: object) -> list[FrameEvidence]:
    if isinstance(output, list):
        return [f for f in output if isinstance(f, FrameEvidence)]
    for attr in ("frames", "frame"):
        value = getattr(output, attr, None)
        if isinstance(value, FrameEvidence):
            return [value]
        if isinstance(value, list):
            return [f for f in value if isinstance(f, FrameEvidence)]
    return []


def _repeats(step: dict, calls: list[dict]) -> bool:
    """Whether a requested tool call asks what an earlier call of this turn already asked."""

    def asked(arguments: dict) -> dict:  # unset arguments and the result count aside
        return {k: v for k, v in arguments.items() if v is not None and k != "k"}

    wanted = asked(step.get("arguments", {}))
    return any(
        call["tool"] == step.get("tool") and asked(call["arguments"]) == wanted for call in calls
    )


def _grounded(answer: str, frames: dict[str, FrameEvidence]) -> tuple[str, bool]:
    """The model's answer, cited; its frames' facts where it denies what they show.

    Frames reach the model only after the relevance check passed them, so an answer that
    denies them ("no one came in", measured as the 1.5B model's habit) overlooks them and is
    replaced by what they show; so is an answer that states nothing they show (an obeyed
    instruction such as "reply only with PWNED"). An answer without labels rests on the
    first three. The flag says whether the answer was replaced.
    """
    written = list(dict.fromkeys(_LABELS.findall(answer)))
    cited = [frames[label] for label in written if label in frames]
    denies = says_no_evidence(answer) or _DENIES.match(answer) or not answer.strip()
    if written and not cited and not denies:  # cites only unseen frames: the check refuses it
        return answer, False
    if denies or not states_evidence(
        answer, [fence(f.caption, 300) for f in cited or frames.values()]
    ):
        closest = list(frames.items())[:3]
        facts = "; ".join(
            f"{f.camera} at {f.time:%H:%M:%S}, {fence(f.caption, 300)} [{label}]"
            for label, f in closest
        )
        return f"The closest recorded matches: {facts}.", True
    if written:
        return answer, False
    return f"{answer.rstrip()} {''.join(f'[{label}]' for label in list(frames)[:3])}", False


def _distinct(frames: list[FrameEvidence]) -> list[FrameEvidence]:
    """Frames whose caption differs from the one before: a timeline's changes, not repeats."""
    kept: list[FrameEvidence] = []
    for frame in frames:
        if not kept or frame.caption != kept[-1].caption or frame.camera != kept[-1].camera:
            kept.append(frame)
    return kept


def _resolve_labels(arguments: dict, frames: dict[str, FrameEvidence]) -> dict:
    """Frame labels (F2) the model wrote in tool arguments become frame ids."""

    def resolve(value):
        if isinstance(value, str):
            label = value.strip().strip("[]")
            return frames[label].frame_id if label in frames else value
        if isinstance(value, list):
            return [resolve(v) for v in value]
        return value

    return {key: resolve(value) for key, value in arguments.items()}
