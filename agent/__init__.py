"""Chat agent, alarm verification workflow and report drafting (built on `tools`)."""

from __future__ import annotations

from agent.chat import ChatAgent
from tools.video import VideoTools
from vigil.context import Context
from vigil.search.service import SearchService


def chat_agent(ctx: Context, search: SearchService | None = None) -> ChatAgent:
    """The chat agent over a context's store, with its packaged or configured LLM."""
    search = search or SearchService(ctx.settings, ctx.store, ctx.models)
    video = VideoTools(ctx.settings, ctx.store, ctx.models, search)
    return ChatAgent(ctx.settings, video, ctx.store.conversations, lambda: ctx.models.llm)
