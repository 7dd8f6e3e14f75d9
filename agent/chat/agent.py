"""`ChatAgent`: runs one question at a time through the chat graph with the one local
model, stops it when its asker leaves, and keeps the conversation's turns."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from langchain_core.tools import StructuredTool

from agent.chat.graph import build_graph
from agent.chat.state import MAX_QUESTION_CHARS, AgentEvent, AgentState, ChatModel
from agent.tool_runner import ToolRunner
from tools.binding import langchain_tools, signature_text
from tools.video import VideoTools
from vigil.domain import TurnRecord
from vigil.errors import Cancelled, InvalidInputError, ModelBusyError, VigilError
from vigil.prompts import render_prompt
from vigil.settings import Settings
from vigil.store.conversations import ConversationRepository

log = logging.getLogger(__name__)
LOCK_POLL_S = 0.2  # how often a waiting question looks whether its asker left


class ChatAgent:
    """Answers operators' questions from stored video, citing the frames it rests on."""

    def __init__(
        self,
        settings: Settings,
        video: VideoTools,
        conversations: ConversationRepository,
        model: Callable[[], ChatModel],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        camera_aliases: dict[str, list[str]] | None = None,
    ) -> None:
        self.settings = settings
        self.camera_aliases = camera_aliases or {}  # from the site policy, where there is one
        self.video = video
        self.conversations = conversations
        self._model = model
        self.now = now
        self.tools: dict[str, StructuredTool] = {t.name: t for t in langchain_tools(video)}
        self.runner = ToolRunner(self.tools, settings.agent_frames_shown)
        self.system = self._system_message()  # fixed per agent: rendered once
        self._lock = threading.Lock()  # one local model answers one question at a time
        self._cancel = threading.Event()  # the current question's: set when its asker left
        self.graph = build_graph(self)

    # -- what the graph's nodes use (`agent.chat.state.Engine`) ------------------------
    def model(self) -> ChatModel:
        return self._model()

    @property
    def cancel(self) -> threading.Event:
        """The current question's cancel flag (set when its asker left)."""
        return self._cancel

    def stop_if_cancelled(self) -> None:
        if self._cancel.is_set():
            raise Cancelled("the question was cancelled")

    # -- running questions ---------------------------------------------------------------
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
        while not self._lock.acquire(timeout=LOCK_POLL_S):
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
            yield from self._run(question, conversation_id, asker)
        finally:
            self._cancel = threading.Event()
            self._lock.release()

    def _run(
        self, question: str, conversation_id: str | None, asker: str | None
    ) -> Iterator[AgentEvent]:
        try:
            question = _clean(question)
            history: list[TurnRecord] = []
            if conversation_id:
                last = self.settings.agent_history_turns
                history = self.conversations.turns(conversation_id, last=last)
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
                self.stop_if_cancelled()
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
            yield self.model()
        finally:
            self._lock.release()

    def warm_up(self, cancel: threading.Event | None = None) -> None:
        """Evaluate the fixed system prompt once so the first question does not pay for it.

        ``cancel`` (the server stops) interrupts it.
        """
        with self._lock:
            for _ in self.model().stream([self.system], max_tokens=1, cancel=cancel):
                break

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


def _clean(question: str) -> str:
    cleaned = " ".join(question.split())
    if not cleaned:
        raise InvalidInputError("the question is empty")
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise InvalidInputError(
            f"the question is {len(cleaned)} characters; keep it under {MAX_QUESTION_CHARS}"
        )
    return cleaned
