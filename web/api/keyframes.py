"""Keyframes: metadata and thumbnails."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse

from vigil.store.thumbnails import NAME
from web.deps import ContextDep, actor, request_user, signed_in_user

router = APIRouter(
    prefix="/api/thumbnails", tags=["keyframes"], dependencies=[Depends(signed_in_user)]
)


@router.get("/{name}", response_class=FileResponse)
def thumbnail(name: str, ctx: ContextDep, request: Request) -> FileResponse:
    """A keyframe thumbnail by its content-addressed name (each view is audited)."""
    if not NAME.match(name) or not ctx.store.thumbnails.path_of(name).is_file():
        raise HTTPException(404, "no such thumbnail")
    user = request_user(request)
    cameras = ctx.store.keyframes.cameras_of_thumbnail(name)
    if user is not None and not any(map(user.sees, cameras)):  # one of its frames is theirs
        raise HTTPException(404, "no such thumbnail")
    ctx.store.audit.record(actor(request), "frame.view", f"thumbnail:{name[:64]}")
    return FileResponse(ctx.store.thumbnails.path_of(name), media_type="image/jpeg")
