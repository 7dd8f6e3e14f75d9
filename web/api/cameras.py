"""GET /api/cameras: the cameras the user may see, with what is stored of each."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from vigil.domain import CameraSummary
from web.deps import ContextDep, request_user, signed_in_user

router = APIRouter(prefix="/api/cameras", tags=["cameras"], dependencies=[Depends(signed_in_user)])


@router.get("", response_model=list[CameraSummary])
def cameras(ctx: ContextDep, request: Request) -> list[CameraSummary]:
    user = request_user(request)
    return [c for c in ctx.store.videos.summaries() if user is None or user.sees(c.name)]
