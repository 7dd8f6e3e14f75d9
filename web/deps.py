"""FastAPI dependencies: the shared context, search service, chat agent, conversations."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from fastapi import Depends

from agent import chat_agent
from agent.chat import ChatAgent
from vigil.context import Context, shared_context
from vigil.search.service import SearchService
from vigil.settings import Settings
from vigil.store.conversations import ConversationRepository


def get_context() -> Context:
    return shared_context()


@lru_cache(maxsize=8)
def _search_service(ctx: Context) -> SearchService:
    return SearchService(ctx.settings, ctx.store, ctx.models)


def get_search(ctx: Annotated[Context, Depends(get_context)]) -> SearchService:
    return _search_service(ctx)


@lru_cache(maxsize=8)
def _chat_agent(ctx: Context) -> ChatAgent:
    return chat_agent(ctx, _search_service(ctx))


def get_chat_agent(ctx: Annotated[Context, Depends(get_context)]) -> ChatAgent:
    return _chat_agent(ctx)


def get_settings(ctx: Annotated[Context, Depends(get_context)]) -> Settings:
    return ctx.settings


def get_conversations(ctx: Annotated[Context, Depends(get_context)]) -> ConversationRepository:
    return ctx.store.conversations


ContextDep = Annotated[Context, Depends(get_context)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
SearchDep = Annotated[SearchService, Depends(get_search)]
ChatAgentDep = Annotated[ChatAgent, Depends(get_chat_agent)]
ConversationsDep = Annotated[ConversationRepository, Depends(get_conversations)]
