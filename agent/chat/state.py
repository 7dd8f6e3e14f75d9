"""What flows through the chat graph: the state of one question, the events the operator
sees, and what the nodes need of the agent that runs them."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypedDict

from langchain_core.tools import StructuredTool

from agent.tool_runner import ToolCall, ToolRecord, ToolRunner
from agent.understanding import Asked, Window
from tools.video import VideoTools
from vigil.domain import ChatAnswer, FrameEvidence, TurnRecord
from vigil.settings import Settings
from vigil.store.conversations import ConversationRepository

MAX_QUESTION_CHARS = 1000


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
    """One question on its way through the graph."""

    question: str
    conversation_id: str
    history: list[TurnRecord]
    window: Window
    asked: Asked  # what the question asks, typed
    query: str
    camera: str | None
    messages: list[dict]  # the model's conversation for this turn
    frames: dict[str, FrameEvidence]  # label ([F1]) -> frame
    tool_calls: list[ToolRecord]
    steps: int  # tool calls the model asked for
    pending: ToolCall | None  # the call the model just asked for
    raw_answer: str | None  # the answer before the last check
    answered_by: str  # model; evidence (its answer did not rest on its frames); cannot_see
    rewritten: bool  # the model was asked once to write its answer in the question's language
    result: ChatAnswer


class Engine(Protocol):
    """What the graph's nodes need of the agent that runs them."""

    settings: Settings
    video: VideoTools
    conversations: ConversationRepository
    tools: dict[str, StructuredTool]
    runner: ToolRunner
    camera_aliases: dict[str, list[str]]
    now: Callable[[], datetime]
    system: dict  # the fixed system message

    def model(self) -> ChatModel: ...

    def stop_if_cancelled(self) -> None: ...

    @property
    def cancel(self) -> threading.Event: ...
