"""GET /api/search: the same search as `vigil search`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from vigil.inputs import parse_time
from vigil.store.keyframes import FactFilter
from web.api.defs import CamerasParam, FromParam, SearchResult, ToParam
from web.deps import ContextDep, SearchDep, actor, camera_scope, signed_in_user

router = APIRouter(prefix="/api/search", tags=["search"], dependencies=[Depends(signed_in_user)])


@router.get("", response_model=SearchResult)
def search(
    service: SearchDep,
    ctx: ContextDep,
    request: Request,
    q: Annotated[str, Query(description="What to look for (EN/NL/FR/ES)", max_length=10_000)],
    camera: CamerasParam = None,
    start: FromParam = None,
    end: ToParam = None,
    k: Annotated[int, Query(ge=1, le=100)] = 10,
    rerank: bool = False,
    object_: Annotated[
        list[str] | None,
        Query(alias="object", description="Only frames showing these objects (COCO names)"),
    ] = None,
    min_people: Annotated[int, Query(ge=0, le=1000, description="At least this many people")] = 0,
) -> SearchResult:
    """Ranked moments with thumbnails, times and each signal's score."""
    tz = ctx.settings.tz
    result = service.search(
        query=q,
        cameras=camera_scope(request, camera),
        start=parse_time(start, tz, "from"),
        end=parse_time(end, tz, "to", end_of_day=True),
        k=k,
        rerank=rerank,
        facts=FactFilter(tuple(object_ or ()), min_people),
    )
    ctx.store.audit.record(
        actor(request),
        "search",
        "search",
        {
            "q": q[:300],
            "cameras": camera,
            "moments": [m.best_keyframe for m in result.moments],
        },
    )
    return result
