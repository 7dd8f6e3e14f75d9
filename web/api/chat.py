"""POST /api/chat (server-sent events) and GET /api/conversations/{id}."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from agent.chat import AgentEvent, ChatAgent
from web.api.defs import ChatRequest, ConversationOut, TurnOut
from web.deps import ChatAgentDep, ConversationsDep

router = APIRouter(tags=["chat"])
log = logging.getLogger(__name__)


def _sse(event: AgentEvent) -> str:
    return f"event: {event.kind}\ndata: {json.dumps(event.data, ensure_ascii=False)}\n\n"


def _events(agent: ChatAgent, request: ChatRequest) -> Iterator[str]:
    try:
        for event in agent.ask(request.question, request.conversation_id):
            yield _sse(event)
    except Exception:  # a bug must end this answer, not the server
        log.exception("chat request failed")
        yield _sse(AgentEvent("error", {"message": "internal error; see the server log"}))


@router.post(
    "/api/chat",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
def chat(request: ChatRequest, agent: ChatAgentDep) -> StreamingResponse:
    """Ask a question; the reply is a stream of server-sent events.

    Events: ``status`` (conversation id), ``tool`` (each tool call), ``token`` (answer text
    as it is written), then ``answer`` (the checked answer with its cited frames) or
    ``error`` (a message for the operator).
    """
    return StreamingResponse(_events(agent, request), media_type="text/event-stream")


@router.get("/api/conversations/{conversation_id}", response_model=ConversationOut)
def conversation(conversation_id: str, conversations: ConversationsDep) -> ConversationOut:
    """A conversation's turns, oldest first, with each answer's cited frame ids."""
    turns = conversations.turns(conversation_id)
    return ConversationOut(
        id=conversation_id,
        turns=[TurnOut.model_validate(t, from_attributes=True) for t in turns],
    )
