"""Keyframes: metadata and thumbnails."""

from __future__ import annotations

import re

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

from web.deps import ContextDep

router = APIRouter(prefix="/api/thumbnails", tags=["keyframes"])
_THUMB = re.compile(r"^[0-9a-f]{64}\.jpg$")


@router.get("/{name}", response_class=FileResponse)
def thumbnail(name: str, ctx: ContextDep) -> FileResponse:
    """A keyframe thumbnail by its content-addressed name."""
    path = ctx.store.thumbnails.path_of(name)
    if not _THUMB.match(name) or not path.is_file():
        raise HTTPException(404, "no such thumbnail")
    return FileResponse(path, media_type="image/jpeg")
