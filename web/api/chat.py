"""POST /api/chat (server-sent events) and GET /api/conversations/{id}."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from agent.chat import AgentEvent
from vigil.errors import ModelBusyError
from web.api.defs import ChatAnswer, ChatRequest, ConversationOut, ErrorOut
from web.deps import (
    ChatAgentDep,
    ContextDep,
    ServicesDep,
    SettingsDep,
    actor,
    request_user,
    signed_in_user,
)
from web.questions import QuestionResponse, sse

router = APIRouter(tags=["chat"], dependencies=[Depends(signed_in_user)])


@router.post(
    "/api/chat",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"text/event-stream": {}},
            "description": "events; the last `answer` event's data is a ChatAnswer",
            "model": ChatAnswer,
        },
        503: {"model": ErrorOut, "description": "the model stayed busy; see Retry-After"},
    },
)
async def chat(
    body: ChatRequest,
    request: Request,
    agent: ChatAgentDep,
    settings: SettingsDep,
    ctx: ContextDep,
    services: ServicesDep,
) -> Response:
    """Ask a question; the reply is a stream of server-sent events.

    Events: ``status`` (conversation id), ``tool`` (each tool call), ``token`` (answer text
    as it is written), then ``answer`` (the checked answer with its cited frames) or
    ``error`` (a message for the operator). While another question holds the model longer
    than ``chat_wait_s``, the reply is 503 with Retry-After. A client that disconnects
    stops its question at once.
    """
    user = request_user(request)
    if user.cameras is not None:
        raise HTTPException(
            403, "the assistant searches every camera: a user limited to some cannot ask it"
        )
    if body.conversation_id is not None:
        services.conversation(user, body.conversation_id)
    subject = f"conversation:{body.conversation_id or 'new'}"
    run = request.app.state.questions.start(
        agent, body.question, body.conversation_id, settings.chat_wait_s, user.name
    )
    ctx.store.audit.record(actor(request), "chat.question", subject, {"q": body.question[:500]})
    first = await run.first()
    if isinstance(first, ModelBusyError):
        return JSONResponse(
            {"detail": str(first), "request_id": request.state.request_id},
            status_code=503,
            headers={"Retry-After": str(first.retry_after_s)},
        )
    if first is None:  # ended before any event: the server is stopping
        first = AgentEvent("error", {"message": "the server is stopping; ask again shortly"})
        return StreamingResponse(iter([sse(first)]), media_type="text/event-stream")
    return QuestionResponse(run, first)


@router.get("/api/conversations/{conversation_id}", response_model=ConversationOut)
def conversation(conversation_id: str, request: Request, services: ServicesDep) -> ConversationOut:
    """A conversation's turns, oldest first, with each answer's cited frame ids: the
    asker's own, or any for a supervisor (of the cameras its answers cite)."""
    turns = services.conversation(request_user(request), conversation_id)
    return ConversationOut(id=conversation_id, turns=turns)
