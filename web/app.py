"""The Vigil FastAPI application."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from vigil import __version__
from vigil.errors import InvalidInputError, NotFoundError, VigilError
from web.api import chat, keyframes, search
from web.deps import get_chat_agent, get_context

log = logging.getLogger(__name__)


def _warm_up() -> None:
    """Load the LLM and evaluate its system prompt, so the first question is not slower."""
    try:
        get_chat_agent(get_context()).warm_up()
    except VigilError as exc:  # the API still serves search; chat reports the error
        log.warning("chat model not ready: %s", exc)


def create_app(warm_up: bool = False) -> FastAPI:
    """Build the app: one router per resource, errors as JSON with a clear message.

    With ``warm_up``, the chat model loads in the background as the server starts.
    """

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if warm_up:
            threading.Thread(target=_warm_up, name="llm-warm-up", daemon=True).start()
        yield

    app = FastAPI(
        title="Vigil",
        version=__version__,
        description="Searchable, explainable video for security control rooms.",
        lifespan=lifespan,
    )
    app.include_router(search.router)
    app.include_router(keyframes.router)
    app.include_router(chat.router)

    @app.exception_handler(VigilError)
    async def vigil_error(_: Request, exc: VigilError) -> JSONResponse:
        status = (
            404
            if isinstance(exc, NotFoundError)
            else 400
            if isinstance(exc, InvalidInputError)
            else 503
        )
        return JSONResponse({"detail": str(exc)}, status_code=status)

    return app
