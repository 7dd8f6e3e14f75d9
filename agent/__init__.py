"""Chat agent, alarm verification workflow and report drafting (built on `tools`)."""

from __future__ import annotations

import logging

from agent.chat import ChatAgent
from tools.video import VideoTools
from vigil.context import Context
from vigil.errors import VigilError
from vigil.policies import load_policy
from vigil.search.service import SearchService

log = logging.getLogger(__name__)


def chat_agent(ctx: Context, search: SearchService | None = None) -> ChatAgent:
    """The chat agent over a context's store, with its packaged or configured LLM, finding
    cameras also by what the site policy says people call them."""
    search = search or SearchService(ctx.settings, ctx.store, ctx.models)
    video = VideoTools(ctx.settings, ctx.store, ctx.models, search)
    return ChatAgent(
        ctx.settings,
        video,
        ctx.store.conversations,
        lambda: ctx.models.llm,
        camera_aliases=_camera_aliases(ctx),
    )


def _camera_aliases(ctx: Context) -> dict[str, list[str]]:
    if ctx.settings.policy_file is None:
        return {}
    try:
        return load_policy(ctx.settings.policy_file).aliases
    except VigilError as exc:  # the assistant still answers; cameras by their names only
        log.warning("camera aliases not used: %s", exc)
        return {}
