"""GET /api/search: the same search as `vigil search`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from vigil.inputs import parse_time
from vigil.store.keyframes import FactFilter
from web.api.defs import SearchResult
from web.deps import SearchDep, SettingsDep

router = APIRouter(prefix="/api/search", tags=["search"])
TIME_HELP = (
    "ISO-8601 date or date-time; without a zone it is read in the site time zone, as the CLI "
    "reads it"
)


@router.get("", response_model=SearchResult)
def search(
    service: SearchDep,
    settings: SettingsDep,
    q: Annotated[str, Query(description="What to look for (EN/NL/FR/ES)", max_length=10_000)],
    camera: Annotated[list[str] | None, Query(description="Only these cameras")] = None,
    start: Annotated[str | None, Query(alias="from", description=TIME_HELP, max_length=64)] = None,
    end: Annotated[
        str | None,
        Query(alias="to", description=f"{TIME_HELP}; a date means its end", max_length=64),
    ] = None,
    k: Annotated[int, Query(ge=1, le=100)] = 10,
    rerank: bool = False,
    object_: Annotated[
        list[str] | None,
        Query(alias="object", description="Only frames showing these objects (COCO names)"),
    ] = None,
    min_people: Annotated[int, Query(ge=0, le=1000, description="At least this many people")] = 0,
) -> SearchResult:
    """Ranked moments with thumbnails, times and each signal's score."""
    tz = settings.tz
    return service.search(
        query=q,
        cameras=camera,
        start=parse_time(start, tz, "from"),
        end=parse_time(end, tz, "to", end_of_day=True),
        k=k,
        rerank=rerank,
        facts=FactFilter(tuple(object_ or ()), min_people),
    )
