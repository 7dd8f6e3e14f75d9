"""GET /api/tracks: people and vehicles followed through a camera's view."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request

from vigil.inputs import parse_time
from web.api.defs import CamerasParam, FromParam, ToParam, TrackOut
from web.deps import ContextDep, camera_scope, signed_in_user

router = APIRouter(prefix="/api/tracks", tags=["tracks"], dependencies=[Depends(signed_in_user)])


@router.get("", response_model=list[TrackOut])
def tracks(
    ctx: ContextDep,
    request: Request,
    camera: CamerasParam = None,
    start: FromParam = None,
    end: ToParam = None,
    kind: Annotated[Literal["person", "vehicle", "object"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 500,
) -> list[TrackOut]:
    """Tracks in view at some moment of the window, in order of appearance; times in the
    site time zone."""
    tz = ctx.settings.tz
    rows = ctx.store.tracks.list(
        camera_scope(request, camera),
        parse_time(start, tz, "from"),
        parse_time(end, tz, "to", end_of_day=True),
        cls=kind,
        limit=limit,
    )
    return [TrackOut.of(r, tz) for r in rows]
