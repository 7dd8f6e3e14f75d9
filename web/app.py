"""The Vigil FastAPI application."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from vigil import __version__
from vigil.errors import InvalidInputError, NotFoundError, VigilError
from web.api import chat, keyframes, search


def create_app() -> FastAPI:
    """Build the app: one router per resource, errors as JSON with a clear message."""
    app = FastAPI(
        title="Vigil",
        version=__version__,
        description="Searchable, explainable video for security control rooms.",
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
